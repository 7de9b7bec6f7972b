import type { PoolConnection } from 'mysql2/promise';
import type { BatchPlan, UserRef } from '../../core/plan/batch.js';
import { writeLog, type Change } from './change-log.js';
import { writePlacements, type PlacementWriteContext } from './placement.js';
import { createGroups, createNodes } from './structure.js';
import { createCourseGroups, writeEnrolments } from './enrolments.js';
import { writeUsers, type UserWriteContext } from './users.js';
import { writeLinkedLogins, type LinkedLoginWriteContext } from './linked-logins.js';
import { holdLogins, type SealedLogin } from '../../store/pending-logins.js';

export interface BatchWriteContext extends Omit<PlacementWriteContext, 'userId'>, UserWriteContext, LinkedLoginWriteContext {}

/**
 * Carries out one batch's plan in the caller's transaction, with its change log: the nodes and groups
 * it introduces, the users, then where they land (course enrolments first, then the groups and roles
 * they bring). `hashes` holds the stored password of each created
 * row, in order; `sealLogins` seals the logins the plan's notices name, once the accounts have ids.
 * Fills in `userId` of the created rows; decides nothing.
 */
export async function writeBatch(conn: PoolConnection, plan: BatchPlan, hashes: string[], ctx: BatchWriteContext, sealLogins: () => SealedLogin[] = () => []): Promise<void> {
  const log: Change[] = [];
  await createNodes(conn, plan.nodes, ctx.structure, ctx.now, log);
  await createGroups(conn, plan.groups, ctx.structure, ctx.now, log);
  await createCourseGroups(conn, plan.courseGroups, ctx.structure, ctx.now, log);
  await writeUsers(conn, plan.rows, hashes, ctx, log);
  await writeLinkedLogins(conn, plan.rows, ctx, log);
  // The new accounts' logins are kept sealed in this same transaction: none exists without the other.
  await holdLogins(conn, ctx.importId, sealLogins());
  const created = new Map(plan.rows.filter((r) => r.outcome === 'create').map((r) => [-r.row, r.userId!]));
  const userId = (ref: UserRef) => {
    const id = ref > 0 ? ref : created.get(ref);
    if (id === undefined) throw new Error(`row ${-ref} was planned as created but was not written`);
    return id;
  };
  // Enrolments before the roles in their courses, as enrol_user() makes them: Moodle's log tells them in
  // that order when the plugin replays the change log.
  await writeEnrolments(conn, plan, { ...ctx, userId }, log);
  await writePlacements(conn, plan, { ...ctx, userId }, log);
  await writeLog(conn, ctx.importId, log);
}
