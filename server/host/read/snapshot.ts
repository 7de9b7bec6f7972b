import type { Pool } from 'mysql2/promise';
import { executeRows, queryRows } from '../database.js';
import { fieldCatalog, type MatchField } from '../../contract/catalog.js';
import { keyOf, roleAssignmentKey, type BatchSnapshot, type HostUser, type StoredLink, type StoredValidity } from '../../core/plan/users.js';
import type { Candidate } from '../../core/validate/validate.js';
import type { Scope } from '../../core/scope.js';
import { CONTEXT_USER } from '../../../db/host/index.js';
import { findPeople } from './people.js';
import { supervisorReferences } from '../../core/plan/placement.js';
import { loadProfileData } from './profile-fields.js';
import { loadInterests } from './interests.js';
import { linkedLoginsHolding, linkedLoginsOf } from './sso.js';
import { usersByKeys, type KeyJoin, type UsersByKeys } from './keyed-lookup.js';
import type { Site } from './site.js';
import { T } from '../tables.js';
import { inSightSql } from './scope.js';
import { askNumberedNames, type NumberingNeed } from './numbered-usernames.js';
import { loadCourseGroups } from './courses.js';
import type { CourseGroup, CourseIndex } from '../../core/plan/courses.js';

/** The `user` columns planning compares: every catalog field that is a column, but the password. */
export const comparedColumns = [
  ...new Set(['id', 'username', 'idnumber', 'email', 'suspended', 'auth', ...Object.values(fieldCatalog).map((f) => ('column' in f ? f.column : undefined))]),
].filter((c): c is string => c !== undefined && c !== 'password');

/** What identifies an account, and what planning compares whatever the file holds (suspended: the status). */
const alwaysCompared = new Set(['id', 'username', 'idnumber', 'email', 'suspended', 'auth']);

/**
 * What an archive reads of every account it may reach (a whole feed): who they are, by any match field
 * and by name for the preview's list, and whether they are suspended; not every column a row can compare
 * (a description may be long, and a million accounts are read at once).
 */
export const archiveSelectList = [...alwaysCompared, 'firstname', 'lastname'].map((c) => `u.\`${c}\``).join(', ');
const columnOfField = new Map<string, string>(Object.entries(fieldCatalog).flatMap(([key, f]) => ('column' in f && f.column ? [[key, f.column] as const] : [])));

/**
 * The select list of a batch's matches: the columns its rows can compare (planning reads a matched
 * account's column only for a field the row carries), not every column of the catalog. A file of five
 * columns reads ten of each account, not forty: a 100k re-import parsed 3.5 million values it never
 * looked at. The same fields give the same text, so the prepared statement is reused batch after batch.
 */
function matchSelectList(candidates: Candidate[]): string {
  const wanted = new Set(alwaysCompared);
  for (const candidate of candidates) {
    for (const field in candidate.values) {
      const column = columnOfField.get(field);
      if (column) wanted.add(column);
    }
  }
  return comparedColumns.filter((c) => wanted.has(c)).map((c) => `u.\`${c}\``).join(', ');
}

/** One round trip per kind of key for a whole batch, never one per row. */
export interface SnapshotOptions {
  profileFieldIds: number[];
  /** A coordinator's scope: matched users outside it are refused. */
  scope: Scope;
  /**
   * What rows of this import can be placed in, so only that is read for matched users: groups (the
   * import's group, a class or group column), roles, direct supervisors (the host's mentor role
   * when the file has a supervisor column, else null), and courses (the site's, when the file has
   * course columns, else null).
   */
  places: { groups: boolean; roles: boolean; mentorRoleId: number | null; courses: CourseIndex | null };
  /** Whether rows can carry validity (the settings' or a column's): only then is the stored one read. */
  validity: boolean;
  /** The import's feed (settings.source). */
  source: string;
  /** The single sign-on service the rows' SSO IDs are linked for (null: the file has none). */
  ssoIssuerId: number | null;
  /** How keys are handed to the database (loadKeyJoin; null: as IN lists). */
  keyJoin: KeyJoin | null;
  /**
   * The supervisors the file names, answered once before the batches (every reference it names, asked;
   * null: each batch asks for its own).
   */
  supervisors?: (SupervisorsNamed & { asked: ReadonlySet<string> }) | null;
  /**
   * Where the run's numbering of a template base stands, and how many rows of the batch still being
   * planned (looked up before, planned after this lookup starts) may take names of it.
   */
  numbering: { from(base: string): number; ahead(base: string): number };
}

