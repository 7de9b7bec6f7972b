import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { changes as changeLog } from '../../db/plugin/schema.js';
import { drizzleOf, inTransaction } from './database.js';
import { isLoggedTable, loggedTables, T, type LoggedTable } from './tables.js';
import { releaseLogins } from '../store/pending-logins.js';
import { idsIn, inRanges, mergeRanges, rangeChunks, rangesHold, type IdRange } from './id-ranges.js';
import { loadSite } from './read/site.js';
import { laterChangedValues } from './read/change-log.js';
import { logOut, markUsersDirty, queueReplay, type HostEvent } from './write/moodle-follow-up.js';
import { askMoodleToReplay } from './replay-now.js';
import type { HostFollowUp } from '../contract/types.js';

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
async function undoProfileChange(conn: PoolConnection, table: string, change: LoggedChange, changedLater?: ReadonlySet<string>): Promise<void> {
  for (const [fieldId, value] of Object.entries(change.before ?? {})) {
    if (changedLater?.has(fieldId)) continue;
    if (value === null) await conn.query(`DELETE FROM ${table} WHERE userid = ? AND fieldid = ?`, [change.rowId, Number(fieldId)]);
    else await conn.query(`UPDATE ${table} SET data = ? WHERE userid = ? AND fieldid = ?`, [value, change.rowId, Number(fieldId)]);
  }
}

/** A statement with the condition that `column` lies in the ranges; `more` are the parameters of what follows that condition. */
type InRanges = [statement: (where: string) => string, column: string, more?: number[]];

/**
 * How far an undo is: each statement over a chunk of ids counts those ids, each restored row one. The
 * total is counted the same way before anything runs, so the figure ends where it said it would.
 */
export interface UndoMeter {
  tick(units: number): Promise<void>;
}

/** Runs the statements over id ranges a chunk at a time, each with the condition that its column lies in them. */
async function runInRanges(conn: PoolConnection, ranges: IdRange[], statements: InRanges[], meter: UndoMeter): Promise<void> {
  for (const chunk of rangeChunks(ranges)) {
    for (const [statement, column, more = []] of statements) {
      const where = inRanges(column, chunk);
      await conn.query(statement(where.sql), [...where.params, ...more]);
      await meter.tick(idsIn(chunk));
    }
  }
}

/** Deletes the rows of a table whose `column` lies in the ranges, a chunk at a time. */
const deleteInRanges = (conn: PoolConnection, table: string, column: string, ranges: IdRange[], also: string, meter: UndoMeter) =>
  runInRanges(conn, ranges, [[(where) => `DELETE FROM ${table} WHERE ${where}${also}`, column]], meter);

/**
 * Without Moodle's plugin nothing can run delete_user(), so an account someone has already logged in to
 * (other Moodle code may hold rows that point at it) is not removed but marked deleted the way
 * delete_user() marks it (lib/moodlelib.php, Moodle 4.1): `deleted` 1, the username made from the e-mail
 * address and the time, the e-mail address replaced by the md5 of the username, the ID number freed,
 * no picture. Accounts never used are removed outright, so undo puts the tables back as they were.
 */
