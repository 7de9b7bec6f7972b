import { desc, eq } from 'drizzle-orm';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { changes as changeLog } from '../../db/plugin/schema.js';
import { drizzleOf, inTransaction } from './database.js';
import { isLoggedTable, loggedTables, type LoggedTable } from './tables.js';
import { releaseLogins } from '../store/pending-logins.js';

type LoggedChange = typeof changeLog.$inferSelect;

const safeColumns = (row: Record<string, unknown>) => Object.keys(row).filter((c) => /^[a-z0-9_]+$/.test(c));

/** Changes to Intake's own tables that carry host-visible state. */
async function undoPluginChange(conn: PoolConnection, change: LoggedChange, importId: number): Promise<void> {
  if (change.tableName === 'intake_group_supervisor') {
    await conn.query('DELETE FROM intake_group_supervisor WHERE import_id = ?', [importId]);
    return;
  }
  const before = change.before;
  if (before === null) {
    await conn.query('DELETE FROM intake_validity WHERE user_id = ?', [change.rowId]);
  } else {
    await conn.query('UPDATE intake_validity SET valid_from = ?, valid_until = ?, suspended_by_intake = ? WHERE user_id = ?', [before.valid_from, before.valid_until, before.suspended_by_intake, change.rowId]);
  }
}

/** Profile values are logged per user: field id → value before, null where there was none. */
async function undoProfileChange(conn: PoolConnection, table: string, change: LoggedChange): Promise<void> {
  for (const [fieldId, value] of Object.entries(change.before ?? {})) {
    if (value === null) await conn.query(`DELETE FROM ${table} WHERE userid = ? AND fieldid = ?`, [change.rowId, Number(fieldId)]);
    else await conn.query(`UPDATE ${table} SET data = ? WHERE userid = ? AND fieldid = ?`, [value, change.rowId, Number(fieldId)]);
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
  const changes = await drizzleOf(pool).select().from(changeLog).where(eq(changeLog.importId, importId)).orderBy(desc(changeLog.id));
  await inTransaction(pool, async (conn) => {
    const deletes = new Map<LoggedTable, number[]>();
    for (const change of changes) {
      if (change.tableName === 'intake_validity' || change.tableName === 'intake_group_supervisor') {
        await undoPluginChange(conn, change, importId);
        continue;
      }
      const name = change.tableName;
      if (!isLoggedTable(name)) continue;
      const table = loggedTables[name];
      if (change.tableName === 'user_info_data') {
        await undoProfileChange(conn, table, change);
      } else if (change.action === 'insert') {
        // A consecutive block of inserted ids is logged once, with its last id.
        const through = typeof change.before?.through === 'number' ? change.before.through : change.rowId;
        const ids = deletes.get(name) ?? [];
        for (let id = change.rowId; id <= through; id++) ids.push(id);
        deletes.set(name, ids);
      } else if (change.action === 'delete') {
        const before = change.before ?? {};
        const columns = safeColumns(before);
        await conn.query(`INSERT INTO ${table} (id, ${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`, [[change.rowId, ...columns.map((c) => before[c])]]);
      } else {
        const before = change.before ?? {};
        const columns = safeColumns(before);
        if (columns.length === 0) continue;
        await conn.query(`UPDATE ${table} SET ${columns.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ?`, [...columns.map((c) => before[c]), change.rowId]);
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
    // Logins of accounts that no longer exist must never be told.
    await releaseLogins(conn, importId);
    await conn.query('DELETE FROM intake_change WHERE import_id = ?', [importId]);
  });
  return changes.length;
}

