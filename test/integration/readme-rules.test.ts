/**
 * The rules README.md promises, one test each where no other test holds them: status, forced password
 * change, single sign-on, bcrypt end to end, empty cells, archive never reaching admins or the guest,
 * undo of an archive.
 */
import { describe, expect, it } from 'vitest';
import { verifyPasswordSync } from '../../server/host/hashing/password-hash.js';
import { undoImport } from '../../server/host/undo.js';
import { engineFor } from '../support/engine.js';
import { bytesOf } from '../support/files.js';
import { engineTestbed } from '../support/testbed.js';

const bed = engineTestbed('rules');
const { query } = bed;
const userNamed = async (username: string) => (await query('SELECT * FROM mdl_user WHERE username = ?', [username]))[0]!;
const preferencesOf = async (username: string) =>
  (await query('SELECT p.name, p.value FROM mdl_user_preferences p JOIN mdl_user u ON u.id = p.userid WHERE u.username = ? ORDER BY p.name', [username])).map((p) => `${p.name}=${p.value}`);

describe('account settings', () => {
  it('status "suspended" creates suspended accounts', async () => {
    await bed.engine.run(bytesOf('username;firstname;lastname;email\nsusa;Sus;Anne;susa@x.example'), { source: 'rules-status', status: 'suspended' });
    expect((await userNamed('susa')).suspended).toBe(1);
  });

  it("a suspended column gives each row its own status in place of the settings' (Moodle's upload reads the same column)", async () => {
    const file = (a: string, b: string) => bytesOf(`username;firstname;lastname;email;Geschorst\nrowsus1;Ro;W;rowsus1@x.example;${a}\nrowsus2;Ro;W;rowsus2@x.example;${b}\nrowsus3;Ro;W;rowsus3@x.example;\n`);
    const first = await bed.engine.run(file('ja', 'nee'), { source: 'rules-row-status', status: 'suspended', auth: 'oauth2' });
    expect(first.counts).toMatchObject({ created: 3, errors: 0 });
    const statuses = async () => (await query("SELECT username, suspended FROM mdl_user WHERE username LIKE 'rowsus%' ORDER BY username")).map((u) => `${u.username}=${u.suspended}`);
    expect(await statuses()).toEqual(['rowsus1=1', 'rowsus2=0', 'rowsus3=1']);
    // The next file lets the first in and suspends the second; the third follows the settings (now active).
    const again = await bed.engine.run(file('nee', 'ja'), { source: 'rules-row-status', auth: 'oauth2' });
    expect(again.counts).toMatchObject({ updated: 3, errors: 0 });
    expect(await statuses()).toEqual(['rowsus1=0', 'rowsus2=1', 'rowsus3=0']);
    const invalid = await bed.engine.run(file('misschien', ''), { source: 'rules-row-status', auth: 'oauth2' }, 'preview');
    expect(invalid.counts).toMatchObject({ errors: 1 });
  });

  it('forcePasswordChange sets auth_forcepasswordchange on new accounts; a generated password always does', async () => {
    await bed.engine.run(bytesOf('username;firstname;lastname;email;password\nforce1;For;Ce;force1@x.example;Sterk-Wachtwoord-1'), { source: 'rules-force', forcePasswordChange: true, password: { mode: 'file' } });
    await bed.engine.run(bytesOf('username;firstname;lastname;email;password\nfree1;Fr;Ee;free1@x.example;Sterk-Wachtwoord-2'), { source: 'rules-force', password: { mode: 'file' } });
    // As Moodle's send_new_user_passwords task does after telling a generated password.
    await bed.engine.run(bytesOf('username;firstname;lastname;email\ngen1;Ge;N;gen1@x.example'), { source: 'rules-force' });
    expect(await preferencesOf('force1')).toEqual(['auth_forcepasswordchange=1']);
    expect(await preferencesOf('free1')).toEqual([]);
    expect(await preferencesOf('gen1')).toEqual(['auth_forcepasswordchange=1']);
  });

  it("passwords from the file, and with generateMissing one made where a cell is empty (Moodle's \"Create password if needed\"), changed at first login", async () => {
    const file = bytesOf('username;firstname;lastname;email;password\nmix1;Mi;X;mix1@x.example;Sterk-Wachtwoord-7\nmix2;Mi;X;mix2@x.example;\n');
    const strict = await bed.engine.run(file, { source: 'rules-mixed', password: { mode: 'file' } }, 'preview');
    expect(strict.counts).toMatchObject({ created: 1, errors: 1 });
    const run = await bed.engine.run(file, { source: 'rules-mixed', password: { mode: 'file', generateMissing: true } });
    expect(run.counts).toMatchObject({ created: 2, errors: 0 });
    expect(verifyPasswordSync('Sterk-Wachtwoord-7', (await userNamed('mix1')).password)).toBe(true);
    expect((await userNamed('mix2')).password).toMatch(/^\$6\$/);
    // The generated one is changed at first login, as with every generated password; the file's strong one is not.
    expect(await preferencesOf('mix1')).toEqual([]);
    expect(await preferencesOf('mix2')).toEqual(['auth_forcepasswordchange=1']);
  });

  it('single sign-on accounts get the method and no password ("not cached"); a method the site has not enabled is refused', async () => {
    await bed.engine.run(bytesOf('username;firstname;lastname;email\nsso1;Sin;Gle;sso1@x.example'), { source: 'rules-sso', auth: 'oauth2', notify: { credentials: 'none' } });
    expect(await userNamed('sso1')).toMatchObject({ auth: 'oauth2', password: 'not cached' });
    await expect(bed.engine.run(bytesOf('username;firstname;lastname;email\nsso2;Sin;Gle;sso2@x.example'), { source: 'rules-sso', auth: 'cas' })).rejects.toMatchObject({ code: 'auth_not_enabled' });
  });

  it('bcrypt end to end: $2y$ hashes (as PHP writes them) that verify against the file\'s password', async () => {
    const bcrypt = engineFor(bed.database, { env: { INTAKE_HASH_SCHEME: 'bcrypt', INTAKE_BCRYPT_COST: '5' } });
    try {
      await bcrypt.run(bytesOf('username;firstname;lastname;email;password\nbc1;Bee;Cee;bc1@x.example;Sterk-Wachtwoord-9'), { source: 'rules-bcrypt', password: { mode: 'file' } });
    } finally {
      await bcrypt.close();
    }
    const { password } = await userNamed('bc1');
    expect(password).toMatch(/^\$2y\$05\$[./A-Za-z0-9]{53}$/);
    expect(verifyPasswordSync('Sterk-Wachtwoord-9', password)).toBe(true);
    expect(verifyPasswordSync('Sterk-Wachtwoord-8', password)).toBe(false);
  });
});