export async function loadBatchSnapshot(pool: Pool, site: Site, matchOn: MatchField, candidates: Candidate[], options: SnapshotOptions): Promise<BatchSnapshot> {
  const keys = [...new Set(candidates.map((c) => c.values[matchOn]).filter((v): v is string => v !== undefined))];
  /** The usernames a row would create its account under: its own, or its e-mail (matched by e-mail). A template's are asked by their base, below. */
  const usernamesToCreate = (c: Candidate) => [c.values.username, matchOn === 'email' ? c.values.email : undefined];

  const byKey = new Map<string, HostUser[]>();
  const takenUsernames = new Map<string, number>();
  const deletedUsernames = new Set<string>();
  const takenIdnumbers = new Map<string, number>();
  const takenEmails = new Map<string, number>();
  const addLive = (user: HostUser) => {
    const key = keyOf(String(user[matchOn]));
    const holders = byKey.get(key);
    if (holders) holders.push(user);
    else byKey.set(key, [user]);
  };
  const noteUsername = (user: { id: number; username: string; deleted: number }) => {
    takenUsernames.set(keyOf(user.username), user.id);
    if (user.deleted !== 0) deletedUsernames.add(keyOf(user.username));
  };
  type Found = { id: number; deleted: number };
  // What a re-import asks of every matched account besides its columns (is it in this feed, which groups
  // is it in) rides along in the same query: one round trip per batch instead of three. The feed's
  // record by an outer join (one at most per account: the table's key), not a correlated subquery run
  // per account (22 ms of a 2,000-key batch with both as subqueries, 18 ms so, measured); the groups as
  // a subquery that lists them, so that each account still comes back once: a join would send a pupil
  // of ten groups (a lesgroepen export) ten times over.
  const inFeed = new Set<number>();
  const memberships = new Map<number, number[]>();
  const alongside = {
    select: `s.user_id IS NOT NULL AS in_feed, ${options.places.groups ? `(SELECT GROUP_CONCAT(m.cohortid) FROM ${T.cohortMembers} m WHERE m.userid = u.id)` : 'NULL'} AS cohort_ids`,
    joins: 'LEFT JOIN intake_source_user s ON s.source = ? AND s.user_id = u.id',
  };
  type Matched = HostUser & Found & { in_feed: number; cohort_ids: string | null };
  const found = (user: Matched) => {
    if (user.deleted !== 0) return;
    // The row itself is the account (what rode along is never read as one of its fields): no copy of
    // forty columns for each of a re-import's hundred thousand matches.
    addLive(user);
    if (user.in_feed) inFeed.add(user.id);
    if (user.cohort_ids) memberships.set(user.id, user.cohort_ids.split(',').map(Number));
  };
  // Who matches the rows. With usernames as the key, one query answers both "who matches" and "which
  // usernames are taken" (deleted accounts too).
  const { keyJoin } = options;
  // Accounts of this site, not of another MNet host (Moodle's unique keys are per host).
  const onThisHost = { where: 'u.mnethostid = ?', whereParams: [site.mnetHostId] };
  // Asked again below when a holder of a value turns up unmatched.
  const lookUpMatches = () =>
    lookUpUsers<Matched>(
      pool,
      {
        select: `${matchSelectList(candidates)}, u.deleted, ${alongside.select}`,
        joins: alongside.joins,
        joinParams: [options.source],
        column: matchOn,
        keys: matchOn === 'username' ? [...new Set([...keys, ...candidates.flatMap(usernamesToCreate).filter((v): v is string => v !== undefined)])] : keys,
        // Deleted accounts are filtered here, not in SQL: `deleted = 0` can lure the optimiser onto the
        // low-selectivity deleted index and turn a keyed lookup into a scan.
        ...onThisHost,
      },
      keyJoin,
      matchOn === 'username'
        ? (user) => {
            noteUsername(user);
            found(user);
          }
        : found,
    );
  await lookUpMatches();

  // Whether a value is taken by someone else matters for a row that creates its account, or that moves its
  // account to a new value; a row matched to one account that keeps the value asks nothing (a re-import
  // of a hundred thousand rows asks about the tenth whose e-mail changed, not about everyone).
  const matchedOne = (c: Candidate) => {
    const key = c.values[matchOn];
    const users = key === undefined ? undefined : byKey.get(keyOf(key));
    return users?.length === 1 ? users[0]! : null;
  };
  // Looked up once for the three questions below (plain loops: this runs for every row of every batch).
  const matchedUsers = candidates.map(matchedOne);
  const toAsk = (field: 'username' | 'email' | 'idnumber', forNew: (c: Candidate) => (string | undefined)[]) => {
    const asked = new Set<string>();
    candidates.forEach((c, i) => {
      const user = matchedUsers[i];
      if (!user) {
        for (const value of forNew(c)) if (value) asked.add(value);
        return;
      }
      const value = c.values[field];
      // Compared as the plan compares them (planExisting): any difference is a change to check.
      if (value && value !== String(user[field] ?? '')) asked.add(value);
    });
    return [...asked];
  };
  const usernames = matchOn === 'username' ? [] : toAsk('username', usernamesToCreate);
  // New accounts named by a template: the numbered names they may take, from where the run's numbering
  // stands (FileClaims.numberedUsername), as many as they need past what the host holds.
  const needs = new Map<string, NumberingNeed>();
  candidates.forEach((c, i) => {
    if (matchedUsers[i] || !c.usernameBase || c.values.username !== undefined) return;
    const asked = needs.get(c.usernameBase);
    if (asked) asked.need++;
    else needs.set(c.usernameBase, { from: options.numbering.from(c.usernameBase), need: 1 + options.numbering.ahead(c.usernameBase) });
  });
  /** Which of these usernames the host holds (deleted accounts' too), each noted as taken. */
  const takenOf = async (names: string[]) => {
    const taken: string[] = [];
    await lookUpUsers<{ username: string } & Found>(pool, { select: 'u.id, u.username, u.deleted', column: 'username', keys: names, ...onThisHost }, keyJoin, (u) => {
      noteUsername(u);
      taken.push(keyOf(u.username));
    });
    return taken;
  };
  let numberedThrough = new Map<string, number>();
  const emails = site.allowSameEmail ? [] : toAsk('email', (c) => [c.values.email]);
  // Student numbers held by accounts, when accounts are found by username or e-mail: one per person.
  const idnumbers = matchOn === 'idnumber' ? [] : toAsk('idnumber', (c) => [c.values.idnumber]);
  // Linked logins are not user columns: every SSO ID of the batch is asked, whoever holds it.
  const { ssoIssuerId } = options;
  const ssoIds = ssoIssuerId === null ? [] : [...new Set(candidates.map((c) => c.values.ssoId?.trim().toLowerCase()).filter((v): v is string => !!v))];
  const takenSsoIds = new Map<string, number>();
  // The other lookups are independent: they run at once, each on a connection of its own.
  await Promise.all([
    ssoIssuerId === null ? undefined : linkedLoginsHolding(pool, ssoIssuerId, ssoIds).then((found) => found.forEach((l) => takenSsoIds.set(l.ssoId, l.userId))),
    takenOf(usernames),
    needs.size === 0 ? undefined : askNumberedNames(needs, takenOf).then((through) => (numberedThrough = through)),
    lookUpUsers<{ idnumber: string } & Found>(pool, { select: 'u.id, u.idnumber, u.deleted', column: 'idnumber', keys: idnumbers, ...onThisHost }, keyJoin, (u) => {
      if (u.deleted === 0) takenIdnumbers.set(keyOf(u.idnumber), u.id);
    }),
    lookUpUsers<{ email: string } & Found>(pool, { select: 'u.id, u.email, u.deleted', column: 'email', keys: emails }, keyJoin, (u) => {
      if (u.deleted === 0) takenEmails.set(keyOf(u.email), u.id);
    }),
  ]);
  // Queries one after another are not one view of the host: another import may commit between them, and
  // a row whose e-mail is found taken but whose account was not found would be refused for what is really
  // its own account. When a holder is not among the matched accounts, who matches is asked again: rows
  // are only ever added meanwhile, so the later answer holds everyone the earlier ones saw.
  const matched = new Set([...byKey.values()].flat().map((u) => u.id));
  const holders = [...takenEmails.values(), ...takenIdnumbers.values(), ...takenSsoIds.values(), ...(matchOn === 'username' ? [] : takenUsernames.values())];
  if (holders.some((id) => !matched.has(id))) {
    byKey.clear();
    inFeed.clear();
    memberships.clear();
    await lookUpMatches();
  }
  const matchedIds = [...byKey.values()].flat().map((u) => u.id);
  const withInterests = candidates.some((c) => c.values.interests !== undefined);
  const [profileData, interests, supervisors, inScope, validity, placement, links, courseGroups] = await Promise.all([
    loadProfileData(pool, matchedIds, options.profileFieldIds),
    withInterests ? loadInterests(pool, matchedIds) : new Map<number, string>(),
    supervisorsNamed(pool, site, candidates.flatMap((c) => supervisorReferences(c.values.supervisor)), options),
    options.scope.kind === 'site' ? null : usersInScope(pool, matchedIds, options.scope.contextIds),
    options.validity ? loadValidity(pool, matchedIds) : new Map<number, StoredValidity>(),
    loadRolePlacement(pool, matchedIds, options.places),
    ssoIssuerId === null ? [] : linkedLoginsOf(pool, ssoIssuerId, matchedIds),
    options.places.courses ? loadCourseGroups(pool, coursesWithGroups(candidates, options.places.courses)) : noCourseGroups,
  ]);
  const linkedLogins = new Map<number, StoredLink[]>();
  for (const l of links) linkedLogins.set(l.userId, [...(linkedLogins.get(l.userId) ?? []), { id: l.id, ssoId: l.ssoId, email: l.email }]);
  const { named, outside } = supervisors;
  return { byKey, takenUsernames, deletedUsernames, numberedThrough, takenEmails, takenIdnumbers, profileData, interests, supervisors: named, outOfScopeSupervisors: outside, inScope, validity, inFeed, memberships, linkedLogins, takenSsoIds, courseGroups, ...placement };
}

