import type { CourseGroup } from './courses.js';
import { catalogFieldFor, fieldCatalog, fieldDefinition, profileFieldPrefix, type FieldKey, type MatchField, type ProfileField } from '../../contract/catalog.js';
import type { Problem, RowOutcome, RowPerson, Settings, SkipReason } from '../../contract/types.js';
import { checkPasswordPolicy, type PasswordPolicy } from '../validate/password-policy.js';
import { KeySet } from './key-set.js';
import { numberedName } from '../validate/username-template.js';
import { dayIn } from '../validate/values.js';
import { tagNames, type Candidate } from '../validate/validate.js';
import { planPlacement, type FileGroupKind, type Placement, type PlacementContext } from './placement.js';

/** The columns of a host user that planning compares and writes. */
export interface HostUser {
  id: number;
  username: string;
  idnumber: string;
  email: string;
  suspended: number;
  auth: string;
  [column: string]: string | number | null;
}

/** What planning needs to know about the site, independent of the rows. */
export interface PlanContext {
  settings: Settings;
  /** Site admins and the guest: never updated or archived by an import. */
  protectedUserIds: ReadonlySet<number>;
  allowSameEmail: boolean;
  passwordPolicy: PasswordPolicy | null;
  /** The site's custom profile fields by short name. */
  profileFields: ReadonlyMap<string, ProfileField>;
  /** Where rows land: nodes, groups, roles, supervisors, validity. */
  placement: PlacementContext;
  /** Now, in Unix seconds: validity starting later creates the account suspended. */
  now: number;
  /** The single sign-on service the file's SSO IDs are linked for (null: the file has none). */
  ssoIssuerId: number | null;
  /** This site's own MNet host ($CFG->mnet_localhost_id): a row naming another is another Moodle's account. */
  mnetHostId: number;
  /**
   * The groups this feed filled from its files before (its classes and its places' role groups), by host
   * id, in the actor's scope: what a row's account leaves when the file puts it elsewhere. Null when
   * groups do not follow the file (`classes: add`) or the file has no places.
   */
  recordedFileGroups: ReadonlyMap<number, RecordedFileGroup> | null;
}

/** A group a feed filled from a file's places before: what it stands for, and its name (for the preview). */
export interface RecordedFileGroup {
  kind: FileGroupKind;
  name: string;
}

/** The host users a batch of rows touches, looked up beforehand. Keys are lower case. */
/** How BatchSnapshot.roleAssignments names a role held in a context. */
export const roleAssignmentKey = (roleId: number, contextId: number, userId: number) => `${roleId}:${contextId}:${userId}`;

/** A course enrolment an account has: its id, when it starts and ends (0: no end), and whether it is suspended. */
export interface StoredEnrolment {
  id: number;
  timestart: number;
  timeend: number;
  /** 0 active, 1 suspended. */
  status: number;
}

