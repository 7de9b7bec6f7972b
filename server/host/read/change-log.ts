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
 * Updates by later imports (still standing: not undone) of the rows of `tables` this import updated: the
 * FROM and WHERE both readings of them share (parameters: this import's id, twice).
 */
const laterUpdatesOfUpdated = (tables: string) => `FROM intake_change later
   JOIN intake_import i ON i.id = later.import_id AND i.status <> 'undone'
  WHERE later.import_id > ? AND later.action = 'update' AND later.table_name IN (${tables})
    AND later.row_id IN (SELECT row_id FROM intake_change WHERE import_id = ? AND action = 'update' AND table_name IN (${tables}))`;

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
       SELECT later.import_id, later.row_id ${laterUpdatesOfUpdated("'user'")}
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

/**
 * What later imports (not undone) changed again of the users this import updated: user columns and
 * profile field ids per user. Undo leaves those as the later import set them, and puts back the rest.
 */
export async function laterChangedValues(pool: Pool, importId: number): Promise<{ user: Map<number, Set<string>>; profile: Map<number, Set<string>> }> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT later.table_name AS tableName, later.row_id AS rowId, later.before ${laterUpdatesOfUpdated("'user', 'user_info_data', 'interests'")}`,
    [importId, importId],
  );
  const found = { user: new Map<number, Set<string>>(), profile: new Map<number, Set<string>>() };
  for (const row of rows) {
    const before = (typeof row.before === 'string' ? JSON.parse(row.before) : row.before) as Record<string, unknown> | null;
    const byUser = row.tableName === 'user_info_data' ? found.profile : found.user;
    const keys = byUser.get(Number(row.rowId)) ?? new Set<string>();
    // An account's interests are one value: what a later import set them to.
    if (row.tableName === 'interests') keys.add('interests');
    else for (const key of Object.keys(before ?? {})) keys.add(key);
    byUser.set(Number(row.rowId), keys);
  }
  return found;
}
