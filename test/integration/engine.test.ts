import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { isIntakeError } from '../../server/core/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPasswordSync } from '../../server/host/hashing/password-hash.js';
import { undoImport } from '../../server/host/undo.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { engineFor, hostUsers } from '../support/engine.js';
import { bytesOf } from '../support/files.js';
import { rowLabel } from '../../server/contract/row-label.js';

let database: TestDatabase;
let engine: ReturnType<typeof engineFor>;

beforeAll(async () => {
  database = await createTestDatabase('engine');
  engine = engineFor(database);
});
afterAll(async () => {
  await engine.close();
  await database.drop();
});

const first = ['username;firstname;lastname;email', 'anna;Anna;Jansen;anna@school.example', 'bram;Bram;de Boer;bram@school.example', 'chloe;Chloé;Peeters;chloe@school.example'].join('\r\n');

describe('a sync sequence', () => {
  it('creates users with contexts, hashes and group membership', async () => {
    // Passwords from the file are required in file mode: the file has no password column.
    const refused = await engine.run(bytesOf(first), { source: 'numo', password: { mode: 'file' }, group: { create: 'Leerjaar 2026' } }).then(
      () => null,
      (error: unknown) => (isIntakeError(error) ? { code: error.code, params: error.params } : error),
    );
    expect(refused).toEqual({ code: 'missing_column', params: { fields: ['password'] } });
    expect(await hostUsers(database)).toEqual([]);

    const result = await engine.run(bytesOf(first), { source: 'numo', group: { create: 'Leerjaar 2026' } });
    expect(result.counts).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0, skipped: 0, errors: 0, archived: 0, groupsCreated: 1, memberships: 3 });
    const users = await hostUsers(database);
    expect(users.map((u) => u.username)).toEqual(['anna', 'bram', 'chloe']);
    expect(users[2]!.firstname).toBe('Chloé');
    for (const u of users) {
      expect(u).toMatchObject({ auth: 'manual', confirmed: 1, mnethostid: 1, suspended: 0, deleted: 0 });
      expect(u.password).toMatch(/^\$6\$rounds=1000\$[./0-9A-Za-z]{16}\$/);
      expect(u.timecreated).toBeGreaterThan(0);
    }
    const [contexts] = await database.pool.query<RowDataPacket[]>('SELECT * FROM mdl_context WHERE contextlevel = 30 AND instanceid IN (?)', [users.map((u) => u.id)]);
    expect(contexts).toHaveLength(3);
    for (const c of contexts) expect(c.path).toBe(`/1/${c.id}`);
    const [cohorts] = await database.pool.query<RowDataPacket[]>("SELECT * FROM mdl_cohort WHERE name = 'Leerjaar 2026'");
    expect(cohorts).toHaveLength(1);
    expect(cohorts[0]).toMatchObject({ contextid: 1, descriptionformat: 1 });
    const [members] = await database.pool.query<RowDataPacket[]>('SELECT * FROM mdl_cohort_members WHERE cohortid = ?', [cohorts[0]!.id]);
    expect(members).toHaveLength(3);
  });

  it('adds, updates, leaves unchanged and archives on the next file', async () => {
    const second = ['username;firstname;lastname;email', 'anna;Anna;Jansen;anna@school.example', 'bram;Bram;de Boer-Smit;bram@school.example', 'dirk;Dirk;Visser;dirk@school.example'].join('\n');
    const settings = { source: 'numo', actions: { add: true, update: true, archive: true }, group: { create: 'Leerjaar 2026' } };
    const preview = await engine.run(bytesOf(second), settings, 'preview');
    expect(preview.counts).toMatchObject({ rows: 3, created: 1, updated: 1, unchanged: 1, archived: 1, groupsCreated: 0 });
    const before = await hostUsers(database);
    expect(before).toHaveLength(3);
    // Chloé and Anna are logged in to the host (a session record each, as Moodle keeps them).
    const byUsername = (name: string) => before.find((u) => u.username === name)!.id;
    await database.pool.query('INSERT INTO mdl_sessions (sid, userid, timecreated, timemodified) VALUES ?', [
      [['sid-chloe', byUsername('chloe'), 1, 1], ['sid-anna', byUsername('anna'), 1, 1]],
    ]);

    const { counts } = await engine.run(bytesOf(second), settings);
    expect(counts).toMatchObject({ rows: 3, created: 1, updated: 1, unchanged: 1, skipped: 0, errors: 0, archived: 1 });
    const users = await hostUsers(database);
    const byName = Object.fromEntries(users.map((u) => [u.username, u]));
    expect(byName.bram!.lastname).toBe('de Boer-Smit');
    expect(byName.chloe!.suspended).toBe(1);
    expect(byName.anna!.timemodified).toBe(before.find((u) => u.username === 'anna')!.timemodified);
    expect(byName.dirk!.suspended).toBe(0);
    const [admin] = await database.pool.query<RowDataPacket[]>('SELECT suspended FROM mdl_user WHERE id IN (1, 2)');
    expect(admin.every((u) => u.suspended === 0)).toBe(true);
    // The archived account is logged out, as kill_user_sessions() does when Moodle suspends; Anna is not.
    const [sessions] = await database.pool.query<RowDataPacket[]>('SELECT sid FROM mdl_sessions ORDER BY sid');
    expect(sessions.map((s) => s.sid)).toEqual(['sid-anna']);
  });
});

