import type { Joined, RowOutcome } from '../../contract/types.js';
import type { Candidate } from '../validate/validate.js';
import { dayIn } from '../validate/values.js';
import { IdSet } from './id-set.js';
import type { UserRef } from './user-ref.js';
import { MadeSupervisors, type SupervisorNames } from './made-supervisors.js';
import { resolveGroups, type FileGroupKind, type Placement } from './placement.js';
import { groupTargetKey, PlannedStructure, type GroupPlacement, type GroupTargetKey, type GroupTarget, type NewCourseGroup, type NewGroup, type NewNode, type NodeTarget, type StructureIndex } from './structure.js';
import { FileClaims, isoDay, planRows, roleAssignmentKey, type BatchSnapshot, type PlanContext, type PlannedRow, type RecordedFileGroup } from './users.js';

export type { UserRef };

export const userRefOf = (row: Pick<PlannedRow, 'userId' | 'row'>): UserRef => row.userId ?? -row.row;

export interface MembershipChange {
  group: GroupTarget;
  user: UserRef;
}

/** A role held in a node's context (the system context without a hierarchy), or in a course's. */
export interface RoleAssignmentChange {
  roleId: number;
  node: NodeTarget | { courseContext: number };
  user: UserRef;
}

/** An enrolment through a course's manual enrolment method (enrol_manual_plugin::enrol_user()). */
export interface EnrolmentChange {
  instanceId: number;
  user: UserRef;
  timestart: number;
  /** 0: no end. */
  timeend: number;
  /** 0 active, 1 suspended. */
  status: 0 | 1;
}

/** New dates or status of an enrolment an account has (enrol_plugin::update_user_enrol()). */
export interface EnrolmentUpdate {
  id: number;
  timestart: number;
  timeend: number;
  status: number;
}

/** A course group joined (groups_add_member()): an existing one by id, or one this import creates. */
export interface CourseGroupMembershipChange {
  group: GroupTarget;
  user: UserRef;
}

/** A direct supervisor: the mentor role held in the user's own context. */
export interface SupervisorLinkChange {
  user: UserRef;
  supervisorId: number;
}

export interface ValidityChange {
  user: UserRef;
  from: number | null;
  until: number | null;
  /** Intake suspended the account until `from`; the sweep lifts exactly this hold. */
  heldBack: boolean;
}

/** Who is told what about this batch's accounts (the outbox carries it out; see settings.notify). */
export interface Notices {
  /** New accounts whose login is told: to them, their supervisors, or a one-time download. */
  credentials: UserRef[];
  /** New accounts invited to choose their own password. */
  invites: UserRef[];
  /** Updated accounts to tell: the fields that changed, and the groups and courses they joined (named in the mail). */
  updated: { user: UserRef; fields: string[]; joined?: Joined }[];
}

/**
 * Everything one batch of rows changes, decided before anything is written. Writers carry it out in
 * this order: nodes, groups, course groups, users (creates, then updates), enrolments and course group
 * memberships, memberships, roles, supervisor links, validity, the feed's user list.
 */
export interface BatchPlan {
  rows: PlannedRow[];
  nodes: NewNode[];
  groups: NewGroup[];
  courseGroups: NewCourseGroup[];
  memberships: MembershipChange[];
  roleAssignments: RoleAssignmentChange[];
  enrolments: EnrolmentChange[];
  enrolmentUpdates: EnrolmentUpdate[];
  courseGroupMemberships: CourseGroupMembershipChange[];
  supervisorLinks: SupervisorLinkChange[];
  validity: ValidityChange[];
  /** Accounts the import's feed (settings.source) now includes: archive scope of later imports. */
  feedMembers: UserRef[];
  notices: Notices;
  /** Group name → how many of the batch's rows land in it (for the outcome's picture). */
  landings: Map<string, number>;
}

/**
 * What the plan carries from batch to batch within one run (a preview or a commit): the usernames and
 * e-mails earlier rows claim, the nodes and groups it creates, and who the file puts in each group.
 */
