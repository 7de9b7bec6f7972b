import { generateMySQLDrizzleJson, generateMySQLMigration } from 'drizzle-kit/api';
import * as hostSchema from './index.js';

/**
 * CREATE TABLE statements for the host's tables, derived from the same Drizzle schema the plugin
 * reads and writes through, so the demo host and the tests cannot drift from it. A real install never
 * runs these: the LMS owns its tables.
 */
export async function hostTableStatements(): Promise<string[]> {
  const tables = Object.fromEntries(
    Object.entries(hostSchema).filter(([, value]) => typeof value === 'object' && value !== null && 'getSQL' in value),
  );
  const empty = await generateMySQLDrizzleJson({});
  const target = await generateMySQLDrizzleJson(tables);
  return generateMySQLMigration(empty, target);
}
