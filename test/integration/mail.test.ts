import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.js';
import { signToken } from '../../server/http/token.js';
import { verifyPasswordSync } from '../../server/host/hashing/password-hash.js';
import { smtpTransport } from '../../server/mail/deliver.js';
import { transportFrom } from '../../server/engine/mail-config.js';
import type { Env } from '../../server/engine/env.js';
import { deliverDue } from '../../server/mail/deliver.js';
import { Sealer } from '../../server/mail/seal.js';
import { inviteRoutes } from '../../server/http/invite-router.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { engineFor } from '../support/engine.js';
import { bytesOf } from '../support/files.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { FileCipher } from '../../server/store/file-cipher.js';

const secret = 'mail-test-secret-0123456789';
let database: TestDatabase;
let engine: ReturnType<typeof engineFor>;
let smtp: TestSmtp;
const sealer = new Sealer(secret);
const notifications = { sealer, publicUrl: 'http://intake.test', siteUrl: 'http://lms.test', inviteDays: 7 };

beforeAll(async () => {
  database = await createTestDatabase('mail');
  engine = engineFor(database, { notifications });
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.stop();
  await engine.close();
  await database.drop();
});

const deliver = () => deliverDue(database.pool, sealer, smtpTransport(smtp.url, 'Intake <intake@school.example>'), 'test');

async function storedHash(username: string): Promise<string> {
  const [[row]] = await database.pool.query<RowDataPacket[]>('SELECT password FROM mdl_user WHERE username = ?', [username]);
  return String(row!.password);
}

/** Every value in every table of the test database, as one string to search. */
async function everythingStored(): Promise<string> {
  const [tables] = await database.pool.query<RowDataPacket[]>('SHOW TABLES');
  let all = '';
  for (const t of tables) {
    const [rows] = await database.pool.query<RowDataPacket[]>(`SELECT * FROM \`${Object.values(t)[0]}\``);
    all += JSON.stringify(rows, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v));
  }
  return all;
}

describe('credentials to a supervisor', () => {
  it('arrive as one message with a PDF of slips and a CSV holding exactly the new logins, which verify against the stored hashes', async () => {
    const csv = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'sam;Sam;Stam;sam@x.example', 'tess;Tess;Tuin;tess@x.example', 'admin;Admin;User;admin@demo.example'].join('\n');
    await engine.run(bytesOf(csv), { source: 'mail', group: { create: 'Mail group' }, supervisors: ['mbakker'], notify: { credentials: 'supervisor' } });
    expect(await deliver()).toMatchObject({ sent: 1 });
    const mails = smtp.messages.filter((m) => m.to && JSON.stringify(m.to).includes('m.bakker@baken.example'));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toContain('new accounts (2)');
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const sheet = mail.attachments.find((a) => a.filename?.endsWith('.csv'))!.content.toString('utf8').replace('\uFEFF', '');
    const lines = sheet.trim().split('\r\n').slice(1).map((l) => l.split(','));
    expect(lines.map((l) => l[0])).toEqual(['sam', 'tess']);
    for (const [username, password] of lines) expect(verifyPasswordSync(password!, await storedHash(username!))).toBe(true);

    // Delivered: nothing of the passwords is left anywhere in the database.
    const stored = await everythingStored();
    for (const [, password] of lines) expect(stored).not.toContain(password);
    expect(await deliver()).toMatchObject({ sent: 0 });
  });
});