export class PlanState {
  readonly claims: FileClaims;
  readonly structure: PlannedStructure;
  /** Group (by target key) → the users this file places in it (UserRefs until their accounts exist). */
  private readonly placed = new Map<GroupTargetKey, { target: GroupTarget; members: IdSet }>();

  /**
   * `newGroupMembers`: whether the settle needs to know who lands in a group this import creates. Only
   * group supervision asks (nobody leaves a new group); without it, a million-row file into a new group
   * keeps no list of a million people.
   * `claimsExpected`: how many claims of each kind the run may hold at once (a preview keeps every row's);
   * their tables are made that size at the start instead of growing into it.
   */
  constructor(
    index: StructureIndex,
    private readonly newGroupMembers = true,
    claimsExpected?: number,
  ) {
    this.structure = new PlannedStructure(index);
    this.claims = new FileClaims(claimsExpected);
  }

  /**
   * Groups this file fills from its own columns (by target key), of each kind: class groups and the role
   * groups of its places; and for each existing account the one of each kind it is in now.
   */
  private readonly fileGroupTargets = new Map<GroupTargetKey, { group: GroupTarget; kind: FileGroupKind }>();
  /** A list only for who is at several places (a teacher at two schools): most hold one. */
  private readonly fileGroupsOfUser: Record<FileGroupKind, Map<number, GroupTarget | GroupTarget[]>> = { class: new Map(), role: new Map() };

  placeFromFile(group: GroupTarget, kind: FileGroupKind, user: UserRef): void {
    this.fileGroupTargets.set(groupTargetKey(group), { group, kind });
    // Only an account that existed before can be in an old class or school.
    if (user <= 0) return;
    const held = this.fileGroupsOfUser[kind].get(user);
    this.fileGroupsOfUser[kind].set(user, held === undefined ? group : Array.isArray(held) ? [...held, group] : [held, group]);
  }

  /**
   * An existing account whose row leaves its class cell empty in a file with a class column: it is in no
   * class this year (a pupil not placed yet, a teacher who mentors none), so it leaves last year's, whose
   * name the next year's pupils take. Another row of it that names a class still places it there.
   */
  placeInNoClass(user: UserRef): void {
    if (user > 0 && !this.fileGroupsOfUser.class.has(user)) this.fileGroupsOfUser.class.set(user, []);
  }

  /** The groups this file filled from its class column and as its places' role groups. */
  fileGroups(): { group: GroupTarget; kind: FileGroupKind }[] {
    return [...this.fileGroupTargets.values()];
  }

  /**
   * Whether an existing account leaves a recorded group of this kind (last year's class, the role group
   * of a school it left): the file gives it groups of that kind, and this is none of them. The group is
   * compared by its id on the host: a group this run planned may have been made by another import of the
   * same feed meanwhile, and recorded by it, and its members are in their class.
   */
  leaves(kind: FileGroupKind, user: number, groupId: number): boolean {
    const held = this.fileGroupsOfUser[kind].get(user);
    if (held === undefined) return false;
    return Array.isArray(held) ? !held.some((group) => this.structure.hostIdOf(group) === groupId) : this.structure.hostIdOf(held) !== groupId;
  }

  /** Existing accounts with a class or a role group in this file. */
  usersPlacedFromFile(): number[] {
    return [...new Set([...this.fileGroupsOfUser.class.keys(), ...this.fileGroupsOfUser.role.keys()])];
  }

  /** Supervisors this file makes, and the rows waiting to be linked to them. */
  readonly madeSupervisors = new MadeSupervisors();

  place(group: GroupTarget, user: UserRef): void {
    const key = groupTargetKey(group);
    const entry = this.placed.get(key) ?? { target: group, members: new IdSet() };
    if ('id' in group || this.newGroupMembers) entry.members.add(user);
    this.placed.set(key, entry);
  }

  /** The groups the file placed anyone in, with those people. */
  groups(): { target: GroupTarget; members: Pick<IdSet, 'has' | 'size' | typeof Symbol.iterator> }[] {
    return [...this.placed.values()];
  }

