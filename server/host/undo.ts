import type { PoolConnection, Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { jsonColumn } from './database.js';
import { inTransaction } from './database.js';
import { loggedTables, type LoggedTable } from './tables.js';

/** A logged before-image (present wherever the change kind has one). */
const parse = <T>(value: unknown): T => jsonColumn<T>(value) as T;
const safeColumns = (row: Record<string, unknown>) => Object.keys(row).filter((c) => /^[a-z0-9_]+$/.test(c));

/** Changes to Intake's own tables that carry host-visible state. */
async function undoPluginChange(conn: PoolConnection, change: RowDataPacket, importId: number): Promise<void> {
  if (change.table_name === 'intake_group_supervisor') {
    await conn.query('DELETE FROM intake_group_supervisor WHERE import_id = ?', [importId]);
    return;
  }
  const before = parse<Record<string, unknown> | null>(change.before);
  if (before === null) {
    await conn.query('DELETE FROM intake_validity WHERE user_id = ?', [change.row_id]);
  } else {
    await conn.query('UPDATE intake_validity SET valid_from = ?, valid_until = ?, suspended_by_intake = ? WHERE user_id = ?', [before.valid_from, before.valid_until, before.suspended_by_intake, change.row_id]);
  }
}

/** Profile values are logged per user: field id → value before, null where there was none. */
async function undoProfileChange(conn: PoolConnection, table: string, change: RowDataPacket): Promise<void> {
  for (const [fieldId, value] of Object.entries(parse<Record<string, string | null>>(change.before))) {
    if (value === null) await conn.query(`DELETE FROM ${table} WHERE userid = ? AND fieldid = ?`, [change.row_id, Number(fieldId)]);
    else await conn.query(`UPDATE ${table} SET data = ? WHERE userid = ? AND fieldid = ?`, [value, change.row_id, Number(fieldId)]);
  }
}

/** Rows an import created for its new users, removed with them. */
async function removeWithUsers(conn: PoolConnection, users: number[]): Promise<void> {
  for (let i = 0; i < users.length; i += 1000) {
    const slice = users.slice(i, i + 1000);
    await conn.query(
      `DELETE ra FROM ${loggedTables.role_assignments} ra WHERE ra.userid IN (?) OR ra.contextid IN (SELECT id FROM ${loggedTables.context} WHERE contextlevel = ? AND instanceid IN (?))`,
      [slice, CONTEXT_USER, slice],
    );
    await conn.query(`DELETE FROM ${loggedTables.context} WHERE contextlevel = ? AND instanceid IN (?)`, [CONTEXT_USER, slice]);
    await conn.query(`DELETE FROM ${loggedTables.user_preferences} WHERE userid IN (?)`, [slice]);
    await conn.query(`DELETE FROM ${loggedTables.user_info_data} WHERE userid IN (?)`, [slice]);
    await conn.query(`DELETE FROM ${loggedTables.cohort_members} WHERE userid IN (?)`, [slice]);
    await conn.query('DELETE FROM intake_validity WHERE user_id IN (?)', [slice]);
  }
}

/**
 * Reverses an import from its change log, newest change first: inserted rows are deleted (users with
 * what was made for them, memberships, role assignments, the groups and nodes it created), updated
 * rows get their before-image back, deleted rows (members who left a group) come back.
 * Returns the number of changes reversed.
 */
export async function undoImport(pool: Pool, importId: number): Promise<number> {
  const [changes] = await pool.query<RowDataPacket[]>('SELECT id, table_name, row_id, action, `before` FROM intake_change WHERE import_id = ? ORDER BY id DESC', [importId]);
  await inTransaction(pool, async (conn) => {
    const deletes = new Map<LoggedTable, number[]>();
    for (const change of changes) {
      if (change.table_name === 'intake_validity' || change.table_name === 'intake_group_supervisor') {
        await undoPluginChange(conn, change, importId);
        continue;
      }
      const table = loggedTables[change.table_name as LoggedTable];
      if (!table) continue;
      if (change.table_name === 'user_info_data') {
        await undoProfileChange(conn, table, change);
      } else if (change.action === 'insert') {
        const through = parse<{ through?: number } | null>(change.before)?.through ?? Number(change.row_id);
        const ids = deletes.get(change.table_name) ?? [];
        for (let id = Number(change.row_id); id <= through; id++) ids.push(id);
        deletes.set(change.table_name, ids);
      } else if (change.action === 'delete') {
        const before = parse<Record<string, unknown>>(change.before);
        const columns = safeColumns(before);
        await conn.query(`INSERT INTO ${table} (id, ${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`, [[change.row_id, ...columns.map((c) => before[c])]]);
      } else {
        const before = parse<Record<string, unknown>>(change.before);
        const columns = safeColumns(before);
        if (columns.length === 0) continue;
        await conn.query(`UPDATE ${table} SET ${columns.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ?`, [...columns.map((c) => before[c]), change.row_id]);
      }
    }
    await removeWithUsers(conn, deletes.get('user') ?? []);
    // Dependants before what they depend on: memberships and assignments, then contexts, users, groups, nodes.
    const order: LoggedTable[] = ['cohort_members', 'role_assignments', 'user_preferences', 'context', 'user', 'cohort', 'course_categories'];
    for (const table of order) {
      const ids = deletes.get(table);
      for (let i = 0; ids && i < ids.length; i += 1000) await conn.query(`DELETE FROM ${loggedTables[table]} WHERE id IN (?)`, [ids.slice(i, i + 1000)]);
    }
    await conn.query('DELETE FROM intake_source_user WHERE import_id = ?', [importId]);
    await conn.query('DELETE FROM intake_change WHERE import_id = ?', [importId]);
  });
  return changes.length;
}