describe('an archive with rows that do not say who they are', () => {
  it('suspends nobody: any account could be one of them', async () => {
    const settings = { source: 'keyless', matchOn: 'idnumber' as const, actions: { add: true, update: true, archive: true } };
    const first = ['Stamnr;Roepnaam;Achternaam;E-mail', '8001;Kim;Kok;kim@x.example', '8002;Lot;Lam;lot@x.example', '8003;Mo;Mol;mo@x.example'].join('\n');
    expect((await engine.run(bytesOf(first), settings)).counts).toMatchObject({ created: 3 });
    // The export lost its student numbers for two rows: who are they? Kim and Lot, perhaps.
    const broken = ['Stamnr;Roepnaam;Achternaam;E-mail', ';Kim;Kok;kim@x.example', ';Lot;Lam;lot@x.example', '8003;Mo;Mol;mo@x.example'].join('\n');
    for (const mode of ['preview', 'commit'] as const) {
      const result = await engine.run(bytesOf(broken), settings, mode);
      expect(result.counts).toMatchObject({ errors: 2, archived: 0 });
      expect(result.structure.archiveHeld).toEqual({ rows: 2 });
    }
    const [suspended] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE idnumber IN ('8001', '8002', '8003') AND suspended = 1");
    expect(suspended[0]!.n).toBe(0);
    // Fixed, the same file archives who really left.
    const fixed = ['Stamnr;Roepnaam;Achternaam;E-mail', '8001;Kim;Kok;kim@x.example', '8003;Mo;Mol;mo@x.example'].join('\n');
    const archived = await engine.run(bytesOf(fixed), settings);
    expect(archived.counts).toMatchObject({ archived: 1 });
    expect(archived.structure.archiveHeld).toBeUndefined();
  });
});

describe('usernames from a template', () => {
  it('numbers collisions with the host and within the file, in file order, and shows them in the preview', async () => {
    const seed = 'username,firstname,lastname,email\ncdevries,Carla,de Vries,carla@school.example\n';
    await engine.run(bytesOf(seed), { source: 'seed' });
    const csv = ['Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;E-mailadres', '501;Chloé;de;Vries;chloe.dv@school.example', '502;Chloé;de;Vries;chloe.dv2@school.example', '503;Cees;de;Vries;cees.dv@school.example'].join('\n');
    const settings = { source: 'template', matchOn: 'idnumber' as const, usernameTemplate: '{f}{lastname}' };
    const preview = await engine.run(bytesOf(csv), settings, 'preview');
    const [rows] = await database.pool.query<RowDataPacket[]>('SELECT username FROM intake_row WHERE import_id = ? ORDER BY line', [preview.importId]);
    expect(rows.map((r) => r.username)).toEqual(['cdevries2', 'cdevries3', 'cdevries4']);
    await engine.run(bytesOf(csv), settings);
    const [users] = await database.pool.query<RowDataPacket[]>("SELECT username, idnumber, lastname FROM mdl_user WHERE idnumber IN ('501', '502', '503') ORDER BY idnumber");
    expect(users.map((u) => `${u.idnumber}:${u.username}:${u.lastname}`)).toEqual(['501:cdevries2:de Vries', '502:cdevries3:de Vries', '503:cdevries4:de Vries']);
    // A later run matches by ID number and leaves the usernames alone.
    expect((await engine.run(bytesOf(csv), settings)).counts).toMatchObject({ unchanged: 3 });
  });
});