export interface BatchSnapshot {
  /** matchOn value → the live (not deleted) users holding it. */
  byKey: ReadonlyMap<string, readonly HostUser[]>;
  /** Every username taken on the host, deleted accounts included (the unique index counts them). */
  takenUsernames: ReadonlyMap<string, number>;
  /** Those of them that belong to deleted accounts. */
  deletedUsernames: ReadonlySet<string>;
  /**
   * For each template base of the batch's new accounts, the last number asked about (its taken names are
   * in `takenUsernames`): names past it were not looked up, and are never given.
   */
  numberedThrough: ReadonlyMap<string, number>;
  /** E-mail → id of a live user holding it. */
  takenEmails: ReadonlyMap<string, number>;
  /** ID number (student number) → id of a live user holding it, when accounts are matched by something else. */
  takenIdnumbers: ReadonlyMap<string, number>;
  /** userid → profile field id → stored value, for matched users and the mapped profile fields. */
  profileData: ReadonlyMap<number, ReadonlyMap<number, string>>;
  /** userid → the account's interests (its tags, "chess, music"), for matched users when rows carry interests. */
  interests: ReadonlyMap<number, string>;
  /** Supervisor references of the batch (lower case) → user id, for those the actor may name. */
  supervisors: ReadonlyMap<string, number>;
  /** Supervisor references (lower case) of existing people outside a coordinator's scope. */
  outOfScopeSupervisors: ReadonlySet<string>;
  /** For a coordinator: which matched users are within their categories (null: a site admin, all are). */
  inScope: ReadonlySet<number> | null;
  /** Validity Intake keeps for matched users; `heldBack`: Intake suspended them until `from`. */
  validity: ReadonlyMap<number, StoredValidity>;
  /** The groups (cohort ids) each matched user is in: a short list a user, no key string a membership. */
  memberships: ReadonlyMap<number, readonly number[]>;
  /** roleAssignmentKey() of the matched users' own role assignments (not component-owned). */
  roleAssignments: ReadonlySet<string>;
  /** `userid:supervisorid` of the direct supervisor links (mentor assignments) in matched users' contexts. */
  supervisorLinks: ReadonlySet<string>;
  /** `enrolid:userid` → the matched users' course enrolments (read when the file has course columns). */
  enrolments: ReadonlyMap<string, StoredEnrolment>;
  /** `groupid:userid` of the matched users' course group memberships (likewise). */
  courseGroupMembers: ReadonlySet<string>;
  /** The groups of the courses the batch's rows name, by courseGroupKey(). */
  courseGroups: ReadonlyMap<string, CourseGroup>;
  /** Matched users the import's feed (settings.source) already includes: not written again. */
  inFeed: ReadonlySet<number>;
  /** Matched users' linked logins with the import's single sign-on service, by user id (Moodle allows several). */
  linkedLogins: ReadonlyMap<number, readonly StoredLink[]>;
  /** SSO IDs of the batch (lower case) → the live user whose linked login holds it. */
  takenSsoIds: ReadonlyMap<string, number>;
}

/** A linked login Intake may change: its row id, the identity and the e-mail address it was linked with. */
export interface StoredLink {
  id: number;
  /** The identity the service sends, as Moodle stores it: trimmed, lower case. */
  ssoId: string;
  email: string;
}

export interface StoredValidity {
  from: number | null;
  until: number | null;
  heldBack: boolean;
}

/**
 * Usernames and e-mails that earlier rows of the same file will create and the host does not show
 * yet. A claim on the match field itself is not needed: `markDuplicates` covers it.
 */
export class FileClaims {
  /** Claims of batches planned earlier whose writes may still be in flight (newest first). */
  private older: Claims[] = [];
  private current: Claims;

  /** `expected`: how many of each kind the first generation may hold (a preview's only one holds all). */
  constructor(expected?: number) {
    this.current = emptyClaims(expected);
  }

  /**
   * Values an update of this file moves an account away from. The preview sees them still held (nothing
   * is written); so must the commit, which by a later batch finds them free: they stay taken for the run.
   */
  private readonly released = emptyClaims();

  // Asked several times a row: plain loops, and a value lower-cased only when something was released.
  has(kind: ClaimKind, value: string): boolean {
    if (this.current[kind].has(value)) return true;
    for (const claims of this.older) if (claims[kind].has(value)) return true;
    return this.released[kind].size > 0 && this.released[kind].has(keyOf(value));
  }

  release(kind: ClaimKind, value: string): void {
    if (value !== '') this.released[kind].add(keyOf(value));
  }

  add(kind: ClaimKind, value: string): void {
    this.current[kind].add(value);
  }

  /**
   * Per template base whose numbering went past the base itself, the number its last new username got:
   * in a KeySet (some 12 bytes a base, no string kept), as a million rows of different names may have
   * hundreds of thousands of bases.
   */
  private readonly numbered = new KeySet();

  /** Where numbering a base's next name starts: every name before it was taken, and stays taken. */
  numberedFrom(base: string): number {
    return this.numbered.get(base) ?? 1;
  }

  /**
   * The first of `base`, `base2`, `base3`… up to `through` (the last one looked up) that `free` accepts:
   * numbered without end, as Moodle's upload numbers a taken username (uu_increment_username()), in
   * file order. The search starts where the last one for this base ended, so a thousand "jjansen" in a
   * file cost a thousand steps, not half a million (the host only gains names during a run, and released
   * ones stay held). Null when every name looked up is taken.
   */
  numberedUsername(base: string, through: number, free: (name: string) => boolean): string | null {
    for (let n = this.numberedFrom(base); n <= through; n++) {
      const name = numberedName(base, n);
      if (!free(name)) continue;
      if (n > 1) this.numbered.put(base, n);
      return name;
    }
    return null;
  }

