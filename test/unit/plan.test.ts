import { describe, expect, it } from 'vitest';
import { siteScope } from '../../server/core/scope.js';
import { type SettingsInput } from '../../server/contract/types.js';
import { settingsSchema } from '../../server/engine/settings-schema.js';
import { RoleDirectory, roleGroupName, type Role } from '../../server/core/plan/roles.js';
import { groupKey, PlannedStructure, StructureIndex } from '../../server/core/plan/structure.js';
import { CourseIndex, courseGroupKey, noCourses } from '../../server/core/plan/courses.js';
import { planBatch, PlanState } from '../../server/core/plan/batch.js';
import { planSettle } from '../../server/core/plan/settle.js';
import { KeySet } from '../../server/core/plan/key-set.js';
import { RepeatedRows } from '../../server/core/plan/repeated-rows.js';
import { SupervisorNames } from '../../server/core/plan/made-supervisors.js';
import { FileClaims, markDuplicates, planArchive, planRows, type BatchSnapshot, type HostUser, type PlanContext } from '../../server/core/plan/users.js';
import type { Candidate } from '../../server/core/validate/validate.js';

const user = (id: number, username: string, extra: Partial<HostUser> = {}): HostUser => ({
  id,
  username,
  idnumber: '',
  email: `${username}@x.nl`,
  suspended: 0,
  auth: 'manual',
  firstname: username,
  lastname: 'L',
  ...extra,
});

/** A site without a hierarchy, groups or roles beyond what a test adds. */
const noStructure = new StructureIndex(null, 1, [], []);

function context(settings: Partial<SettingsInput> = {}): PlanContext {
  const parsed = settingsSchema.parse({ source: 's', ...settings });
  return {
    settings: parsed,
    protectedUserIds: new Set([2]),
    allowSameEmail: false,
    passwordPolicy: null,
    mnetHostId: 1,
    profileFields: new Map(),
    now: 1_800_000_000,
    ssoIssuerId: null,
    recordedFileGroups: null,
    placement: { structure: noStructure, scope: siteScope, importGroups: [], importRole: null, roles: new RoleDirectory([]), teacherRole: 'editingteacher', validity: { from: null, until: null }, classMapped: false, siteLang: 'en', courses: noCourses, today: 0, timeZone: 'UTC', supervisorsMadeHere: new SupervisorNames(new Set()) },
  };
}

const emptyLookups = { numberedThrough: new Map<string, number>(), profileData: new Map(), interests: new Map<number, string>(), supervisors: new Map(), outOfScopeSupervisors: new Set<string>(), deletedUsernames: new Set<string>(), takenIdnumbers: new Map<string, number>(), inScope: null, validity: new Map(), memberships: new Map<number, number[]>(), roleAssignments: new Set<string>(), enrolments: new Map(), courseGroupMembers: new Set<string>(), courseGroups: new Map(), supervisorLinks: new Set<string>(), inFeed: new Set<number>(), linkedLogins: new Map(), takenSsoIds: new Map<string, number>() };

function snapshot(users: HostUser[]): BatchSnapshot {
  const byKey = new Map<string, HostUser[]>();
  for (const u of users) byKey.set(u.username, [...(byKey.get(u.username) ?? []), u]);
  return { byKey, takenUsernames: new Map(users.map((u) => [u.username, u.id])), takenEmails: new Map(users.map((u) => [u.email, u.id])), ...emptyLookups };
}

const candidate = (row: number, values: Candidate['values']): Candidate => ({ row, values, profile: {}, problems: [] });
const claims = () => new FileClaims();