  /**
   * A batch whose write was rolled back (another import wrote the same people meanwhile) is planned
   * again: the placements it made for accounts it was going to create go, as those may exist now.
   */
  forgetPlanned(plan: BatchPlan): void {
    for (const { group, user } of plan.memberships) if (user < 0) this.placed.get(groupTargetKey(group))?.members.delete(user);
    this.madeSupervisors.forget(new Set(plan.rows.map(userRefOf)));
  }

  /**
   * Once a batch is written, its new accounts have ids: the placements made under `-row` move to them,
   * so the final plan compares like with like against the host. Bookkeeping, not a decision.
   */
  confirmCreated(plan: BatchPlan): void {
    const idOfRow = new Map(plan.rows.filter((r) => r.outcome === 'create' && r.userId !== null).map((r) => [-r.row, r.userId!]));
    for (const { group, user } of plan.memberships) {
      const id = idOfRow.get(user);
      const members = this.placed.get(groupTargetKey(group))?.members;
      if (id === undefined || !members?.delete(user)) continue;
      members.add(id);
    }
    this.madeSupervisors.confirm(idOfRow);
  }
}

const systemOrNode = (node: NodeTarget, index: StructureIndex): number | null => ('existing' in node ? (node.existing?.contextId ?? index.systemContextId) : null);

/**
 * Plans one batch: each row's outcome, then for every row whose account exists afterwards, the
 * structure it needs and the memberships, roles, supervisor links and validity that are not there yet.
 * Pure: `snapshot` holds what the host has for these rows; `state` what earlier batches planned.
 */