describe('updates', () => {
  it('an empty cell leaves the account\'s value as it is', async () => {
    await bed.engine.run(bytesOf('username;firstname;lastname;email;city;department\nempty1;Em;Pty;empty1@x.example;Utrecht;Bèta'), { source: 'rules-empty' });
    const again = await bed.engine.run(bytesOf('username;firstname;lastname;email;city;department\nempty1;Em;Pty;empty1@x.example;;Alfa'), { source: 'rules-empty' });
    expect(again.counts).toMatchObject({ updated: 1 });
    expect(await userNamed('empty1')).toMatchObject({ city: 'Utrecht', department: 'Alfa' });
  });

  it('phone numbers and an address land in Moodle\'s profile columns, and change there', async () => {
    await bed.engine.run(bytesOf('Gebruikersnaam;Voornaam;Achternaam;E-mail;Telefoon;Mobiel;Adres\ntel1;Te;Lefoon;tel1@x.example;030 123 4567;06 1234 5678;Dorpsstraat 1'), { source: 'rules-phone' });
    expect(await userNamed('tel1')).toMatchObject({ phone1: '030 123 4567', phone2: '06 1234 5678', address: 'Dorpsstraat 1' });
    const moved = await bed.engine.run(bytesOf('Gebruikersnaam;Voornaam;Achternaam;E-mail;Mobiel;Adres\ntel1;Te;Lefoon;tel1@x.example;06 1234 5678;Kerkstraat 2'), { source: 'rules-phone' });
    expect(moved.counts).toMatchObject({ updated: 1 });
    expect(await userNamed('tel1')).toMatchObject({ phone1: '030 123 4567', address: 'Kerkstraat 2' });
  });
});

