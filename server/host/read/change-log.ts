import { and, eq } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { changes as changeLog } from '../../../db/plugin/schema.js';
import { drizzleOf } from '../database.js';

/**
 * How many accounts an import has created so far, from its change log (a consecutive block of ids is
 * one entry): what earlier attempts of a resumed import wrote.
 */
export async function accountsCreatedBy(pool: Pool, importId: number): Promise<number> {
  const inserts = await drizzleOf(pool)
    .select({ rowId: changeLog.rowId, before: changeLog.before })
    .from(changeLog)
    .where(and(eq(changeLog.importId, importId), eq(changeLog.tableName, 'user'), eq(changeLog.action, 'insert')));
  return inserts.reduce((sum, c) => sum + (typeof c.before?.through === 'number' ? c.before.through - c.rowId + 1 : 1), 0);
}