describe('credentials to a supervisor the file makes', () => {
  it('reach the teacher whose row is in the same file as her pupils', async () => {
    const csv = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Mentor', 'kai;Kai;Kolk;kai@x.example;lmentor', 'lot;Lot;Lek;lot@x.example;lmentor', 'lmentor;Lies;Mentor;lies.mentor@x.example;'].join('\n');
    const before = smtp.messages.length;
    const { counts } = await engine.run(bytesOf(csv), { source: 'mail-made-here', group: { create: 'Made here' }, notify: { credentials: 'supervisor' } }, 'commit', undefined, 2);
    expect(counts).toMatchObject({ created: 3, supervisorLinks: 2 });
    await deliver();
    const toHer = smtp.messages.slice(before).filter((m) => JSON.stringify(m.to).includes('lies.mentor@x.example'));
    expect(toHer).toHaveLength(1);
    const sheet = toHer[0]!.attachments.find((a) => a.filename?.endsWith('.csv'))!.content.toString('utf8').replace('\uFEFF', '');
    expect(sheet.trim().split('\r\n').slice(1).map((l) => l.split(',')[0])).toEqual(['kai', 'lot']);
  });
});

describe('credentials to the one person named', () => {
  it('reach the account the settings check found, named by e-mail address in any case, and nobody else; in their language, as their spreadsheet opens it', async () => {
    const csv = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'olaf;Olaf;Oost;olaf@x.example', 'pim;Pim;Plas;pim@x.example'].join('\n');
    const before = smtp.messages.length;
    await database.pool.query("UPDATE mdl_user SET lang = 'nl' WHERE username = 'mbakker'");
    try {
      await engine.run(bytesOf(csv), { source: 'named-one', group: { create: 'Named group' }, supervisors: ['jdekker'], notify: { credentials: 'supervisor', supervisor: 'M.Bakker@Baken.example' } });
      expect(await deliver()).toMatchObject({ sent: 1 });
    } finally {
      await database.pool.query("UPDATE mdl_user SET lang = 'en' WHERE username = 'mbakker'");
    }
    const mails = smtp.messages.slice(before);
    expect(mails).toHaveLength(1);
    expect(JSON.stringify(mails[0]!.to)).toContain('m.bakker@baken.example');
    // A Dutch Excel opens a CSV in columns when its cells are separated by semicolons.
    const attached = mails[0]!.attachments.find((a) => a.filename?.endsWith('.csv'))!;
    expect(attached.filename).toBe('inloggegevens.csv');
    const sheet = attached.content.toString('utf8').replace('\uFEFF', '');
    expect(sheet.split('\r\n')[0]).toBe('username;password;firstname;lastname;email');
    expect(sheet).toContain('olaf;');
    expect(sheet).toContain('pim;');
  });
});

describe('credentials with nowhere to go', () => {
  it('are never sent to nobody: a named recipient must exist and have an address, a supervisor without one hands over to who ran the import', async () => {
    const csv = (name: string) => ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', `${name};Nora;Noord;${name}@x.example`].join('\n');
    const refused = async (settings: Parameters<typeof engine.run>[1]) => engine.run(bytesOf(csv('nobody1')), settings, 'preview').then(() => null, (error: { code?: string }) => error.code);
    expect(await refused({ source: 'named', notify: { credentials: 'supervisor', supervisor: 'no-such-person' } })).toBe('unknown_supervisor');
    // A coordinator cannot send the logins of their pupils to a teacher of another school.
    const coordinator = await engine.coordinator();
    const byCoordinator = await engine
      .run(bytesOf(csv('nobody2')), { source: 'named', group: { existing: 'BAKEN-DOC' }, notify: { credentials: 'supervisor', supervisor: 'pvisser' } }, 'preview', coordinator)
      .then(() => null, (error: { code?: string }) => error.code);
    expect(byCoordinator).toBe('out_of_scope');
    await database.pool.query("UPDATE mdl_user SET email = '' WHERE username = 'jdekker'");
    try {
      expect(await refused({ source: 'named', notify: { credentials: 'supervisor', supervisor: 'jdekker' } })).toBe('invalid_settings');
      // jdekker supervises the group but cannot be reached: the login goes to the admin who ran the import.
      await engine.run(bytesOf(csv('nina')), { source: 'unreachable', group: { create: 'Unreachable group' }, supervisors: ['jdekker'], notify: { credentials: 'supervisor' } });
      const before = smtp.messages.length;
      expect(await deliver()).toMatchObject({ sent: 1 });
      const [mail] = smtp.messages.slice(before);
      expect(JSON.stringify(mail!.to)).toContain('admin@demo.example');
      const sheet = mail!.attachments.find((a) => a.filename?.endsWith('.csv'))!.content.toString('utf8');
      expect(sheet).toContain('nina,');
    } finally {
      await database.pool.query("UPDATE mdl_user SET email = 'j.dekker@baken.example' WHERE username = 'jdekker'");
    }
  });
});