describe('archive', () => {
  it('never suspends site admins or the guest, even in the import\'s group; undo lifts what it suspended', async () => {
    await bed.engine.run(bytesOf('username;firstname;lastname;email\nstay1;St;Ay;stay1@x.example\nleave1;Le;Ave;leave1@x.example'), { source: 'rules-archive', group: { create: 'Archive rule group' } });
    const [group] = await query("SELECT id FROM mdl_cohort WHERE name = 'Archive rule group'");
    // The admin (2) and the guest (1) are members of the group too: within archive scope, yet out of reach.
    await query('INSERT INTO mdl_cohort_members (cohortid, userid, timeadded) VALUES (?, 1, 0), (?, 2, 0)', [group!.id, group!.id]);
    const settings = { source: 'rules-archive', group: { existing: 'Archive rule group' }, actions: { add: true, update: true, archive: true } };
    const archived = await bed.engine.run(bytesOf('username;firstname;lastname;email\nstay1;St;Ay;stay1@x.example'), settings);
    expect(archived.counts.archived).toBe(1);
    const suspended = async () => (await query("SELECT username FROM mdl_user WHERE suspended = 1 AND username IN ('guest', 'admin', 'stay1', 'leave1')")).map((u) => u.username);
    expect(await suspended()).toEqual(['leave1']);
    await undoImport(bed.database.pool, archived.importId);
    expect(await suspended()).toEqual([]);
  });
});

describe('rows as Moodle writes them', () => {
  it('new categories inherit the parent\'s visibility with FORMAT_MOODLE descriptions; cohorts get theme \'\'; the file\'s emailstop is kept', async () => {
    await query("UPDATE mdl_course_categories SET visible = 0 WHERE idnumber = 'EXAM'");
    const file = ['username;firstname;lastname;email;school;class;geen e-mail', 'hid1;Hi;D;hid1@x.example;Verborgen;H1;ja', 'hid2;Hi;D;hid2@x.example;Verborgen;H1;nee'].join('\n');
    await bed.engine.run(bytesOf(file), { source: 'rules-hidden', hierarchy: { top: 'EXAM' } });
    const [node] = await query("SELECT visible, visibleold, descriptionformat FROM mdl_course_categories WHERE name = 'Verborgen'");
    expect(node).toEqual({ visible: 0, visibleold: 1, descriptionformat: 0 });
    const [cohort] = await query("SELECT theme FROM mdl_cohort WHERE name = 'H1'");
    expect(cohort).toEqual({ theme: '' });
    expect((await query("SELECT username, emailstop FROM mdl_user WHERE username IN ('hid1', 'hid2') ORDER BY username")).map((u) => `${u.username}:${u.emailstop}`)).toEqual(['hid1:1', 'hid2:0']);
  });
});