  /**
   * Called as a batch's write starts, with how many writes may be in flight at once: the claims of
   * batches older than that are in the host's tables by the time the next batch is looked up, and are
   * found there, so they can go. (A preview writes nothing and never calls this.)
   */
  advance(inFlight: number): ClaimGeneration {
    const generation = this.current;
    this.older = [generation, ...this.older].slice(0, inFlight);
    this.current = emptyClaims();
    return generation;
  }

  /**
   * Forgets one batch's claims: its write was rolled back and the batch is planned again, which claims
   * afresh what it still creates (the claims land in the generation being planned, which lives at
   * least as long).
   */
  setAside(generation: ClaimGeneration): void {
    this.older = this.older.filter((claims) => claims !== generation);
  }
}

type Claims = Record<ClaimKind, KeySet>;
/** The claims of one planned batch, as `advance` moved them aside. */
export type ClaimGeneration = Readonly<Claims>;
const emptyClaims = (expected?: number): Claims => ({ username: new KeySet(expected), email: new KeySet(expected), idnumber: new KeySet(expected), ssoId: new KeySet() });

type ClaimKind = 'username' | 'email' | 'idnumber' | 'ssoId';

export interface PlannedRow extends RowOutcome {
  /** create: every field value of the new account. */
  /**
   * create: the account's values, its sign-in method (the row's own, else the settings'), and for a
   * `manual` account the password from the file (null: generated when written) and whether it must be
   * changed at first login; other methods get no password of Intake's.
   */
  create?: { values: Partial<Record<FieldKey, string>>; profile: Record<number, string>; suspended: 0 | 1; auth: string; password: string | null; forcePasswordChange: boolean };
  /** update: only the columns that change, with their new values. */
  changes?: Record<string, string | number>;
  /** update: profile field id → value before (null: none stored) and after. */
  profileChanges?: Record<number, { before: string | null; after: string }>;
  /**
   * The account's interests (its tags) before and after, for Moodle's own code to set when Intake's
   * plugin replays the import (create: none before; update: where they differ).
   */
  interests?: { before: string[]; after: string[] };
  /** Where the account lands (create, update, unchanged). */
  lands?: Placement;
  /** The validity to store, when it or its hold differs from what is stored. */
  validityChange?: { from: number | null; until: number | null; heldBack: boolean };
  /** The single sign-on identity to link (create, or update: a new link or a changed one). */
  ssoLink?: SsoLink;
  /** Whether the row's account belongs in the import's group afterwards. */
  member: boolean;
}

/**
 * A linked login to write: a new one (`before` null) or the account's present one changed. Moodle's
 * login lowers the identity a service sends (auth_oauth2\auth::complete_login): it is stored so.
 */
export interface SsoLink {
  ssoId: string;
  email: string;
  before: StoredLink | null;
}

export const keyOf = (value: string) => value.toLowerCase();

type RowCore = Pick<PlannedRow, 'row' | 'outcome' | 'username' | 'userId' | 'diff' | 'problems' | 'member'>;

/**
 * A planned row with every property in one order from the start, so V8 gives all rows one shape: rows
 * built by spreading and given properties later (their placement) cost microseconds each, a second per
 * hundred thousand rows of a re-import (measured).
 */
export function plannedRow(core: RowCore, extra: Partial<Omit<PlannedRow, keyof RowCore>> = {}): PlannedRow {
  return {
    row: core.row,
    outcome: core.outcome,
    username: core.username,
    userId: core.userId,
    diff: core.diff,
    problems: core.problems,
    member: core.member,
    reason: extra.reason,
    placement: null,
    person: null,
    lands: extra.lands,
    create: extra.create,
    changes: extra.changes,
    profileChanges: extra.profileChanges,
    interests: extra.interests,
    validityChange: extra.validityChange,
    ssoLink: extra.ssoLink,
  };
}


/** Fields that are not written as plain `user` columns by an update. */
const notUpdatable = new Set<FieldKey>(['password']);

function error(candidate: Candidate, problems: Problem[], username = ''): PlannedRow {
  return plannedRow({ row: candidate.row, outcome: 'error', username, userId: null, diff: null, problems, member: false });
}

/** Profile values keyed by field id (fields the site lacks were refused with the mapping). */
function profileById(profile: Candidate['profile'], ctx: PlanContext): Record<number, string> {
  const byId: Record<number, string> = {};
  for (const [shortname, value] of Object.entries(profile)) {
    const field = ctx.profileFields.get(shortname);
    if (field) byId[field.id] = value;
  }
  return byId;
}

