/**
 * Single sign-on IDs (a Binogi workbook's SSOID column): each account is linked to the identity its
 * OAuth 2 service sends, as auth_oauth2\api::link_login() links it, so the person's first login through
 * that service finds their account. Re-imports move a changed identity, never link one twice, and undo
 * puts the links back.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/host/database.js';
import { undoImport } from '../../server/host/undo.js';
import { engineFor } from '../support/engine.js';
import { bytesOf } from '../support/files.js';
import { engineTestbed } from '../support/testbed.js';

const bed = engineTestbed('sso');
const { query } = bed;
/** A JSON column as mysql2 hands it over: parsed already, or text on servers that keep JSON as text. */
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

const binogi = (rows: string[]) => bytesOf(['Förnamn;Efternamn;E-post;Klass;SSOID', ...rows].join('\n'));
const pupils = ['Astrid;Lind;astrid@skola.example;7A;Astrid.Lind@Skola.example', 'Nils;Holm;nils@skola.example;7B; 90817263 '];

/** Every linked login: whose, with which service, for which identity and address, confirmed or not. */
const links = async () =>
  (
    await query(
      `SELECT u.username AS user, i.name AS issuer, l.username AS ssoId, l.email, l.confirmtoken, l.usermodified FROM mdl_auth_oauth2_linked_login l
        JOIN mdl_user u ON u.id = l.userid JOIN mdl_oauth2_issuer i ON i.id = l.issuerid ORDER BY l.username`,
    )
  ).map((l) => ({ ...l }));

