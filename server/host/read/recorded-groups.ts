import type { Pool } from 'mysql2/promise';
import type { RecordedMembership } from '../../core/plan/settle.js';
import type { RecordedFileGroup } from '../../core/plan/users.js';
import type { Scope } from '../../core/scope.js';
import { queryRows } from '../database.js';
import { T } from '../tables.js';

/**
 * A feed's recorded groups (intake_source_class `sc`: the groups it filled from its files' places, its
 * classes and its places' role groups) with their cohort (`co`), inside the actor's scope: a
 * coordinator's import moves pupils only between classes they manage. One rule for both reads below.
 */
function recordedGroups(source: string, scope: Scope): { from: string; where: string; params: unknown[] } {
  const site = scope.kind === 'site';
  return {
    from: `intake_source_class sc JOIN ${T.cohort} co ON co.id = sc.cohort_id${site ? '' : ' AND co.contextid IN (?)'}`,
    where: 'sc.source = ?',
    params: site ? [source] : [[...scope.contextIds], source],
  };
}

/**
 * The feed's recorded groups by host id, named: what a re-imported account leaves when the file puts it
 * elsewhere, for the preview. A feed's few hundred classes, read once per run.
 */
export async function loadRecordedFileGroups(pool: Pool, source: string, scope: Scope): Promise<Map<number, RecordedFileGroup>> {
  const { from, where, params } = recordedGroups(source, scope);
  const rows = await queryRows<RecordedFileGroup & { cohort_id: number }>(pool, `SELECT sc.cohort_id, sc.kind, co.name FROM ${from} WHERE ${where}`, params);
  return new Map(rows.map(({ cohort_id, kind, name }) => [Number(cohort_id), { kind, name }]));
}

/** The memberships these accounts hold in the feed's recorded groups, with how the feed filled each: what its settle may remove. */
export async function loadFileGroupMemberships(pool: Pool, source: string, userIds: number[], scope: Scope): Promise<RecordedMembership[]> {
  const { from, where, params } = recordedGroups(source, scope);
  const rows: RecordedMembership[] = [];
  for (let i = 0; i < userIds.length; i += 5000) {
    const slice = userIds.slice(i, i + 5000);
    rows.push(
      ...(await queryRows<RecordedMembership>(
        pool,
        `SELECT m.id, m.cohortid, m.userid, m.timeadded, sc.kind FROM ${from} JOIN ${T.cohortMembers} m ON m.cohortid = sc.cohort_id
          WHERE ${where} AND m.userid IN (?) ORDER BY m.id`,
        [...params, slice],
      )),
    );
  }
  return rows;
}