describe('planning a batch', () => {
  const host = [user(2, 'admin'), user(10, 'anna'), user(11, 'bram', { suspended: 1 })];

  it('says all that is wrong with a refused row at once: its cells, where it would land, and what a new account lacks', () => {
    const invalid = { code: 'invalid_email', field: 'email', params: { value: 'jan@@school.nl' } } as const;
    const refused = (values: Candidate['values'], settings: Partial<SettingsInput> = {}) =>
      planRows([{ ...candidate(2, values), problems: [invalid] }], snapshot(host), context(settings), claims())[0]!.problems;
    // A new account: its invalid address once (not also "required"), and the surname it lacks.
    expect(refused({ username: 'jan', firstname: 'Jan' })).toEqual([invalid, { code: 'required', field: 'lastname' }]);
    // Where it would land, in the same round: a role this site has not.
    expect(refused({ username: 'jan', firstname: 'Jan', lastname: 'V', role: 'student' })).toEqual([invalid, { code: 'unknown_role', field: 'role', params: { role: 'student' } }]);
    // An account that exists lacks nothing a new one would need; an import that adds nobody neither.
    expect(refused({ username: 'anna' })).toEqual([invalid]);
    expect(refused({ username: 'jan' }, { actions: { add: false, update: true } })).toEqual([invalid]);
    // Nor a row whose key was refused: it may name an account that exists.
    expect(refused({ firstname: 'Jan' })).toEqual([invalid]);
    // A username the template or the address makes is not missing.
    expect(refused({ email: 'x', firstname: 'Jan', lastname: 'V' }, { matchOn: 'email' })).toEqual([invalid]);
    // A coordinator's new account needs a group of theirs, said in the same round.
    const coordinator = context();
    coordinator.placement = { ...coordinator.placement, scope: { kind: 'categories', roots: [5], categoryIds: new Set([5]), contextIds: new Set([50]), assignableRoleIds: new Set() } };
    const planned = planRows([{ ...candidate(2, { username: 'jan', firstname: 'Jan', lastname: 'V' }), problems: [invalid] }], snapshot(host), coordinator, claims());
    expect(planned[0]!.problems).toEqual([invalid, { code: 'group_required' }]);
  });

  it("keeps a validity's days as the site's: an exam period ending on 31 July ends at the midnight after it where the school is, and is shown as that day", () => {
    const newYork = context();
    newYork.placement = { ...newYork.placement, timeZone: 'America/New_York' };
    const exam = candidate(2, { username: 'kand', firstname: 'K', lastname: 'T', email: 'kand@x.example', validFrom: '2099-08-01', validUntil: '2100-07-31' });
    const plan = planBatch([exam], snapshot(host), newYork, new PlanState(noStructure));
    // New York is four hours behind UTC in summer (EDT).
    expect(plan.validity).toEqual([{ user: -2, from: Date.UTC(2099, 7, 1, 4) / 1000, until: Date.UTC(2100, 7, 1, 4) / 1000 - 1, heldBack: true }]);
    // The preview shows both days: from the first, the account waits suspended.
    expect(plan.rows[0]!.placement).toMatchObject({ validFrom: '2099-08-01', validUntil: '2100-07-31' });
    // A re-import with the same dates changes nothing; a day later is one day's change, shown in the site's days.
    const holding = { ...snapshot([...host, user(12, 'kand', { email: 'kand@x.example', firstname: 'K', lastname: 'T', suspended: 1 })]), validity: new Map([[12, { from: plan.validity[0]!.from, until: plan.validity[0]!.until, heldBack: true }]]) };
    expect(planBatch([exam], holding, newYork, new PlanState(noStructure)).rows[0]!.outcome).toBe('unchanged');
    const later = planBatch([{ ...exam, values: { ...exam.values, validUntil: '2100-08-01' } }], holding, newYork, new PlanState(noStructure)).rows[0]!;
    expect(later.diff).toMatchObject({ validUntil: ['2100-07-31', '2100-08-01'] });
  });

  it("shows the supervisors a row links as the row names them, beside where it lands", () => {
    const withMentors = { ...snapshot(host), supervisors: new Map([['mbakker', 4], ['jdekker', 5]]) };
    const row = candidate(2, { username: 'kand', firstname: 'K', lastname: 'T', email: 'kand@x.example', supervisor: 'MBakker; jdekker; mbakker' });
    const plan = planBatch([row], withMentors, context(), new PlanState(noStructure));
    expect(plan.supervisorLinks).toEqual([{ user: -2, supervisorId: 4 }, { user: -2, supervisorId: 5 }]);
    expect(plan.rows[0]!.placement).toMatchObject({ supervisors: ['MBakker', 'jdekker'] });
  });

  it('decides create, update with a diff, unchanged and skip for protected accounts', () => {
    const rows = planRows(
      [
        candidate(2, { username: 'anna', firstname: 'anna', lastname: 'L' }),
        candidate(3, { username: 'bram', lastname: 'Boer' }),
        candidate(4, { username: 'cees', firstname: 'Cees', lastname: 'Bos', email: 'cees@x.nl' }),
        candidate(5, { username: 'admin', firstname: 'Evil' }),
      ],
      snapshot(host),
      context(),
      claims(),
    );
    expect(rows.map((r) => r.outcome)).toEqual(['unchanged', 'update', 'create', 'skip']);
    expect(rows[1]!.diff).toEqual({ lastname: ['L', 'Boer'], suspended: ['1', '0'] });
    expect(rows[1]!.changes).toEqual({ lastname: 'Boer', suspended: 0 });
    expect(rows[3]!.reason).toBe('protected_account');
  });

  it('skips with a reason when the action is switched off', () => {
    const rows = planRows(
      [candidate(2, { username: 'bram', lastname: 'Boer' }), candidate(3, { username: 'new', firstname: 'N', lastname: 'N', email: 'n@x.nl' })],
      snapshot(host),
      context({ actions: { add: false, update: false, archive: true } }),
      claims(),
    );
    expect(rows.map((r) => [r.outcome, r.reason])).toEqual([
      ['skip', 'update_disabled'],
      ['skip', 'not_added'],
    ]);
  });

  it('refuses new accounts whose e-mail or username is taken, also by an earlier row', () => {
    const rows = planRows(
      [
        candidate(2, { username: 'dirk', firstname: 'D', lastname: 'D', email: 'anna@x.nl' }),
        candidate(3, { username: 'eva', firstname: 'E', lastname: 'E', email: 'eva@x.nl' }),
        candidate(4, { username: 'eva2', firstname: 'E', lastname: 'E', email: 'eva@x.nl' }),
      ],
      snapshot(host),
      context(),
      claims(),
    );
    expect(rows.map((r) => r.outcome)).toEqual(['error', 'create', 'error']);
    expect(rows[0]!.problems).toEqual([{ code: 'email_taken', field: 'email', params: { email: 'anna@x.nl' } }]);
  });

  it('compares e-mail addresses without regard to case, as Moodle does, and keeps each as written', () => {
    const rows = planRows(
      [
        candidate(2, { username: 'dirk', firstname: 'D', lastname: 'D', email: 'Anna@X.nl' }),
        candidate(3, { username: 'eva', firstname: 'E', lastname: 'E', email: 'Eva.Smit@X.nl' }),
        candidate(4, { username: 'eva2', firstname: 'E', lastname: 'E', email: 'eva.smit@x.NL' }),
        candidate(5, { username: 'bram', email: 'ANNA@x.nl' }),
        candidate(6, { username: 'anna', email: 'Anna@X.nl' }),
      ],
      snapshot(host),
      context(),
      claims(),
    );
    expect(rows.map((r) => r.outcome)).toEqual(['error', 'create', 'error', 'error', 'update']);
    expect(rows[0]!.problems).toEqual([{ code: 'email_taken', field: 'email', params: { email: 'Anna@X.nl' } }]);
    expect(rows[1]!.create!.values.email).toBe('Eva.Smit@X.nl');
    expect(rows[3]!.problems).toEqual([{ code: 'email_taken', field: 'email', params: { email: 'ANNA@x.nl' } }]);
    // Her own address in other letters: written as the file has it (tool_uploaduser compares with !==).
    expect(rows[4]!.changes).toEqual({ email: 'Anna@X.nl' });
  });

  it("joins a person's later rows that differ only in their group into their first row, wherever they are, and nothing else", () => {
    const ada = { idnumber: '7801', username: 'abos', email: 'ada@x.nl', firstname: 'Ada', lastname: 'Bos', class: '1A' };
    const read = () => [
      candidate(2, { ...ada, group: '1a-ne' }),
      candidate(3, { ...ada, group: '1a-wi;1a-ne' }),
      candidate(4, { idnumber: '7802', username: 'bkok', email: 'bo@x.nl', firstname: 'Bo', lastname: 'Kok', group: '1a-ne' }),
      candidate(5, { ...ada }),
      candidate(6, { ...ada, class: '1B', group: '1b-en' }),
      candidate(7, { ...ada, firstname: 'AdA', group: '1a-gs' }),
      candidate(8, { ...ada, group: '1a-en' }),
    ];
    const repeated = new RepeatedRows('idnumber', 8);
    for (const row of read()) repeated.learn(row);
    const rows = read();
    for (const row of rows) repeated.apply(row);
    expect(rows.map((r) => r.sameAs)).toEqual([undefined, 2, undefined, 2, undefined, undefined, 2]);
    expect(rows[0]!.values.group).toBe('1a-ne;1a-wi;1a-en');
    // The file's keys, with the first row of each, are the duplicates' and the archive's too.
    markDuplicates(rows, 'idnumber', repeated.firstRows);
    const planned = planRows(rows, snapshot([]), context({ matchOn: 'idnumber' }), claims());
    expect(planned.map((r) => `${r.outcome}:${r.reason ?? ''}`).slice(0, 4)).toEqual(['create:', 'skip:same_person', 'create:', 'skip:same_person']);
    // Another class or another spelling of the name is not the same row again: a duplicate to fix.
    expect(rows.map((r) => r.problems.map((p) => p.code).join())).toEqual(['', '', '', '', 'duplicate_in_file', 'duplicate_in_file', '']);
  });

  it("joins a teacher's rows at other places (classes, schools) into the first, with those places; a pupil's stay duplicates", () => {
    const ulla = { email: 'ulla@x.se', firstname: 'Ulla', lastname: 'Berg', school: 'Vasaskolan', class: '7A', role: 'lärare' };
    const elin = { email: 'elin@x.se', firstname: 'Elin', lastname: 'Ek', school: 'Vasaskolan', class: '7A', role: 'elev' };
    const read = () => [
      candidate(2, { ...ulla }),
      candidate(3, { ...elin }),
      candidate(4, { ...ulla, class: '7B' }),
      candidate(5, { ...ulla, school: 'Norrskolan', class: '8C' }),
      candidate(6, { ...ulla, class: '7B' }),
      candidate(7, { ...elin, class: '7B' }),
      candidate(8, { ...elin }),
    ];
    const repeated = new RepeatedRows('email', 7, false, (c) => c.values.role === 'lärare');
    for (const row of read()) repeated.learn(repeated.needsWhole(row) ? row : { ...row, values: { email: row.values.email, role: row.values.role } });
    const rows = read();
    for (const row of rows) repeated.apply(row);
    // In a file without groups a pupil joins no one, not even in a row repeated as it was.
    expect(rows.map((r) => r.sameAs)).toEqual([undefined, undefined, 2, 2, 2, undefined, undefined]);
    expect(rows[0]!.alsoAt).toEqual([{ school: 'Vasaskolan', class: '7B' }, { school: 'Norrskolan', class: '8C' }]);
    expect(rows[1]!.alsoAt).toBeUndefined();
  });

  it('errors on a key shared by two accounts, and on a duplicate key within the file', () => {
    const twins = { byKey: new Map([['same@x.nl', [user(20, 'a'), user(21, 'b')]]]), takenUsernames: new Map(), takenEmails: new Map(), ...emptyLookups };
    const [row] = planRows([candidate(2, { email: 'same@x.nl' })], twins, context({ matchOn: 'email' }), claims());
    expect(row!.problems).toEqual([{ code: 'ambiguous_match', field: 'email', params: { count: 2 } }]);

    const seen = new KeySet();
    const batch = [candidate(2, { username: 'x' }), candidate(9, { username: 'X' })];
    markDuplicates(batch, 'username', seen);
    expect(batch[1]!.problems).toEqual([{ code: 'duplicate_in_file', field: 'username', params: { row: 2 } }]);
  });

  it('refuses a new account whose student number another account or an earlier row holds (matching by e-mail)', () => {
    const holders = { ...snapshot(host), byKey: new Map(), takenIdnumbers: new Map([['1001', 10]]) };
    const rows = planRows(
      [
        candidate(2, { email: 'new1@x.nl', username: 'new1', firstname: 'N', lastname: 'One', idnumber: '1001' }),
        candidate(3, { email: 'new2@x.nl', username: 'new2', firstname: 'N', lastname: 'Two', idnumber: '2002' }),
        candidate(4, { email: 'new3@x.nl', username: 'new3', firstname: 'N', lastname: 'Three', idnumber: '2002' }),
      ],
      holders,
      context({ matchOn: 'email' }),
      claims(),
    );
    expect(rows.map((r) => [r.outcome, r.problems[0]?.code])).toEqual([
      ['error', 'idnumber_taken'],
      ['create', undefined],
      ['error', 'idnumber_taken'],
    ]);
  });

  it('skips a row naming a deleted account as its own case, not as a taken username', () => {
    const withDeleted = { ...snapshot(host), takenUsernames: new Map([...snapshot(host).takenUsernames, ['gone', 30]]), deletedUsernames: new Set(['gone']) };
    const [row] = planRows([candidate(2, { username: 'gone', firstname: 'G', lastname: 'One', email: 'gone@x.nl' })], withDeleted, context(), claims());
    expect(row).toMatchObject({ outcome: 'skip', reason: 'deleted_account', problems: [] });
  });

  it('archives only scoped users missing from the file, never protected or already suspended ones', () => {
    const scope = [user(2, 'admin'), user(10, 'anna'), user(11, 'bram', { suspended: 1 }), user(12, 'cees')];
    const inFile = new KeySet();
    inFile.set('anna', 2);
    const leaving = planArchive(scope, 'username', inFile, new Set([2]));
    expect(leaving.map((u) => u.username)).toEqual(['cees']);
  });
});

