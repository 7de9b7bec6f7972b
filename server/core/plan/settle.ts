import type { MatchField } from '../../contract/catalog.js';
import { groupBy } from '../group-by.js';
import type { KeySet } from './key-set.js';
import type { PlanState, SupervisorLinkChange, UserRef } from './batch.js';
import type { FileGroupKind } from './placement.js';
import type { GroupTarget } from './structure.js';
import { planArchive, type HostUser } from './users.js';

/** A membership row as the host has it (the before-image undo puts back). */
export interface MembershipRow {
  id: number;
  cohortid: number;
  userid: number;
  timeadded: number;
}

/** A membership in a group the source filled from the file before, with how it filled it. */
export type RecordedMembership = MembershipRow & { kind: FileGroupKind };

/** A group-supervision assignment: the mentor role in a member's context, tagged with the group. */
export interface SupervisionRow {
  id: number;
  roleid: number;
  contextid: number;
  /** The supervisor. */
  userid: number;
  /** The group (cohort) it comes from. */
  itemid: number;
  /** The member whose context it is in. */
  memberId: number;
  timemodified: number;
  modifierid: number;
}

/**
 * What the host has for the groups the file touched, read after the batches (a commit) or instead of
 * them (a preview): members, recorded group supervisors and their supervision, and who an archive may
 * reach. Only the existing groups: the ones this import creates hold nobody else.
 */
export interface SettleSnapshot {
  /** Existing group → its members, where sync or supervision needs them. */
  members: ReadonlyMap<number, readonly MembershipRow[]>;
  /** Existing group → supervisors recorded by earlier imports. */
  recordedSupervisors: ReadonlyMap<number, readonly number[]>;
  supervision: readonly SupervisionRow[];
  /** Users an archive may reach (see host/read/settle-snapshot.ts); empty without archive. */
  archiveScope: readonly HostUser[];
  /**
   * Memberships of the file's existing accounts that have a class or a role group in it, in the groups
   * this source filled from the file's columns before (within the actor's scope), with how it filled
   * them: where a pupil's class or school may have changed.
   */
  fileGroupMemberships: readonly RecordedMembership[];
}

export interface SettleContext {
  sync: boolean;
  /** Class groups, and the role groups of the file's places, follow the file (settings.classes = follow). */
  followClasses: boolean;
  archive: boolean;
  matchOn: MatchField;
  /** The import's group supervisors (settings.supervisors, looked up). */
  supervisorIds: readonly number[];
  /** A coordinator supervises the groups they create. */
  coordinatorId: number | null;
  /** Without the host's mentor role there is no supervision to keep in line. */
  mentorRoleId: number | null;
  protectedUserIds: ReadonlySet<number>;
  /** Match keys of every row in the file: who is still in the feed. */
  inFile: Pick<KeySet, 'has'>;
}

/**
 * The changes made once, after every batch: with `sync`, members of the touched groups who are not in
 * the file leave them; group supervision follows membership (each supervisor of a group holds the
 * mentor role in each member's context, tagged with the group, and no longer in a leaver's); with
 * archive, users in scope who are not in the file are suspended.
 */
export interface SettlePlan {
  membershipsRemoved: MembershipRow[];
  /** The groups this file filled from its class column and as its places' role groups, recorded for the source. */
  fileGroups: { group: GroupTarget; kind: FileGroupKind }[];
  /** New records of who supervises a group. */
  groupSupervisors: { group: GroupTarget; userId: number }[];
  supervisionAdded: { group: GroupTarget; supervisorId: number; member: UserRef }[];
  supervisionRemoved: SupervisionRow[];
  /** Direct links to supervisors this file made (MadeSupervisors): their accounts exist only now. */
  supervisorLinks: SupervisorLinkChange[];
  /** Supervisors the file named that it was to make and did not (their row was refused), or made twice. */
  supervisorsUnanswered: string[];
  archive: HostUser[];
}

