import type { CountChange, Counts } from '../../contract/types.js';
import type { BatchPlan } from './batch.js';
import type { SettlePlan } from './settle.js';

export const emptyCounts = (): Counts => ({
  rows: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  errors: 0,
  archived: 0,
  groupsCreated: 0,
  memberships: 0,
  nodesCreated: 0,
  membershipsRemoved: 0,
  rolesAssigned: 0,
  enrolments: 0,
  supervisorLinks: 0,
  supervisionEnded: 0,
});

const countKey = { create: 'created', update: 'updated', unchanged: 'unchanged', skip: 'skipped', error: 'errors' } as const;

/** Adds what a batch plan changes to the counts: the preview's numbers and the commit's are the same sums. */
export function countBatch(counts: Counts, plan: BatchPlan): void {
  for (const row of plan.rows) counts[countKey[row.outcome]]++;
  counts.rows += plan.rows.length;
  counts.nodesCreated += plan.nodes.length;
  counts.groupsCreated += plan.groups.length + plan.courseGroups.length;
  counts.memberships += plan.memberships.length + plan.courseGroupMemberships.length;
  counts.enrolments += plan.enrolments.length;
  counts.rolesAssigned += plan.roleAssignments.length;
  counts.supervisorLinks += plan.supervisorLinks.length;
}

/** Adds a batch's landings (rows per group) to the run's. */
export function countLandings(total: Map<string, number>, plan: BatchPlan): void {
  for (const [name, rows] of plan.landings) total.set(name, (total.get(name) ?? 0) + rows);
}

/** The groups most rows land in, most first (ties by name). */
export function topLandings(total: ReadonlyMap<string, number>, limit: number): { name: string; rows: number }[] {
  return [...total]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([name, rows]) => ({ name, rows }));
}

export function countSettle(counts: Counts, plan: SettlePlan): void {
  counts.membershipsRemoved += plan.membershipsRemoved.length;
  counts.supervisorLinks += plan.supervisionAdded.length + plan.supervisorLinks.length;
  counts.supervisionEnded += plan.supervisionRemoved.length;
  counts.archived += plan.archive.length;
}

/**
 * A resumed import finds the accounts its earlier attempts created as they are now (unchanged): they
 * count as what they are, created by this import.
 */
export function countResumed(counts: Counts, createdBefore: number): void {
  const resumed = Math.min(createdBefore, counts.unchanged);
  counts.created += resumed;
  counts.unchanged -= resumed;
}

/** The counts that differ between a preview and the commit after it (the host changed in between). */
export function countsChanged(preview: Counts, commit: Counts): CountChange[] {
  return (Object.keys(commit) as (keyof Counts)[]).filter((field) => preview[field] !== commit[field]).map((field) => ({ field, preview: preview[field], commit: commit[field] }));
}