/** The fields a new account cannot go without (from the catalog, listed once, not once a row). */
const requiredToCreate: readonly FieldKey[] = (Object.keys(fieldCatalog) as FieldKey[]).filter((field) => fieldDefinition(field).required === 'create');

/**
 * Adds to `problems` what a new account of these values would lack, each said once (`told`: fields a
 * problem already names). A loop into the row's own list: it runs for every new row.
 */
function addLacking(values: Candidate['values'], problems: Problem[], told?: ReadonlySet<string | undefined>): void {
  for (const field of requiredToCreate) if (values[field] === undefined && !told?.has(field)) problems.push({ code: 'required', field });
}

/**
 * A coordinator sees the accounts in their groups and those holding a role in their nodes: a new account
 * with neither would be out of their sight the moment it exists.
 */
const outOfSight = (lands: Placement, ctx: PlanContext): boolean =>
  ctx.placement.scope.kind === 'categories' && lands.groups.length === 0 && !lands.role && lands.categoryRoles.length === 0;

function planCreate(candidate: Candidate, lands: Placement, snapshot: BatchSnapshot, ctx: PlanContext, claims: FileClaims): PlannedRow {
  const { settings } = ctx;
  const values = { ...candidate.values };
  let namesRanOut = false;
  if (values.username === undefined && candidate.usernameBase) {
    // Numbered in file order past every name the host or an earlier row holds: predictable, shown in the preview.
    const through = snapshot.numberedThrough.get(candidate.usernameBase) ?? 0;
    const name = claims.numberedUsername(candidate.usernameBase, through, (n) => !snapshot.takenUsernames.has(n) && !claims.has('username', n));
    // Every name looked up was taken (by rows of the file the lookup could not foresee): refused, never guessed.
    namesRanOut = name === null;
    values.username = name ?? candidate.usernameBase;
  }
  // A row without a language takes the one the settings give new accounts (the site's when they give none).
  if (values.lang === undefined && settings.lang) values.lang = settings.lang;
  // Usernames are lower case in Moodle (core_user::clean_field); the address keeps its case as its own field.
  if (values.username === undefined && settings.matchOn === 'email' && values.email) values.username = keyOf(values.email);
  const problems: Problem[] = [];
  addLacking(values, problems);
  if (outOfSight(lands, ctx)) problems.push({ code: 'group_required' });
  const username = values.username ?? '';
  // A row naming a deleted account is neither new nor a conflict: it is its own case (Cirrus lists them).
  if (username && candidate.values.username !== undefined && snapshot.deletedUsernames.has(username) && problems.length === 0) {
    return skipRow(candidate, 'deleted_account', username);
  }
  if (username && (namesRanOut || snapshot.takenUsernames.has(username) || claims.has('username', username))) {
    problems.push({ code: 'username_taken', field: 'username', params: { username } });
  }
  const email = values.email ?? '';
  if (email && !ctx.allowSameEmail && (snapshot.takenEmails.has(keyOf(email)) || claims.has('email', keyOf(email)))) {
    problems.push({ code: 'email_taken', field: 'email', params: { email } });
  }
  // A student number identifies one person: one that another account holds is a conflict, never a second account.
  const idnumber = values.idnumber ?? '';
  if (idnumber && settings.matchOn !== 'idnumber' && (snapshot.takenIdnumbers.has(keyOf(idnumber)) || claims.has('idnumber', keyOf(idnumber)))) {
    problems.push({ code: 'idnumber_taken', field: 'idnumber', params: { idnumber } });
  }
  const ssoId = ssoIdOf(candidate, ctx);
  if (ssoId && ssoIdTaken(ssoId, null, snapshot, claims)) problems.push({ code: 'sso_id_taken', field: 'ssoId', params: { ssoId } });
  let password: string | null = null;
  // As Moodle's own upload does: a weak password from the file still creates the account, with a
  // warning on the row and a forced change at first login.
  let warnings: Problem[] = [];
  const auth = values.auth ?? settings.auth;
  const manual = auth === 'manual';
  const passwords = settings.password;
  if (manual && passwords.mode === 'file') {
    password = values.password ?? null;
    if (password !== null) warnings = checkPasswordPolicy(password, ctx.passwordPolicy);
    else if (!passwords.generateMissing) problems.push({ code: 'password_required', field: 'password' });
  }
  // A password made here, not taken from the file (none is set with `keep`).
  const generated = passwords.mode === 'generate' || (passwords.mode === 'file' && password === null);
  if (problems.length > 0) return error(candidate, problems, username);
  if (!settings.actions.add) {
    return skipRow(candidate, 'not_added', username);
  }
  if (settings.matchOn !== 'username') claims.add('username', username);
  if (email && settings.matchOn !== 'email' && !ctx.allowSameEmail) claims.add('email', keyOf(email));
  if (idnumber && settings.matchOn !== 'idnumber') claims.add('idnumber', keyOf(idnumber));
  if (ssoId) claims.add('ssoId', ssoId);
  delete values.password;
  const status = statusOf(candidate, ctx);
  const heldBack = notYetValid(lands, ctx, status);
  const create: PlannedRow['create'] = {
    values,
    profile: profileById(candidate.profile, ctx),
    suspended: status === 'suspended' || heldBack ? 1 : 0,
    auth,
    password,
    // A generated password is changed at first login, as Moodle's send_new_user_passwords task sets
    // auth_forcepasswordchange after mailing one; a weak one from the file likewise (tool_uploaduser).
    // Only a manual account has a password of ours to change.
    forcePasswordChange: manual && (settings.forcePasswordChange || warnings.length > 0 || generated),
  };
  return plannedRow(
    { row: candidate.row, outcome: 'create', username, userId: null, diff: null, problems: candidate.warnings ? [...warnings, ...candidate.warnings] : warnings, member: true },
    {
      create,
      lands,
      ...(lands.validity ? { validityChange: { ...lands.validity, heldBack } } : {}),
      ...(ssoId ? { ssoLink: { ssoId, email, before: null } } : {}),
      ...(values.interests !== undefined ? { interests: { before: [], after: tagNames(values.interests) } } : {}),
    },
  );
}

