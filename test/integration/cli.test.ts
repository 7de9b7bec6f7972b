import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { dropDatabase } from '../../server/host/database.js';
import { verifyPasswordSync } from '../../server/host/hashing/password-hash.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startSmtp } from '../support/smtp.js';

const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/moodle-style.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'intake-cli-'));
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('cli');
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function intake(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000' }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}

function settingsFile(settings: unknown): string {
  const path = join(dir, `settings-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

describe('intake import', () => {
  it('sends the report mail in the language --lang asks for, from the site when MAIL_FROM is not set', async () => {
    const smtp = await startSmtp();
    try {
      const file = join(dir, 'rapport.csv');
      writeFileSync(file, 'username,firstname,lastname,email\nrapp,Rap,Port,rapp@example.com\n');
      const { MAIL_FROM: _ignored, ...env } = process.env;
      const child = spawn(process.execPath, [bin, 'import', file, '--settings', settingsFile({ source: 'rapport', auth: 'oauth2', notify: { reportTo: 'office@example.com' } }), '--json', '--lang', 'nl'], {
        env: { ...env, DATABASE_URL: database.url, INTAKE_SECRET: 'cli-test-secret-0123456789', SMTP_URL: smtp.url },
        stdio: 'ignore',
      });
      expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
      const [mail] = smtp.messages.filter((m) => (m.to as { text: string }).text === 'office@example.com');
      expect(mail!.subject).toMatch(/^Import "rapport\.csv": 1 nieuw, 0 bijgewerkt, 0 met fouten — /);
      expect(mail!.text).toContain('Nieuwe accounts: 1');
    } finally {
      await smtp.stop();
    }
  });

  it('says on stderr and in the report where a school is made anew because several categories have its name', () => {
    const school = (email: string) => {
      const path = join(dir, `tweeling-${email}.csv`);
      writeFileSync(path, `E-mailadres;Voornaam;Achternaam;School;Klas\n${email};Tim;Twee;Tweelingschool;1T\n`);
      return path;
    };
    for (const [email, top] of [['t1@x.example', 'SCHOOLS'], ['t2@x.example', 'EXAM']] as const) {
      expect(intake('import', school(email), '--settings', settingsFile({ source: `tweeling-${top}`, matchOn: 'email', hierarchy: { top } }), '--json').code).toBe(0);
    }
    const run = intake('import', school('t3@x.example'), '--settings', settingsFile({ source: 'tweeling', matchOn: 'email' }), '--dry-run', '--json');
    expect(run.json()).toMatchObject({ newNodes: ['Tweelingschool'], ambiguousNodes: [{ name: 'Tweelingschool', places: ['Schools / Tweelingschool', 'Examens / Tweelingschool'] }] });
    expect(run.stderr).toContain('note: "Tweelingschool" would be made at the top level: the site has several categories of that name (Schools / Tweelingschool; Examens / Tweelingschool)');
  });

  it("says on stderr and in the report that a Mentor column of codes nobody on the site has was not imported, and how to map it anyway", () => {
    const file = join(dir, 'magister-mentor.csv');
    writeFileSync(file, 'Stamnr;Roepnaam;Achternaam;E-mailadres;Mentor\n8001;Ada;Aal;ada8@x.example;JNS\n8002;Bo;Berg;bo8@x.example;PDV\n');
    const run = intake('import', file, '--settings', settingsFile({ source: 'magister-mentor' }), '--dry-run', '--json');
    expect(run.json()).toMatchObject({ created: 2, errors: 0, notImported: ['Mentor'] });
    expect(run.json().columns.find((c: { header: string }) => c.header === 'Mentor')).toEqual({ header: 'Mentor', field: null, warning: 'names_nobody' });
    expect(run.stderr).toContain('note: the column "Mentor" was not imported as supervisors: its first values (JNS, PDV) are no account on this site; to link them anyway, map it ("mapping": { "Mentor": "supervisor" }): accounts this file makes are linked too');
  });

  it('dry-runs a Moodle-style file: every column used as Moodle\'s upload uses it', () => {
    const run = intake('import', fixture, '--settings', settingsFile({ source: 'moodle', password: { mode: 'file' } }), '--dry-run', '--json');
    expect(run.code).toBe(0);
    const report = run.json();
    // Both enrolled in math102, each in a group of it ("Section 3" made); each in a cohort too.
    expect(report).toMatchObject({ dryRun: true, rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 0, archived: 0, enrolments: 2, memberships: 4, groupsCreated: 1, newGroups: ['math102 / Section 3'] });
    // cohort1 adds members to cohorts by ID number, as in Moodle; course1 and group1 enrol in a course and its group.
    expect(report.columns.find((c: { header: string }) => c.header === 'cohort1').field).toBe('group');
    expect(report.columns.find((c: { header: string }) => c.header === 'group1').field).toBe('courseGroup');
    expect(report.notImported).toEqual([]);
  });

  it('keeps of a dry run the rows worth looking at again, as an import does, and counts every row', async () => {
    const file = join(dir, 'one-bad-row.csv');
    writeFileSync(file, 'username,firstname,lastname,email\nanna,Anna,Smit,anna@example.com\nbram,Bram,Bos,bram@@example\ncees,Cees,Kok,cees@example.com\n');
    const run = intake('import', file, '--settings', settingsFile({ source: 'dry-kept' }), '--dry-run', '--json');
    expect(run.json()).toMatchObject({ dryRun: true, rows: 3, created: 2, errors: 1 });
    const [kept] = await database.pool.query<RowDataPacket[]>(
      'SELECT r.line, r.outcome FROM intake_row r JOIN intake_import i ON i.id = r.import_id WHERE i.public_id = ?',
      [run.json().importId],
    );
    expect(kept.map((r) => [r.line, r.outcome])).toEqual([[3, 'error']]);
    // The report lists the row, who it is and what is wrong with it, so a script's trial run needs no second file.
    expect(run.json().problems).toEqual([
      { row: 3, outcome: 'error', username: 'bram', person: { name: 'Bram Bos' }, problems: [{ code: 'invalid_email', field: 'email', message: 'Email address "bram@@example" is not a valid e-mail address (name@domain, with no spaces and no accented letters)' }] },
    ]);
  });

  it('says every problem of a row at once in its report: an invalid cell and a name a new account needs', () => {
    const file = join(dir, 'two-problems.csv');
    writeFileSync(file, 'username,firstname,lastname,email\ndora,Dora,,dora@@example\n');
    const run = intake('import', file, '--settings', settingsFile({ source: 'all-at-once' }), '--dry-run', '--json');
    expect(run.json().problems).toMatchObject([{ row: 2, outcome: 'error', problems: [{ code: 'invalid_email', field: 'email' }, { code: 'required', field: 'lastname', message: 'Last name is required' }] }]);
  });

  it('writes the error report where --errors says, in the --lang asked for, and lists the problems on stderr', () => {
    const file = join(dir, 'two-bad-rows.csv');
    writeFileSync(file, 'username;firstname;lastname;email;dateofbirth\nanna;Anna;Smit;anna@example.com;\nbram;Bram;Bos;bram@@example;31-02-2012\ncees;Cees;Kok;;\n');
    const report = join(dir, 'two-bad-rows-errors.csv');
    const settings = settingsFile({ source: 'errors-file' });
    const run = intake('import', file, '--settings', settings, '--dry-run', '--errors', report, '--lang', 'nl');
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ rows: 3, created: 1, errors: 2, errorReport: report });
    const lines = readFileSync(report, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('intake_row,intake_outcome,intake_username,intake_field,intake_code,intake_message,username,firstname,lastname,email,dateofbirth');
    // One line a row, each of its problems in it, beside the row's own cells, in Dutch.
    expect(lines.slice(1)).toEqual([
      '3,error,bram,email | dateOfBirth,invalid_email | invalid_date,"E-mailadres ""bram@@example"" is geen geldig e-mailadres (naam@domein, zonder spaties en zonder letters met accenten) | Geboortedatum ""31-02-2012"" is geen datum (gebruik dd-mm-jjjj)",bram,Bram,Bos,bram@@example,31-02-2012',
      '4,error,cees,email,required,E-mailadres is verplicht,cees,Cees,Kok,,',
    ]);
    // Fixed and imported as it is: the report's own columns stay out of the mapping, every row imports.
    writeFileSync(report, readFileSync(report, 'utf8').replace('bram@@example,31-02-2012', 'bram@example.com,28-02-2012').replace('Kok,,', 'Kok,cees@example.com,'));
    const again = intake('import', report, '--settings', settings, '--dry-run', '--json');
    expect(again.json().notImported).toEqual(['intake_row', 'intake_outcome', 'intake_username', 'intake_field', 'intake_code', 'intake_message']);
    expect(again.json()).toMatchObject({ rows: 2, created: 2, errors: 0 });
    expect(run.stderr).toContain('rij 3 (bram), fout: E-mailadres "bram@@example" is geen geldig e-mailadres');
    expect(run.stderr).toContain('rij 3 (bram), fout: Geboortedatum "31-02-2012" is geen datum (gebruik dd-mm-jjjj)');
    expect(run.stderr).toContain('rij 4 (cees), fout: E-mailadres is verplicht');
    // A password from the file is never repeated in the report.
    const withPasswords = join(dir, 'passwords.csv');
    writeFileSync(withPasswords, 'username;wachtwoord;firstname;lastname;email\npw9;Geheim-Wachtwoord-9;Pia;Wolf;not-an-address\n');
    intake('import', withPasswords, '--settings', settingsFile({ source: 'errors-pw', password: { mode: 'file' } }), '--dry-run', '--errors', report);
    expect(readFileSync(report, 'utf8')).toContain('pw9,,Pia,Wolf,not-an-address');
    expect(readFileSync(report, 'utf8')).not.toContain('Geheim-Wachtwoord-9');
    // A report that cannot be written, or a language Intake does not speak, stops before anything runs.
    const nowhere = intake('import', file, '--errors', join(dir, 'no-such-dir', 'errors.csv'));
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain(`cannot write the error report to ${join(dir, 'no-such-dir', 'errors.csv')}: its folder does not exist`);
    expect(intake('import', file, '--errors', dir).stderr).toContain(`cannot write the error report to ${dir}: it is a folder, not a file`);
    // A report that would overwrite the file being imported (or its settings) is refused before either is touched.
    const before = readFileSync(file);
    const overwriting = intake('import', file, '--errors', file, '--json');
    expect(overwriting.code).toBe(2);
    expect(overwriting.json().error.message).toBe(`--errors ${file} is the file being imported: the error report would overwrite it; name another file`);
    // The refusal shows the import command's usage, not every command's.
    expect(overwriting.stderr).toContain('Usage: intake import <file>');
    expect(overwriting.stderr).not.toContain('credentials <import-id>');
    expect(readFileSync(file)).toEqual(before);
    const ownSettings = join(dir, 'errors-settings.json');
    writeFileSync(ownSettings, '{ "source": "errors" }');
    expect(intake('import', file, '--settings', ownSettings, '--errors', ownSettings).stderr).toContain('is the settings file: the error report would overwrite it');
    expect(readFileSync(ownSettings, 'utf8')).toBe('{ "source": "errors" }');
    expect(intake('import', file, '--lang', 'klingon').code).toBe(2);
  });

  it("names a workbook's other sheets of data, and reads one when the settings name it", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Instruktioner').addRow(['Fyll i bladen Elever och Lärare']);
    workbook.addWorksheet('Elever').addRows([['Förnamn', 'Efternamn', 'E-post'], ['Elsa', 'Berg', 'elsa@skola.example']]);
    // Other columns than the pupils' (a subject): a run of its own.
    workbook.addWorksheet('Lärare').addRows([['Förnamn', 'Efternamn', 'E-post', 'Ämne'], ['Karin', 'Ek', 'karin@skola.example', 'Matematik'], ['Olof', 'Ek', 'olof@skola.example', 'Svenska']]);
    const file = join(dir, 'kommun.xlsx');
    await workbook.xlsx.writeFile(file);
    const pupils = intake('import', file, '--settings', settingsFile({ source: 'kommun' }), '--dry-run');
    expect(pupils.json()).toMatchObject({ rows: 1, format: { sheet: 'Elever', otherDataSheets: ['Lärare'] } });
    expect(pupils.stderr).toContain('note: only the sheet "Elever" was read; other sheets hold data too: Lärare');
    const teachers = intake('import', file, '--settings', settingsFile({ source: 'kommun', file: { sheet: 'Lärare' } }), '--dry-run');
    expect(teachers.json()).toMatchObject({ rows: 2, created: 2, format: { sheet: 'Lärare', otherDataSheets: ['Elever'] } });
  });

  it("imports in one run a municipality's sheets of pupils and teachers (the teachers' without a class column), each in their role", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Instruktioner').addRow(['Fyll i bladen Elever och Lärare']);
    workbook.addWorksheet('Elever').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass', 'Skola'], ['Elsa', 'Berg', 'elsa.b@skola.example', '7A', 'Engelbrektskolan'], ['Nils', 'Holm', 'nils.h@skola.example', '7A', 'Engelbrektskolan']]);
    // The teachers' sheet has no class column (their class is no more than the pupils'): read with them all the same.
    workbook.addWorksheet('Lärare').addRows([['Förnamn', 'Efternamn', 'E-post', 'Skola'], ['Karin', 'Ek', 'karin.e@skola.example', 'Engelbrektskolan'], ['Elsa', 'Berg', 'elsa.b@skola.example', 'Engelbrektskolan']]);
    workbook.addWorksheet('Vårdnadshavare').addRows([['Förnamn', 'Efternamn', 'E-post'], ['Per', 'Berg', 'per@hem.example']]);
    const file = join(dir, 'kommun-roller.xlsx');
    await workbook.xlsx.writeFile(file);
    const run = intake('import', file, '--settings', settingsFile({ source: 'kommun-roller' }), '--errors', join(dir, 'kommun-fel.csv'));
    expect(run.json()).toMatchObject({ rows: 4, created: 3, errors: 1, format: { sheetsRead: ['Elever', 'Lärare'], sheetColumn: 'role', otherDataSheets: ['Vårdnadshavare'] } });
    expect(run.stderr).toContain('note: other sheets hold data in other columns: Vårdnadshavare');
    expect(run.stderr).toContain('note: the sheets "Elever", "Lärare" hold the first one’s columns (or some of them) and were read together; each row\'s sheet name is its role');
    // Each row is named with its sheet: in the summary and in the error report.
    expect(run.stderr).toContain('row 3 (Lärare), error: The same Email address already appears in row 2 (Elever)');
    expect(readFileSync(join(dir, 'kommun-fel.csv'), 'utf8')).toContain('3 (Lärare),error,');
    // The pupils are in the school's student group, the teacher in its teacher group (cohort sync gives them their courses).
    const [groups] = await database.pool.query<RowDataPacket[]>(
      "SELECT u.email, c.name FROM mdl_user u JOIN mdl_cohort_members m ON m.userid = u.id JOIN mdl_cohort c ON c.id = m.cohortid WHERE u.email LIKE '%.%@skola.example' ORDER BY u.email, c.name",
    );
    expect(groups.map((g) => `${g.email} ${g.name}`)).toEqual([
      'elsa.b@skola.example 7A',
      'elsa.b@skola.example Engelbrektskolan · Students',
      'karin.e@skola.example Engelbrektskolan · Teachers',
      'nils.h@skola.example 7A',
      'nils.h@skola.example Engelbrektskolan · Students',
    ]);
  });

  it('gives new accounts the language the settings name where a row names none, as Moodle\'s upload form does', async () => {
    const file = join(dir, 'languages.csv');
    writeFileSync(file, 'username;firstname;lastname;email;lang\nlang1;Lot;Bos;lang1@x.example;\nlang2;Elsa;Berg;lang2@x.example;sv\n');
    const run = intake('import', file, '--settings', settingsFile({ source: 'languages', auth: 'oauth2', lang: 'NL' }), '--json');
    expect(run.code, run.stderr).toBe(0);
    const [rows] = await database.pool.query<RowDataPacket[]>("SELECT username, lang FROM mdl_user WHERE username LIKE 'lang%' ORDER BY username");
    expect(rows.map((r) => [r.username, r.lang])).toEqual([['lang1', 'nl'], ['lang2', 'sv']]);

    // Not a language code, or not installed where the site says which are: refused before a row is read.
    const unreadable = intake('import', file, '--settings', settingsFile({ source: 'languages', lang: 'Dutch' }), '--json');
    expect(unreadable.code).toBe(1);
    expect(unreadable.json().error.message).toContain('lang: a language code as Moodle names its language packs');
    await database.pool.query("INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('local_intake', 'langs', 'en,nl')");
    try {
      const missing = intake('import', file, '--settings', settingsFile({ source: 'languages', auth: 'oauth2', lang: 'fi' }), '--json');
      expect(missing.code).toBe(1);
      expect(missing.json().error).toMatchObject({ code: 'invalid_settings', params: { setting: 'lang', lang: 'fi', installed: 'en, nl' } });
    } finally {
      await database.pool.query("DELETE FROM mdl_config_plugins WHERE plugin = 'local_intake' AND name = 'langs'");
    }
  });

  it('imports, then reports the same file as unchanged', () => {
    const settings = settingsFile({ source: 'moodle', password: { mode: 'file' } });
    expect(intake('import', fixture, '--settings', settings, '--json').json()).toMatchObject({ rows: 2, created: 2 });
    expect(intake('import', fixture, '--settings', settings, '--json').json()).toMatchObject({ rows: 2, created: 0, unchanged: 2 });
  });

  it('says in its report what it queued for whom, and on stderr when generated passwords reach nobody', async () => {
    const file = join(dir, 'told.csv');
    writeFileSync(file, 'username,firstname,lastname,email\ndirk,Dirk,Dam,dirk@example.com\n');
    const untold = intake('import', file, '--settings', settingsFile({ source: 'untold' }), '--json');
    expect(untold.json()).toMatchObject({ created: 1, mail: { pending: 0, sent: 0, failed: 0, expired: 0, failures: [], download: false } });
    expect(untold.stderr).toContain('1 new account got generated passwords that nobody is told (notify.credentials is "none")');
    // Left out without a key for the outbox: nobody can be told, and the note says how to change that.
    expect(untold.stderr).toContain('or set INTAKE_SECRET');

    writeFileSync(file, 'username,firstname,lastname,email\nelse,Else,Eik,else@example.com\n');
    const run = spawnSync(process.execPath, [bin, 'import', file, '--settings', settingsFile({ source: 'told', notify: { credentials: 'download', reportTo: 'office@example.com' } }), '--json'], {
      env: { ...process.env, DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000', INTAKE_SECRET: 'cli-test-secret-0123456789', SMTP_URL: '' },
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout);
    // The report mail waits for a worker (no SMTP server here); the logins wait for who ran the import.
    expect(report.mail).toMatchObject({ pending: 1, sent: 0, download: true });
    expect(run.stderr).toContain(`intake credentials ${report.importId} --out <csv-file>`);
    expect(run.stderr).toContain('1 message waits in the outbox (no SMTP_URL here)');
    expect(run.stderr).not.toContain('nobody is told');

    // Left out with a key: the logins wait in the download, said in the report and on stderr.
    writeFileSync(file, 'username,firstname,lastname,email\nfemke,Femke,Fok,femke@example.com\n');
    const keyedRun = spawnSync(process.execPath, [bin, 'import', file, '--settings', settingsFile({ source: 'told-default' }), '--json'], {
      env: { ...process.env, DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000', INTAKE_SECRET: 'cli-test-secret-0123456789', SMTP_URL: '' },
      encoding: 'utf8',
    });
    const keyedReport = JSON.parse(keyedRun.stdout);
    expect(keyedReport.defaultsChosen).toContainEqual({ setting: 'notify.credentials', value: 'download', reason: 'generated_passwords' });
    expect(keyedReport.mail).toMatchObject({ download: true });
    expect(keyedRun.stderr).toContain(`intake credentials ${keyedReport.importId} --out <csv-file>`);
    expect(keyedRun.stderr).not.toContain('nobody is told');

    // Taken from the command line, once, into a new file only its owner reads; the login verifies.
    const keyed = { ...process.env, DATABASE_URL: database.url, INTAKE_SECRET: 'cli-test-secret-0123456789' };
    const take = (out: string, ...more: string[]) => spawnSync(process.execPath, [bin, 'credentials', report.importId, '--out', out, ...more], { env: keyed, encoding: 'utf8' });
    const logins = join(dir, 'logins.csv');
    // A delimiter it does not know is refused before anything is taken.
    expect(take(logins, '--delimiter', 'pipe')).toMatchObject({ status: 2, stderr: expect.stringContaining('--delimiter must be one of comma, semicolon, tab') });
    // `--json` is taken as by every command that answers in JSON: a script passes it to all alike.
    const taken = take(logins, '--delimiter', 'semicolon', '--json');
    expect(taken.status).toBe(0);
    expect(JSON.parse(taken.stdout)).toEqual({ importId: report.importId, written: logins, logins: 1 });
    expect(statSync(logins).mode & 0o777).toBe(0o600);
    const [header, line] = readFileSync(logins, 'utf8').replace('\uFEFF', '').trim().split(/\r?\n/);
    expect(header).toBe('username;password;firstname;lastname;email');
    const [username, password] = line!.split(';');
    expect(username).toBe('else');
    const [[stored]] = await database.pool.query<RowDataPacket[]>("SELECT password FROM mdl_user WHERE username = 'else'");
    expect(verifyPasswordSync(password!, String(stored!.password))).toBe(true);
    // Never twice, never over another file, and nothing left behind when there is nothing to take.
    expect(take(logins)).toMatchObject({ status: 2, stderr: expect.stringContaining(`cannot write the logins to ${logins}: a file of that name exists already, and is not overwritten`) });
    const again = take(join(dir, 'again.csv'));
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('gone');
    expect(existsSync(join(dir, 'again.csv'))).toBe(false);
    // A dry run queues nothing and says nothing of mail.
    expect(intake('import', file, '--settings', settingsFile({ source: 'told' }), '--dry-run', '--json').json().mail).toBeUndefined();
  });

  it('exits 1 with a coded error for a rejected file or settings, and 2 on usage errors', () => {
    const pdf = join(dir, 'list.csv');
    writeFileSync(pdf, '%PDF-1.5\n');
    const rejected = intake('import', pdf, '--json');
    expect(rejected.code).toBe(1);
    expect(rejected.json()).toMatchObject({ error: { code: 'not_csv' } });
    const badSettings = intake('import', fixture, '--settings', settingsFile({ source: 'x', matchOn: 'nickname' }));
    expect(badSettings.code).toBe(1);
    expect(badSettings.json()).toMatchObject({ error: { code: 'invalid_settings' } });
    // A settings file may keep comments and trailing commas (the README's example has them); a slip is
    // told by its line and column.
    const commented = join(dir, 'commented.jsonc');
    writeFileSync(commented, '{ "source": "commented", // the feed\n  "actions": { "add": true, "update": true, },\n  /* where */ "matchOn": "username",\n}\n');
    expect(intake('import', fixture, '--settings', commented, '--dry-run', '--json').code).toBe(0);
    const slip = join(dir, 'slip.json');
    writeFileSync(slip, '{ "source": "slip"\n  "matchOn": "username" }\n');
    const slipped = intake('import', fixture, '--settings', slip, '--json');
    expect(slipped.code).toBe(1);
    expect(slipped.json()).toMatchObject({ error: { code: 'invalid_settings', params: { line: 2, column: 3 } } });
    expect(slipped.json().error.message).toContain('line 2, column 3: a comma was expected');
    const absent = intake('import', fixture, '--settings', join(dir, 'absent.json'), '--json');
    expect(absent.json().error.message).toContain('there is no such file');
    expect(intake('import', fixture, '--settings', dir, '--json').json().error.message).toBe(`Cannot read settings from ${dir}: it is a folder, not a file.`);
    expect(intake('import').code).toBe(2);
    const missing = intake('import', join(dir, 'missing.csv'), '--json');
    expect(missing.code).toBe(2);
    expect(missing.json()).toEqual({ error: { code: 'invalid_request', message: `no such file: ${join(dir, 'missing.csv')}` } });
    const folder = intake('import', dir, '--json');
    expect(folder.code).toBe(2);
    expect(folder.json().error.message).toBe(`${dir} is a folder: import needs the CSV or XLSX file itself`);
    expect(intake('frobnicate').code).toBe(2);
    // Every command that answers in JSON does so for a usage error too.
    for (const args of [['undo'], ['imports', 'extra'], ['sweep', '--dry-run'], ['credentials', 'some-id']]) {
      const refused = intake(...args);
      expect({ args, exit: refused.code, answer: refused.json().error.code }).toEqual({ args, exit: 2, answer: 'invalid_request' });
    }
    // An option slipped is answered with the one meant, not Node's advice on positional arguments.
    const mistyped = intake('import', fixture, '--dryrun');
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain('intake: unknown option --dryrun (did you mean --dry-run?)');
    expect(intake('imprts').stderr).toContain('intake: unknown command: imprts (did you mean imports?)');
    expect(intake('import', 'x.csv', '--dryrn').stderr).toContain('intake: unknown option --dryrn (did you mean --dry-run?)');
    expect(intake('sweep', '--dry-run').code).toBe(2);
    // A port no server can listen on is a usage error, not Node's message about options.port.
    const port = intake('serve', '--port', '99999');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('intake: --port must be a whole number from 0 to 65535, not "99999"');
    // Help on one command is that command's usage, asked for: not an unknown option.
    const help = intake('undo', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: intake undo <import-id> \[--over-later-changes\] \[--json\]\n/);
    expect(help.stdout).not.toContain('credentials');
    expect(intake('import', '-h').stdout).toContain('Usage: intake import <file>');
    const version = intake('--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it("says in the database's own words why it cannot be used, never showing the password", () => {
    const run = (url: string) => spawnSync(process.execPath, [bin, 'import', fixture, '--json'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
    const missing = run(`${database.url}_missing`);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`does not exist (Unknown database '${database.url.split('/').pop()}_missing'): \`intake migrate\` creates it`);
    const refused = run('mysql://root:s3cret-pw@127.0.0.1:1/intake');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('mysql://root:***@127.0.0.1:1/intake cannot be reached (connect ECONNREFUSED 127.0.0.1:1)');
    expect(refused.stderr).not.toContain('s3cret-pw');
    // The one JSON object on stdout says so too, for a script.
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'host_unavailable', params: { reason: expect.stringContaining('cannot be reached') } } });
    expect(refused.stdout).not.toContain('s3cret-pw');
    // A login the server refuses is the database's answer, not an import that "stopped".
    const stranger = run(`mysql://no_such_user@127.0.0.1:3306/${database.url.split('/').pop()}`);
    expect(stranger.status).toBe(1);
    expect(JSON.parse(stranger.stdout)).toMatchObject({ error: { code: 'host_unavailable', params: { reason: expect.stringContaining("answered: Access denied for user 'no_such_user'") } } });
  });
});