async function markUsedAccountsDeleted(conn: PoolConnection, users: IdRange[]): Promise<void> {
  const where = inRanges('id', users);
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT id, username, email FROM ${loggedTables.user} WHERE ${where.sql} AND deleted = 0 AND (firstaccess > 0 OR lastaccess > 0 OR lastlogin > 0 OR currentlogin > 0)`,
    where.params,
  );
  const deltime = Math.floor(Date.now() / 1000);
  for (const user of rows) {
    const delemail = user.email ? String(user.email) : `${user.username}.${user.id}@unknownemail.invalid`;
    // clean_param(PARAM_USERNAME): lower case, only the characters a username may hold.
    const base = delemail.toLowerCase().replace(/[^a-z0-9_.@-]/g, '').slice(0, 100 - (String(deltime).length + 1));
    // "Workaround for bulk deletes of users with the same email address": the next free time suffix.
    let suffix = deltime;
    while ((await conn.query<RowDataPacket[]>(`SELECT 1 FROM ${loggedTables.user} WHERE username = ?`, [`${base}.${suffix}`]))[0].length > 0) suffix++;
    await conn.query(`UPDATE ${loggedTables.user} SET deleted = 1, username = ?, email = ?, idnumber = '', picture = 0, timemodified = ? WHERE id = ?`, [
      `${base}.${suffix}`,
      createHash('md5').update(String(user.username)).digest('hex'),
      deltime,
      user.id,
    ]);
  }
  // As delete_user() does (kill_user_sessions()): whoever is still logged in to it is logged out.
  await logOut(conn, rows.map((user) => Number(user.id)));
}

/**
 * With Moodle's plugin the accounts an import created stay, suspended at once, for Moodle's
 * delete_user() to remove with everything Moodle's own code may have attached to them meanwhile; their
 * memberships and roles, and the validity Intake keeps for them, go now (the groups may go too).
 */
const suspendStatements: InRanges[] = [
  [(w) => `DELETE FROM ${loggedTables.role_assignments} WHERE ${w}`, 'userid'],
  [(w) => `DELETE FROM ${loggedTables.cohort_members} WHERE ${w}`, 'userid'],
  [(w) => `DELETE FROM intake_validity WHERE ${w}`, 'user_id'],
  [(w) => `UPDATE ${loggedTables.user} SET suspended = 1 WHERE ${w}`, 'id'],
  // Logged out now, as delete_user() will (kill_user_sessions()).
  [(w) => `DELETE FROM ${T.sessions} WHERE ${w}`, 'userid'],
];

/**
 * Before anything of them goes: used accounts are marked deleted (they keep their user context), and
 * the roles held over the new accounts (supervisors in their user contexts) are removed while those
 * contexts still say whose they are.
 */
async function releaseNewAccounts(conn: PoolConnection, users: IdRange[], meter: UndoMeter): Promise<void> {
  for (const chunk of rangeChunks(users)) {
    await markUsedAccountsDeleted(conn, chunk);
    const contexts = inRanges('c.instanceid', chunk);
    await conn.query(
      `DELETE ra FROM ${loggedTables.role_assignments} ra JOIN ${loggedTables.context} c ON c.id = ra.contextid WHERE c.contextlevel = ? AND ${contexts.sql}`,
      [CONTEXT_USER, ...contexts.params],
    );
    await meter.tick(idsIn(chunk));
  }
}

/**
 * The statements that remove what the new accounts hold besides the rows the import logged (memberships
 * and roles later imports gave them, Moodle's own rows): found by user, leaving out the logged rows, which go by their ids
 * after this. Asked before those go, the user indexes are read as they are; asked after, each of their
 * entries would have been a deleted one to step over (a fifth of an undo's time, measured).
 */
function removeWithUsers(logged: (table: LoggedTable) => IdRange[]): InRanges[] {
  const unlogged = (table: LoggedTable, statement: (where: string) => string, column: string): InRanges => {
    const ranges = logged(table);
    // Ids scattered over thousands of ranges (a server that interleaves them) are not spelled out: the
    // logged rows then go here too, by user, which is as correct and only slower.
    if (ranges.length > 500) return [statement, column];
    const except = inRanges('id', ranges);
    return [(w) => `${statement(w)} AND NOT ${except.sql}`, column, except.params];
  };
  return [
    unlogged('role_assignments', (w) => `DELETE FROM ${loggedTables.role_assignments} WHERE ${w}`, 'userid'),
    unlogged('cohort_members', (w) => `DELETE FROM ${loggedTables.cohort_members} WHERE ${w}`, 'userid'),
    unlogged('groups_members', (w) => `DELETE FROM ${loggedTables.groups_members} WHERE ${w}`, 'userid'),
    unlogged('user_enrolments', (w) => `DELETE FROM ${loggedTables.user_enrolments} WHERE ${w}`, 'userid'),
    [(w) => `DELETE FROM intake_validity WHERE ${w}`, 'user_id'],
    unlogged('context', (w) => `DELETE FROM ${loggedTables.context} WHERE contextlevel = ${CONTEXT_USER} AND ${w} AND ${unusedAccountContext}`, 'instanceid'),
    unlogged('user_preferences', (w) => `DELETE FROM ${loggedTables.user_preferences} WHERE ${w}`, 'userid'),
    [(w) => `DELETE FROM ${loggedTables.user_info_data} WHERE ${w}`, 'userid'],
    // As auth_oauth2's user_deleted observer does: no login stays linked to an account that is gone.
    unlogged('auth_oauth2_linked_login', (w) => `DELETE FROM ${loggedTables.auth_oauth2_linked_login} WHERE ${w}`, 'userid'),
  ];
}

/** Tables whose changes Moodle caches per course (its groups, their members, a course's teachers). */
const courseTables = new Set<string>(['groups', 'groups_members', 'user_enrolments']);

/** An account marked deleted keeps its user context, as delete_user() leaves it. */
const unusedAccountContext = `instanceid NOT IN (SELECT id FROM ${loggedTables.user} WHERE deleted = 1)`;

/** The ids an import inserted, per table: a consecutive block is logged once, with its last id. */
function insertedRanges(changes: readonly LoggedChange[]): Map<LoggedTable, IdRange[]> {
  const inserted = new Map<LoggedTable, IdRange[]>();
  for (const change of changes) {
    if (change.action !== 'insert' || change.tableName === 'user_info_data' || !isLoggedTable(change.tableName)) continue;
    const through = typeof change.before?.through === 'number' ? change.before.through : change.rowId;
    const ranges = inserted.get(change.tableName) ?? [];
    ranges.push({ from: change.rowId, through });
    inserted.set(change.tableName, ranges);
  }
  return inserted;
}

/** A meter counting up to `total`, telling `onProgress` as it goes. */
function undoMeter(total: number, onProgress: ((done: number, total: number) => void | Promise<void>) | undefined): UndoMeter {
  let done = 0;
  return {
    async tick(units) {
      done += units;
      await onProgress?.(done, total);
    },
  };
}

/**
 * Reverses an import from its change log, newest change first: inserted rows are deleted (users with
 * what was made for them, memberships, role assignments, the groups and nodes it created), updated
 * rows get their before-image back, deleted rows (members who left a group) come back.
 * Returns the number of changes reversed and, on a host with Moodle's plugin, whether Moodle was told at once.
 */
export async function undoImport(
  pool: Pool,
  importId: number,
  options: {
    overLater?: boolean;
    /** Written last, in the undo's own transaction: the import's record says "undone" exactly when it is. */
    finish?: (conn: PoolConnection) => Promise<void>;
    /** How far it is, in units of rows removed or put back (see UndoMeter), as it goes. */
    onProgress?: (done: number, total: number) => void | Promise<void>;
    /** Who undoes it (a host user id): Moodle's follow-up runs as them, so its log names them (else as an admin). */
    runAs?: number | null;
  } = {},
): Promise<{ changes: number; hostFollowUp: HostFollowUp | null }> {
  const changes = await drizzleOf(pool).select().from(changeLog).where(eq(changeLog.importId, importId)).orderBy(desc(changeLog.id));
  const site = await loadSite(drizzleOf(pool));
  // Unless asked to put its values back over them, what later imports changed again stays.
  const later = options.overLater ? { user: new Map<number, Set<string>>(), profile: new Map<number, Set<string>>() } : await laterChangedValues(pool, importId);
  await inTransaction(pool, async (conn) => {
    const now = Math.floor(Date.now() / 1000);
    const events: HostEvent[] = [];
    const dirty = new Set<number>();
    // Accounts the import had let in again (suspended 1 → 0) and undo suspends again: logged out.
    const suspendedAgain: number[] = [];
    // Interests it changed go back to what they were, by Moodle's own code (accounts it created go whole).
    const interestsBack: { userid: number; tags: string[] }[] = [];
    const inserted = insertedRanges(changes);
    const created = (table: LoggedTable) => mergeRanges(inserted.get(table) ?? []);
    const createdUsers = created('user');
    // What it inserted goes by the ranges of its ids (the primary key: a third less time than finding a
    // hundred thousand memberships and contexts by user, measured), dependants before what they depend on.
    // Accounts left for delete_user(), and those marked deleted as it marks them, keep their user context.
    const byId: [table: string, ranges: IdRange[], also: string][] = [
      ...(['cohort_members', 'role_assignments', 'groups_members', 'user_enrolments', 'user_preferences', 'auth_oauth2_linked_login'] as const).map((t) => [loggedTables[t], created(t), ''] as [string, IdRange[], string]),
      [loggedTables.context, created('context'), ` AND (contextlevel <> ${CONTEXT_USER}${site.plugin ? '' : ` OR ${unusedAccountContext}`})`],
      ...(site.plugin ? [] : [[loggedTables.user, createdUsers, ' AND deleted = 0'] as [string, IdRange[], string]]),
      ...(['cohort', 'groups', 'course_categories'] as const).map((t) => [loggedTables[t], created(t), ''] as [string, IdRange[], string]),
    ];
    // Found by user first: with Moodle's plugin its new accounts are suspended for delete_user(); without
    // it they are released, then what they hold besides what it logged goes.
    const byUser = site.plugin ? suspendStatements : removeWithUsers(created);
    const meter = undoMeter(
      changes.filter((c) => c.action !== 'insert').length + idsIn(createdUsers) * (byUser.length + (site.plugin ? 0 : 1)) + byId.reduce((sum, [, ranges]) => sum + idsIn(ranges), 0),
      options.onProgress,
    );
    for (const change of changes) {
      if (change.action !== 'insert') await meter.tick(1);
      if (change.tableName === 'intake_validity' || change.tableName === 'intake_group_supervisor') {
        await undoPluginChange(conn, change, importId);
        continue;
      }
      if (change.tableName === 'interests') {
        const before = change.before as { tags: string[] } | null;
        if (before && !rangesHold(createdUsers, change.rowId) && !later.user.get(change.rowId)?.has('interests')) interestsBack.push({ userid: change.rowId, tags: before.tags });
        continue;
      }
      const name = change.tableName;
      if (!isLoggedTable(name)) continue;
      const table = loggedTables[name];
      if (change.tableName === 'user_info_data') {
        await undoProfileChange(conn, table, change, later.profile.get(change.rowId));
      } else if (change.action === 'insert') {
        continue;
      } else if (change.action === 'delete') {
        const before = change.before ?? {};
        events.push(...restoredEvents(name, change.rowId, before));
        if (name === 'role_assignments') dirty.add(Number(before.userid));
        const columns = safeColumns(before);
        // IGNORE: a later import may have put the same membership back already; it is back either way.
        await conn.query(`INSERT IGNORE INTO ${table} (id, ${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`, [[change.rowId, ...columns.map((c) => before[c])]]);
      } else {
        const before = change.before ?? {};
        // What a later import (still standing) changed again keeps its newer value.
        const newer = name === 'user' ? later.user.get(change.rowId) : undefined;
        const columns = safeColumns(before).filter((c) => !newer?.has(c));
        if (columns.length === 0) continue;
        if (name === 'user') events.push({ e: 'user_updated', userid: change.rowId });
        if (name === 'user_enrolments') events.push({ e: 'user_enrolment_updated', id: change.rowId });
        if (name === 'user' && columns.includes('suspended') && Number(before.suspended) === 1) suspendedAgain.push(change.rowId);
        await conn.query(`UPDATE ${table} SET ${columns.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ?`, [...columns.map((c) => before[c]), change.rowId]);
      }
    }
    events.push(...(await removedEvents(conn, created, createdUsers, dirty, site.plugin !== null)));
    // The groups it made go too: their records as they are now, for cohort_deleted and group_deleted (Moodle's plugin tells it).
    for (const [table, deleted] of [['cohort', 'cohort_deleted'], ['groups', 'group_deleted']] as const) {
      for (const chunk of site.plugin ? rangeChunks(created(table)) : []) {
        const where = inRanges('id', chunk);
        const [records] = await conn.query<RowDataPacket[]>(`SELECT * FROM ${loggedTables[table]} WHERE ${where.sql}`, where.params);
        for (const record of records) events.push(deleted === 'cohort_deleted' ? { e: deleted, cohort: { ...record } } : { e: deleted, group: { ...record } });
      }
    }
    if (!site.plugin) await releaseNewAccounts(conn, createdUsers, meter);
    await runInRanges(conn, createdUsers, byUser, meter);
    for (const [table, ranges, also] of byId) await deleteInRanges(conn, table, 'id', ranges, also, meter);
    await conn.query('DELETE FROM intake_source_user WHERE import_id = ?', [importId]);
    await conn.query('DELETE FROM intake_source_class WHERE import_id = ?', [importId]);
    // Logins of accounts that no longer exist must never be told.
    await releaseLogins(conn, importId);
    await conn.query('DELETE FROM intake_change WHERE import_id = ?', [importId]);
    await markUsersDirty(conn, dirty, site.sessionTimeout, now);
    await logOut(conn, suspendedAgain);
    const deleteusers = site.plugin ? createdUsers.flatMap((r) => Array.from({ length: r.through - r.from + 1 }, (_, i) => r.from + i)) : [];
    const courses = changes.some((c) => courseTables.has(c.tableName));
    if (site.plugin) await queueReplay(conn, { events, deleteusers, interests: interestsBack, categories: created('course_categories').length > 0, courses }, now, options.runAs ?? undefined);
    await options.finish?.(conn);
  });
  // Moodle's own follow-up (delete_user() of the accounts, the events) now rather than at its next cron run.
  return { changes: changes.length, hostFollowUp: site.plugin ? await askMoodleToReplay(drizzleOf(pool)) : null };
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
 * Events of the memberships, role assignments and enrolments an undo removes (the import's own, and those
 * of the accounts it created), read before they go; whoever loses a role is flagged dirty.
 */
async function removedEvents(conn: PoolConnection, created: (table: LoggedTable) => IdRange[], createdUsers: IdRange[], dirty: Set<number>, withEvents: boolean): Promise<HostEvent[]> {
  const events: HostEvent[] = [];
  const read = async (table: string, select: string, own: IdRange[], from = table) => {
    const rows = new Map<number, RowDataPacket>();
    for (const [column, ranges] of [['id', own], ['userid', createdUsers]] as const) {
      for (const chunk of rangeChunks(ranges)) {
        const where = inRanges(`${table}.${column}`, chunk);
        const [found] = await conn.query<RowDataPacket[]>(`SELECT ${table}.id, ${select} FROM ${from} WHERE ${where.sql}`, where.params);
        for (const row of found) rows.set(Number(row.id), row);
      }
    }
    return [...rows.values()];
  };
  // Memberships and enrolments matter only for events; role assignments also for the dirty flags of whoever loses one.
  if (withEvents) {
    for (const m of await read(loggedTables.cohort_members, 'cohortid, userid', created('cohort_members'))) events.push({ e: 'cohort_member_removed', cohortid: Number(m.cohortid), userid: Number(m.userid) });
    const members = await read(loggedTables.groups_members, 'groupid, userid, g.courseid', created('groups_members'), `${loggedTables.groups_members} JOIN ${loggedTables.groups} g ON g.id = ${loggedTables.groups_members}.groupid`);
    for (const m of members) events.push({ e: 'group_member_removed', groupid: Number(m.groupid), userid: Number(m.userid), courseid: Number(m.courseid) });
    const enrolments = await read(loggedTables.user_enrolments, `${loggedTables.user_enrolments}.*, e.courseid, e.enrol`, created('user_enrolments'), `${loggedTables.user_enrolments} JOIN ${T.enrol} e ON e.id = ${loggedTables.user_enrolments}.enrolid`);
    for (const { courseid, enrol, ...ue } of enrolments) events.push({ e: 'user_enrolment_deleted', courseid: Number(courseid), enrol: String(enrol), ue: { ...ue } });
  }
  for (const r of await read(loggedTables.role_assignments, 'roleid, contextid, userid, component, itemid', created('role_assignments'))) {
    events.push({ e: 'role_unassigned', id: Number(r.id), roleid: Number(r.roleid), contextid: Number(r.contextid), userid: Number(r.userid), component: String(r.component), itemid: Number(r.itemid) });
    dirty.add(Number(r.userid));
  }
  return events;
}