describe("usernames on a site with Moodle's extendedusernamechars", () => {
  it('are taken with any character, as the site lets Moodle take them, and refused where it does not', async () => {
    const csv = 'username,firstname,lastname,email\nÉmile,Émile,Zola,emile@school.example\n';
    expect((await engine.run(bytesOf(csv), { source: 'extended' }, 'preview')).counts).toMatchObject({ created: 0, errors: 1 });
    await database.pool.query("INSERT INTO mdl_config (name, value) VALUES ('extendedusernamechars', '1')");
    try {
      expect((await engine.run(bytesOf(csv), { source: 'extended' })).counts).toMatchObject({ created: 1, errors: 0 });
      const [users] = await database.pool.query<RowDataPacket[]>("SELECT username FROM mdl_user WHERE email = 'emile@school.example'");
      expect(users.map((u) => u.username)).toEqual(['émile']);
    } finally {
      await database.pool.query("DELETE FROM mdl_config WHERE name = 'extendedusernamechars'");
    }
  });
});

describe('usernames from a template, past every number the host and the file hold', () => {
  it('numbers on without end, fills the gaps the host leaves, and agrees between preview and commit', async () => {
    // The host holds jvisser and jvisser3 … jvisser40: the first new Jan Visser gets jvisser2, the rest 41 on.
    // Names that merely begin alike (jvissers, jvisser2b) are no numbers of jvisser and take none.
    const seed = [
      'username,firstname,lastname,email',
      'jvisser,Joop,Visser,joop@school.example',
      'jvissers,Jo,Vissers,jo@school.example',
      'jvisser2b,Jip,Visser,jip@school.example',
      ...Array.from({ length: 38 }, (_, i) => `jvisser${i + 3},Jet,Visser,jet${i + 3}@school.example`),
    ].join('\n');
    expect((await engine.run(bytesOf(seed), { source: 'visser-seed' })).counts).toMatchObject({ created: 41 });
    // Fifty more in one file, batches of seven: more of one name than any fixed list of variants holds.
    const file = ['Leerlingnummer;Roepnaam;Achternaam;E-mailadres', ...Array.from({ length: 50 }, (_, i) => `${7000 + i};Jan;Visser;jan${i}@school.example`)].join('\n');
    const settings = { source: 'visser', matchOn: 'idnumber' as const, usernameTemplate: '{f}{lastname}' };
    const preview = await engine.run(bytesOf(file), settings, 'preview', undefined, 7);
    expect(preview.counts).toMatchObject({ created: 50, errors: 0 });
    const [planned] = await database.pool.query<RowDataPacket[]>('SELECT username FROM intake_row WHERE import_id = ? ORDER BY line', [preview.importId]);
    const expected = ['jvisser2', ...Array.from({ length: 49 }, (_, i) => `jvisser${41 + i}`)];
    expect(planned.map((r) => r.username)).toEqual(expected);
    expect((await engine.run(bytesOf(file), settings, 'commit', undefined, 7)).counts).toMatchObject({ created: 50, errors: 0 });
    const [written] = await database.pool.query<RowDataPacket[]>("SELECT username FROM mdl_user WHERE idnumber LIKE '7%' ORDER BY CAST(idnumber AS UNSIGNED)");
    expect(written.map((r) => r.username)).toEqual(expected);
  });
});