export function planBatch(candidates: Candidate[], snapshot: BatchSnapshot, ctx: PlanContext, state: PlanState): BatchPlan {
  const rows = planRows(candidates, snapshot, ctx, state.claims);
  const madeHere = ctx.placement.supervisorsMadeHere;
  // The accounts this batch creates that other rows name as their supervisor.
  if (madeHere.size > 0) rows.forEach((row, i) => row.outcome === 'create' && state.madeSupervisors.answersTo(userRefOf(row), answeredBy(row, candidates[i]!, madeHere)));
  const index = state.structure.index;
  const plan: BatchPlan = {
    rows,
    nodes: [],
    groups: [],
    courseGroups: [],
    memberships: [],
    roleAssignments: [],
    enrolments: [],
    enrolmentUpdates: [],
    courseGroupMemberships: [],
    supervisorLinks: [],
    validity: [],
    feedMembers: [],
    notices: { credentials: [], invites: [], updated: [] },
    landings: new Map(),
  };
  // Who this batch already joins to each group (a row may name the same group twice).
  const joining = new Map<GroupTargetKey, Set<UserRef>>();
  const firstJoin = (target: GroupTarget, user: UserRef) => {
    const key = groupTargetKey(target);
    let users = joining.get(key);
    if (!users) joining.set(key, (users = new Set()));
    return users.has(user) ? false : (users.add(user), true);
  };

  for (const row of rows) {
    if (!row.member || !row.lands) continue;
    const user = userRefOf(row);
    const existing = user > 0;
    const lands = row.lands;
    const groups = resolveGroups(lands, state.structure);
    // A row's node is made even where nothing else of the row lands (a path column alone), at each of its places.
    const node = state.structure.node(lands.node);
    const otherNodes = lands.alsoAt.length === 0 ? noNodes : lands.alsoAt.map((path) => state.structure.node(path));
    if (!(existing && snapshot.inFeed.has(user))) plan.feedMembers.push(user);
    let joined: string[] | undefined;
    for (const { target, name, label } of groups) {
      state.place(target, user);
      plan.landings.set(label, (plan.landings.get(label) ?? 0) + 1);
      const hostId = state.structure.hostIdOf(target);
      const present = existing && hostId !== undefined && snapshot.memberships.get(user)?.includes(hostId) === true;
      if (!present && firstJoin(target, user)) {
        plan.memberships.push({ group: target, user });
        (joined ??= []).push(name);
      }
    }
    for (const { kind, path, name } of lands.fileGroups) state.placeFromFile(state.structure.group(path, name).target, kind, user);
    const inNoClass = existing && ctx.recordedFileGroups !== null && ctx.placement.classMapped && !lands.fileGroups.some((g) => g.kind === 'class');
    if (inNoClass) state.placeInNoClass(user);
    // What the account leaves for it (last year's class, a school it left), as the settle removes it.
    const left = existing && ctx.recordedFileGroups && (lands.fileGroups.length > 0 || inNoClass) ? fileGroupsLeft(state, user, snapshot.memberships.get(user), ctx.recordedFileGroups) : noNames;
    // An account whose only change is a new group (or one it leaves) is updated (and told so, when updates are told).
    if (existing && (joined || left.length > 0) && (row.outcome === 'unchanged' || row.outcome === 'update')) noteChange(row, 'group', left.join(', '), joined?.join(', ') ?? '');
    // The row's role where it lands, at each of its places (a coordinator at two schools).
    for (const place of lands.role ? [node, ...otherNodes] : noNodes) {
      if (!place) continue;
      const context = systemOrNode(place, index);
      const present = existing && context !== null && snapshot.roleAssignments.has(roleAssignmentKey(lands.role!.id, context, user));
      if (!present) plan.roleAssignments.push({ roleId: lands.role!.id, node: place, user });
    }
    for (const { id: roleId } of lands.systemRoles) {
      const present = existing && snapshot.roleAssignments.has(roleAssignmentKey(roleId, index.systemContextId, user));
      if (!present) plan.roleAssignments.push({ roleId, node: { existing: null }, user });
    }
    for (const { roleId, node: category } of lands.categoryRoles) {
      const present = existing && snapshot.roleAssignments.has(roleAssignmentKey(roleId, category.contextId, user));
      if (!present) plan.roleAssignments.push({ roleId, node: { existing: category }, user });
    }
    // Most files enrol in no course: their rows make nothing here.
    if (lands.courses.length > 0) {
      const enrolled = planEnrolments(plan, lands, user, snapshot, ctx, state);
      if (existing && (row.outcome === 'unchanged' || row.outcome === 'update')) noteEnrolled(row, enrolled);
    }
    let supervisedBy: string[] | undefined;
    lands.supervisorIds.forEach((supervisorId, i) => {
      if (existing && snapshot.supervisorLinks.has(`${user}:${supervisorId}`)) return;
      plan.supervisorLinks.push({ user, supervisorId });
      (supervisedBy ??= []).push(lands.supervisorNames[i]!);
    });
    for (const named of lands.supervisorsInFile) {
      state.madeSupervisors.waitFor(user, named.toLowerCase());
      (supervisedBy ??= []).push(named);
    }
    // A new supervisor is a change of the account as a new group is: updated, and the diff names them.
    if (existing && supervisedBy && (row.outcome === 'unchanged' || row.outcome === 'update')) noteChange(row, 'supervisor', '', supervisedBy.join(', '));
    if (row.validityChange) plan.validity.push({ user, ...row.validityChange });
    row.placement = describePlacement(lands, groups, ctx.placement.timeZone);
  }
  plan.notices = planNotices(rows, ctx.settings);
  const structure = state.structure.takeNew();
  plan.nodes = structure.nodes;
  plan.groups = structure.groups;
  plan.courseGroups = structure.courseGroups;
  return plan;
}

/** The references among `madeHere` a created row's account answers to: its username (as made), e-mail, ID number or full name. */
function answeredBy(row: PlannedRow, candidate: Candidate, madeHere: SupervisorNames): string[] {
  const { email, idnumber, firstname, lastname } = candidate.values;
  return madeHere.answeredBy({ username: row.username, email, idnumber, firstname, lastname });
}

/**
 * The feed's recorded groups the account is in and leaves (PlanState.leaves, the rule the settle removes
 * them by), named for the row: its file groups are placed first.
 */
