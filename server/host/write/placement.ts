import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../../db/host/index.js';
import { queryRows } from '../database.js';
import type { Counts } from '../../contract/types.js';
import type { GroupRef } from '../../core/plan/placement.js';
import type { PlannedRow } from '../../core/plan/users.js';
import { groupKey, nodeKey, type Structure } from '../read/structure.js';
import type { Change } from './change-log.js';
import { insertedIds } from './inserted-ids.js';
import { loggedTables, T } from '../tables.js';

/** The component and item Moodle's plugins tag their role assignments with; here: group supervision. */
export const supervisionComponent = 'local_intake';

/**
 * What placing rows needs besides the rows: the structure, who acts, and where effects are tallied.
 * `dry` (a preview) runs the same decisions and counts without writing: new nodes and groups are only
 * noted, and new accounts stand in with negative ids.
 */
export interface PlaceContext {
  dry: boolean;
  /** Whether a multi-row INSERT's ids are one consecutive block (see inserted-ids.ts). */
  consecutiveIds: boolean;
  structure: Structure;
  now: number;
  actorId: number;
  mentorRoleId: number | null;
  log: Change[];
  counts: Pick<Counts, 'nodesCreated' | 'groupsCreated' | 'memberships' | 'rolesAssigned' | 'supervisorLinks'>;
  /** Groups this import put rows into, and who is in them by this file (for sync and supervision). */
  touched: Map<number, Set<number>>;
  /** Groups this import created. */
  createdGroups: Set<number>;
}

type Connection = Pool | PoolConnection;

/** Inserts rows and logs each new row for undo, found again by its natural key. */
async function insertLogged(conn: Connection, ctx: PlaceContext, table: 'cohort_members' | 'role_assignments', columns: string[], values: unknown[][], keyColumns: number): Promise<void> {
  if (values.length === 0 || ctx.dry) return;
  const [before] = ctx.consecutiveIds ? [[{ id: 0 }]] : await conn.query<RowDataPacket[]>(`SELECT COALESCE(MAX(id), 0) AS id FROM ${loggedTables[table]}`);
  const [inserted] = await conn.query<ResultSetHeader>(`INSERT INTO ${loggedTables[table]} (${columns.join(', ')}) VALUES ?`, [values]);
  const ids = await insertedIds(ctx.consecutiveIds, inserted.insertId, values.length, async () => {
    // New ids lie above the previous maximum; the key columns pick out ours among any concurrent inserts.
    const key = columns.slice(0, keyColumns);
    const wanted = new Set(values.map((v) => v.slice(0, keyColumns).join(':')));
    const found = await queryRows<Record<string, unknown>>(conn, `SELECT id, ${key.join(', ')} FROM ${loggedTables[table]} WHERE id > ?`, [before[0]!.id]);
    return found.filter((row) => wanted.has(key.map((k) => row[k]).join(':'))).map((row) => Number(row.id));
  });
  for (const id of ids) ctx.log.push({ table, rowId: id, action: 'insert', before: null });
}

/** Stand-in ids of groups a preview would create, stable across batches. */
const dryGroupIds = new WeakMap<Structure, Map<string, number>>();

function dryGroupId(ctx: PlaceContext, ref: GroupRef): number {
  const existing = ctx.structure.groupIn(ref.path, ref.name);
  if (existing) return existing.id;
  const ids = dryGroupIds.get(ctx.structure) ?? new Map<string, number>();
  dryGroupIds.set(ctx.structure, ids);
  const key = groupKey(ref.path, ref.name);
  if (!ids.has(key)) ids.set(key, -(ids.size + 1));
  ctx.structure.noteNewNodes(ref.path);
  ctx.structure.newGroups.add(`${nodeKey(ref.path) ? `${nodeKey(ref.path)} / ` : ''}${ref.name}`);
  return ids.get(key)!;
}

