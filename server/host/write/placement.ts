import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../../db/host/index.js';
import type { BatchPlan, UserRef } from '../../core/plan/batch.js';
import { queryRows, valuesOf, type SqlValue } from '../database.js';
import { loggedTables } from '../tables.js';
import type { Change } from './change-log.js';
import { insertedIds } from './inserted-ids.js';
import { markUsersDirty } from './moodle-follow-up.js';
import type { CreatedStructure } from './structure.js';

/** What carrying out placements needs: who acts, when, and how to find the ids of what was created. */
export interface PlacementWriteContext {
  importId: number;
  source: string;
  actorId: number;
  now: number;
  mentorRoleId: number | null;
  /** The host's session length: how long a dirty-user flag must last (markUsersDirty()). */
  sessionTimeout: number;
  consecutiveIds: boolean;
  structure: CreatedStructure;
  /** The id of each user a plan names (`-row` of a created account → its new id). */
  userId: (ref: UserRef) => number;
}

type LoggedInsertTable = 'cohort_members' | 'role_assignments' | 'user_enrolments' | 'groups_members';

/** Inserts rows and logs each new one for undo, found again by its natural key when ids are not consecutive. */
export async function insertLogged(conn: PoolConnection, consecutive: boolean, table: LoggedInsertTable, columns: string[], values: (SqlValue | undefined)[][], keyColumns: number, log: Change[]): Promise<void> {
  if (values.length === 0) return;
  const [before] = consecutive ? [[{ id: 0 }]] : await conn.query<RowDataPacket[]>(`SELECT COALESCE(MAX(id), 0) AS id FROM ${loggedTables[table]}`);
  const [inserted] = await conn.query<ResultSetHeader>(`INSERT INTO ${loggedTables[table]} (${columns.join(', ')}) VALUES ?`, [valuesOf(values)]);
  const ids = await insertedIds(consecutive, inserted.insertId, values.length, async () => {
    // New ids lie above the previous maximum; the key columns pick out ours among any concurrent inserts.
    const key = columns.slice(0, keyColumns);
    const wanted = new Set(values.map((v) => v.slice(0, keyColumns).join(':')));
    const found = await queryRows<Record<string, unknown>>(conn, `SELECT id, ${key.join(', ')} FROM ${loggedTables[table]} WHERE id > ?`, [before[0]!.id]);
    return found.filter((row) => wanted.has(key.map((k) => row[k]).join(':'))).map((row) => Number(row.id));
  });
  // A consecutive block is one change (undo expands it): a hundred thousand memberships are a hundred log rows.
  if (consecutive) log.push({ table, rowId: ids[0]!, action: 'insert', before: { through: ids[ids.length - 1]! } });
  else for (const id of ids) log.push({ table, rowId: id, action: 'insert', before: null });
}

const roleColumns = ['roleid', 'contextid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder'];

/** The user contexts of these users, by user id. */
export async function userContexts(conn: PoolConnection, userIds: number[]): Promise<Map<number, number>> {
  if (userIds.length === 0) return new Map();
  const found = await queryRows<{ id: number; instanceid: number }>(conn, `SELECT id, instanceid FROM ${loggedTables.context} WHERE contextlevel = ? AND instanceid IN (?)`, [CONTEXT_USER, [...new Set(userIds)]]);
  return new Map(found.map((c) => [Number(c.instanceid), Number(c.id)]));
}

/**
 * Carries out a batch's placements: memberships, role assignments in node contexts, direct supervisor
 * links (the mentor role in the user's context), validity, and the feed's user list.
 */
export async function writePlacements(conn: PoolConnection, plan: BatchPlan, ctx: PlacementWriteContext, log: Change[]): Promise<void> {
  const members = plan.memberships.map((m) => [ctx.structure.groupId(m.group), ctx.userId(m.user), ctx.now]);
  await insertLogged(conn, ctx.consecutiveIds, 'cohort_members', ['cohortid', 'userid', 'timeadded'], members, 2, log);

  const roles = plan.roleAssignments.map((r) => [r.roleId, 'courseContext' in r.node ? r.node.courseContext : ctx.structure.contextOf(r.node), ctx.userId(r.user), ctx.now, ctx.actorId, '', 0, 0]);
  await insertLogged(conn, ctx.consecutiveIds, 'role_assignments', roleColumns, roles, 3, log);

  await writeSupervisorLinks(conn, plan.supervisorLinks.map((l) => ({ userId: ctx.userId(l.user), supervisorId: l.supervisorId })), ctx, log);
  // As role_assign() does: whoever gained a role reloads their rights at their next page (an account made
  // just now has no session to reload).
  await markUsersDirty(conn, plan.roleAssignments.filter((r) => r.user > 0).map((r) => r.user), ctx.sessionTimeout, ctx.now);

  await writeValidity(conn, plan, ctx, log);

  if (plan.feedMembers.length > 0) {
    await conn.query('INSERT INTO intake_source_user (source, user_id, import_id) VALUES ? ON DUPLICATE KEY UPDATE user_id = user_id', [
      valuesOf(plan.feedMembers.map((ref) => [ctx.source, ctx.userId(ref), ctx.importId])),
    ]);
  }
}

/**
 * Direct supervisor links: the mentor role in each account's own context, held by its supervisor, as
 * role_assign() gives it (no component: an admin may remove it in Moodle). The supervisors reload their
 * rights at their next page, as role_assign() marks them.
 */
export async function writeSupervisorLinks(conn: PoolConnection, links: { userId: number; supervisorId: number }[], ctx: Omit<PlacementWriteContext, 'userId'>, log: Change[]): Promise<void> {
  if (links.length === 0) return;
  if (ctx.mentorRoleId === null) throw new Error('supervisor links planned without a mentor role');
  const contexts = await userContexts(conn, links.map((l) => l.userId));
  const values = links.map((l) => [ctx.mentorRoleId, contexts.get(l.userId), l.supervisorId, ctx.now, ctx.actorId, '', 0, 0]);
  await insertLogged(conn, ctx.consecutiveIds, 'role_assignments', roleColumns, values, 3, log);
  await markUsersDirty(conn, links.map((l) => l.supervisorId), ctx.sessionTimeout, ctx.now);
}

/** Stores validity (re-importing extends it), logging what was stored before for undo. */
async function writeValidity(conn: PoolConnection, plan: BatchPlan, ctx: PlacementWriteContext, log: Change[]): Promise<void> {
  if (plan.validity.length === 0) return;
  const ids = plan.validity.map((v) => ctx.userId(v.user));
  const before = new Map(
    (await queryRows<{ user_id: number; valid_from: number | null; valid_until: number | null; suspended_by_intake: number }>(
      conn,
      'SELECT user_id, valid_from, valid_until, suspended_by_intake FROM intake_validity WHERE user_id IN (?)',
      [ids],
    )).map((v) => [Number(v.user_id), v]),
  );
  for (const id of ids) log.push({ table: 'intake_validity', rowId: id, action: 'update', before: before.get(id) ?? null });
  await conn.query(
    `INSERT INTO intake_validity (user_id, valid_from, valid_until, suspended_by_intake, import_id) VALUES ?
     ON DUPLICATE KEY UPDATE valid_from = VALUES(valid_from), valid_until = VALUES(valid_until), suspended_by_intake = VALUES(suspended_by_intake), import_id = VALUES(import_id)`,
    [plan.validity.map((v, i) => [ids[i], v.from, v.until, v.heldBack ? 1 : 0, ctx.importId])],
  );
}