describe('single sign-on identities', () => {
  const host = [user(10, 'anna'), user(11, 'bram'), user(12, 'cees')];
  const sso = { ...context(), ssoIssuerId: 7 };
  // Anna's account is linked to "g-anna"; Bram's to nothing; "g-taken" belongs to Cees.
  const linked = (): BatchSnapshot => ({
    ...snapshot(host),
    linkedLogins: new Map([
      [10, [{ id: 100, ssoId: 'g-anna', email: 'anna@x.nl' }]],
      [12, [{ id: 102, ssoId: 'g-taken', email: 'cees@x.nl' }]],
    ]),
    takenSsoIds: new Map([
      ['g-anna', 10],
      ['g-taken', 12],
    ]),
  });

  it('links a new account, stored as Moodle looks it up (trimmed, lower case)', () => {
    const [row] = planRows([candidate(2, { username: 'dirk', firstname: 'D', lastname: 'D', email: 'dirk@x.nl', ssoId: ' G-Dirk ' })], linked(), sso, claims());
    expect(row!.outcome).toBe('create');
    expect(row!.ssoLink).toEqual({ ssoId: 'g-dirk', email: 'dirk@x.nl', before: null });
  });

  it('leaves an account linked to the same identity alone, links one without, and moves a changed one', () => {
    const rows = planRows(
      [candidate(2, { username: 'anna', ssoId: 'G-ANNA' }), candidate(3, { username: 'bram', ssoId: 'g-bram' })],
      linked(),
      sso,
      claims(),
    );
    expect(rows[0]).toMatchObject({ outcome: 'unchanged', diff: null });
    expect(rows[0]!.ssoLink).toBeUndefined();
    // An account whose only change is its link counts as updated.
    expect(rows[1]).toMatchObject({ outcome: 'update', diff: { ssoId: ['', 'g-bram'] }, ssoLink: { ssoId: 'g-bram', email: 'bram@x.nl', before: null } });
    const [moved] = planRows([candidate(2, { username: 'anna', ssoId: 'g-anna-new' })], linked(), sso, claims());
    expect(moved).toMatchObject({ outcome: 'update', diff: { ssoId: ['g-anna', 'g-anna-new'] }, ssoLink: { ssoId: 'g-anna-new', before: { id: 100, ssoId: 'g-anna' } } });
  });

  it("refuses an identity another account's login holds, or an earlier row of the file links", () => {
    const rows = planRows(
      [
        candidate(2, { username: 'bram', ssoId: 'g-taken' }),
        candidate(3, { username: 'eva', firstname: 'E', lastname: 'E', email: 'eva@x.nl', ssoId: 'g-eva' }),
        candidate(4, { username: 'fien', firstname: 'F', lastname: 'F', email: 'fien@x.nl', ssoId: 'G-EVA' }),
      ],
      linked(),
      sso,
      claims(),
    );
    expect(rows.map((r) => r.outcome)).toEqual(['error', 'create', 'error']);
    expect(rows[0]!.problems).toEqual([{ code: 'sso_id_taken', field: 'ssoId', params: { ssoId: 'g-taken' } }]);
    expect(rows[2]!.problems).toEqual([{ code: 'sso_id_taken', field: 'ssoId', params: { ssoId: 'g-eva' } }]);
  });

  it('of several links of an account, keeps the one the file names, and adds rather than guesses which to move', () => {
    const several: BatchSnapshot = { ...linked(), linkedLogins: new Map([[11, [{ id: 111, ssoId: 'g-home', email: 'bram@x.nl' }, { id: 112, ssoId: 'g-school', email: 'bram@x.nl' }]]]) };
    const [kept] = planRows([candidate(2, { username: 'bram', ssoId: 'g-school' })], several, sso, claims());
    expect(kept).toMatchObject({ outcome: 'unchanged' });
    const [added] = planRows([candidate(2, { username: 'bram', ssoId: 'g-new' })], several, sso, claims());
    expect(added).toMatchObject({ outcome: 'update', diff: { ssoId: ['', 'g-new'] }, ssoLink: { ssoId: 'g-new', before: null } });
  });

  it('links nothing when the import has no single sign-on service', () => {
    const [row] = planRows([candidate(2, { username: 'dirk', firstname: 'D', lastname: 'D', email: 'dirk@x.nl', ssoId: 'g-dirk' })], linked(), context(), claims());
    expect(row!.ssoLink).toBeUndefined();
  });
});

