import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { inTransaction } from './apply.js';
import { loggedTables, type LoggedTable } from './tables.js';

/**
 * Reverses an import from its change log, newest change first: inserted rows are deleted (users,
 * their contexts, memberships, the group it created), updated rows get their before-image back.
 * Returns the number of changes reversed.
 */
export async function undoImport(pool: Pool, importId: number): Promise<number> {
  const [changes] = await pool.query<RowDataPacket[]>('SELECT id, table_name, row_id, action, `before` FROM intake_change WHERE import_id = ? ORDER BY id DESC', [importId]);
  await inTransaction(pool, async (conn) => {
    // Deletes are grouped per table; updates restore column by column.
    const deletes = new Map<LoggedTable, number[]>();
    for (const change of changes) {
      const table = loggedTables[change.table_name as LoggedTable];
      if (!table) continue;
      if (change.table_name === 'user_info_data') {
        // Profile values are logged per user: field id → value before, null where there was none.
        const before = (typeof change.before === 'string' ? JSON.parse(change.before) : change.before) as Record<string, string | null>;
        for (const [fieldId, value] of Object.entries(before)) {
          if (value === null) await conn.query(`DELETE FROM ${table} WHERE userid = ? AND fieldid = ?`, [change.row_id, Number(fieldId)]);
          else await conn.query(`UPDATE ${table} SET data = ? WHERE userid = ? AND fieldid = ?`, [value, change.row_id, Number(fieldId)]);
        }
      } else if (change.action === 'insert') {
        deletes.set(change.table_name, [...(deletes.get(change.table_name) ?? []), Number(change.row_id)]);
      } else {
        const before = (typeof change.before === 'string' ? JSON.parse(change.before) : change.before) as Record<string, unknown>;
        const columns = Object.keys(before).filter((c) => /^[a-z0-9_]+$/.test(c));
        if (columns.length === 0) continue;
        await conn.query(`UPDATE ${table} SET ${columns.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ?`, [...columns.map((c) => before[c]), change.row_id]);
      }
    }
    // A created user takes along what was made for it (its context, preferences, memberships).
    const users = deletes.get('user') ?? [];
    for (let i = 0; i < users.length; i += 1000) {
      const slice = users.slice(i, i + 1000);
      await conn.query(`DELETE FROM ${loggedTables.context} WHERE contextlevel = ? AND instanceid IN (?)`, [CONTEXT_USER, slice]);
      await conn.query(`DELETE FROM ${loggedTables.user_preferences} WHERE userid IN (?)`, [slice]);
      await conn.query(`DELETE FROM ${loggedTables.user_info_data} WHERE userid IN (?)`, [slice]);
      await conn.query(`DELETE FROM ${loggedTables.cohort_members} WHERE userid IN (?)`, [slice]);
    }
    const order: LoggedTable[] = ['cohort_members', 'user_preferences', 'context', 'user', 'cohort'];
    for (const table of order) {
      const ids = deletes.get(table);
      for (let i = 0; ids && i < ids.length; i += 1000) await conn.query(`DELETE FROM ${loggedTables[table]} WHERE id IN (?)`, [ids.slice(i, i + 1000)]);
    }
    await conn.query('DELETE FROM intake_source_user WHERE import_id = ?', [importId]);
    await conn.query('DELETE FROM intake_change WHERE import_id = ?', [importId]);
  });
  return changes.length;
}