describe("Moodle's upload columns for the account's own preferences", () => {
  const problemsOf = async (importId: number) =>
    (await query('SELECT username, problems FROM intake_row WHERE import_id = ? ORDER BY line', [importId])).map((r) => [r.username, (typeof r.problems === 'string' ? JSON.parse(r.problems) : r.problems)?.map((p: { code: string }) => p.code) ?? []]);
  const header = 'username,firstname,lastname,email,description,mailformat,maildigest,maildisplay,autosubscribe,trackforums,theme';
  const header2 = 'username,firstname,lastname,email,description,descriptionformat';

  it('description and the mail and forum preferences are written as the file gives them, the site\'s defaults where it gives none, and changed by a later file', async () => {
    const first = await bed.engine.run(bytesOf(`${header}\npref1,Pre,F,pref1@x.example,<p>Loves <b>cats</b></p>,0,2,1,0,1,\npref2,Pre,F,pref2@x.example,,,,,,,\n`), { source: 'rules-prefs', auth: 'oauth2' });
    expect(first.counts).toMatchObject({ created: 2, errors: 0 });
    const columns = 'description, mailformat, maildigest, maildisplay, autosubscribe, trackforums, theme';
    // The demo site's defaults (defaultpreference_*): HTML mail, no digest, shown to course members, subscribed, not tracked.
    expect(await query(`SELECT username, ${columns} FROM mdl_user WHERE username LIKE 'pref%' ORDER BY username`)).toEqual([
      { username: 'pref1', description: '<p>Loves <b>cats</b></p>', mailformat: 0, maildigest: 2, maildisplay: 1, autosubscribe: 0, trackforums: 1, theme: '' },
      { username: 'pref2', description: '', mailformat: 1, maildigest: 0, maildisplay: 2, autosubscribe: 1, trackforums: 0, theme: '' },
    ]);
    const again = await bed.engine.run(bytesOf(`${header}\npref1,Pre,F,pref1@x.example,<p>Loves <b>cats</b></p>,1,2,1,nee,ja,\npref2,Pre,F,pref2@x.example,,,,,,,\n`), { source: 'rules-prefs', auth: 'oauth2' });
    expect(again.counts).toMatchObject({ updated: 1, unchanged: 1 });
    expect(await query(`SELECT mailformat FROM mdl_user WHERE username = 'pref1'`)).toEqual([{ mailformat: 1 }]);
    // A value Moodle does not store is refused, the choices named.
    const wrong = await bed.engine.run(bytesOf(`${header}\npref1,Pre,F,pref1@x.example,,html,,,,,\n`), { source: 'rules-prefs', auth: 'oauth2' }, 'preview');
    expect(wrong.counts).toMatchObject({ errors: 1 });
    expect(await problemsOf(wrong.importId)).toEqual([['pref1', ['invalid_choice']]]);
    // A description in Markdown is shown as Markdown (FORMAT_MARKDOWN, 4).
    await bed.engine.run(bytesOf(`${header2}\npref3,Pre,F,pref3@x.example,**Loves** cats,4\n`), { source: 'rules-prefs', auth: 'oauth2' });
    expect(await query("SELECT description, descriptionformat FROM mdl_user WHERE username = 'pref3'")).toEqual([{ description: '**Loves** cats', descriptionformat: 4 }]);
  });

  it("Moodle's additional name fields are written cleaned as names are, NULL where a row gives none, and changed by a later file", async () => {
    const header = 'username,firstname,lastname,email,middlename,alternatename,firstnamephonetic,lastnamephonetic';
    const run = await bed.engine.run(bytesOf(`${header}\nnames1,Anna,Vries,names1@x.example,Maria,<b>Annie</b>,Ana,Friis\nnames2,Bo,Ek,names2@x.example,,,,\n`), { source: 'rules-names', auth: 'oauth2' });
    expect(run.counts).toMatchObject({ created: 2, errors: 0 });
    const names = 'username, middlename, alternatename, firstnamephonetic, lastnamephonetic';
    expect(await query(`SELECT ${names} FROM mdl_user WHERE username LIKE 'names%' ORDER BY username`)).toEqual([
      { username: 'names1', middlename: 'Maria', alternatename: 'Annie', firstnamephonetic: 'Ana', lastnamephonetic: 'Friis' },
      { username: 'names2', middlename: null, alternatename: null, firstnamephonetic: null, lastnamephonetic: null },
    ]);
    const again = await bed.engine.run(bytesOf(`${header}\nnames2,Bo,Ek,names2@x.example,Olof,,,\n`), { source: 'rules-names', auth: 'oauth2' });
    expect(again.counts).toMatchObject({ updated: 1 });
    expect(await query("SELECT middlename FROM mdl_user WHERE username = 'names2'")).toEqual([{ middlename: 'Olof' }]);
  });

  it("interests are left out on a host without Intake's plugin (Moodle's own code sets them), told on the row; the account is imported", async () => {
    const run = await bed.engine.run(bytesOf('username,firstname,lastname,email,interests\ntags1,Tag,Ged,tags1@x.example,"chess, music"\ntags2,Tag,Ged,tags2@x.example,\n'), { source: 'rules-tags', auth: 'oauth2' });
    expect(run.counts).toMatchObject({ created: 2, errors: 0 });
    expect(await problemsOf(run.importId)).toEqual([['tags1', ['interests_need_plugin']]]);
    expect(await query("SELECT COUNT(*) AS n FROM mdl_tag_instance")).toEqual([{ n: 0 }]);
  });

  it('a theme is given only where the site lets users choose one and has it; otherwise the account comes without it, told on the row', async () => {
    const file = bytesOf(`${header}\ntheme1,The,Me,theme1@x.example,,,,,,,boost\ntheme2,The,Me,theme2@x.example,,,,,,,nosuch\n`);
    // Moodle's default: users do not choose their own theme.
    const refused = await bed.engine.run(file, { source: 'rules-theme', auth: 'oauth2' }, 'preview');
    expect(refused.counts).toMatchObject({ created: 2, errors: 0 });
    expect(await problemsOf(refused.importId)).toEqual([['theme1', ['theme_not_allowed']], ['theme2', ['theme_not_allowed']]]);
    await query("INSERT INTO mdl_config (name, value) VALUES ('allowuserthemes', '1') ON DUPLICATE KEY UPDATE value = '1'");
    await query("INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('theme_boost', 'version', '2022112800'), ('theme_classic', 'version', '2022112800')");
    try {
      const run = await bed.engine.run(file, { source: 'rules-theme', auth: 'oauth2' });
      expect(run.counts).toMatchObject({ created: 2, errors: 0 });
      expect(await problemsOf(run.importId)).toEqual([['theme2', ['theme_not_installed']]]);
      expect(await query("SELECT username, theme FROM mdl_user WHERE username LIKE 'theme%' ORDER BY username")).toEqual([
        { username: 'theme1', theme: 'boost' },
        { username: 'theme2', theme: '' },
      ]);
    } finally {
      await query("DELETE FROM mdl_config WHERE name = 'allowuserthemes'");
      await query("DELETE FROM mdl_config_plugins WHERE plugin IN ('theme_boost', 'theme_classic')");
    }
  });
});