describe('claims across batches in flight', () => {
  it('holds a claim while the writes that could still carry it are in flight, then leaves it to the host', () => {
    const claims = new FileClaims();
    claims.add('email', 'a@school.example');
    claims.advance(2);
    claims.advance(2);
    // Two later batches started writing: the first batch's write may still be in flight.
    expect(claims.has('email', 'a@school.example')).toBe(true);
    claims.advance(2);
    // Three generations on, its write is done and the host's lookups find the account.
    expect(claims.has('email', 'a@school.example')).toBe(false);
  });

  it('keeps a value an update moves away from taken for the whole run, as the preview sees it', () => {
    const claims = new FileClaims();
    claims.release('email', 'Old@School.example');
    for (let i = 0; i < 5; i++) claims.advance(2);
    expect(claims.has('email', 'old@school.example')).toBe(true);
  });
});

describe('roles in a file', () => {
  const role = (id: number, shortname: string, archetype: string, allowedAt: Role['allowedAt'] = new Set()): Role => ({ id, shortname, name: '', archetype, allowedAt });
  const roles = new RoleDirectory([role(3, 'editingteacher', 'editingteacher'), role(4, 'teacher', 'teacher'), role(5, 'student', 'student'), role(9, 'candidate', 'student', new Set(['category']))]);

  it('mean an archetype first: "teacher", "Docent" and "lärare" are the teacher role the admin chose', () => {
    for (const word of ['teacher', 'Docent', 'lärare', 'Lehrer']) {
      expect(roles.resolve(word, 'editingteacher')?.shortname).toBe('editingteacher');
      expect(roles.resolve(word, 'teacher')?.shortname).toBe('teacher');
    }
    expect(roles.resolve('leerling')?.shortname).toBe('student');
    expect(roles.resolve('kandidaat')?.shortname).toBe('candidate');
    // A short name that is not a word for an archetype means that role.
    expect(roles.resolve('editingteacher', 'teacher')?.shortname).toBe('editingteacher');
    expect(roles.resolve('onbekend')).toBeUndefined();
  });

  it("name a course role's stand-in group after the place and the people", () => {
    expect(roleGroupName(['Utrecht', 'De Regenboog'], role(3, 'editingteacher', 'editingteacher'))).toBe('De Regenboog · Teachers');
    expect(roleGroupName([], role(5, 'student', 'student'))).toBe('Students');
    // A school name too long for a cohort's name is cut; the role it names stays whole.
    const long = roleGroupName(['P'.repeat(250)], role(5, 'student', 'student'));
    expect(long).toHaveLength(254);
    expect(long.endsWith('P · Students')).toBe(true);
  });

  it("name it in the site's language, as Moodle's pages show it there", () => {
    expect(roleGroupName(['Het Baken'], role(5, 'student', 'student'), 'nl')).toBe('Het Baken · Leerlingen');
    expect(roleGroupName(['Engelbrektskolan'], role(3, 'editingteacher', 'editingteacher'), 'sv')).toBe('Engelbrektskolan · Lärare');
    expect(roleGroupName(['Koulu'], role(4, 'teacher', 'teacher'), 'fi')).toBe('Koulu · Opettajat');
    // A variant of a language (Moodle's nl_wp) is that language; one without words here is English.
    expect(roleGroupName(['De Regenboog'], role(3, 'editingteacher', 'editingteacher'), 'nl_wp')).toBe('De Regenboog · Docenten');
    expect(roleGroupName(['Escola'], role(5, 'student', 'student'), 'pt_br')).toBe('Escola · Students');
    // Other roles keep their own name.
    expect(roleGroupName(['Het Baken'], { ...role(9, 'candidate', 'candidate'), name: 'Kandidaat' }, 'nl')).toBe('Het Baken · Kandidaat');
  });
});