describe('custom profile fields', () => {
  it('fills them for new users, updates only them for existing users, and undoes both', async () => {
    const create = 'username,firstname,lastname,email,Extra time (minutes),profile_field_specialneeds\nkees,Kees,Kok,kees@school.example,15,nee\n';
    expect((await engine.run(bytesOf(create), { source: 'profile' })).counts).toMatchObject({ created: 1 });
    const [[kees]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_user WHERE username = 'kees'");
    const data = async () => {
      const [rows] = await database.pool.query<RowDataPacket[]>('SELECT f.shortname, d.data FROM mdl_user_info_data d JOIN mdl_user_info_field f ON f.id = d.fieldid WHERE d.userid = ? ORDER BY f.shortname', [kees!.id]);
      return Object.fromEntries(rows.map((r) => [r.shortname, r.data]));
    };
    expect(await data()).toEqual({ extratime: '15', specialneeds: '0' });

    const update = 'username,profile_field_extratime\nkees,30\n';
    const result = await engine.run(bytesOf(update), { source: 'profile', actions: { add: false, update: true } });
    expect(result.counts).toMatchObject({ updated: 1, unchanged: 0 });
    const [[row]] = await database.pool.query<RowDataPacket[]>('SELECT diff FROM intake_row WHERE import_id = ?', [result.importId]);
    expect(typeof row!.diff === 'string' ? JSON.parse(row!.diff) : row!.diff).toEqual({ extraTime: ['15', '30'] });
    expect(await data()).toEqual({ extratime: '30', specialneeds: '0' });
    expect((await engine.run(bytesOf(update), { source: 'profile', actions: { add: false, update: true } })).counts).toMatchObject({ unchanged: 1 });

    await undoImport(database.pool, result.importId);
    expect(await data()).toEqual({ extratime: '15', specialneeds: '0' });
  });
});

describe('undo on a host without Moodle\'s plugin', () => {
  it('removes accounts nobody used, and marks a used one deleted the way delete_user() does', async () => {
    const csv = 'username;firstname;lastname;email;idnumber\nunused1;Una;Used;una@school.example;U1\nused1;Ulla;Login;ulla@school.example;U2\n';
    const result = await engine.run(bytesOf(csv), { source: 'undo-used', matchOn: 'username' });
    expect(result.counts).toMatchObject({ created: 2 });
    // Ulla logs in before the import is undone: Moodle code may now hold rows that point at her account.
    await database.pool.query("UPDATE mdl_user SET firstaccess = 1700000000, lastlogin = 1700000000 WHERE username = 'used1'");
    const [[ulla]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_user WHERE username = 'used1'");

    await undoImport(database.pool, result.importId);
    const [left] = await database.pool.query<RowDataPacket[]>("SELECT id, username, email, idnumber, deleted, picture FROM mdl_user WHERE id = ? OR username = 'unused1'", [ulla!.id]);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ id: ulla!.id, deleted: 1, idnumber: '', picture: 0 });
    expect(left[0]!.username).toMatch(/^ulla@school\.example\.\d{10}$/);
    expect(left[0]!.email).toBe(createHash('md5').update('used1').digest('hex'));
    // Her user context stays (delete_user() keeps it); her group membership goes.
    const [contexts] = await database.pool.query<RowDataPacket[]>('SELECT id FROM mdl_context WHERE contextlevel = 30 AND instanceid = ?', [ulla!.id]);
    expect(contexts).toHaveLength(1);
    const [memberships] = await database.pool.query<RowDataPacket[]>('SELECT id FROM mdl_cohort_members WHERE userid = ?', [ulla!.id]);
    expect(memberships).toHaveLength(0);
  });
});