/** Settles groups and archive, from what the batches planned (`state`) and what the host has (`snapshot`). Pure. */
export function planSettle(state: PlanState, snapshot: SettleSnapshot, ctx: SettleContext): SettlePlan {
  const made = state.madeSupervisors.links();
  const plan: SettlePlan = { membershipsRemoved: [], fileGroups: state.fileGroups(), groupSupervisors: [], supervisionAdded: [], supervisionRemoved: [], supervisorLinks: made.links, supervisorsUnanswered: made.unanswered, archive: [] };
  const supervisionByGroup = groupBy(snapshot.supervision, (row) => row.itemid);
  // A pupil whose class (or school) in the file is another leaves the class group (or the school's role
  // group) the source put them in before.
  const fileGroupLeavers = groupBy(ctx.followClasses ? fileGroupChanges(state, snapshot) : [], (m) => m.cohortid);

  for (const { target, members: placed } of state.groups()) {
    const existing = 'id' in target ? target.id : null;
    const present = existing === null ? [] : (snapshot.members.get(existing) ?? []);
    const synced = ctx.sync ? present.filter((m) => !placed.has(m.userid)) : [];
    const syncedIds = new Set(synced.map((m) => m.id));
    const movedOn = existing === null ? [] : (fileGroupLeavers.get(existing) ?? []).filter((m) => !syncedIds.has(m.id));
    if (existing !== null) fileGroupLeavers.delete(existing);
    const leaving = [...synced, ...movedOn];
    plan.membershipsRemoved.push(...leaving);

    const recorded = existing === null ? [] : (snapshot.recordedSupervisors.get(existing) ?? []);
    const wanted = new Set([...ctx.supervisorIds, ...(ctx.coordinatorId !== null && existing === null ? [ctx.coordinatorId] : [])]);
    for (const userId of wanted) if (!recorded.includes(userId)) plan.groupSupervisors.push({ group: target, userId });
    if (ctx.mentorRoleId === null) continue;

    // Supervision follows membership: everyone in the group afterwards, by every supervisor it has.
    const supervisors = new Set([...recorded, ...wanted]);
    const links = existing === null ? [] : (supervisionByGroup.get(existing) ?? []);
    // A group nobody supervises needs no list of who is in it afterwards (a million, for a large file).
    if (supervisors.size === 0 && links.length === 0) continue;
    const left = new Set(leaving.map((m) => m.userid));
    const after = new Set<UserRef>([...present.map((m) => m.userid).filter((id) => !left.has(id)), ...placed]);
    const held = new Set(links.map((l) => `${l.userid}:${l.memberId}`));
    plan.supervisionRemoved.push(...links.filter((l) => !after.has(l.memberId)));
    for (const supervisorId of supervisors) {
      for (const member of after) {
        if (!held.has(`${supervisorId}:${member}`)) plan.supervisionAdded.push({ group: target, supervisorId, member });
      }
    }
  }
  // Old classes (and schools' role groups) the file no longer fills at all: the pupils leave them, and their supervision there ends.
  for (const [group, leavers] of fileGroupLeavers) {
    plan.membershipsRemoved.push(...leavers);
    const left = new Set(leavers.map((m) => m.userid));
    plan.supervisionRemoved.push(...(supervisionByGroup.get(group) ?? []).filter((l) => left.has(l.memberId)));
  }
  if (ctx.archive) plan.archive = planArchive(snapshot.archiveScope, ctx.matchOn, ctx.inFile, ctx.protectedUserIds);
  return plan;
}

/**
 * Memberships in a recorded group other than the account's groups of that kind in this file: another
 * class, another school's role group (PlanState.leaves). Only a kind the file gives the account is
 * compared (a file without roles leaves role groups alone).
 */
function fileGroupChanges(state: PlanState, snapshot: SettleSnapshot): MembershipRow[] {
  return snapshot.fileGroupMemberships.flatMap(({ kind, ...membership }) => (state.leaves(kind, membership.userid, membership.cohortid) ? [membership] : []));
}

/** The existing groups the file touched: what the settle snapshot is read for. */
export function touchedGroupIds(state: PlanState): number[] {
  return state.groups().flatMap(({ target }) => ('id' in target ? [target.id] : []));
}