describe('course enrolments', () => {
  const role = (id: number, shortname: string, archetype: string): Role => ({ id, shortname, name: '', archetype, allowedAt: new Set(['course']) });
  const courses = new CourseIndex([
    { id: 20, shortname: 'math102', contextId: 200, categoryId: 1, manual: { id: 70, roleId: 5, periodSeconds: 0 } },
    { id: 21, shortname: 'exam', contextId: 210, categoryId: 1, manual: null },
  ]);
  const courseGroups = new Map([[courseGroupKey(20, 'Section 1'), { id: 80, courseId: 20, name: 'Section 1' }]]);
  const ctx = (): PlanContext => {
    const base = context({ actions: { add: true, update: true, archive: false } });
    return { ...base, placement: { ...base.placement, roles: new RoleDirectory([role(3, 'editingteacher', 'editingteacher'), role(5, 'student', 'student')]), courses, today: 1_800_000_000 } };
  };
  const enrolling = (row: number, username: string, wishes: Candidate['courses']): Candidate => ({ ...candidate(row, { username, firstname: 'A', lastname: 'B', email: `${username}@x.example` }), courses: wishes });

  it('plan each enrolment, its role and course group once, and nothing an account already has', () => {
    const existing: HostUser = { id: 40, username: 'old', email: 'old@x.example', idnumber: '', suspended: 0, auth: 'manual', firstname: 'A', lastname: 'B' } as HostUser;
    const host = { ...snapshot([existing]), enrolments: new Map([['70:40', { id: 90, timestart: 1_700_000_000, timeend: 0, status: 0 }]]), roleAssignments: new Set(['5:200:40']), courseGroupMembers: new Set<string>(), courseGroups };
    const state = new PlanState(noStructure);
    const plan = planBatch(
      [
        enrolling(2, 'new', [{ course: 'math102', group: 'Section 2', days: 10 }]),
        enrolling(3, 'old', [{ course: 'MATH102', role: 'docent', group: 'section 1' }]),
        enrolling(4, 'nope', [{ course: 'exam' }]),
      ],
      host,
      ctx(),
      state,
    );
    expect(plan.rows.map((r) => [r.outcome, r.problems[0]?.code ?? null])).toEqual([
      ['create', null],
      // Enrolled already: the teacher role and the group are new, so the account is updated.
      ['update', null],
      ['error', 'course_not_manual'],
    ]);
    expect(plan.enrolments).toEqual([{ instanceId: 70, user: -2, timestart: 1_800_000_000, timeend: 1_800_000_000 + 10 * 86_400, status: 0 }]);
    expect(plan.roleAssignments).toEqual([
      { roleId: 5, node: { courseContext: 200 }, user: -2 },
      { roleId: 3, node: { courseContext: 200 }, user: 40 },
    ]);
    // The group the course lacks is made once; the one it has is found whatever its case.
    expect(plan.courseGroups.map((g) => g.label)).toEqual(['math102 / Section 2']);
    expect(plan.courseGroupMemberships).toEqual([
      { group: { planned: 'course:20#section 2' }, user: -2 },
      { group: { id: 80 }, user: 40 },
    ]);
    expect(plan.rows[1]!.diff).toEqual({ group: ['', 'math102 / Section 1'] });
    expect(plan.rows[0]!.placement).toEqual({ courses: ['math102 (student, Section 2)'] });
    // Without dates in the row, the enrolment the account has keeps its own.
    expect(plan.enrolmentUpdates).toEqual([]);

    // With a period in the row, it takes the row's dates, as enrol_user() gives them to someone enrolled already.
    const again = planBatch([enrolling(2, 'old', [{ course: 'math102', days: 365 }])], { ...host, roleAssignments: new Set(['5:200:40']) }, ctx(), new PlanState(noStructure));
    expect(again.enrolments).toEqual([]);
    expect(again.enrolmentUpdates).toEqual([{ id: 90, timestart: 1_800_000_000, timeend: 1_800_000_000 + 365 * 86_400, status: 0 }]);
    expect(again.rows[0]!.outcome).toBe('update');
    expect(again.rows[0]!.diff).toEqual({ course: ['math102 2023-11-14 – …', 'math102 2027-01-15 – 2028-01-15'] });

    // A status in the row suspends the enrolment the account has (its dates stay), or starts a new one suspended.
    const suspend = planBatch([enrolling(2, 'old', [{ course: 'math102', suspended: true }]), enrolling(3, 'fresh', [{ course: 'math102', suspended: true }])], host, ctx(), new PlanState(noStructure));
    expect(suspend.enrolmentUpdates).toEqual([{ id: 90, timestart: 1_700_000_000, timeend: 0, status: 1 }]);
    expect(suspend.rows[0]!.diff).toEqual({ enrolSuspended: ['0', '1'] });
    expect(suspend.enrolments).toEqual([{ instanceId: 70, user: -3, timestart: 1_800_000_000, timeend: 0, status: 1 }]);
  });
});