describe('when the SMTP server is down', () => {
  it('waits and retries: after it returns every message is delivered once', async () => {
    await smtp.stop();
    const before = smtp.messages.length;
    const csv = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'uri;Uri;Uil;uri@x.example', 'vic;Vic;Vos;vic@x.example', 'wes;Wes;Wit;wes@x.example'].join('\n');
    const { importId } = await engine.run(bytesOf(csv), { source: 'down', notify: { credentials: 'user' } });
    expect(await deliver()).toMatchObject({ sent: 0, retried: 3 });
    const [waiting] = await database.pool.query<RowDataPacket[]>('SELECT status, attempts, next_attempt_at > NOW(3) AS later FROM intake_outbox WHERE import_id = ?', [importId]);
    expect(waiting.every((w) => w.status === 'pending' && w.attempts === 1 && w.later === 1)).toBe(true);
    // Not due yet: nothing is sent early.
    await smtp.restart();
    expect(await deliver()).toMatchObject({ sent: 0 });
    // Time passes (the back-off is 30 s): the retry finds the server back.
    await database.pool.query('UPDATE intake_outbox SET next_attempt_at = NOW(3) WHERE import_id = ?', [importId]);
    expect(await deliver()).toMatchObject({ sent: 3 });
    expect(await deliver()).toMatchObject({ sent: 0 });
    const arrived = smtp.messages.slice(before);
    expect(arrived.map((m) => (m.to as { text: string }).text).sort()).toEqual(['uri@x.example', 'vic@x.example', 'wes@x.example']);
    const body = arrived.find((m) => (m.to as { text: string }).text === 'uri@x.example')!.text!;
    const password = /Password: (\S+)/.exec(body)![1]!;
    expect(verifyPasswordSync(password, await storedHash('uri'))).toBe(true);
    expect(await everythingStored()).not.toContain(password);
  });
});