describe("Moodle's auth column", () => {
  it("gives each row its own sign-in method: a password (hashed, to change at first login) only for manual accounts, any other not cached; a method the site has not enabled refuses the row; a later file changes it", async () => {
    const file = ['username,firstname,lastname,email,auth', 'au1,Au,One,au1@x.example,manual', 'au2,Au,Two,au2@x.example,NoLogin', 'au3,Au,Three,au3@x.example,oauth2', 'au4,Au,Four,au4@x.example,cas', 'au5,Au,Five,au5@x.example,', ''].join('\n');
    const run = await bed.engine.run(bytesOf(file), { source: 'rules-auth', password: { mode: 'generate' } });
    expect(run.counts).toMatchObject({ created: 4, errors: 1 });
    const [refused] = await query("SELECT problems FROM intake_row WHERE import_id = ? AND outcome = 'error'", [run.importId]);
    expect(typeof refused!.problems === 'string' ? JSON.parse(refused!.problems) : refused!.problems).toEqual([
      { code: 'auth_not_enabled', field: 'auth', params: { value: 'cas', enabled: expect.stringContaining('manual') } },
    ]);
    const accounts = await query("SELECT username, auth, password FROM mdl_user WHERE username LIKE 'au_' ORDER BY username");
    expect(accounts.map((u) => [u.username, u.auth, String(u.password).startsWith('$6$') ? 'hash' : u.password])).toEqual([
      ['au1', 'manual', 'hash'],
      ['au2', 'nologin', 'not cached'],
      ['au3', 'oauth2', 'not cached'],
      ['au5', 'manual', 'hash'],
    ]);
    expect(await preferencesOf('au1')).toEqual(['auth_forcepasswordchange=1']);
    expect(await preferencesOf('au2')).toEqual([]);
    const again = await bed.engine.run(bytesOf(file.replace('au1@x.example,manual', 'au1@x.example,nologin')), { source: 'rules-auth', password: { mode: 'generate' } });
    expect(again.counts).toMatchObject({ updated: 1, unchanged: 3, errors: 1 });
    expect((await userNamed('au1')).auth).toBe('nologin');
  });
});

