/**
 * Single sign-on IDs (a Binogi workbook's SSOID column): each account is linked to the identity its
 * OAuth 2 service sends, as auth_oauth2\api::link_login() links it, so the person's first login through
 * that service finds their account. Re-imports move a changed identity, never link one twice, and undo
 * puts the links back.
 */
import { describe, expect, it } from 'vitest';
import { undoImport } from '../../server/host/undo.js';
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
    expect(await links()).toEqual([
      { user: 'nholm', issuer: 'Google', ssoId: '90817263', email: 'nils@skola.example', confirmtoken: '', usermodified: 2 },
      { user: 'alind', issuer: 'Google', ssoId: 'astrid.lind@skola.example', email: 'astrid@skola.example', confirmtoken: '', usermodified: 2 },
    ]);
    const [astrid] = await query("SELECT auth, password FROM mdl_user WHERE username = 'alind'");
    expect(astrid).toMatchObject({ auth: 'oauth2', password: 'not cached' });

    // The same file again changes nothing; a changed identity moves the account's link, which undo puts back.
    expect((await bed.engine.run(binogi(pupils), { source: 'binogi' })).counts).toMatchObject({ unchanged: 2, updated: 0 });
    const [before] = await query("SELECT id FROM mdl_auth_oauth2_linked_login WHERE username = '90817263'");
    const moved = await bed.engine.run(binogi([pupils[0]!, pupils[1]!.replace('90817263', 'N-4711')]), { source: 'binogi' });
    expect(moved.counts).toMatchObject({ updated: 1, unchanged: 1 });
    const [row] = await query('SELECT diff FROM intake_row WHERE import_id = ? AND outcome = ?', [moved.importId, 'update']);
    expect(json(row!.diff)).toEqual({ ssoId: ['90817263', 'n-4711'] });
    const [after] = await query("SELECT id FROM mdl_auth_oauth2_linked_login WHERE username = 'n-4711'");
    expect(after!.id).toBe(before!.id);
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
});
