import type { PoolConnection } from 'mysql2/promise';
import type { BatchPlan } from '../../core/plan/batch.js';
import type { NewCourseGroup } from '../../core/plan/structure.js';
import { queryRows } from '../database.js';
import { groupBy } from '../../core/group-by.js';
import { T } from '../tables.js';
import type { Change } from './change-log.js';
import { insertLogged, type PlacementWriteContext } from './placement.js';
import { findOrInsertGroup, type CreatedStructure } from './structure.js';

/**
 * Creates planned course groups as groups_create_group() writes the one Moodle's upload makes for a
 * group1 its course lacks (group/lib.php): the name trimmed, no ID number, an empty description in
 * Moodle's default format, no enrolment key, no picture.
 */
export async function createCourseGroups(conn: PoolConnection, groups: readonly NewCourseGroup[], created: CreatedStructure, now: number, log: Change[]): Promise<void> {
  for (const planned of groups) {
    const name = planned.name.slice(0, 254);
    await findOrInsertGroup(conn, planned, created, log, {
      table: 'groups',
      find: [`SELECT id FROM ${T.courseGroups} WHERE courseid = ? AND name = ? ORDER BY id LIMIT 1`, [planned.courseId, name]],
      insert: [
        `INSERT INTO ${T.courseGroups} (courseid, idnumber, name, description, descriptionformat, enrolmentkey, picture, timecreated, timemodified) VALUES (?, '', ?, '', 0, NULL, 0, ?, ?)`,
        [planned.courseId, name, now, now],
      ],
    });
  }
}

/**
 * Carries out a batch's enrolments, new dates and status of enrolments accounts have, and course group
 * memberships (its course roles are among its role assignments). Enrolments as
 * enrol_manual_plugin::enrol_user() inserts them (lib/enrollib.php): active unless the row says
 * suspended, from the planned start to the planned end (0: none), modified by the importer. Members as
 * groups_add_member() adds them: no component, and the group's `timemodified` moved to the time added.
 */
export async function writeEnrolments(conn: PoolConnection, plan: BatchPlan, ctx: PlacementWriteContext, log: Change[]): Promise<void> {
  const enrolments = plan.enrolments.map((e) => [e.instanceId, ctx.userId(e.user), e.status, e.timestart, e.timeend, ctx.actorId, ctx.now, ctx.now]);
  await insertLogged(conn, ctx.consecutiveIds, 'user_enrolments', ['enrolid', 'userid', 'status', 'timestart', 'timeend', 'modifierid', 'timecreated', 'timemodified'], enrolments, 2, log);
  await updateEnrolments(conn, plan, ctx, log);

  if (plan.courseGroupMemberships.length === 0) return;
  const members = plan.courseGroupMemberships.map((m) => [ctx.structure.groupId(m.group), ctx.userId(m.user), ctx.now, '', 0]);
  await insertLogged(conn, ctx.consecutiveIds, 'groups_members', ['groupid', 'userid', 'timeadded', 'component', 'itemid'], members, 2, log);
  const touched = [...new Set(members.map((m) => Number(m[0])))];
  // The groups' times before, for undo (groups this import made go whole).
  const before = await queryRows<{ id: number; timemodified: number }>(conn, `SELECT id, timemodified FROM ${T.courseGroups} WHERE id IN (?) AND timemodified <> ?`, [touched, ctx.now]);
  for (const group of before) log.push({ table: 'groups', rowId: group.id, action: 'update', before: { timemodified: group.timemodified } });
  if (before.length > 0) await conn.query(`UPDATE ${T.courseGroups} SET timemodified = ? WHERE id IN (?)`, [ctx.now, before.map((g) => g.id)]);
}

/** New dates and status of enrolments accounts have, as enrol_plugin::update_user_enrol() stores them; the old ones logged for undo. */
async function updateEnrolments(conn: PoolConnection, plan: BatchPlan, ctx: PlacementWriteContext, log: Change[]): Promise<void> {
  if (plan.enrolmentUpdates.length === 0) return;
  const before = await queryRows<{ id: number; status: number; timestart: number; timeend: number; modifierid: number; timemodified: number }>(
    conn,
    `SELECT id, status, timestart, timeend, modifierid, timemodified FROM ${T.userEnrolments} WHERE id IN (?)`,
    [plan.enrolmentUpdates.map((u) => u.id)],
  );
  for (const { id, ...was } of before) log.push({ table: 'user_enrolments', rowId: id, action: 'update', before: was });
  // One statement per distinct set of values: a re-import that extends everyone's period by a year is one UPDATE.
  for (const [values, updates] of groupBy(plan.enrolmentUpdates, (u) => `${u.status}:${u.timestart}:${u.timeend}`)) {
    const [status, timestart, timeend] = values.split(':').map(Number);
    await conn.query(`UPDATE ${T.userEnrolments} SET status = ?, timestart = ?, timeend = ?, modifierid = ?, timemodified = ? WHERE id IN (?)`, [status, timestart, timeend, ctx.actorId, ctx.now, updates.map((u) => u.id)]);
  }
}
