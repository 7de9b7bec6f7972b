import type { Pool } from 'mysql2/promise';
import type { RecordedFileGroup } from '../../core/plan/users.js';
import type { Scope } from '../../core/scope.js';
import { queryRows } from '../database.js';
import { T } from '../tables.js';

/**
 * The groups a feed filled from its files' places before (intake_source_class: its classes and its
 * places' role groups), by host id, inside the actor's scope as the settle reads their memberships
 * (loadFileGroupMemberships): what a re-imported account leaves when the file puts it elsewhere, named
 * for the preview. A feed's few hundred classes, read once per run.
 */
export async function loadRecordedFileGroups(pool: Pool, source: string, scope: Scope): Promise<Map<number, RecordedFileGroup>> {
  const inScope = scope.kind === 'site' ? '' : 'AND co.contextid IN (?)';
  const rows = await queryRows<RecordedFileGroup & { cohort_id: number }>(
    pool,
    `SELECT sc.cohort_id, sc.kind, co.name FROM intake_source_class sc JOIN ${T.cohort} co ON co.id = sc.cohort_id ${inScope} WHERE sc.source = ?`,
    scope.kind === 'site' ? [source] : [[...scope.contextIds], source],
  );
  return new Map(rows.map(({ cohort_id, kind, name }) => [Number(cohort_id), { kind, name }]));
}