describe('intake import, when a statement fails', () => {
  it("says why in the database's own words, not only which SQL failed, and answers a script in JSON", async () => {
    // A rule of this site's own (a CHECK constraint) refuses the import's record: a failure that is not about reaching the database.
    await database.pool.query("ALTER TABLE intake_import ADD CONSTRAINT no_blocked_files CHECK (file_name <> 'blocked.csv')");
    try {
      const blocked = join(dir, 'blocked.csv');
      writeFileSync(blocked, 'username;firstname;lastname;email\nblock1;Bo;Lock;bo@school.example\n');
      const run = intake('import', blocked, '--json');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^intake: CONSTRAINT `no_blocked_files` failed for `[^`]+`\.`intake_import` \(Failed query: insert into `intake_import`/);
      expect(run.json()).toEqual({ error: { code: 'internal', message: expect.stringContaining('The import stopped: CONSTRAINT `no_blocked_files` failed'), params: { reason: expect.stringContaining('no_blocked_files') } } });
    } finally {
      await database.pool.query('ALTER TABLE intake_import DROP CONSTRAINT no_blocked_files');
    }
  });
});

describe('the other commands, on a host whose tables use another prefix', () => {
  it('migrate, demo-host, import, sweep and token work with INTAKE_TABLE_PREFIX=moodle_', async () => {
    // A database of its own, built by the commands as a host maintainer would.
    const other = `${database.url}_prefixed`;
    const run = (...args: string[]) => {
      const result = spawnSync(process.execPath, [bin, ...args], {
        env: { ...process.env, DATABASE_URL: other, INTAKE_TABLE_PREFIX: 'moodle_', INTAKE_HASH_ROUNDS: '1000', INTAKE_SECRET: 'cli-secret-0123456789abcdef' },
        encoding: 'utf8',
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    try {
      expect(run('demo-host').code).toBe(0);
      expect(run('migrate').code).toBe(0);
      const tables = (await database.pool.query<RowDataPacket[]>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?', [new URL(other).pathname.slice(1)]))[0].map((t) => String(t.name));
      expect(tables).toContain('moodle_user');
      expect(tables).toContain('intake_import');
      expect(tables.filter((t) => t.startsWith('mdl_'))).toEqual([]);

      const file = join(dir, 'prefixed.csv');
      writeFileSync(file, 'username;firstname;lastname;email;valid until\npre1;Pre;Fix;pre1@x.example;01-01-2020\n');
      const imported = run('import', file, '--settings', settingsFile({ source: 'prefixed', group: { create: 'Prefixed group' }, supervisors: ['mbakker'] }), '--json');
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ created: 1, groupsCreated: 1, memberships: 1, supervisorLinks: 1 });
      const schema = `\`${new URL(other).pathname.slice(1)}\``;
      const [users] = await database.pool.query<RowDataPacket[]>(`SELECT suspended FROM ${schema}.moodle_user WHERE username = 'pre1'`);
      expect(users).toEqual([{ suspended: 0 }]);

      // The validity ended in 2020: the sweep suspends the account and ends its group supervision.
      const swept = run('sweep');
      expect(swept.code).toBe(0);
      expect(JSON.parse(swept.stdout)).toMatchObject({ expired: 1, supervisionEnded: 1 });
      const [after] = await database.pool.query<RowDataPacket[]>(`SELECT suspended FROM ${schema}.moodle_user WHERE username = 'pre1'`);
      expect(after).toEqual([{ suspended: 1 }]);

      const token = run('token', '2');
      expect(token.code).toBe(0);
      const { verifyToken } = await import('../../server/http/token.js');
      expect(await verifyToken('cli-secret-0123456789abcdef', token.stdout.trim())).toMatchObject({ ok: true, payload: { sub: 2 } });
      expect(run('token', 'abc').code).toBe(2);
      // Nobody the API would take a token from gets one: no such user, or one that is suspended.
      expect(run('token', '99999')).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('no active host user has id 99999') });
      expect(run('token', '-1').code).toBe(2);
    } finally {
      await dropDatabase(other);
    }
  });
});