describe('single sign-on IDs', () => {
  it('link each new account to its identity, lower case as Moodle looks it up; the accounts log in through the service', async () => {
    const run = await bed.engine.run(binogi(pupils), { source: 'binogi' });
    expect(run.counts).toMatchObject({ created: 2, errors: 0 });
    expect(run.structure.defaultsChosen).toContainEqual({ setting: 'auth', value: 'oauth2', reason: 'sso_column' });
    expect(run.structure.defaultsChosen).toContainEqual({ setting: 'ssoIssuer', value: 'Google', reason: 'only_sso_issuer' });
    expect(await links()).toEqual([
      { user: 'nholm', issuer: 'Google', ssoId: '90817263', email: 'nils@skola.example', confirmtoken: '', usermodified: 2 },
      { user: 'alind', issuer: 'Google', ssoId: 'astrid.lind@skola.example', email: 'astrid@skola.example', confirmtoken: '', usermodified: 2 },
    ]);
    const [astrid] = await query("SELECT auth, password FROM mdl_user WHERE username = 'alind'");
    expect(astrid).toMatchObject({ auth: 'oauth2', password: 'not cached' });

    // The same file again changes nothing; a changed identity moves the account's link, which undo puts back.
    expect((await bed.engine.run(binogi(pupils), { source: 'binogi' })).counts).toMatchObject({ unchanged: 2, updated: 0 });
    const linkIds = async () => (await query('SELECT id, username FROM mdl_auth_oauth2_linked_login ORDER BY id')).map((l) => `${l.id}:${l.username}`);
    const before = await linkIds();
    const moved = await bed.engine.run(binogi([pupils[0]!.replace('Astrid.Lind@Skola.example', 'A-1'), pupils[1]!.replace('90817263', 'N-4711')]), { source: 'binogi' });
    expect(moved.counts).toMatchObject({ updated: 2, unchanged: 0 });
    const diffs = await query('SELECT diff FROM intake_row WHERE import_id = ? AND outcome = ? ORDER BY line', [moved.importId, 'update']);
    expect(diffs.map((d) => json(d.diff))).toEqual([{ ssoId: ['astrid.lind@skola.example', 'a-1'] }, { ssoId: ['90817263', 'n-4711'] }]);
    // Each account's link row is the same one, with its new identity.
    expect(await linkIds()).toEqual(before.map((l) => l.replace('astrid.lind@skola.example', 'a-1').replace('90817263', 'n-4711')));
    await undoImport(bed.database.pool, moved.importId);
    expect((await links()).map((l) => l.ssoId)).toEqual(['90817263', 'astrid.lind@skola.example']);

    await undoImport(bed.database.pool, run.importId);
    expect(await links()).toEqual([]);
  });

  it('refuse an identity that is linked to another account, or that an earlier row links', async () => {
    await bed.engine.run(binogi([pupils[0]!]), { source: 'binogi-taken' });
    const run = await bed.engine.run(binogi(['Greta;Berg;greta@skola.example;7A;ASTRID.LIND@skola.example', 'Olle;Ek;olle@skola.example;7A;o-1', 'Pia;Ek;pia@skola.example;7A;O-1']), { source: 'binogi-taken' }, 'preview');
    expect(run.counts).toMatchObject({ created: 1, errors: 2 });
    const problems = await query("SELECT line, problems FROM intake_row WHERE import_id = ? AND outcome = 'error' ORDER BY line", [run.importId]);
    expect(problems.map((p) => [p.line, json(p.problems)[0].code])).toEqual([
      [2, 'sso_id_taken'],
      [4, 'sso_id_taken'],
    ]);
    // The preview says who each row is, with the identity it links (as stored: lower case).
    const [olle] = await query('SELECT person FROM intake_row WHERE import_id = ? AND line = 3', [run.importId]);
    expect(json(olle!.person)).toEqual({ name: 'Olle Ek', email: 'olle@skola.example', ssoId: 'o-1' });
  });

  it('stay unlinked where the site has no service people log in with, and the accounts are what the other settings make them', async () => {
    await query('UPDATE mdl_oauth2_issuer SET enabled = 0');
    try {
      const run = await bed.engine.run(binogi(['Tora;Lund;tora@skola.example;8B;t-1']), { source: 'binogi-none', notify: { credentials: 'none' } });
      expect(run.counts).toMatchObject({ created: 1, errors: 0 });
      expect(run.structure.defaultsChosen).toContainEqual({ setting: 'ssoIssuer', value: '', reason: 'no_sso_issuer' });
      expect(run.structure.defaultsChosen?.map((c) => c.setting)).not.toContain('auth');
      expect((await query("SELECT auth FROM mdl_user WHERE username = 'tlund'"))[0]).toMatchObject({ auth: 'manual' });
      expect((await links()).map((l) => l.ssoId)).not.toContain('t-1');
      // Named, a service that is not there is refused: the admin asked for links.
      await expect(bed.engine.run(binogi(['Tora;Lund;tora@skola.example;8B;t-1']), { source: 'binogi-none', ssoIssuer: 'Google' }, 'preview')).rejects.toMatchObject({ code: 'sso_issuer_not_found' });
    } finally {
      await query('UPDATE mdl_oauth2_issuer SET enabled = 1');
    }
  });

  it('belong to the one service people log in with, or the one the settings name; anything else is refused before a row is read', async () => {
    const now = Math.floor(Date.now() / 1000);
    await query(
      `INSERT INTO mdl_oauth2_issuer (timecreated, timemodified, usermodified, name, image, baseurl, clientid, clientsecret, loginscopes, loginscopesoffline, loginparams, loginparamsoffline, alloweddomains, sortorder)
       VALUES (?, ?, 2, 'Microsoft', '', 'https://login.microsoftonline.com/', 'ms-client', 'ms-secret', '', '', '', '', '', 1)`,
      [now, now],
    );
    const file = binogi(['Hugo;Sand;hugo@skola.example;8A;h-1']);
    // Without a user-info endpoint Moodle does not offer the service on its login page: it does not count yet.
    expect((await bed.engine.run(file, { source: 'binogi-two' }, 'preview')).counts).toMatchObject({ created: 1 });
    await query("INSERT INTO mdl_oauth2_endpoint (name, url, issuerid) SELECT 'userinfo_endpoint', 'https://graph.microsoft.com/oidc/userinfo', id FROM mdl_oauth2_issuer WHERE name = 'Microsoft'");
    await expect(bed.engine.run(file, { source: 'binogi-two' }, 'preview')).rejects.toMatchObject({ code: 'sso_issuer_required', params: { issuers: 'Google, Microsoft' } });
    await expect(bed.engine.run(file, { source: 'binogi-two', ssoIssuer: 'Skolon' }, 'preview')).rejects.toMatchObject({ code: 'sso_issuer_not_found' });
    const run = await bed.engine.run(file, { source: 'binogi-two', ssoIssuer: 'microsoft' });
    expect(run.counts).toMatchObject({ created: 1 });
    expect((await links()).find((l) => l.ssoId === 'h-1')).toMatchObject({ user: 'hsand', issuer: 'Microsoft' });

    await query("UPDATE mdl_config SET value = 'saml2' WHERE name = 'auth'");
    try {
      await expect(bed.engine.run(binogi(['Ida;Ek;ida@skola.example;8A;i-1']), { source: 'binogi-two', ssoIssuer: 'Google' }, 'preview')).rejects.toMatchObject({ code: 'auth_not_enabled' });
    } finally {
      await query("UPDATE mdl_config SET value = 'oauth2,saml2' WHERE name = 'auth'");
    }
  });

  it('are written and undone where ids do not come in one block (a cluster hands out every other id)', async () => {
    // Every connection of this engine numbers by twos, as Galera does: ids are found again by their keys.
    const stepped = openDatabase(bed.database.url);
    stepped.pool.pool.on('connection', (conn) => conn.query('SET SESSION auto_increment_increment = 2', () => undefined));
    const engine = engineFor({ ...stepped, url: bed.database.url, drop: async () => undefined });
    try {
      await bed.engine.run(binogi(['Ulla;Dal;ulla@skola.example;9A;u-old']), { source: 'binogi-stepped', ssoIssuer: 'Google' });
      const before = await links();
      const run = await engine.run(binogi(['Ulla;Dal;ulla@skola.example;9A;u-new', 'Vera;Dal;vera@skola.example;9A;v-1', 'Wim;Dal;wim@skola.example;9B;w-1']), { source: 'binogi-stepped', ssoIssuer: 'Google', group: { create: 'Stepped' } });
      expect(run.counts).toMatchObject({ created: 2, updated: 1, errors: 0 });
      const ids = (await query("SELECT id FROM mdl_user WHERE username IN ('vdal', 'wdal') ORDER BY id")).map((u) => Number(u.id));
      expect(ids[1]! - ids[0]!).toBe(2);
      expect((await links()).filter((l) => /^[uvw]-/.test(String(l.ssoId))).map((l) => `${l.user}:${l.ssoId}`)).toEqual(['udal:u-new', 'vdal:v-1', 'wdal:w-1']);
      const paths = await query("SELECT COUNT(*) AS n FROM mdl_context c JOIN mdl_user u ON c.contextlevel = 30 AND c.instanceid = u.id WHERE u.username IN ('vdal', 'wdal') AND c.path = CONCAT('/1/', c.id)");
      expect(paths[0]!.n).toBe(2);
      await undoImport(bed.database.pool, run.importId);
      expect(await links()).toEqual(before);
      expect(await query("SELECT username FROM mdl_user WHERE username IN ('vdal', 'wdal')")).toEqual([]);
      expect(await query("SELECT id FROM mdl_cohort WHERE name = 'Stepped'")).toEqual([]);
    } finally {
      await engine.close();
      await stepped.close();
    }
  });
});