/** Creates the nodes and groups the batch lands in; returns the group id of every group reference. */
async function ensureStructure(conn: Connection, rows: PlannedRow[], ctx: PlaceContext): Promise<Map<GroupRef, number>> {
  const ids = new Map<GroupRef, number>();
  if (ctx.dry) {
    for (const row of rows) {
      ctx.structure.noteNewNodes(row.lands!.node);
      for (const ref of row.lands!.groups) ids.set(ref, ref.id ?? dryGroupId(ctx, ref));
    }
    ctx.counts.nodesCreated = ctx.structure.newNodes.size;
    ctx.counts.groupsCreated = ctx.structure.newGroups.size;
    return ids;
  }
  const tx = conn as PoolConnection;
  const created = (table: 'course_categories' | 'context' | 'cohort', id: number) => {
    ctx.log.push({ table, rowId: id, action: 'insert', before: null });
    if (table === 'course_categories') ctx.counts.nodesCreated++;
    if (table === 'cohort') {
      ctx.counts.groupsCreated++;
      ctx.createdGroups.add(id);
    }
  };
  const paths = new Map<string, string[]>();
  for (const row of rows) for (const path of [row.lands!.node, ...row.lands!.groups.map((g) => g.path)]) paths.set(nodeKey(path), path);
  for (const path of paths.values()) await ctx.structure.ensureNode(tx, path, ctx.now, created);
  for (const row of rows) {
    for (const ref of row.lands!.groups) ids.set(ref, ref.id ?? (await ctx.structure.ensureGroup(tx, ref.path, ref.name, ctx.now, created)).id);
  }
  return ids;
}

async function addMemberships(conn: Connection, rows: PlannedRow[], groupIds: Map<GroupRef, number>, ctx: PlaceContext): Promise<void> {
  const wanted = rows.flatMap((row) => row.lands!.groups.map((ref) => [groupIds.get(ref)!, row.userId!] as const));
  if (wanted.length === 0) return;
  for (const [cohort, user] of wanted) {
    const members = ctx.touched.get(cohort) ?? new Set<number>();
    members.add(user);
    ctx.touched.set(cohort, members);
  }
  const present = new Set(
    (await queryRows<{ cohortid: number; userid: number }>(conn, `SELECT cohortid, userid FROM ${T.cohortMembers} WHERE cohortid IN (?) AND userid IN (?)`, [
      [...new Set(wanted.map(([c]) => c))],
      [...new Set(wanted.map(([, u]) => u))],
    ])).map((m) => `${m.cohortid}:${m.userid}`),
  );
  const joining = [...new Map(wanted.filter(([c, u]) => !present.has(`${c}:${u}`)).map(([c, u]) => [`${c}:${u}`, [c, u, ctx.now]])).values()];
  await insertLogged(conn, ctx, 'cohort_members', ['cohortid', 'userid', 'timeadded'], joining, 2);
  ctx.counts.memberships += joining.length;
}

/** Role assignments in each row's node context (the system context without a hierarchy). */
async function assignRoles(conn: Connection, rows: PlannedRow[], ctx: PlaceContext): Promise<void> {
  const wanted = rows
    .filter((row) => row.lands!.role)
    .map((row) => [row.lands!.role!.id, ctx.structure.contextOf(row.lands!.node) ?? -1, row.userId!] as const);
  if (wanted.length === 0) return;
  const present = new Set(
    (await queryRows<{ roleid: number; contextid: number; userid: number }>(conn, `SELECT roleid, contextid, userid FROM ${T.roleAssignments} WHERE component = '' AND userid IN (?)`, [
      [...new Set(wanted.map(([, , u]) => u))],
    ])).map((r) => `${r.roleid}:${r.contextid}:${r.userid}`),
  );
  const missing = [...new Map(wanted.filter((w) => !present.has(w.join(':'))).map((w) => [w.join(':'), [...w, ctx.now, ctx.actorId, '', 0, 0]])).values()];
  await insertLogged(conn, ctx, 'role_assignments', ['roleid', 'contextid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder'], missing, 3);
  ctx.counts.rolesAssigned += missing.length;
}