describe('the sender', () => {
  const newAccount = async (username: string) => {
    const csv = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', `${username};Sol;Zend;${username}@x.example`].join('\n');
    await engine.run(bytesOf(csv), { source: 'sender', notify: { credentials: 'user' } });
  };
  const sentTo = (username: string) => smtp.messages.find((m) => (m.to as { text: string }).text === `${username}@x.example`)!;

  it("is the site's no-reply address named for the site, as Moodle's own mail, unless MAIL_FROM names one", async () => {
    const site = (env: Partial<Env>) => transportFrom({ SMTP_URL: smtp.url, ...env } as Env, database.db)!;
    // A host that names no sender (no noreplyaddress, no plugin that knows the site's address).
    await newAccount('zend1');
    await deliverDue(database.pool, sealer, site({}), 'test');
    expect(sentTo('zend1').from!.value).toEqual([{ name: 'Intake', address: 'noreply@localhost' }]);

    // The site's address as the configuration gives it (INTAKE_SITE_URL, where users log in).
    await newAccount('zend1b');
    await deliverDue(database.pool, sealer, site({ INTAKE_SITE_URL: 'https://lms.school.example' }), 'test');
    expect(sentTo('zend1b').from!.value).toEqual([{ name: expect.any(String), address: 'noreply@lms.school.example' }]);

    // Moodle's default: noreply@ and the host of its wwwroot, which the plugin keeps for Intake (set once the
    // account is made: an import on a host with the plugin would ask that address to replay it).
    await newAccount('zend2');
    await database.pool.query("INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('local_intake', 'version', '2026112900'), ('local_intake', 'wwwroot', 'https://leren.school.example:8443/moodle')");
    await deliverDue(database.pool, sealer, site({}), 'test');
    await database.pool.query("DELETE FROM mdl_config_plugins WHERE plugin = 'local_intake' AND name IN ('version', 'wwwroot')");
    const [[front]] = await database.pool.query<RowDataPacket[]>('SELECT fullname FROM mdl_course WHERE id = 1');
    expect(sentTo('zend2').from!.value).toEqual([{ name: front!.fullname, address: 'noreply@leren.school.example' }]);

    // The address a Moodle admin set; MAIL_FROM above all.
    await database.pool.query("INSERT INTO mdl_config (name, value) VALUES ('noreplyaddress', 'geen-antwoord@school.example')");
    await newAccount('zend3');
    await deliverDue(database.pool, sealer, site({}), 'test');
    expect(sentTo('zend3').from!.value).toEqual([{ name: front!.fullname, address: 'geen-antwoord@school.example' }]);
    await newAccount('zend4');
    await deliverDue(database.pool, sealer, site({ MAIL_FROM: 'Bureau <bureau@school.example>' }), 'test');
    expect(sentTo('zend4').from!.value).toEqual([{ name: 'Bureau', address: 'bureau@school.example' }]);
    await database.pool.query("DELETE FROM mdl_config WHERE name = 'noreplyaddress'");
  });
});