describe('class groups that follow the file', () => {
  const membership = (id: number, cohortid: number, userid: number, kind: 'class' | 'role' = 'class') => ({ id, cohortid, userid, timeadded: 0, kind });
  const snapshotOf = (fileGroupMemberships: ReturnType<typeof membership>[]) => ({ members: new Map(), recordedSupervisors: new Map(), supervision: [], archiveScope: [], fileGroupMemberships });
  const context = { sync: false, followClasses: true, archive: false, matchOn: 'username' as const, supervisorIds: [], coordinatorId: null, mentorRoleId: null, protectedUserIds: new Set<number>(), inFile: new KeySet() };
  const left = (removed: { id: number }[]) => removed.map((m) => m.id);

  it("keep a pupil in their class when the class group this run planned was made by another import meanwhile (the group's id comes from the commit)", () => {
    const state = new PlanState(noStructure);
    const planned = state.structure.group([], '2A').target;
    state.placeFromFile(planned, 'class', 12);
    state.placeFromFile(planned, 'class', 13);
    // Another import of the same feed created 2A first and recorded it; this commit found it there.
    state.structure.confirmWritten((planned as { planned: string }).planned, 77);
    // 13 leaves last year's class (76) only; both stay in 2A.
    expect(planSettle(state, snapshotOf([membership(1, 77, 12), membership(2, 76, 13), membership(3, 77, 13)]), context).membershipsRemoved).toEqual([{ id: 2, cohortid: 76, userid: 13, timeadded: 0 }]);
  });

  it("move a pupil who changed school out of the old school's role group, and leave role groups alone where the file gives no role", () => {
    const state = new PlanState(noStructure);
    state.placeFromFile({ id: 80 }, 'class', 12);
    state.placeFromFile({ id: 90 }, 'role', 12);
    // 13 has a class in this file but no role group: their role groups are not this file's to compare.
    state.placeFromFile({ id: 80 }, 'class', 13);
    const snapshot = snapshotOf([membership(1, 81, 12), membership(2, 91, 12, 'role'), membership(3, 90, 12, 'role'), membership(4, 91, 13, 'role'), membership(5, 80, 13)]);
    expect(left(planSettle(state, snapshot, context).membershipsRemoved)).toEqual([1, 2]);
    expect(state.usersPlacedFromFile()).toEqual([12, 13]);
    expect(state.fileGroups()).toEqual([{ group: { id: 80 }, kind: 'class' }, { group: { id: 90 }, kind: 'role' }]);
    // With "add", nobody leaves.
    expect(planSettle(state, snapshot, { ...context, followClasses: false }).membershipsRemoved).toEqual([]);
  });
});

