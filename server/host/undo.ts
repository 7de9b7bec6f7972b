import { desc, eq } from 'drizzle-orm';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { changes as changeLog } from '../../db/plugin/schema.js';
import { drizzleOf, inTransaction } from './database.js';
import { isLoggedTable, loggedTables, type LoggedTable } from './tables.js';
import { releaseLogins } from '../store/pending-logins.js';
import { loadSite } from './read/site.js';
import { markUsersDirty, queueReplay, type HostEvent } from './write/moodle-follow-up.js';

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

/**
 * Rows an import created for its new users, removed with them. With Moodle's plugin the accounts
 * themselves stay, suspended at once, for Moodle's delete_user() to remove with everything Moodle's own
 * code may have attached to them meanwhile; their memberships and roles go now (the groups may go too).
 */
async function removeWithUsers(conn: PoolConnection, users: number[], keepAccounts: boolean): Promise<void> {
  for (let i = 0; i < users.length; i += 1000) {
    const slice = users.slice(i, i + 1000);
    if (keepAccounts) {
      await conn.query(`DELETE ra FROM ${loggedTables.role_assignments} ra WHERE ra.userid IN (?)`, [slice]);
      await conn.query(`DELETE FROM ${loggedTables.cohort_members} WHERE userid IN (?)`, [slice]);
      await conn.query('DELETE FROM intake_validity WHERE user_id IN (?)', [slice]);
      await conn.query(`UPDATE ${loggedTables.user} SET suspended = 1 WHERE id IN (?)`, [slice]);
      continue;
    }
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
  const site = await loadSite(drizzleOf(pool));
  await inTransaction(pool, async (conn) => {
    const now = Math.floor(Date.now() / 1000);
    const events: HostEvent[] = [];
    const dirty = new Set<number>();
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
        events.push(...restoredEvents(name, change.rowId, before));
        if (name === 'role_assignments') dirty.add(Number(before.userid));
        const columns = safeColumns(before);
        // IGNORE: a later import may have put the same membership back already; it is back either way.
        await conn.query(`INSERT IGNORE INTO ${table} (id, ${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`, [[change.rowId, ...columns.map((c) => before[c])]]);
      } else {
        const before = change.before ?? {};
        const columns = safeColumns(before);
        if (columns.length === 0) continue;
        if (name === 'user') events.push({ e: 'user_updated', userid: change.rowId });
        await conn.query(`UPDATE ${table} SET ${columns.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ?`, [...columns.map((c) => before[c]), change.rowId]);
      }
    }
    const createdUsers = deletes.get('user') ?? [];
    events.push(...(await removedEvents(conn, deletes, createdUsers, dirty, site.plugin !== null)));
    // The groups it made go too: their records as they are now, for cohort_deleted (Moodle's plugin tells it).
    for (let i = 0; site.plugin && i < (deletes.get('cohort') ?? []).length; i += 1000) {
      const [cohorts] = await conn.query<RowDataPacket[]>(`SELECT * FROM ${loggedTables.cohort} WHERE id IN (?)`, [deletes.get('cohort')!.slice(i, i + 1000)]);
      for (const cohort of cohorts) events.push({ e: 'cohort_deleted', cohort: { ...cohort } });
    }
    await removeWithUsers(conn, createdUsers, site.plugin !== null);
    if (site.plugin) deletes.delete('user');
    // Dependants before what they depend on: memberships and assignments, then contexts, users, groups, nodes.
    const order: LoggedTable[] = ['cohort_members', 'role_assignments', 'user_preferences', 'context', 'user', 'cohort', 'course_categories'];
    for (const table of order) {
      const ids = deletes.get(table);
      // Accounts left for delete_user() keep their user context: it removes it with them.
      const keep = table === 'context' && site.plugin ? ` AND contextlevel <> ${CONTEXT_USER}` : '';
      for (let i = 0; ids && i < ids.length; i += 1000) await conn.query(`DELETE FROM ${loggedTables[table]} WHERE id IN (?)${keep}`, [ids.slice(i, i + 1000)]);
    }
    await conn.query('DELETE FROM intake_source_user WHERE import_id = ?', [importId]);
    await conn.query('DELETE FROM intake_source_class WHERE import_id = ?', [importId]);
    // Logins of accounts that no longer exist must never be told.
    await releaseLogins(conn, importId);
    await conn.query('DELETE FROM intake_change WHERE import_id = ?', [importId]);
    await markUsersDirty(conn, dirty, site.sessionTimeout, now);
    if (site.plugin) await queueReplay(conn, { events, deleteusers: createdUsers, categories: (deletes.get('course_categories') ?? []).length > 0 }, now);
  });
  return changes.length;
}

/** Events of memberships and role assignments an undo brings back (a sync had removed them). */
function restoredEvents(table: LoggedTable, rowId: number, before: Record<string, unknown>): HostEvent[] {
  if (table === 'cohort_members') return [{ e: 'cohort_member_added', cohortid: Number(before.cohortid), userid: Number(before.userid) }];
  if (table === 'role_assignments') {
    return [{ e: 'role_assigned', id: rowId, roleid: Number(before.roleid), contextid: Number(before.contextid), userid: Number(before.userid), component: String(before.component ?? ''), itemid: Number(before.itemid ?? 0) }];
  }
  return [];
}

/**
 * Events of the memberships and role assignments an undo removes (the import's own, and those of the
 * accounts it created), read before they go; whoever loses a role is flagged dirty.
 */
async function removedEvents(conn: PoolConnection, deletes: Map<LoggedTable, number[]>, createdUsers: number[], dirty: Set<number>, withEvents: boolean): Promise<HostEvent[]> {
  const events: HostEvent[] = [];
  const members = deletes.get('cohort_members') ?? [];
  const assignments = deletes.get('role_assignments') ?? [];
  for (let i = 0; i < Math.max(members.length, assignments.length, createdUsers.length); i += 1000) {
    // Memberships matter only for events; role assignments also for the dirty flags of whoever loses one.
    if (withEvents) {
      const [memberRows] = await conn.query<RowDataPacket[]>(
        `SELECT cohortid, userid FROM ${loggedTables.cohort_members} WHERE id IN (?) OR userid IN (?)`,
        [[0, ...members.slice(i, i + 1000)], [0, ...createdUsers.slice(i, i + 1000)]],
      );
      for (const m of memberRows) events.push({ e: 'cohort_member_removed', cohortid: Number(m.cohortid), userid: Number(m.userid) });
    }
    const [roleRows] = await conn.query<RowDataPacket[]>(
      `SELECT id, roleid, contextid, userid, component, itemid FROM ${loggedTables.role_assignments} WHERE id IN (?) OR userid IN (?)`,
      [[0, ...assignments.slice(i, i + 1000)], [0, ...createdUsers.slice(i, i + 1000)]],
    );
    for (const r of roleRows) {
      events.push({ e: 'role_unassigned', id: Number(r.id), roleid: Number(r.roleid), contextid: Number(r.contextid), userid: Number(r.userid), component: String(r.component), itemid: Number(r.itemid) });
      dirty.add(Number(r.userid));
    }
  }
  return events;
}