describe('undo after a later import changed the same people', () => {
  it('keeps what the later import set, and puts back the rest', async () => {
    await engine.run(bytesOf('username;firstname;lastname;email;department\nkeep1;Kees;Base;keep1@school.example;\n'), { source: 'keep' });
    const a = await engine.run(bytesOf('username;firstname;lastname;email;department\nkeep1;Kees;FromA;keep1@school.example;DepA\n'), { source: 'keep' });
    const b = await engine.run(bytesOf('username;firstname;lastname;email;department\nkeep1;Kees;FromB;keep1@school.example;DepA\n'), { source: 'keep' });
    expect([a.counts.updated, b.counts.updated]).toEqual([1, 1]);
    const person = async () => (await database.pool.query<RowDataPacket[]>("SELECT lastname, department FROM mdl_user WHERE username = 'keep1'"))[0][0];

    await undoImport(database.pool, a.importId);
    // The later import's last name stays; the department only the undone import set goes back.
    expect(await person()).toMatchObject({ lastname: 'FromB', department: '' });
  });

  it('removes with the accounts it created what a later import gave them, and leaves the later import its own people', async () => {
    const count = async (sql: string, params: unknown[]) => Number((await database.pool.query<RowDataPacket[]>(sql, params))[0][0]!.n);
    const a = await engine.run(bytesOf('username;firstname;lastname;email\nlater1;Lea;Eerst;later1@school.example\nlater2;Luuk;Eerst;later2@school.example\n'), { source: 'later-a', group: { create: 'Later A' } });
    // A later import of another feed finds them, places them in a group of its own and creates someone new.
    const b = await engine.run(bytesOf('username;firstname;lastname;email\nlater1;Lea;Eerst;later1@school.example\nlater2;Luuk;Eerst;later2@school.example\nlater3;Lotte;Later;later3@school.example\n'), { source: 'later-b', group: { create: 'Later B' } });
    expect([a.counts.created, b.counts.created, b.counts.memberships]).toEqual([2, 1, 3]);
    const [[groupB]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_cohort WHERE name = 'Later B'");

    await undoImport(database.pool, a.importId);
    expect(await count("SELECT COUNT(*) AS n FROM mdl_user WHERE username IN ('later1', 'later2')", [])).toBe(0);
    // Their user contexts, and their membership of the later group, went with them; the later import's own person stays.
    expect(await count('SELECT COUNT(*) AS n FROM mdl_cohort_members WHERE cohortid = ?', [groupB!.id])).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM mdl_context c LEFT JOIN mdl_user u ON u.id = c.instanceid WHERE c.contextlevel = 30 AND u.id IS NULL", [])).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM mdl_user WHERE username = 'later3'", [])).toBe(1);
  });

  it('puts its own values back over the later ones when asked to', async () => {
    await engine.run(bytesOf('username;firstname;lastname;email\nkeep2;Kees;Base;keep2@school.example\n'), { source: 'keep2' });
    const a = await engine.run(bytesOf('username;firstname;lastname;email\nkeep2;Kees;FromA;keep2@school.example\n'), { source: 'keep2' });
    await engine.run(bytesOf('username;firstname;lastname;email\nkeep2;Kees;FromB;keep2@school.example\n'), { source: 'keep2' });
    await undoImport(database.pool, a.importId, { overLater: true });
    const [[row]] = await database.pool.query<RowDataPacket[]>("SELECT lastname FROM mdl_user WHERE username = 'keep2'");
    expect(row!.lastname).toBe('Base');
  });
});

/** The rows an import kept, as `line:outcome:reason`. */
const outcomes = async (importId: number) =>
  (await database.pool.query<RowDataPacket[]>('SELECT line, outcome, reason FROM intake_row WHERE import_id = ? ORDER BY line', [importId]))[0].map((r) => `${r.line}:${r.outcome}:${r.reason ?? ''}`);