const noCourseGroups: ReadonlyMap<string, CourseGroup> = new Map();

/** The courses whose groups the batch's rows ask for (group1 beside course1). */
function coursesWithGroups(candidates: Candidate[], courses: CourseIndex): number[] {
  const ids = new Set<number>();
  for (const c of candidates) for (const wish of c.courses ?? []) if (wish.group !== undefined) {
    const course = courses.course(wish.course);
    if (course) ids.add(course.id);
  }
  return [...ids];
}

/**
 * Who the supervisors a batch names are, and which of them the actor may name: as the import answered
 * them before its batches (SnapshotOptions.supervisors), or, for references it did not ask, looked up now.
 */
async function supervisorsNamed(pool: Pool, site: Site, references: string[], options: SnapshotOptions): Promise<SupervisorsNamed> {
  const answered = options.supervisors;
  if (answered && references.every((reference) => answered.asked.has(reference.trim().toLowerCase()))) return answered;
  return supervisorsInSight(pool, await findPeople(pool, site, references), options.scope);
}

/** Supervisors by reference (lower case), and the references of people outside the actor's sight. */
export interface SupervisorsNamed {
  named: Map<string, number>;
  outside: Set<string>;
}

/** A coordinator may name only people in their sight as supervisors; the rest are set apart. */
export async function supervisorsInSight(pool: Pool, found: Map<string, number>, scope: Scope): Promise<SupervisorsNamed> {
  if (scope.kind === 'site' || found.size === 0) return { named: found, outside: new Set() };
  const visible = await usersInScope(pool, [...new Set(found.values())], scope.contextIds);
  const named = new Map([...found].filter(([, id]) => visible.has(id)));
  return { named, outside: new Set([...found.keys()].filter((ref) => !named.has(ref))) };
}