/**
 * The command runs its import in a child process (for its heap limit) that follows a killed parent within
 * half a second, and a killed client's last statement still finishes on the server. A worker marks an
 * import interrupted after a minute of silence; marked at once here, the test first waits until this
 * database's server threads are idle, so it counts what the dead import really left.
 */
async function untilDeadWorkEnds(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  const name = new URL(database.url).pathname.slice(1);
  for (let i = 0; i < 200; i++) {
    const [rows] = await database.pool.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND command <> 'Sleep' AND id <> CONNECTION_ID()",
      [name],
    );
    if (Number(rows[0]!.n) === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('intake undo and intake imports', () => {
  const status = async (publicId: string) =>
    (await database.pool.query<RowDataPacket[]>('SELECT status, claimed_by AS claimedBy FROM intake_import WHERE public_id = ?', [publicId]))[0][0] as { status: string; claimedBy: string | null };
  const importOnce = (name: string, rows: number) => {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, ['username;firstname;lastname;email', ...Array.from({ length: rows }, (_, i) => `${name}${i};U;Ndo ${i};${name}${i}@x.example`)].join('\n'));
    const run = intake('import', file, '--settings', settingsFile({ source: name, auth: 'oauth2', group: { create: `${name} group` } }), '--json');
    expect(run.code, run.stderr).toBe(0);
    return { file, importId: run.json().importId as string };
  };
  const users = async (prefix: string) => Number((await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE ?', [`${prefix}%`]))[0][0]!.n);

  /** A server's job worker, running while `work` does. */
  const withWorker = async (work: () => Promise<void>) => {
    const { startWorker } = await import('../../server/jobs/worker.js');
    const { readEnv } = await import('../../server/engine/env.js');
    const { PasswordPool } = await import('../../server/host/hashing/password-pool.js');
    const { FileCipher } = await import('../../server/store/file-cipher.js');
    const passwords = new PasswordPool({ scheme: 'sha512', rounds: 1000 }, 1);
    const worker = startWorker({ database, env: readEnv({ DATABASE_URL: database.url }), passwords, files: new FileCipher('cli-test-secret-0123456789') }, { pollMs: 50, log: () => undefined });
    try {
      await work();
    } finally {
      await worker.stop();
      await passwords.close();
    }
  };
  const until = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
  };

  it('undoes an import from the command line, says what it undid, and refuses what cannot be undone', async () => {
    const { importId } = importOnce('undocli', 3);
    expect(await users('undocli')).toBe(3);
    const run = intake('undo', importId);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ importId, status: 'undone', file: 'undocli.csv', undid: { created: 3, memberships: 3, groupsCreated: 1 }, laterChanges: { imports: 0, people: 0, kept: true } });
    expect(await users('undocli')).toBe(0);
    expect((await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_cohort WHERE name = 'undocli group'"))[0]).toEqual([]);
    expect(await status(importId)).toEqual({ status: 'undone', claimedBy: null });
    // The history lists it, found by its file or feed, with what it did.
    // --json as `import` takes it: these answer in JSON anyway, and a script may pass it to every command.
    const listed = intake('imports', '--search', 'undocli', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json()).toMatchObject({ total: 1, imports: [{ importId, file: 'undocli.csv', source: 'undocli', status: 'undone', counts: { created: 3 } }] });
    expect(intake('imports', '--limit', 'many').code).toBe(2);

    const again = intake('undo', importId, '--json');
    expect(again.code).toBe(1);
    expect(again.json().error).toMatchObject({ code: 'conflict', params: { status: 'undone' } });
    const unknown = intake('undo', 'no-such-import');
    expect(unknown.code).toBe(1);
    expect(unknown.json().error.code).toBe('not_found');
    expect(intake('undo').code).toBe(2);
  });

  it('keeps what a later import changed again unless --over-later-changes, and says so', async () => {
    const { file, importId } = importOnce('undolater', 2);
    // A later import renames one of the people this one created.
    writeFileSync(file, readFileSync(file, 'utf8').replace('undolater0;U;Ndo 0', 'undolater0;U;Renamed'));
    expect(intake('import', file, '--settings', settingsFile({ source: 'undolater', auth: 'oauth2' }), '--json').json()).toMatchObject({ updated: 1 });
    const run = intake('undo', importId);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().laterChanges).toEqual({ imports: 1, people: 1, kept: true });
    expect(run.stderr).toContain('1 later import(s) changed 1 of the same people since');
    // Accounts this import created go all the same.
    expect(await users('undolater')).toBe(0);
  });

  it("finishes an undo whose command died, and leaves alone one that another command is running", async () => {
    const dead = importOnce('undodead', 2);
    // What a killed `intake undo` leaves: its claim, no heartbeat for minutes, nothing undone (one transaction).
    await database.pool.query("UPDATE intake_import SET status = 'undoing', claimed_by = 'cli:elsewhere:1', heartbeat_at = NOW(3) - INTERVAL 5 MINUTE WHERE public_id = ?", [dead.importId]);
    const taken = intake('undo', dead.importId);
    expect(taken.code, taken.stderr).toBe(0);
    expect(await users('undodead')).toBe(0);
    expect(await status(dead.importId)).toEqual({ status: 'undone', claimedBy: null });

    // With a server running, its worker finishes such an undo by itself (an undo needs no file from the command's disk).
    const orphan = importOnce('undoorphan', 2);
    await database.pool.query("UPDATE intake_import SET status = 'undoing', claimed_by = 'cli:elsewhere:3', heartbeat_at = NOW(3) - INTERVAL 5 MINUTE WHERE public_id = ?", [orphan.importId]);
    await withWorker(() => until(async () => (await status(orphan.importId)).status === 'undone'));
    expect(await status(orphan.importId)).toEqual({ status: 'undone', claimedBy: null });
    expect(await users('undoorphan')).toBe(0);

    const busy = importOnce('undobusy', 2);
    await database.pool.query("UPDATE intake_import SET status = 'undoing', claimed_by = 'cli:elsewhere:2', heartbeat_at = NOW(3) WHERE public_id = ?", [busy.importId]);
    const refused = intake('undo', busy.importId);
    expect(refused.code).toBe(1);
    expect(refused.json().error.message).toBe('This import is being undone by another process right now (or by one that stopped less than 60 seconds ago: it can be undone again once that has passed).');
    expect(await users('undobusy')).toBe(2);
  });
  it('puts an import whose undo keeps failing back as it was, with the reason, instead of trying it forever', async () => {
    const { importId } = importOnce('undofail', 2);
    // A table the undo must write to is gone: the undo fails, the same way every time.
    await database.pool.query('RENAME TABLE intake_source_class TO intake_source_class_away');
    try {
      await database.pool.query("UPDATE intake_import SET status = 'undoing', undone_from = 'done' WHERE public_id = ?", [importId]);
      await withWorker(() => until(async () => (await status(importId)).status !== 'undoing'));
    } finally {
      await database.pool.query('RENAME TABLE intake_source_class_away TO intake_source_class');
    }
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT status, undone_from AS undoneFrom, error FROM intake_import WHERE public_id = ?', [importId]);
    expect(record).toMatchObject({ status: 'done', undoneFrom: null });
    expect(typeof record!.error === 'string' ? JSON.parse(record!.error) : record!.error).toMatchObject({ code: 'undo_failed', params: { reason: expect.stringContaining('intake_source_class') } });
    // Nothing of it was undone, and once the cause is gone it undoes.
    expect(await users('undofail')).toBe(2);
    // So does the command: it says why, and leaves the import as it was.
    await database.pool.query('RENAME TABLE intake_source_class TO intake_source_class_away');
    try {
      const failed = intake('undo', importId);
      expect(failed.code).toBe(1);
      expect(failed.json().error).toMatchObject({ code: 'undo_failed', params: { reason: expect.stringContaining('intake_source_class') } });
    } finally {
      await database.pool.query('RENAME TABLE intake_source_class_away TO intake_source_class');
    }
    expect((await status(importId)).status).toBe('done');
    expect(await users('undofail')).toBe(2);
    expect(intake('undo', importId).code).toBe(0);
    expect(await users('undofail')).toBe(0);
  });
});

describe('an import command whose reader goes away', () => {
  it('goes on to the end when what reads its output is closed after the first line (`intake import … | head -1`)', async () => {
    const rows = 5_000;
    const file = join(dir, 'unread.csv');
    writeFileSync(file, ['username;firstname;lastname;email', ...Array.from({ length: rows }, (_, i) => `unread${i};U;Nread ${i};unread${i}@x.example`)].join('\n'));
    const child = spawn(process.execPath, [bin, 'import', file, '--settings', settingsFile({ source: 'unread', auth: 'oauth2' })], { env: { ...process.env, DATABASE_URL: database.url } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Its first line read, both of its pipes are closed: every later write of it meets a closed pipe.
    await new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
    child.stderr.destroy();
    child.stdout.destroy();
    expect(await exited).toBe(0);
    const [[written]] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'unread%'");
    expect(Number(written!.n)).toBe(rows);
    const [[record]] = await database.pool.query<RowDataPacket[]>("SELECT status FROM intake_import WHERE file_name = 'unread.csv'");
    expect(record!.status).toBe('done');
  });
});

describe('an import command killed mid-way', () => {
  it('says its import id first, is marked interrupted, resumes to the same end state, and undoes completely', async () => {
    const rows = 30_000;
    const file = join(dir, 'killed.csv');
    writeFileSync(file, ['username;firstname;lastname;email', ...Array.from({ length: rows }, (_, i) => `kill${i};K;Ill ${i};kill${i}@x.example`)].join('\n'));
    const settings = settingsFile({ source: 'killed', auth: 'oauth2', group: { create: 'Killed group' } });
    const count = async () => Number((await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'kill%'"))[0][0]!.n);
    const before = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM mdl_user');

    const child = spawn(process.execPath, [bin, 'import', file, '--settings', settings, '--json'], { env: { ...process.env, DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Killed as soon as some batches are in, well before the last.
    for (let i = 0; i < 400 && (await count()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    await untilDeadWorkEnds();
    const written = await count();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(rows);
    const importId = /^importId (\S+)$/m.exec(stderr)?.[1];
    expect(importId).toBeDefined();
    // Resumed at once, before its heartbeat has been missed for a minute: refused, saying when it can be.
    const early = intake('import', file, '--resume', importId!, '--json');
    expect(early.code).toBe(2);
    expect(early.json().error.message).toBe(`import ${importId} is running (or its command stopped less than 60 seconds ago: it can be resumed once that has passed): only an interrupted or failed import can be resumed`);

    // Its heartbeat stopped: the record says so (a worker checks this every 30 s; here at once).
    const { markInterrupted } = await import('../../server/store/jobs.js');
    expect(await markInterrupted(database.pool, 0)).toBe(1);
    const status = async () => String((await database.pool.query<RowDataPacket[]>('SELECT status FROM intake_import WHERE public_id = ?', [importId]))[0][0]!.status);
    expect(await status()).toBe('interrupted');

    // Resumed under the same id: every row ends up written once, and the group holds everyone.
    const resumed = intake('import', file, '--resume', importId!, '--json');
    expect(resumed.code).toBe(0);
    // The report counts what the killed attempt created too: no account hides as "unchanged".
    expect(resumed.json()).toMatchObject({ importId, rows, errors: 0, created: rows, unchanged: 0 });
    expect(await count()).toBe(rows);
    const [[members]] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid WHERE c.name = 'Killed group'");
    expect(Number(members!.n)).toBe(rows);
    expect(await status()).toBe('done');

    // Undo reverses both runs from the one change log.
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT id FROM intake_import WHERE public_id = ?', [importId]);
    const { undoImport } = await import('../../server/host/undo.js');
    await undoImport(database.pool, Number(record!.id));
    expect(await count()).toBe(0);
    expect(await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM mdl_user')).toEqual(before);
    expect(await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_cohort WHERE name = 'Killed group'").then(([r]) => r)).toEqual([]);
  }, 120_000);
});

describe('logins of an import killed mid-way', () => {
  it('are each held sealed with its account, and told exactly once when the import is resumed', async () => {
    const rows = 20_000;
    const secret = 'cli-logins-secret-0123456789';
    const env = { ...process.env, DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000', INTAKE_SECRET: secret };
    const file = join(dir, 'logins.csv');
    writeFileSync(file, ['username;firstname;lastname;email', ...Array.from({ length: rows }, (_, i) => `login${i};L;Ogin ${i};login${i}@x.example`)].join('\n'));
    const settings = settingsFile({ source: 'logins', group: { create: 'Logins group' }, notify: { credentials: 'download' } });
    const scalar = async (sql: string, params: unknown[] = []) => Number((await database.pool.query<RowDataPacket[]>(sql, params))[0][0]!.n);
    const created = () => scalar("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'login%'");

    const child = spawn(process.execPath, [bin, 'import', file, '--settings', settings, '--json'], { env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 800 && (await created()) < 2000; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGKILL');
    await exited;
    await untilDeadWorkEnds();
    const importId = /^importId (\S+)$/m.exec(stderr)![1]!;
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT id FROM intake_import WHERE public_id = ?', [importId]);
    const written = await created();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(rows);
    // Every account written before the kill has exactly one sealed login, and nothing is in plaintext.
    expect(await scalar('SELECT COUNT(*) AS n FROM intake_pending_login WHERE import_id = ?', [record!.id])).toBe(written);
    expect(await scalar("SELECT COUNT(DISTINCT l.user_id) AS n FROM intake_pending_login l JOIN mdl_user u ON u.id = l.user_id WHERE u.username LIKE 'login%'")).toBe(written);
    expect(await scalar("SELECT COUNT(*) AS n FROM intake_pending_login WHERE sealed LIKE '%login1%'")).toBe(0);

    const { markInterrupted } = await import('../../server/store/jobs.js');
    await markInterrupted(database.pool, 0);
    const resumed = spawnSync(process.execPath, [bin, 'import', file, '--resume', importId, '--json'], { env, encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await created()).toBe(rows);
    // The held logins moved into the one-time download, all of them, the killed attempt's too.
    expect(await scalar('SELECT COUNT(*) AS n FROM intake_pending_login WHERE import_id = ?', [record!.id])).toBe(0);
    const { Sealer } = await import('../../server/mail/seal.js');
    const { takeDownload } = await import('../../server/mail/outbox.js');
    const download = await takeDownload(database.pool, new Sealer(secret), Number(record!.id), 2);
    const lines = download!.text!.trim().split(/\r?\n/).slice(1);
    expect(lines).toHaveLength(rows);
    expect(new Set(lines.map((l) => l.split(/[;,]/)[0])).size).toBe(rows);
  }, 180_000);
});