/** The row's SSO ID as Moodle stores and looks it up (trimmed, lower case), when the import links them. */
function ssoIdOf(candidate: Candidate, ctx: PlanContext): string | null {
  const value = candidate.values.ssoId?.trim();
  return ctx.ssoIssuerId !== null && value ? keyOf(value) : null;
}

/** Another live account's login, or an earlier row of the file, holds the identity: one identity, one person. */
function ssoIdTaken(ssoId: string, userId: number | null, snapshot: BatchSnapshot, claims: FileClaims): boolean {
  const holder = snapshot.takenSsoIds.get(ssoId);
  return (holder !== undefined && holder !== userId) || claims.has('ssoId', ssoId);
}

/** The status a row asks for: its own (a `suspended` column, as Moodle's upload reads one), else the settings'. */
function statusOf(candidate: Candidate, ctx: PlanContext): Settings['status'] {
  const own = candidate.values.suspended;
  return own === '1' ? 'suspended' : own === '0' ? 'active' : ctx.settings.status;
}

/**
 * Not valid yet: the account waits, suspended, until the sweep finds its start date reached. Only
 * Intake's own hold is lifted by the sweep: an import that asks for suspended accounts keeps them so.
 */
function notYetValid(lands: Placement, ctx: PlanContext, status: Settings['status']): boolean {
  return status !== 'suspended' && (lands.validity?.from ?? 0) > ctx.now;
}

/** The day a validity's moment falls on where the site is (its days are the site's: placement.ts). */
export const isoDay = (seconds: number | null, timeZone: string) => (seconds === null ? '' : dayIn(seconds, timeZone));