/**
 * The matched users' own role assignments and direct supervisors (their groups come with the match), and
 * for a file with course columns their course enrolments and course groups.
 */
async function loadRolePlacement(pool: Pool, userIds: number[], places: SnapshotOptions['places']): Promise<Pick<BatchSnapshot, 'roleAssignments' | 'supervisorLinks' | 'enrolments' | 'courseGroupMembers'>> {
  const { mentorRoleId } = places;
  if (userIds.length === 0) return { roleAssignments: new Set(), supervisorLinks: new Set(), enrolments: new Map(), courseGroupMembers: new Set() };
  const [roles, links, enrolments, courseGroupMembers] = await Promise.all([
    places.roles
      ? queryRows<{ roleid: number; contextid: number; userid: number }>(pool, `SELECT roleid, contextid, userid FROM ${T.roleAssignments} WHERE component = '' AND userid IN (?)`, [userIds])
      : [],
    mentorRoleId === null
      ? []
      : queryRows<{ member: number; userid: number }>(
          pool,
          `SELECT x.instanceid AS member, ra.userid FROM ${T.context} x JOIN ${T.roleAssignments} ra ON ra.contextid = x.id AND ra.roleid = ? AND ra.component = ''
            WHERE x.contextlevel = ? AND x.instanceid IN (?)`,
          [mentorRoleId, CONTEXT_USER, userIds],
        ),
    places.courses
      ? queryRows<{ id: number; enrolid: number; userid: number; timestart: number; timeend: number; status: number }>(pool, `SELECT id, enrolid, userid, timestart, timeend, status FROM ${T.userEnrolments} WHERE userid IN (?)`, [userIds])
      : [],
    places.courses ? queryRows<{ groupid: number; userid: number }>(pool, `SELECT groupid, userid FROM ${T.courseGroupMembers} WHERE userid IN (?)`, [userIds]) : [],
  ]);
  return {
    roleAssignments: new Set(roles.map((r) => roleAssignmentKey(r.roleid, r.contextid, r.userid))),
    supervisorLinks: new Set(links.map((l) => `${l.member}:${l.userid}`)),
    enrolments: new Map(enrolments.map((e) => [`${e.enrolid}:${e.userid}`, { id: Number(e.id), timestart: Number(e.timestart), timeend: Number(e.timeend), status: Number(e.status) }])),
    courseGroupMembers: new Set(courseGroupMembers.map((m) => `${m.groupid}:${m.userid}`)),
  };
}