/** Direct supervision: the supervisor's mentor assignment in the candidate's user context. */
async function linkSupervisors(conn: Connection, rows: PlannedRow[], ctx: PlaceContext): Promise<void> {
  const linked = rows.filter((row) => row.lands!.supervisorIds.length > 0);
  if (linked.length === 0 || ctx.mentorRoleId === null) return;
  const contexts = new Map(
    (await queryRows<{ id: number; instanceid: number }>(conn, `SELECT id, instanceid FROM ${T.context} WHERE contextlevel = ? AND instanceid IN (?)`, [CONTEXT_USER, linked.map((r) => r.userId)])).map((c) => [Number(c.instanceid), Number(c.id)]),
  );
  // A new account (a preview's stand-in) has no context yet: each of its links is new.
  const wanted = linked.flatMap((row) => row.lands!.supervisorIds.map((supervisor) => [contexts.get(row.userId!) ?? -row.row, supervisor] as const));
  const present = new Set(
    (await queryRows<{ contextid: number; userid: number }>(conn, `SELECT contextid, userid FROM ${T.roleAssignments} WHERE roleid = ? AND component = '' AND contextid IN (?)`, [
      ctx.mentorRoleId,
      [...new Set(wanted.map(([c]) => c))],
    ])).map((r) => `${r.contextid}:${r.userid}`),
  );
  const missing = wanted.filter(([c, u]) => !present.has(`${c}:${u}`)).map(([c, u]) => [ctx.mentorRoleId, c, u, ctx.now, ctx.actorId, '', 0, 0]);
  await insertLogged(conn, ctx, 'role_assignments', ['roleid', 'contextid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder'], missing, 3);
  ctx.counts.supervisorLinks += missing.length;
}

/** Stores validity (re-importing extends it); accounts created suspended for a later start are marked so the sweep may lift that. */
async function storeValidity(conn: Connection, rows: PlannedRow[], importId: number, ctx: PlaceContext): Promise<void> {
  const changed = rows.filter((row) => row.validityChange);
  if (changed.length === 0 || ctx.dry) return;
  const before = new Map(
    (await queryRows<{ user_id: number; valid_from: number | null; valid_until: number | null; suspended_by_intake: number }>(
      conn,
      'SELECT user_id, valid_from, valid_until, suspended_by_intake FROM intake_validity WHERE user_id IN (?)',
      [changed.map((r) => r.userId)],
    )).map((v) => [Number(v.user_id), v]),
  );
  for (const row of changed) ctx.log.push({ table: 'intake_validity', rowId: row.userId!, action: 'update', before: before.get(row.userId!) ?? null });
  await conn.query(
    `INSERT INTO intake_validity (user_id, valid_from, valid_until, suspended_by_intake, import_id) VALUES ?
     ON DUPLICATE KEY UPDATE valid_from = VALUES(valid_from), valid_until = VALUES(valid_until), suspended_by_intake = VALUES(suspended_by_intake), import_id = VALUES(import_id)`,
    [changed.map((r) => [r.userId, r.validityChange!.from, r.validityChange!.until, r.outcome === 'create' && (r.validityChange!.from ?? 0) > ctx.now ? 1 : 0, importId])],
  );
}

/** Everything beyond the user rows for one written batch: nodes, groups, memberships, roles, supervisors, validity. */
export async function placeBatch(conn: Connection, planned: PlannedRow[], importId: number, ctx: PlaceContext): Promise<void> {
  const members = planned.filter((row) => row.member && row.lands);
  const rows = ctx.dry ? members.map((row) => (row.userId === null ? { ...row, userId: -row.row } : row)) : members.filter((row) => row.userId !== null);
  if (rows.length === 0) return;
  const groupIds = await ensureStructure(conn, rows, ctx);
  await addMemberships(conn, rows, groupIds, ctx);
  await assignRoles(conn, rows, ctx);
  await linkSupervisors(conn, rows, ctx);
  await storeValidity(conn, rows, importId, ctx);
}

/**
 * After the last batch: with `sync`, members of the import's groups who were not in the file leave
 * them; then group supervision is brought in line with membership for every group the import touched:
 * each supervisor of a group holds a mentor assignment in each member's user context, tagged with the
 * group, and none for users who are no longer members. Returns how many left the groups.
 */