describe('one row per group (a lesgroepen export)', () => {
  it('is one person in every group of their rows, sorted by pupil or by group; the same in the preview and the commit, however the file is cut into batches', async () => {
    const ada = '7801;Ada;Bos;les.ada@school.example;1A';
    const bo = '7802;Bo;Kok;les.bo@school.example;1A';
    const cas = '7803;Cas;Wit;les.cas@school.example';
    const header = 'Leerlingnummer;Roepnaam;Achternaam;E-mailadres;Klas;Lesgroep';
    const byPupil = [header, `${ada};1a-ne`, `${ada};1a-wi`, `${ada};1a-en`, `${bo};1a-ne`, `${bo};1a-wi`, `${cas};1A;1a-ne`, `${cas};1B;1b-wi`, `${ada};1a-gs`].join('\n');
    const settings = { source: 'lesgroepen' };
    const expected = { rows: 8, created: 3, skipped: 4, errors: 1 };
    for (const batchRows of [1, 3, 1000]) {
      const preview = await engine.run(bytesOf(byPupil), settings, 'preview', undefined, batchRows);
      expect(preview.counts, `batches of ${batchRows}`).toMatchObject(expected);
      expect(preview.structure.joinedRows).toBe(4);
      expect(await outcomes(preview.importId)).toEqual(['2:create:', '3:skip:same_person', '4:skip:same_person', '5:create:', '6:skip:same_person', '7:create:', '8:error:', '9:skip:same_person']);
    }
    const commit = await engine.run(bytesOf(byPupil), settings, 'commit', undefined, 2);
    expect(commit.counts).toMatchObject(expected);
    const groupsOf = async (idnumber: string) =>
      (
        await database.pool.query<RowDataPacket[]>('SELECT c.name FROM mdl_cohort c JOIN mdl_cohort_members m ON m.cohortid = c.id JOIN mdl_user u ON u.id = m.userid WHERE u.idnumber = ? ORDER BY c.name', [idnumber])
      )[0].map((r) => r.name);
    expect(await groupsOf('7801')).toEqual(['1A', '1a-en', '1a-gs', '1a-ne', '1a-wi']);
    expect(await groupsOf('7802')).toEqual(['1A', '1a-ne', '1a-wi']);
    // Rows of one number that differ in more than their group (another class) are a duplicate to fix:
    // which is right is not guessed.
    expect(await groupsOf('7803')).toEqual(['1A', '1a-ne']);
    const [errors] = await database.pool.query<RowDataPacket[]>('SELECT line, problems FROM intake_row WHERE import_id = ? AND outcome = ?', [commit.importId, 'error']);
    expect(errors.map((e) => [e.line, (typeof e.problems === 'string' ? JSON.parse(e.problems) : e.problems)[0].code])).toEqual([[8, 'duplicate_in_file']]);

    // The same rows as a workbook (read once more for the joins, as a CSV is): the same preview.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Lesgroepen');
    for (const line of byPupil.split('\n')) sheet.addRow(line.split(';'));
    const fromWorkbook = await engine.run(bytesOf(new Uint8Array(await workbook.xlsx.writeBuffer())), settings, 'preview', undefined, 2);
    expect(fromWorkbook.counts).toMatchObject({ rows: 8, created: 0, unchanged: 3, skipped: 4, errors: 1 });

    // The same export sorted by group, imported again: the same people in the same groups, nothing to change.
    const byGroup = [header, `${ada};1a-en`, `${ada};1a-gs`, `${ada};1a-ne`, `${bo};1a-ne`, `${cas};1A;1a-ne`, `${ada};1a-wi`, `${bo};1a-wi`, `${cas};1B;1b-wi`].join('\n');
    const again = await engine.run(bytesOf(byGroup), settings, 'commit', undefined, 3);
    expect(again.counts).toMatchObject({ rows: 8, created: 0, unchanged: 3, skipped: 4, errors: 1, memberships: 0 });
  });
});

describe('lines of text among the rows', () => {
  it('are skipped as what they are, never taken for people, and do not hold up an archive', async () => {
    const csv = [
      'Leerlingnummer;Roepnaam;Achternaam;E-mailadres;Klas',
      'Klas 1A;;;;',
      '7701;Ada;Bos;notes.ada@school.example;1A',
      '7702;Bo;Kok;notes.bo@school.example;1A',
      ';Cas de Wit;;;',
      ';;;;',
      'Totaal: 3 leerlingen;;;;',
      ';Geëxporteerd uit Magister op 01-09-2026;;;',
    ].join('\n');
    const settings = { source: 'notes', actions: { add: true, update: true, archive: true } };
    const { counts, importId } = await engine.run(bytesOf(csv), settings);
    expect(counts).toMatchObject({ rows: 6, created: 2, skipped: 3, errors: 1 });
    expect(await outcomes(importId)).toEqual(['2:skip:note_row', '5:error:', '7:skip:note_row', '8:skip:note_row']);
    // A lone name in a name column is a person whose details are missing: an error, not a note. And
    // since that row says nobody's number, the archive waits; the notes alone would not hold it up.
    const notesOnly = await engine.run(bytesOf(csv.replace(';Cas de Wit;;;\n', '')), settings);
    expect(notesOnly.counts).toMatchObject({ rows: 5, unchanged: 2, skipped: 3, errors: 0 });
    expect(notesOnly.structure.archiveHeld).toBeUndefined();
    // An address, as mail programs write one, names a person even alone: never taken for a note.
    const byEmail = ['E-mailadres;Roepnaam;Achternaam', 'Ada Bos <notes.ada@school.example>;;', 'mailto:notes.bo@school.example;;'].join('\n');
    const matched = await engine.run(bytesOf(byEmail), { source: 'notes-email', matchOn: 'email', actions: { add: false, update: true, archive: false } }, 'preview');
    expect(matched.counts).toMatchObject({ rows: 2, unchanged: 2, skipped: 0 });
  });

  it("are notes in a municipality's workbook whose sheets are read together too (the sheet's name beside a total is no second value); its summary counts one class name in two schools as two groups", async () => {
    const workbook = new ExcelJS.Workbook();
    for (const school of ['Engelbrektskolan', 'Vasaskolan']) {
      const sheet = workbook.addWorksheet(school);
      sheet.addRow(['Förnamn', 'Efternamn', 'E-post', 'Klass']);
      sheet.addRow(['Åsa', 'Öberg', `asa.${school.toLowerCase()}@kommun.example`, '7A']);
      sheet.addRow(['Totalt: 1 elev']);
    }
    const { counts, importId, structure } = await engine.run(bytesOf(new Uint8Array(await workbook.xlsx.writeBuffer())), { source: 'notes-sheets' }, 'preview');
    expect(structure.byGroup).toEqual([
      { name: 'Engelbrektskolan / 7A', rows: 1 },
      { name: 'Vasaskolan / 7A', rows: 1 },
    ]);
    expect(counts).toMatchObject({ rows: 4, created: 2, skipped: 2, errors: 0 });
    const labelled = (await outcomes(importId)).map((o) => o.replace(/^\d+/, (line) => rowLabel(Number(line), ['Engelbrektskolan', 'Vasaskolan'])));
    expect(labelled).toEqual(['2 (Engelbrektskolan):create:', '3 (Engelbrektskolan):skip:note_row', '2 (Vasaskolan):create:', '3 (Vasaskolan):skip:note_row']);
  });
});