describe("Moodle's upload rows that delete or rename accounts", () => {
  it('are passed over as Moodle passes them over by default, told why, and change nothing; a row naming its own username again imports', async () => {
    await bed.engine.run(bytesOf('username,firstname,lastname,email\ndelme,Del,Me,delme@x.example\nrenme,Ren,Me,renme@x.example\n'), { source: 'rules-delete', auth: 'oauth2' });
    const file = [
      'username,firstname,lastname,email,deleted,oldusername',
      'delme,Del,Me,delme@x.example,1,',
      'renamed,Ren,Me,renme@x.example,,renme',
      'newbie,New,Bie,newbie@x.example,0,NEWBIE',
      '',
    ].join('\n');
    const run = await bed.engine.run(bytesOf(file), { source: 'rules-delete', auth: 'oauth2', actions: { add: true, update: true, archive: true } });
    expect(run.counts).toMatchObject({ created: 1, skipped: 2, archived: 0, errors: 0 });
    const rows = await query('SELECT username, outcome, reason FROM intake_row WHERE import_id = ? ORDER BY line', [run.importId]);
    expect(rows).toEqual([
      { username: 'delme', outcome: 'skip', reason: 'delete_requested' },
      { username: 'renamed', outcome: 'skip', reason: 'rename_requested' },
    ]);
    expect((await query("SELECT username, deleted, suspended FROM mdl_user WHERE username IN ('delme', 'renme', 'renamed', 'newbie') ORDER BY username")).map((u) => `${u.username}:${u.deleted}:${u.suspended}`)).toEqual([
      'delme:0:0',
      'newbie:0:0',
      'renme:0:0',
    ]);
    // Found by e-mail address, the account's username changes as any of its values does.
    const byEmail = await bed.engine.run(bytesOf('username,firstname,lastname,email,oldusername\nrenamed,Ren,Me,renme@x.example,renme\n'), { source: 'rules-delete', auth: 'oauth2', matchOn: 'email' });
    expect(byEmail.counts).toMatchObject({ updated: 1, skipped: 0 });
    expect((await query("SELECT username FROM mdl_user WHERE email = 'renme@x.example'")).map((u) => u.username)).toEqual(['renamed']);
  });

  it("pass over a row naming another Moodle's account (mnethostid): this site's account of the same name is left alone", async () => {
    await bed.engine.run(bytesOf('username,firstname,lastname,email\nmnet1,Local,One,mnet1@x.example\n'), { source: 'rules-mnet', auth: 'oauth2' });
    const file = 'username,firstname,lastname,email,mnethostid\nmnet1,Remote,One,remote1@x.example,3\nmnet2,Local,Two,mnet2@x.example,1\nmnet3,Local,Three,mnet3@x.example,\n';
    const run = await bed.engine.run(bytesOf(file), { source: 'rules-mnet', auth: 'oauth2' });
    expect(run.counts).toMatchObject({ created: 2, skipped: 1, updated: 0, errors: 0 });
    expect(await query('SELECT username, reason FROM intake_row WHERE import_id = ? AND outcome = ?', [run.importId, 'skip'])).toEqual([{ username: 'mnet1', reason: 'remote_account' }]);
    expect(await query("SELECT firstname, email FROM mdl_user WHERE username = 'mnet1'")).toEqual([{ firstname: 'Local', email: 'mnet1@x.example' }]);
  });
});

describe('settings left out default to what the file allows', () => {
  const magister = 'Stamnr;Roepnaam;Achternaam;E-mailadres;Wachtwoord\n4401;Yusuf;Yılmaz;yusuf@x.example;Sterk-Wachtwoord-4\n4402;Zoë;de Zwart;zoe@x.example;Sterk-Wachtwoord-5\n';

  it('a file with student numbers and no usernames: found by student number, usernames from the shown template, passwords from the file, and the result says why', async () => {
    const run = await bed.engine.run(bytesOf(magister), { source: 'rules-defaults' });
    expect(run.counts).toMatchObject({ created: 2, errors: 0 });
    expect(run.structure.defaultsChosen).toEqual([
      { setting: 'matchOn', value: 'idnumber', reason: 'idnumber_column' },
      { setting: 'password', value: 'file', reason: 'password_column' },
      { setting: 'usernameTemplate', value: '{f}{lastname}', reason: 'no_username_column' },
    ]);
    // Transliterated, not dropped: Yılmaz → yyilmaz.
    expect(verifyPasswordSync('Sterk-Wachtwoord-4', (await userNamed('yyilmaz')).password)).toBe(true);
    expect((await userNamed('zdezwart')).idnumber).toBe('4402');
    // The next year's file finds them again by student number, whatever their e-mail became.
    const again = await bed.engine.run(bytesOf(magister.replace('zoe@x.example', 'zoe.dezwart@x.example')), { source: 'rules-defaults' });
    expect(again.counts).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it('never overrides what the caller chose', async () => {
    const run = await bed.engine.run(bytesOf(magister), { source: 'rules-defaults-given', matchOn: 'email', password: { mode: 'generate' }, usernameTemplate: '{firstname}.{lastname}' }, 'preview');
    expect(run.structure.defaultsChosen).toBeUndefined();
    // Found by e-mail as chosen: Zoë's old address matches nobody now, and her student number is another
    // account's, so her row is a conflict rather than a second account.
    expect(run.counts).toMatchObject({ created: 0, unchanged: 1, errors: 1 });
  });
});