export async function settleGroups(conn: Connection, ctx: PlaceContext, options: { sync: boolean; supervisorIds: number[]; importId: number; coordinatorId: number | null }): Promise<number> {
  const groups = [...ctx.touched.keys()].filter((id) => id > 0);
  if (groups.length === 0) return 0;
  let removed = 0;
  if (options.sync) {
    for (const cohort of groups) {
      const members = ctx.touched.get(cohort)!;
      const leaving = await queryRows<{ id: number; cohortid: number; userid: number; timeadded: number }>(conn, `SELECT id, cohortid, userid, timeadded FROM ${T.cohortMembers} WHERE cohortid = ?`, [cohort]);
      const gone = leaving.filter((m) => !members.has(Number(m.userid)));
      removed += gone.length;
      if (ctx.dry) continue;
      for (let i = 0; i < gone.length; i += 1000) {
        const slice = gone.slice(i, i + 1000);
        await conn.query(`DELETE FROM ${T.cohortMembers} WHERE id IN (?)`, [slice.map((m) => m.id)]);
        for (const m of slice) ctx.log.push({ table: 'cohort_members', rowId: Number(m.id), action: 'delete', before: { cohortid: m.cohortid, userid: m.userid, timeadded: m.timeadded } });
      }
    }
  }
  if (ctx.dry) return removed;
  const supervisors = groups.flatMap((cohort) => [
    ...options.supervisorIds.map((user) => [cohort, user] as const),
    ...(options.coordinatorId !== null && ctx.createdGroups.has(cohort) ? [[cohort, options.coordinatorId] as const] : []),
  ]);
  if (supervisors.length > 0) {
    const [result] = await conn.query<ResultSetHeader>('INSERT IGNORE INTO intake_group_supervisor (cohort_id, user_id, import_id) VALUES ?', [supervisors.map(([c, u]) => [c, u, options.importId])]);
    if (result.affectedRows > 0) ctx.log.push({ table: 'intake_group_supervisor', rowId: options.importId, action: 'insert', before: null });
  }
  if (ctx.mentorRoleId === null) return removed;
  // Supervision follows membership: first remove what no longer holds…
  const stale = await queryRows<{ id: number; roleid: number; contextid: number; userid: number; itemid: number; timemodified: number; modifierid: number }>(
    conn,
    `SELECT ra.id, ra.roleid, ra.contextid, ra.userid, ra.itemid, ra.timemodified, ra.modifierid FROM ${T.roleAssignments} ra JOIN ${T.context} x ON x.id = ra.contextid
     WHERE ra.component = ? AND ra.itemid IN (?) AND NOT EXISTS (SELECT 1 FROM ${T.cohortMembers} m WHERE m.cohortid = ra.itemid AND m.userid = x.instanceid)`,
    [supervisionComponent, groups],
  );
  if (stale.length > 0) {
    await conn.query(`DELETE FROM ${T.roleAssignments} WHERE id IN (?)`, [stale.map((s) => s.id)]);
    for (const s of stale) ctx.log.push({ table: 'role_assignments', rowId: Number(s.id), action: 'delete', before: { roleid: s.roleid, contextid: s.contextid, userid: s.userid, timemodified: s.timemodified, modifierid: s.modifierid, component: supervisionComponent, itemid: s.itemid, sortorder: 0 } });
  }
  // …then add what is missing, in one statement.
  const [before] = await conn.query<RowDataPacket[]>(`SELECT COALESCE(MAX(id), 0) AS id FROM ${T.roleAssignments}`);
  const [added] = await conn.query<ResultSetHeader>(
    `INSERT INTO ${T.roleAssignments} (roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder)
     SELECT ?, x.id, gs.user_id, ?, ?, ?, gs.cohort_id, 0
       FROM intake_group_supervisor gs
       JOIN ${T.cohortMembers} m ON m.cohortid = gs.cohort_id
       JOIN ${T.context} x ON x.contextlevel = ? AND x.instanceid = m.userid
      WHERE gs.cohort_id IN (?) AND NOT EXISTS (
        SELECT 1 FROM ${T.roleAssignments} ra WHERE ra.roleid = ? AND ra.contextid = x.id AND ra.userid = gs.user_id AND ra.component = ? AND ra.itemid = gs.cohort_id)`,
    [ctx.mentorRoleId, ctx.now, ctx.actorId, supervisionComponent, CONTEXT_USER, groups, ctx.mentorRoleId, supervisionComponent],
  );
  if (added.affectedRows > 0) {
    const ids = await queryRows<{ id: number }>(conn, `SELECT id FROM ${T.roleAssignments} WHERE id > ? AND component = ? AND itemid IN (?)`, [before[0]!.id, supervisionComponent, groups]);
    for (const { id } of ids) ctx.log.push({ table: 'role_assignments', rowId: Number(id), action: 'insert', before: null });
  }
  ctx.counts.supervisorLinks += added.affectedRows;
  return removed;
}