describe('schools the site keeps below its top level', () => {
  const node = (id: number, name: string, parent: number, idnumber: string | null = null) => ({ id, name, idnumber, parent, path: parent ? `/${parent}/${id}` : `/${id}`, depth: parent ? 2 : 1, contextId: 100 + id, contextPath: `/1/${100 + id}`, contextDepth: 2, visible: 1 });
  const schools = node(2, 'Schools', 0, 'SCHOOLS');
  const baken = node(3, 'Het Baken', 2, 'BAKEN');
  const regenboog = node(4, 'De Regenboog', 2);
  const oldRegenboog = node(5, 'De Regenboog', 6);
  const archive = node(6, 'Archief', 0);

  it('finds a school named in a file wherever the site keeps it, when no top node is chosen', () => {
    const index = new StructureIndex(null, 1, [schools, baken, regenboog, archive, oldRegenboog], [], [schools, baken]);
    expect(index.node(['Het Baken'])?.id).toBe(3);
    expect(index.node(['het baken '])?.id).toBe(3);
    // By its ID number too, and a class in it is a group in that school's context.
    expect(index.node(['BAKEN'])?.id).toBe(3);
    expect(index.contextOf(['Het Baken'])).toBe(103);
    // Only the first name of a path is looked for elsewhere; below it, paths go down from there.
    expect(index.node(['Het Baken', 'Onderbouw'])).toBeUndefined();
    // Two schools of that name: which is meant is not guessed, and the file's school is made at the top level.
    expect(index.node(['De Regenboog'])).toBeUndefined();
    const planned = new PlannedStructure(index);
    expect(planned.group(['Het Baken'], '1A')).toEqual({ target: { planned: groupKey(['Het Baken'], '1A') }, name: '1A', label: 'Schools / Het Baken / 1A' });
    expect(planned.takeNew()).toMatchObject({ nodes: [], groups: [{ name: '1A', node: { existing: { id: 3 } } }] });
    // What is made below it is named from the top level too, as the preview lists it.
    planned.node(['BAKEN', 'Onderbouw']);
    expect(planned.summary().newNodes).toEqual(['Schools / Het Baken / Onderbouw']);
    // A school at the top level, or one made there, keeps the file's name.
    expect(index.pathFromTop(['Schools'])).toEqual(['Schools']);
    expect(index.pathFromTop(['De Regenboog'])).toEqual(['De Regenboog']);
    // Made at the top level because two of that name are elsewhere: said, with where they are.
    planned.node(['De Regenboog']);
    expect(planned.summary()).toMatchObject({ newNodes: ['Schools / Het Baken / Onderbouw', 'De Regenboog'], ambiguousNodes: [{ name: 'De Regenboog', places: ['Schools / De Regenboog', 'Archief / De Regenboog'] }] });
  });

  it('keeps to the chosen top node when there is one', () => {
    const index = new StructureIndex(archive, 1, [oldRegenboog], [], [schools, baken]);
    expect(index.node(['De Regenboog'])?.id).toBe(5);
    expect(index.node(['Het Baken'])).toBeUndefined();
    expect(index.placesNamed('De Regenboog')).toBeNull();
    expect(index.pathFromTop(['Het Baken', '1A'])).toEqual(['Het Baken', '1A']);
  });
});