function planExisting(candidate: Candidate, lands: Placement, user: HostUser, snapshot: BatchSnapshot, ctx: PlanContext, claims: FileClaims): PlannedRow {
  // Written out, not spread from a shared base: a spread costs microseconds a row (measured).
  // What the row passed over (a role without its category) is told on the row, whatever becomes of it.
  const core = (outcome: PlannedRow['outcome'], diff: PlannedRow['diff'], member: boolean, username = user.username): RowCore => ({
    row: candidate.row,
    outcome,
    username,
    userId: user.id,
    diff,
    problems: candidate.warnings ? [...candidate.warnings] : [],
    member,
  });
  if (ctx.protectedUserIds.has(user.id)) return plannedRow(core('skip', null, false), { reason: 'protected_account' });
  if (snapshot.inScope && !snapshot.inScope.has(user.id)) return error(candidate, [{ code: 'out_of_scope', params: { group: user.username } }], user.username);

  const diff: Record<string, [string, string]> = {};
  const changes: Record<string, string | number> = {};
  const problems: Problem[] = [];
  // for…in, not Object.entries: no pair array for every field of every row (41 MB a 100k re-import).
  for (const key in candidate.values) {
    const field = key as FieldKey;
    const value = candidate.values[field]!;
    const column = fieldDefinition(field).column;
    if (notUpdatable.has(field) || !column) continue;
    const before = String(user[column] ?? '');
    if (before === value) continue;
    if (field === 'username' && (snapshot.takenUsernames.has(value) || claims.has('username', value))) {
      problems.push({ code: 'username_taken', field, params: { username: value } });
    }
    if (field === 'email' && !ctx.allowSameEmail) {
      const holder = snapshot.takenEmails.get(keyOf(value));
      if ((holder !== undefined && holder !== user.id) || claims.has('email', keyOf(value))) problems.push({ code: 'email_taken', field, params: { email: value } });
    }
    if (field === 'idnumber' && ctx.settings.matchOn !== 'idnumber') {
      const holder = snapshot.takenIdnumbers.get(keyOf(value));
      if ((holder !== undefined && holder !== user.id) || claims.has('idnumber', keyOf(value))) problems.push({ code: 'idnumber_taken', field, params: { idnumber: value } });
    }
    diff[field] = [before, value];
    changes[column] = value;
  }
  const profileChanges: NonNullable<PlannedRow['profileChanges']> = {};
  const stored = snapshot.profileData.get(user.id);
  for (const [id, after] of Object.entries(profileById(candidate.profile, ctx))) {
    const before = stored?.get(Number(id)) ?? null;
    if ((before ?? '') === after) continue;
    const field = [...ctx.profileFields.values()].find((f) => f.id === Number(id))!;
    diff[catalogFieldFor(field.shortname) ?? `${profileFieldPrefix}${field.shortname}`] = [before ?? '', after];
    profileChanges[Number(id)] = { before, after };
  }
  // Interests as Moodle keys tags, in lower case: "Chess" for "chess" changes nothing.
  let interests: PlannedRow['interests'];
  const wantedInterests = candidate.values.interests;
  if (wantedInterests !== undefined) {
    const stored = snapshot.interests.get(user.id) ?? '';
    if (keyOf(stored) !== keyOf(wantedInterests)) {
      diff.interests = [stored, wantedInterests];
      interests = { before: tagNames(stored), after: tagNames(wantedInterests) };
    }
  }
  let ssoLink: SsoLink | undefined;
  const ssoId = ssoIdOf(candidate, ctx);
  const links = snapshot.linkedLogins.get(user.id) ?? [];
  if (ssoId && !links.some((l) => l.ssoId === ssoId)) {
    if (ssoIdTaken(ssoId, user.id, snapshot, claims)) problems.push({ code: 'sso_id_taken', field: 'ssoId', params: { ssoId } });
    // The account's one link moves to the new identity (the old one may be another person's by now); of
    // several links none is guessed at: the new one joins them.
    const moved = links.length === 1 ? links[0]! : null;
    diff.ssoId = [moved?.ssoId ?? '', ssoId];
    ssoLink = { ssoId, email: String(changes.email ?? user.email), before: moved };
  }
  let validityChange: PlannedRow['validityChange'];
  // A start date still ahead holds the account back, re-imported or new alike.
  const status = statusOf(candidate, ctx);
  const heldBack = notYetValid(lands, ctx, status);
  if (lands.validity) {
    const stored = snapshot.validity.get(user.id) ?? { from: null, until: null, heldBack: false };
    if (stored.from !== lands.validity.from) diff.validFrom = [isoDay(stored.from, ctx.placement.timeZone), isoDay(lands.validity.from, ctx.placement.timeZone)];
    if (stored.until !== lands.validity.until) diff.validUntil = [isoDay(stored.until, ctx.placement.timeZone), isoDay(lands.validity.until, ctx.placement.timeZone)];
    if (diff.validFrom || diff.validUntil || stored.heldBack !== heldBack) validityChange = { ...lands.validity, heldBack };
  }
  const suspended = status === 'suspended' || heldBack ? 1 : 0;
  if (user.suspended !== suspended) {
    diff.suspended = [String(user.suspended), String(suspended)];
    changes.suspended = suspended;
  }
  if (problems.length > 0) return error(candidate, problems, user.username);
  if (Object.keys(diff).length === 0) return plannedRow(core('unchanged', null, true), { lands });
  if (!ctx.settings.actions.update) return plannedRow(core('skip', diff, false), { reason: 'update_disabled' });
  for (const kind of ['username', 'email', 'idnumber'] as const) {
    if (changes[kind] === undefined || (kind === 'idnumber' && ctx.settings.matchOn === 'idnumber')) continue;
    claims.add(kind, kind === 'username' ? String(changes[kind]) : keyOf(String(changes[kind])));
    claims.release(kind, String(user[kind] ?? ''));
  }
  if (ssoLink) {
    claims.add('ssoId', ssoLink.ssoId);
    if (ssoLink.before) claims.release('ssoId', ssoLink.before.ssoId);
  }
  return plannedRow(core('update', diff, true, String(changes.username ?? user.username)), { changes, profileChanges, interests, lands, validityChange, ...(ssoLink ? { ssoLink } : {}) });
}

