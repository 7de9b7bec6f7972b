import { and, eq } from 'drizzle-orm';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { LaterChanges } from '../../contract/types.js';
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

/**
 * The later imports (still standing: not undone) that changed user rows this import created or
 * updated, and how many of those people. Updated rows are matched by id (a semi-join); an inserted
 * block is logged as one entry up to `through`, so only those few entries are joined as ranges: a
 * range join over every per-row entry would compare each with each. Raw SQL: the range join has no
 * builder form worth its weight.
 */
export async function laterChangesTo(pool: Pool, importId: number): Promise<LaterChanges> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT COUNT(DISTINCT import_id) AS imports, COUNT(DISTINCT row_id) AS people FROM (
       SELECT later.import_id, later.row_id
         FROM intake_change later
         JOIN intake_import i ON i.id = later.import_id AND i.status <> 'undone'
        WHERE later.import_id > ? AND later.table_name = 'user' AND later.action = 'update'
          AND later.row_id IN (SELECT row_id FROM intake_change WHERE import_id = ? AND table_name = 'user' AND action = 'update')
       UNION ALL
       SELECT later.import_id, later.row_id
         FROM intake_change mine
         JOIN intake_change later
           ON later.import_id > mine.import_id AND later.table_name = 'user' AND later.action = 'update'
          AND later.row_id BETWEEN mine.row_id AND COALESCE(CAST(JSON_VALUE(mine.before, '$.through') AS UNSIGNED), mine.row_id)
         JOIN intake_import i ON i.id = later.import_id AND i.status <> 'undone'
        WHERE mine.import_id = ? AND mine.table_name = 'user' AND mine.action = 'insert'
     ) AS touched`,
    [importId, importId, importId],
  );
  return { imports: Number(rows[0]?.imports ?? 0), people: Number(rows[0]?.people ?? 0) };
}