describe('other ways of telling', () => {
  const app = () => createApp({ services: { database, env: engine.env, passwords: engine.passwords, secret, notifications, files: new FileCipher(secret) }, log: () => undefined });
  const invites = () => inviteRoutes({ database, env: engine.env, passwords: engine.passwords, notifications });

  it('hands out a one-time download to who ran the import, once', async () => {
    const { importId } = await engine.run(bytesOf('username,firstname,lastname,email\nxena,Xena,X,xena@x.example\n'), { source: 'dl', notify: { credentials: 'download' } });
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT public_id FROM intake_import WHERE id = ?', [importId]);
    const headers = { authorization: `Bearer ${await signToken(secret, 2)}` };
    // A delimiter it does not know is refused, and the download is still there.
    expect((await app().request(`/api/imports/${record!.public_id}/credentials?delimiter=pipe`, { headers })).status).toBe(400);
    const first = await app().request(`/api/imports/${record!.public_id}/credentials?delimiter=semicolon`, { headers });
    const [header, line] = (await first.text()).replace('\uFEFF', '').trim().split('\r\n');
    expect(header).toBe('username;password;firstname;lastname;email');
    const [username, password] = line!.split(';');
    expect(verifyPasswordSync(password!, await storedHash(username!))).toBe(true);
    const again = await app().request(`/api/imports/${record!.public_id}/credentials`, { headers });
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ error: { code: 'gone', params: { reason: 'taken' } } });
    expect(await everythingStored()).not.toContain(password);
  });

  it('says why there is no download: never one, or expired (wiped when asked for late, with no delivery pass run meanwhile)', async () => {
    const headers = { authorization: `Bearer ${await signToken(secret, 2)}` };
    const publicIdOf = async (importId: number) => String((await database.pool.query<RowDataPacket[]>('SELECT public_id FROM intake_import WHERE id = ?', [importId]))[0][0]!.public_id);
    const sso = await engine.run(bytesOf('username,firstname,lastname,email\nyuki,Yuki,Y,yuki@x.example\n'), { source: 'dl-none', auth: 'oauth2' });
    // While it runs its logins may still come; once it is done, there are none.
    const running = await app().request(`/api/imports/${await publicIdOf(sso.importId)}/credentials`, { headers });
    expect(running.status).toBe(409);
    expect(await running.json()).toMatchObject({ error: { code: 'conflict', params: { status: 'running' } } });
    await database.pool.query("UPDATE intake_import SET status = 'done' WHERE id = ?", [sso.importId]);
    const none = await app().request(`/api/imports/${await publicIdOf(sso.importId)}/credentials`, { headers });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('no accounts with generated passwords') } });

    const late = await engine.run(bytesOf('username,firstname,lastname,email\nzeno,Zeno,Z,zeno@x.example\n'), { source: 'dl-late', notify: { credentials: 'download' } });
    await database.pool.query("UPDATE intake_outbox SET expires_at = NOW(3) - INTERVAL 1 HOUR WHERE import_id = ? AND kind = 'download'", [late.importId]);
    const expired = await app().request(`/api/imports/${await publicIdOf(late.importId)}/credentials`, { headers });
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: { code: 'gone', params: { reason: 'expired' } } });
    const [[row]] = await database.pool.query<RowDataPacket[]>("SELECT status, sealed FROM intake_outbox WHERE import_id = ? AND kind = 'download'", [late.importId]);
    expect(row).toMatchObject({ status: 'expired', sealed: null });
  });

  it('keeps the logins of generated passwords in that download when who is told is left out: no password is made that nobody knows', async () => {
    const { importId, structure } = await engine.run(bytesOf('username,firstname,lastname,email\nwout,Wout,W,wout@x.example\n'), { source: 'dl-default' });
    expect(structure.defaultsChosen).toContainEqual({ setting: 'notify.credentials', value: 'download', reason: 'generated_passwords' });
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT public_id FROM intake_import WHERE id = ?', [importId]);
    const taken = await app().request(`/api/imports/${record!.public_id}/credentials`, { headers: { authorization: `Bearer ${await signToken(secret, 2)}` } });
    const [, line] = (await taken.text()).replace('\uFEFF', '').trim().split('\r\n');
    const [username, password] = line!.split(',');
    expect(username).toBe('wout');
    expect(verifyPasswordSync(password!, await storedHash('wout'))).toBe(true);
    // Chosen by the caller, or with passwords from the file or single sign-on, nothing is decided for them.
    const settingsChosen = (run: { structure: { defaultsChosen?: { setting: string }[] } }) => run.structure.defaultsChosen?.map((c) => c.setting);
    const given = await engine.run(bytesOf('username,firstname,lastname,email\nwim,Wim,W,wim@x.example\n'), { source: 'dl-default', matchOn: 'username', notify: { credentials: 'none' } }, 'preview');
    expect(settingsChosen(given)).toBeUndefined();
    const fromFile = await engine.run(bytesOf('username,firstname,lastname,email,password\nwim,Wim,W,wim@x.example,Sterk-Wachtwoord-9\n'), { source: 'dl-default', matchOn: 'username' }, 'preview');
    expect(settingsChosen(fromFile)).toEqual(['password']);
    const sso = await engine.run(bytesOf('username,firstname,lastname,email\nwim,Wim,W,wim@x.example\n'), { source: 'dl-default', matchOn: 'username', auth: 'oauth2' }, 'preview');
    expect(settingsChosen(sso)).toBeUndefined();
    // Passwords from the file, made where a cell is empty: those made here wait in the download too.
    const mixed = await engine.run(bytesOf('username,firstname,lastname,email,password\nwim,Wim,W,wim@x.example,\n'), { source: 'dl-default', matchOn: 'username', password: { mode: 'file', generateMissing: true } }, 'preview');
    expect(settingsChosen(mixed)).toEqual(['notify.credentials']);
  });

  it("keeps only the manual accounts' logins when an auth column gives rows their own method, even in a single sign-on import", async () => {
    const file = 'username,firstname,lastname,email,auth\nmani,Man,I,mani@x.example,manual\nssoa,Sso,A,ssoa@x.example,\n';
    const { importId, structure } = await engine.run(bytesOf(file), { source: 'dl-auth', auth: 'oauth2' });
    expect(structure.defaultsChosen).toContainEqual({ setting: 'notify.credentials', value: 'download', reason: 'generated_passwords' });
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT public_id FROM intake_import WHERE id = ?', [importId]);
    const taken = await app().request(`/api/imports/${record!.public_id}/credentials`, { headers: { authorization: `Bearer ${await signToken(secret, 2)}` } });
    const lines = (await taken.text()).replace('\uFEFF', '').trim().split('\r\n').slice(1);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['mani']);
    expect(verifyPasswordSync(lines[0]!.split(',')[1]!, await storedHash('mani'))).toBe(true);
    expect(await storedHash('ssoa')).toBe('not cached');
  });

  it('refuses to send logins when passwords are kept', async () => {
    await expect(engine.run(bytesOf('username,firstname,lastname,email\nzack,Zack,Z,zack@x.example\n'), { source: 'keep', password: { mode: 'keep' }, notify: { credentials: 'user' } }, 'preview')).rejects.toMatchObject({ code: 'invalid_settings' });
  });

  it('invites users to choose their own password through a single-use link', async () => {
    await engine.run(bytesOf('username,firstname,lastname,email\nyara,Yara,Y,yara@x.example\n'), { source: 'invite', password: { mode: 'keep' }, notify: { credentials: 'invite' } });
    await deliver();
    const mail = smtp.messages.find((m) => (m.to as { text: string }).text === 'yara@x.example')!;
    const link = /http:\/\/intake\.test(\/intake\/invite\/\S+)/.exec(mail.text!)![1]!;
    expect((await invites().request(link)).status).toBe(200);
    const weak = await invites().request(link, { method: 'POST', body: new URLSearchParams({ password: 'short', again: 'short' }) });
    expect(weak.status).toBe(422);
    // A password no one types, whose hashing would keep a thread busy for seconds: refused, the link still good.
    const endless = `Aa1-${'x'.repeat(1100)}`;
    const long = await invites().request(link, { method: 'POST', body: new URLSearchParams({ password: endless, again: endless }) });
    expect({ status: long.status, says: (await long.text()).includes('at most 1024 characters') }).toEqual({ status: 422, says: true });
    // A form far larger than two passwords is not read at all.
    const huge = await invites().request(link, { method: 'POST', body: new URLSearchParams({ password: 'y'.repeat(100_000), again: '' }) });
    expect({ status: huge.status, says: (await huge.text()).includes('at most 1024 characters') }).toEqual({ status: 413, says: true });
    // Sent twice at once (a double click): one sets the password, the other is told the link is used, not an error page.
    const send = () => invites().request(link, { method: 'POST', body: new URLSearchParams({ password: 'Gekozen-2026!', again: 'Gekozen-2026!' }) });
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status].sort()).toEqual([200, 410]);
    expect(await (first.status === 200 ? first : second).text()).toContain('yara');
    expect(verifyPasswordSync('Gekozen-2026!', await storedHash('yara'))).toBe(true);
    expect((await invites().request(link, { method: 'POST', body: new URLSearchParams({ password: 'Another-2026!', again: 'Another-2026!' }) })).status).toBe(410);
  });

  it('shows permanent failures on the result and in the history', async () => {
    const { importId } = await engine.run(bytesOf('username,firstname,lastname,email\nrefused,R,R,refused@x.example\n'), { source: 'refused', notify: { credentials: 'user' } });
    const refusing = { async send() { throw Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550 }); } };
    expect(await deliverDue(database.pool, sealer, refusing, 'test')).toMatchObject({ failed: 1 });
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT public_id FROM intake_import WHERE id = ?', [importId]);
    const headers = { authorization: `Bearer ${await signToken(secret, 2)}` };
    const status = await (await app().request(`/api/imports/${record!.public_id}/mail`, { headers })).json();
    expect(status).toMatchObject({ failed: 1, failures: [{ recipient: 'refused@x.example', error: '550 mailbox unavailable' }] });
    const history = (await (await app().request('/api/imports', { headers })).json()) as { imports: { id: string; mailFailed: number }[] };
    expect(history.imports.find((i) => i.id === record!.public_id)!.mailFailed).toBe(1);
    const [[outbox]] = await database.pool.query<RowDataPacket[]>('SELECT sealed FROM intake_outbox WHERE import_id = ?', [importId]);
    expect(outbox!.sealed).toBeNull();
  });

  it('tells updated users what changed, and sends a report with the error report attached', async () => {
    const csv = 'username,firstname,lastname,email\nsam,Sam,Stam-Smit,sam@x.example\nbad user,B,B,b@x.example\n';
    await engine.run(bytesOf(csv), { source: 'mail', notify: { credentials: 'none', updated: true, reportTo: 'office@school.example' } });
    await deliver();
    const update = smtp.messages.find((m) => m.subject?.includes('was updated') && (m.to as { text: string }).text === 'sam@x.example')!;
    expect(update.text).toContain('last name');
    const report = smtp.messages.find((m) => (m.to as { text: string }).text === 'office@school.example')!;
    expect(report.subject).toContain('0 new, 1 updated, 1 with errors');
    expect(report.text).toContain('admin');
    expect(report.attachments[0]!.content.toString()).toContain('invalid_username');
    // A file with semicolons gets its report with semicolons: the office's spreadsheet opens both alike.
    const before = smtp.messages.length;
    await engine.run(bytesOf('username;firstname;lastname;email\nbad user;B;B;b@x.example\n'), { source: 'mail-semicolons', notify: { credentials: 'none', reportTo: 'office@school.example' } });
    await deliver();
    const semicolons = smtp.messages.slice(before).find((m) => (m.to as { text: string }).text === 'office@school.example')!;
    expect(semicolons.attachments[0]!.content.toString()).toContain('intake_row;intake_outcome;intake_username');
  });
});