/**
 * Decides what happens to each row of a batch, without any I/O: create, update (with a diff),
 * unchanged, skip (with a reason) or error (with problems). `claims` carries the usernames and e-mails
 * that rows before this one will create, so a file cannot collide with itself.
 */
export function planRows(candidates: Candidate[], snapshot: BatchSnapshot, ctx: PlanContext, claims: FileClaims): PlannedRow[] {
  return candidates.map((candidate) => {
    const row = planRow(candidate, snapshot, ctx, claims);
    // A row that asks for its data to be left alone is not shown by name either.
    if (row.reason !== 'protected_data') row.person = personOf(candidate, ctx);
    return row;
  });
}

/** Who the row names, as the preview shows them; the surname prefix in front of the last name wherever it is stored. */
function personOf(candidate: Candidate, ctx: PlanContext): RowPerson | null {
  const { firstname, lastname, email, idnumber } = candidate.values;
  const { surnamePrefix } = ctx.settings;
  const prefix = typeof surnamePrefix === 'object' ? candidate.profile[surnamePrefix.profileField] : undefined;
  // Built member by member: it runs for every row, and spreads and a joined array per row are garbage.
  let name = firstname ?? '';
  if (prefix) name = name ? `${name} ${prefix}` : prefix;
  if (lastname) name = name ? `${name} ${lastname}` : lastname;
  const ssoId = ssoIdOf(candidate, ctx);
  if (!name && !email && !idnumber && !ssoId) return null;
  const person: RowPerson = { name };
  if (email) person.email = email;
  if (idnumber) person.idnumber = idnumber;
  if (ssoId) person.ssoId = ssoId;
  return person;
}

/**
 * A row that names an account by its old username to give it another: found by username, that is a
 * rename Moodle's upload makes only when its form allows renames. Found by student number or e-mail,
 * the account's username changes as any of its values does: the old one says nothing more.
 */
const renames = (candidate: Candidate, matchOn: MatchField) => {
  const { oldusername, username } = candidate.values;
  return matchOn === 'username' && oldusername !== undefined && oldusername !== (username ?? '');
};

/** A row passed over for `reason`, named by its username (or the one given: none for a note or protected row). */
const skipRow = (candidate: Candidate, reason: SkipReason, username = candidate.values.username ?? ''): PlannedRow =>
  plannedRow({ row: candidate.row, outcome: 'skip', username, userId: null, diff: null, problems: [], member: false }, { reason });

