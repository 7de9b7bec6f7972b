import { bigint, mysqlTableCreator } from 'drizzle-orm/mysql-core';

/**
 * The host's table prefix (Moodle's `$CFG->prefix`). Read once at load: a process talks to one host.
 * Validated here, not only in the env schema, because it is spliced into raw SQL identifiers.
 */
export const hostPrefix = (() => {
  const prefix = process.env.INTAKE_TABLE_PREFIX ?? 'mdl_';
  if (!/^[a-z0-9_]{0,20}$/i.test(prefix)) throw new Error(`INTAKE_TABLE_PREFIX must match [a-z0-9_]{0,20}, got "${prefix}"`);
  return prefix;
})();

/** Host tables carry the host's prefix; the plugin's own tables are named `intake_*` without it. */
export const hostTable = mysqlTableCreator((name) => `${hostPrefix}${name}`);

/** Moodle's `int(10)` ids and foreign keys are BIGINT(10) in MySQL. */
export const id = () => bigint('id', { mode: 'number' }).autoincrement().primaryKey();
export const ref = (name: string) => bigint(name, { mode: 'number' });