describe('a change of groups alone', () => {
  it('counts as an update and brings the "account updated" mail that names the group (Huddle levels)', async () => {
    const file = 'username;firstname;lastname;email\nhud1;Hugo;Dal;hud1@x.example\nhud2;Hanna;Dal;hud2@x.example\n';
    await engine.run(bytesOf(file), { source: 'mail-huddle', password: { mode: 'keep' } });
    const levelA = await engine.run(bytesOf(file), { source: 'mail-huddle', password: { mode: 'keep' }, group: { create: 'Niveau A' }, notify: { credentials: 'none', updated: true } });
    expect(levelA.counts).toMatchObject({ updated: 2, unchanged: 0, memberships: 2 });
    const [rows] = await database.pool.query<RowDataPacket[]>('SELECT outcome, diff FROM intake_row WHERE import_id = ? ORDER BY line', [levelA.importId]);
    expect(rows.map((r) => [r.outcome, typeof r.diff === 'string' ? JSON.parse(r.diff) : r.diff])).toEqual([
      ['update', { group: ['', 'Niveau A'] }],
      ['update', { group: ['', 'Niveau A'] }],
    ]);
    const before = smtp.messages.length;
    await deliver();
    const told = smtp.messages.slice(before).filter((m) => m.subject?.includes('was updated'));
    expect(told.map((m) => JSON.stringify(m.to)).sort()).toEqual([expect.stringContaining('hud1@x.example'), expect.stringContaining('hud2@x.example')]);
    expect(told[0]!.text).toContain('was updated: group(s) (Niveau A).');
    // Already in the group: nothing changes, nobody is told.
    expect((await engine.run(bytesOf(file), { source: 'mail-huddle', password: { mode: 'keep' }, group: { existing: 'Niveau A' }, notify: { credentials: 'none', updated: true } })).counts).toMatchObject({ updated: 0, unchanged: 2 });
  });
});