function fileGroupsLeft(state: PlanState, user: number, memberOf: readonly number[] | undefined, recorded: ReadonlyMap<number, RecordedFileGroup>): readonly string[] {
  let left: string[] | undefined;
  for (const id of memberOf ?? noIds) {
    const group = recorded.get(id);
    if (group && state.leaves(group.kind, user, id)) (left ??= []).push(group.name);
  }
  return left ?? noNames;
}

const noIds: readonly number[] = [];

/** Shared by every row that leaves no group. */
const noNames: readonly string[] = [];

/** Shared by every row without a role where it lands. */
const noNodes: never[] = [];

/** Whether a batch creates nodes or groups: it is written before later batches, which may place rows there. */
export const createsStructure = (plan: Pick<BatchPlan, 'nodes' | 'groups' | 'courseGroups'>) => plan.nodes.length + plan.groups.length + plan.courseGroups.length > 0;

/**
 * A row's course enrolments, their roles and course groups that are not there yet, as Moodle's upload
 * makes them (enrol_user() enrols, or moves the dates or status of an enrolment the account has, and
 * assigns the role; groups_add_member() once enrolled). Returns what is new for the row: the courses it
 * is enrolled in, the enrolments whose dates move, a status that changes, and the course groups it joins.
 */
function planEnrolments(plan: BatchPlan, lands: Placement, user: UserRef, snapshot: BatchSnapshot, ctx: PlanContext, state: PlanState) {
  const added = { courses: [] as string[], groups: [] as string[], dates: [] as { before: string; after: string }[], status: undefined as [string, string] | undefined };
  const existing = user > 0;
  const span = (shortname: string, { timestart, timeend }: Omit<EnrolmentUpdate, 'id'>) => `${shortname} ${dayIn(timestart, ctx.placement.timeZone)} – ${timeend > 0 ? dayIn(timeend, ctx.placement.timeZone) : '…'}`;
  for (const placed of lands.courses) {
    const enrolment = existing ? snapshot.enrolments.get(`${placed.instanceId}:${user}`) : undefined;
    if (!enrolment) {
      plan.enrolments.push({ instanceId: placed.instanceId, user, timestart: placed.timestart, timeend: placed.timeend, status: placed.status ?? 0 });
      added.courses.push(placed.course.shortname);
    } else {
      // As enrol_user() does for someone enrolled already: dates and a status the row gives replace theirs (a
      // re-import with a longer period extends it). What the row does not give stays as the account has it.
      const wanted = {
        timestart: placed.datesGiven ? placed.timestart : enrolment.timestart,
        timeend: placed.datesGiven ? placed.timeend : enrolment.timeend,
        status: placed.status ?? enrolment.status,
      };
      const datesMove = wanted.timestart !== enrolment.timestart || wanted.timeend !== enrolment.timeend;
      if (datesMove || wanted.status !== enrolment.status) plan.enrolmentUpdates.push({ id: enrolment.id, ...wanted });
      if (datesMove) added.dates.push({ before: span(placed.course.shortname, enrolment), after: span(placed.course.shortname, wanted) });
      if (wanted.status !== enrolment.status) added.status ??= [String(enrolment.status), String(wanted.status)];
    }
    // enrol_user() assigns the role whether or not the account was enrolled already (role_assign() keeps one).
    if (!(existing && snapshot.roleAssignments.has(roleAssignmentKey(placed.roleId, placed.course.contextId, user)))) {
      plan.roleAssignments.push({ roleId: placed.roleId, node: { courseContext: placed.course.contextId }, user });
    }
    if (placed.group === null) continue;
    const { target, name } = state.structure.courseGroup(placed.course, placed.group, snapshot.courseGroups);
    const hostId = state.structure.hostIdOf(target);
    if (existing && hostId !== undefined && snapshot.courseGroupMembers.has(`${hostId}:${user}`)) continue;
    plan.courseGroupMemberships.push({ group: target, user });
    added.groups.push(`${placed.course.shortname} / ${name}`);
  }
  return added;
}

/**
 * An account that gains an enrolment, new enrolment dates or a course group is updated (and told so, when
 * updates are told), its diff naming the courses and groups beside the site groups it joined.
 */