function planRow(candidate: Candidate, snapshot: BatchSnapshot, ctx: PlanContext, claims: FileClaims): PlannedRow {
  const matchOn: MatchField = ctx.settings.matchOn;
  if (candidate.note) return skipRow(candidate, 'note_row', '');
  if (candidate.sameAs !== undefined) return skipRow(candidate, 'same_person');
  // As Moodle's upload passes them over while its form does not allow deletes and renames (its default),
  // whatever else their cells say.
  if (candidate.values.deleted === '1') return skipRow(candidate, 'delete_requested');
  if (renames(candidate, matchOn)) return skipRow(candidate, 'rename_requested');
  // Moodle's upload never adds another Moodle's account (errormnetadd) and changes only its suspension and
  // enrolments; Intake leaves such accounts alone, and never takes the row for this site's namesake.
  const host = candidate.values.mnethostid;
  if (host !== undefined && host !== '' && host !== String(ctx.mnetHostId)) return skipRow(candidate, 'remote_account');
  if (candidate.problems.length > 0) return error(candidate, [...candidate.problems, ...alsoWrong(candidate, snapshot, ctx)], candidate.values.username ?? '');
  if (candidate.values.protectedData === '1') return skipRow(candidate, 'protected_data', '');
  const { placement: lands, problems } = planPlacement(candidate, ctx.placement, snapshot.supervisors, snapshot.outOfScopeSupervisors);
  if (problems.length > 0) return error(candidate, problems, candidate.values.username ?? '');
  const key = keyOf(candidate.values[matchOn] ?? '');
  const matches = snapshot.byKey.get(key) ?? [];
  if (matches.length > 1) return error(candidate, [{ code: 'ambiguous_match', field: matchOn, params: { count: matches.length } }]);
  const existing = matches[0];
  return existing ? planExisting(candidate, lands, existing, snapshot, ctx, claims) : planCreate(candidate, lands, snapshot, ctx, claims);
}


/**
 * What else is wrong with a row refused for its cells, so that one round of fixing mends all of it: where
 * it would land (a supervisor no account answers to, a student without a class) and, for a new account,
 * the fields it lacks that no problem of its cells names already (a cell refused as invalid is not also
 * said to be missing) and a coordinator's group to keep it in sight. What only the accounts the file
 * claims could tell (a username taken) waits for the row's values to be right.
 */
function alsoWrong(candidate: Candidate, snapshot: BatchSnapshot, ctx: PlanContext): Problem[] {
  const { settings } = ctx;
  const { placement: lands, problems: also } = planPlacement(candidate, ctx.placement, snapshot.supervisors, snapshot.outOfScopeSupervisors);
  // Without its key (missing, or refused) the row may name an account that exists: nothing is guessed. Nor
  // for a key an earlier row of the file has: the commit may find that row's new account by the time this
  // batch is looked up, the preview never does (the one thing only a commit's host can tell of a key).
  const key = candidate.values[settings.matchOn];
  const repeated = candidate.problems.some((p) => p.code === 'duplicate_in_file');
  const creates = settings.actions.add && key !== undefined && !repeated && !snapshot.byKey.has(keyOf(key));
  if (!creates) return also;
  const told = new Set<string | undefined>(candidate.problems.map((p) => p.field));
  // As planCreate makes a username where the row has none: from the template, or the address it matches on.
  if (candidate.usernameBase !== undefined || (settings.matchOn === 'email' && candidate.values.email !== undefined)) told.add('username');
  addLacking(candidate.values, also, told);
  if (outOfSight(lands, ctx)) also.push({ code: 'group_required' });
  return also;
}

/**
 * Marks rows whose match key an earlier row of the file already used. `seen` maps key → first row: filled
 * as the file streams past, or beforehand for the whole file (RepeatedRows); it also tells the archive
 * step who is still in the file. `labelOf` names the first row as the person finds it (its sheet too,
 * when a workbook's sheets are read together: rowLabel).
 */
export function markDuplicates(candidates: Candidate[], matchOn: MatchField, seen: KeySet, labelOf: (row: number) => string | number = (row) => row): void {
  for (const candidate of candidates) {
    const value = candidate.values[matchOn];
    if (value === undefined || candidate.sameAs !== undefined) continue;
    const key = keyOf(value);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, candidate.row);
    else if (first !== candidate.row) candidate.problems.push({ code: 'duplicate_in_file', field: matchOn, params: { row: labelOf(first) } });
    // The account a rename names is still the file's, under its old name: an archive leaves it alone.
    if (renames(candidate, matchOn)) seen.set(keyOf(candidate.values.oldusername!), candidate.row);
  }
}

/** Who an archive suspends: users in scope, missing from the file, not protected, not yet suspended. */
export function planArchive(scope: readonly HostUser[], matchOn: MatchField, inFile: Pick<KeySet, 'has'>, protectedUserIds: ReadonlySet<number>): HostUser[] {
  return scope.filter((user) => {
    const key = keyOf(String(user[matchOn] ?? ''));
    return user.suspended === 0 && !protectedUserIds.has(user.id) && !(key !== '' && inFile.has(key));
  });
}
