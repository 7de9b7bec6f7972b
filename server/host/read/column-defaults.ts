import type { Pool } from 'mysql2/promise';
import { getTableName } from 'drizzle-orm';
import { user } from '../../../db/host/index.js';
import { queryRows, serverVersion } from '../database.js';

/**
 * What the host's `user` table fills in by itself, per column: its default as text (null for a
 * nullable column without one), absent where the column has no default and must always be sent.
 * Read once per import, so a batch's INSERT names only the columns where some row differs (a new
 * account sends about a third of the 41 columns Moodle's user_create_user() sets).
 */
export type ColumnDefaults = ReadonlyMap<string, string | null>;

/** MariaDB quotes a string default ('gregorian') and spells a missing one NULL; MySQL does neither. */
function defaultText(raw: string | null, nullable: boolean, mariaDb: boolean): string | null | undefined {
  if (raw === null || (mariaDb && raw === 'NULL')) return nullable ? null : undefined;
  if (mariaDb && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replaceAll("''", "'");
  if (mariaDb && !/^-?\d+(\.\d+)?$/.test(raw)) return undefined; // an expression: send the value
  return raw;
}

export async function loadUserColumnDefaults(pool: Pool): Promise<ColumnDefaults> {
  const mariaDb = /mariadb/i.test(await serverVersion(pool));
  const columns = await queryRows<{ name: string; value: string | null; nullable: string }>(
    pool,
    'SELECT COLUMN_NAME AS name, COLUMN_DEFAULT AS value, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [getTableName(user)],
  );
  const defaults = new Map<string, string | null>();
  for (const column of columns) {
    const value = defaultText(column.value, column.nullable === 'YES', mariaDb);
    if (value !== undefined) defaults.set(column.name, value);
  }
  return defaults;
}

/**
 * Whether the host writes a value by itself when the column is left out: a test made once per column
 * (a batch asks it of up to a thousand rows for each of forty columns, and a number is compared as a
 * number, not turned into text for every row).
 */
export function hostDefaultTest(defaults: ColumnDefaults, column: string): (value: string | number | null) => boolean {
  if (!defaults.has(column)) return () => false;
  const fallback = defaults.get(column)!;
  if (fallback === null) return (value) => value === null;
  // The number whose text the default is ('0' → 0); none for text such as 'gregorian' or '05'.
  const asNumber = String(Number(fallback)) === fallback ? Number(fallback) : NaN;
  return (value) => (typeof value === 'number' ? value === asNumber : value === fallback);
}