function noteEnrolled(row: PlannedRow, enrolled: ReturnType<typeof planEnrolments>): void {
  const courses = [...enrolled.courses, ...enrolled.dates.map((d) => d.after)];
  if (courses.length > 0) noteChange(row, 'course', enrolled.dates.map((d) => d.before).join(', '), courses.join(', '));
  // A suspended enrolment made active (or the other way), as the row's yes/no says it.
  if (enrolled.status) noteChange(row, 'enrolSuspended', ...enrolled.status);
  if (enrolled.groups.length > 0) {
    const joined = row.diff?.group?.[1];
    noteChange(row, 'group', '', [...(joined ? [joined] : []), ...enrolled.groups].join(', '));
  }
}

/** An existing account is updated by what it joins or gains beside its own fields: the diff says what. */
function noteChange(row: PlannedRow, field: string, before: string, after: string): void {
  row.outcome = 'update';
  row.diff = { ...(row.diff ?? {}), [field]: [before, after] };
}

function joinedOf(row: PlannedRow): { joined?: Joined } {
  const joined: Joined = {};
  // A row that only leaves a group joins none: the mail names no group then.
  if (row.diff?.group?.[1]) joined.group = row.diff.group[1];
  if (row.diff?.course) joined.course = row.diff.course[1];
  return Object.keys(joined).length > 0 ? { joined } : {};
}

/** Logins are told only where a password was set here: manual accounts, not with `password: keep`. */
function planNotices(rows: PlannedRow[], settings: PlanContext['settings']): Notices {
  const created = rows.filter((r) => r.outcome === 'create' && r.create!.auth === 'manual').map(userRefOf);
  const { credentials, updated } = settings.notify;
  return {
    credentials: settings.password.mode !== 'keep' && ['user', 'supervisor', 'download'].includes(credentials) ? created : [],
    invites: credentials === 'invite' ? created : [],
    updated: updated
      ? rows.filter((r) => r.outcome === 'update').map((r) => ({ user: userRefOf(r), fields: Object.keys(r.diff ?? {}), ...joinedOf(r) }))
      : [],
  };
}

/** The row's roles as the preview names them: its role where it lands, each role in a category ("manager (MGMT)") and in the system ("coursecreator (system)"). */
function describeRoles(lands: Placement): string {
  const inCategories = lands.categoryRoles.map((c) => `${c.shortname} (${c.node.idnumber ?? c.node.name})`);
  const inSystem = lands.systemRoles.map((r) => `${r.shortname} (system)`);
  return [...(lands.role ? [lands.role.shortname] : []), ...inCategories, ...inSystem].join(', ');
}

/** The row's node as the preview names it ("Utrecht / De Regenboog"), and each other place of its person after it ("; "). */
const nodesSaid = (lands: Placement) => (lands.alsoAt.length === 0 ? lands.node.join(' / ') : [lands.node, ...lands.alsoAt].map((path) => path.join(' / ')).join('; '));

/** The placement as the preview shows it. */
function describePlacement(lands: Placement, groups: GroupPlacement[], timeZone: string): RowOutcome['placement'] {
  const described = {
    ...(lands.node.length > 0 ? { node: nodesSaid(lands) } : {}),
    ...(groups.length > 0 ? { groups: groups.map((g) => g.name) } : {}),
    ...(lands.role || lands.categoryRoles.length > 0 || lands.systemRoles.length > 0 ? { role: describeRoles(lands) } : {}),
    ...(lands.courses.length > 0 ? { courses: lands.courses.map((c) => `${c.course.shortname} (${[c.roleShortname, c.group].filter(Boolean).join(', ')})`) } : {}),
    ...(lands.supervisorNames.length + lands.supervisorsInFile.length > 0 ? { supervisors: [...lands.supervisorNames, ...lands.supervisorsInFile] } : {}),
    ...(lands.validity?.from ? { validFrom: isoDay(lands.validity.from, timeZone) } : {}),
    ...(lands.validity?.until ? { validUntil: isoDay(lands.validity.until, timeZone) } : {}),
  };
  return Object.keys(described).length > 0 ? described : null;
}