describe('rows and their outcomes', () => {
  it('accounts for every row and reports problems with codes', async () => {
    const csv = [
      'Gebruikersnaam,Voornaam,Achternaam,E-mailadres,Wachtwoord',
      'eva,Eva,Smit,eva@school.example,Geheim-123',
      'EVA,Eva,Smit,eva2@school.example,Geheim-123',
      'frank,,Mol,frank@school.example,Geheim-123',
      'gijs,Gijs,Bos,not-an-email,Geheim-123',
      'hans,Hans,Kok,hans@school.example,short',
      'admin,Admin,Changed,admin@demo.example,Geheim-123',
    ].join('\n');
    const { counts, importId } = await engine.run(bytesOf(csv), { source: 'codes', password: { mode: 'file' } });
    expect(counts).toMatchObject({ rows: 6, created: 2, skipped: 1, errors: 3 });
    expect(counts.created + counts.updated + counts.unchanged + counts.skipped + counts.errors).toBe(counts.rows);
    const [rows] = await database.pool.query<RowDataPacket[]>('SELECT line, outcome, reason, problems FROM intake_row WHERE import_id = ? ORDER BY line', [importId]);
    const problems = (line: number) => {
      const value = rows.find((r) => r.line === line)!.problems;
      return typeof value === 'string' ? JSON.parse(value) : (value ?? []);
    };
    expect(problems(3)).toEqual([{ code: 'duplicate_in_file', field: 'username', params: { row: 2 } }]);
    expect(problems(4)).toEqual([{ code: 'required', field: 'firstname' }]);
    expect(problems(5)).toEqual([{ code: 'invalid_email', field: 'email', params: { value: 'not-an-email' } }]);
    expect(problems(6).map((p: { params: { rule: string } }) => p.params.rule)).toEqual(['length', 'digits', 'upper', 'special']);
    expect(rows.find((r) => r.line === 6)).toMatchObject({ outcome: 'create' });
    expect(rows.find((r) => r.line === 7)).toMatchObject({ outcome: 'skip', reason: 'protected_account' });
    const [forced] = await database.pool.query<RowDataPacket[]>(
      "SELECT u.username FROM mdl_user_preferences p JOIN mdl_user u ON u.id = p.userid WHERE p.name = 'auth_forcepasswordchange' AND p.value = '1' AND u.username IN ('eva', 'hans')",
    );
    // The weak password from the file forces a change; the strong one does not.
    expect(forced.map((f) => f.username)).toEqual(['hans']);
    const [eva] = await database.pool.query<RowDataPacket[]>("SELECT password FROM mdl_user WHERE username = 'eva'");
    expect(verifyPasswordSync('Geheim-123', eva[0]!.password)).toBe(true);
  });
});
