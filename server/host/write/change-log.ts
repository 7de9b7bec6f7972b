import type { PoolConnection } from 'mysql2/promise';
import type { LoggedTable } from '../tables.js';

/**
 * One write an import made, with what was there before, so that undo can reverse it: an insert is
 * deleted, an update gets its before-image back, a delete is re-inserted from it.
 * Intake's own tables are logged too where they carry host-visible state (validity, group supervisors).
 * An insert of a consecutive block of ids may be one change with `before: { through: <last id> }`.
 * An account's interests (its tags, which Moodle's own code sets: `interests`, by user id) are logged
 * with the tags before and those the import sets, `{ tags, set }`: the replay sets the one, undo the other.
 */
export interface Change {
  table: LoggedTable | 'intake_validity' | 'intake_group_supervisor' | 'interests';
  rowId: number;
  action: 'insert' | 'update' | 'delete';
  before: Record<string, unknown> | null;
}

export async function writeLog(conn: PoolConnection, importId: number, log: Change[]): Promise<void> {
  for (let i = 0; i < log.length; i += 1000) {
    await conn.query('INSERT INTO intake_change (import_id, table_name, row_id, action, `before`) VALUES ?', [
      log.slice(i, i + 1000).map((c) => [importId, c.table, c.rowId, c.action, c.before === null ? null : JSON.stringify(c.before)]),
    ]);
  }
}