/** Of these users, those in a coordinator's categories: members of their groups or holders of a role there. */
export async function usersInScope(pool: Pool, userIds: number[], contextIds: Set<number>): Promise<Set<number>> {
  if (userIds.length === 0 || contextIds.size === 0) return new Set();
  const found = await queryRows<{ id: number }>(pool, `SELECT u.id FROM ${T.user} u WHERE u.id IN (?) AND ${inSightSql('u.id', contextIds)}`, [userIds]);
  return new Set(found.map((f) => Number(f.id)));
}

async function loadValidity(pool: Pool, userIds: number[]): Promise<Map<number, StoredValidity>> {
  if (userIds.length === 0) return new Map();
  const found = await queryRows<{ user_id: number; valid_from: number | null; valid_until: number | null; suspended_by_intake: number }>(
    pool,
    'SELECT user_id, valid_from, valid_until, suspended_by_intake FROM intake_validity WHERE user_id IN (?)',
    [userIds],
  );
  return new Map(
    found.map((v) => [Number(v.user_id), { from: v.valid_from === null ? null : Number(v.valid_from), until: v.valid_until === null ? null : Number(v.valid_until), heldBack: Number(v.suspended_by_intake) === 1 }]),
  );
}

/** Finds the users holding any of the keys (none: no query) and hands each row found to `each`. */
async function lookUpUsers<T>(pool: Pool, query: UsersByKeys, join: KeyJoin | null, each: (row: T) => void): Promise<void> {
  if (query.keys.length === 0) return;
  const lookup = usersByKeys(query, join);
  for (const row of lookup.prepared ? await executeRows<T>(pool, lookup.sql, lookup.params) : await queryRows<T>(pool, lookup.sql, lookup.params)) each(row);
}
