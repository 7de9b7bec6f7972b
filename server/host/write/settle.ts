import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { SettlePlan } from '../../core/plan/settle.js';
import { supervisionComponent, T } from '../tables.js';
import type { Change } from './change-log.js';
import { insertLogged, userContexts, writeSupervisorLinks, type PlacementWriteContext } from './placement.js';
import { archiveUsers } from './users.js';
import { markUsersDirty } from './moodle-follow-up.js';

const chunk = 1000;

/** Carries out the final plan: members who leave, group supervisors recorded, supervision added and ended, archive. */
export async function writeSettle(conn: PoolConnection, plan: SettlePlan, ctx: Omit<PlacementWriteContext, 'userId'>, log: Change[]): Promise<void> {
  for (let i = 0; i < plan.membershipsRemoved.length; i += chunk) {
    const slice = plan.membershipsRemoved.slice(i, i + chunk);
    await conn.query(`DELETE FROM ${T.cohortMembers} WHERE id IN (?)`, [slice.map((m) => m.id)]);
    for (const m of slice) log.push({ table: 'cohort_members', rowId: m.id, action: 'delete', before: { cohortid: m.cohortid, userid: m.userid, timeadded: m.timeadded } });
  }

  // The groups the source filled from the file, for next year's file: INSERT IGNORE keeps the import that first recorded one.
  if (plan.fileGroups.length > 0) {
    await conn.query('INSERT IGNORE INTO intake_source_class (source, cohort_id, import_id, kind) VALUES ?', [
      plan.fileGroups.map(({ group, kind }) => [ctx.source, ctx.structure.groupId(group), ctx.importId, kind]),
    ]);
  }

  if (plan.groupSupervisors.length > 0) {
    const [result] = await conn.query<ResultSetHeader>('INSERT IGNORE INTO intake_group_supervisor (cohort_id, user_id, import_id) VALUES ?', [
      plan.groupSupervisors.map((s) => [ctx.structure.groupId(s.group), s.userId, ctx.importId]),
    ]);
    if (result.affectedRows > 0) log.push({ table: 'intake_group_supervisor', rowId: ctx.importId, action: 'insert', before: null });
  }

  for (let i = 0; i < plan.supervisionRemoved.length; i += chunk) {
    const slice = plan.supervisionRemoved.slice(i, i + chunk);
    await conn.query(`DELETE FROM ${T.roleAssignments} WHERE id IN (?)`, [slice.map((s) => s.id)]);
    for (const s of slice) {
      const before = { roleid: s.roleid, contextid: s.contextid, userid: s.userid, timemodified: s.timemodified, modifierid: s.modifierid, component: supervisionComponent, itemid: s.itemid, sortorder: 0 };
      log.push({ table: 'role_assignments', rowId: s.id, action: 'delete', before });
    }
  }

  if (plan.supervisionAdded.length > 0) {
    if (ctx.mentorRoleId === null) throw new Error('supervision planned without a mentor role');
    for (let i = 0; i < plan.supervisionAdded.length; i += chunk) {
      const slice = plan.supervisionAdded.slice(i, i + chunk);
      const contexts = await userContexts(conn, slice.map((s) => memberId(s.member)));
      const values = slice.map((s) => [ctx.mentorRoleId, contexts.get(memberId(s.member)), s.supervisorId, ctx.now, ctx.actorId, supervisionComponent, ctx.structure.groupId(s.group), 0]);
      await insertLogged(conn, ctx.consecutiveIds, 'role_assignments', ['roleid', 'contextid', 'userid', 'timemodified', 'modifierid', 'component', 'itemid', 'sortorder'], values, 3, log);
    }
  }

  // Links to supervisors this file made: by now every account of the file exists.
  await writeSupervisorLinks(conn, plan.supervisorLinks.map((l) => ({ userId: memberId(l.user), supervisorId: memberId(l.supervisorId) })), ctx, log);

  // As role_assign() and role_unassign() do: supervisors who gained or lost someone reload their rights now.
  await markUsersDirty(conn, [...plan.supervisionRemoved.map((s) => s.userid), ...plan.supervisionAdded.map((s) => s.supervisorId)], ctx.sessionTimeout, ctx.now);
  await archiveUsers(conn, plan.archive.map((u) => u.id), ctx.now, log);
}

/** By the final plan every account exists: a stand-in (`-row`) here means the batches were not written. */
function memberId(ref: number): number {
  if (ref <= 0) throw new Error('a commit settles only accounts that exist');
  return ref;
}
