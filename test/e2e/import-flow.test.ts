import ExcelJS from 'exceljs';
import type { Browser, FileChooser, Page } from 'playwright-core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../server/engine/env.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { launchBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { windows1252 } from '../support/files.js';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase('e2e');
  server = await startServer(readEnv({ DATABASE_URL: database.url, INTAKE_SECRET: 'e2e-secret-0123456789abcdef', INTAKE_HASH_ROUNDS: '1000' }), { demo: true, port: 0, log: () => undefined });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.drop();
});

/** A Magister-style export: semicolons, Windows-1252, Dutch headers, a column Intake does not know. */
const firstExport = windows1252(
  [
    'Stamnr;Roepnaam;Achternaam;E-mailadres;Gebruikersnaam;Klas;Opmerking',
    '1001;Chloé;Peeters;chloe@school.example;cpeeters;2A;',
    '1002;Daan;de Vries;daan@school.example;dvries;2A;dyslexie',
    '1003;Eline;Bakker;not-an-address;ebakker;2B;',
    '',
  ].join('\r\n'),
);

/** The next export: Chloé left the school, Daan's name changed, Fleur is new. */
const secondExport = [
  'Stamnr;Roepnaam;Achternaam;E-mailadres;Gebruikersnaam;Klas',
  '1002;Daan;de Vries-Jansen;daan@school.example;dvries;2A',
  '1004;Fleur;Mulder;fleur@school.example;fmulder;2B',
].join('\n');

async function upload(page: Page, name: string, content: Uint8Array | string) {
  await page.setInputFiles('intake-upload-step input[type=file]', { name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await page.waitForSelector('intake-mapping-step select');
}

async function previewWith(page: Page, options: { archive: boolean }) {
  await page.click('intake-mapping-step button:has-text("Next")');
  await page.fill('intake-settings-step #source', 'magister');
  if (options.archive) await page.check('intake-settings-step #action-archive');
  await page.check('intake-settings-step input[name=group] >> nth=2');
  await page.fill('intake-settings-step #group-create', 'Leerjaar 2026');
  await page.click('intake-settings-step #preview');
  await page.waitForSelector('intake-preview-step #rows tbody tr');
}

const tile = (page: Page, step: string, key: string) => page.locator(`${step} intake-counts [data-key=${key}] dd`).innerText();

describe('an admin imports a school export in the browser', () => {
  it('sees how far a large upload is, cancels it without an error and with nothing kept, then sends it whole', async () => {
    const page = await browser.newPage();
    // Listened for before anything: Playwright intercepts a file chooser only once a listener is in place.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.goto(`${server.url}/`);
    // A school's slow line, as Chromium's own network emulation makes it: 256 KB/s up.
    const network = await page.context().newCDPSession(page);
    await network.send('Network.enable');
    const upTo = (uploadThroughput: number) => network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput });
    await upTo(256 * 1024);
    const rows = Array.from({ length: 40_000 }, (_, i) => `${i};Anna;Jansen;anna${i}@school.example`);
    const large = ['Stamnr;Roepnaam;Achternaam;E-mailadres', ...rows].join('\r\n');
    // Chosen with the keyboard: Enter on "Choose a file", the file picked in the browser's dialog.
    await page.locator('intake-upload-step #choose').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    await choosers[0]!.setFiles({ name: 'large-export.csv', mimeType: 'text/csv', buffer: Buffer.from(large) });
    await expect.poll(() => page.locator('intake-upload-step progress').evaluate((bar: HTMLProgressElement) => bar.value), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('intake-upload-step #upload-progress-text').innerText()).toMatch(/^Uploading: [\d.]+ MB of 1\.\d MB$/);
    // "Choose a file" is disabled meanwhile: focus is on what can be done now.
    const focused = () => page.evaluate(() => document.querySelector('intake-import-wizard')!.shadowRoot!.querySelector('intake-upload-step')!.shadowRoot!.activeElement?.id);
    expect(await focused()).toBe('cancel-upload');
    // Cancelled once past a stored slice (1 MB of its 1.5): a part of it was kept until the cut.
    await expect.poll(() => page.locator('intake-upload-step progress').evaluate((bar: HTMLProgressElement) => bar.value), { timeout: 15_000 }).toBeGreaterThanOrEqual(75);
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-upload-step #choose:not([disabled])');
    // Back to choosing a file, focus on its button, and no error: the admin asked for this.
    expect(await focused()).toBe('choose');
    expect(await page.locator('intake-import-wizard #error').count()).toBe(0);
    // The server saw the body end early: the import failed as interrupted and none of its bytes stay.
    const cancelled = async () => (await database.pool.query<RowDataPacket[]>("SELECT id, status, error FROM intake_import WHERE file_name = 'large-export.csv'"))[0];
    await expect.poll(async () => (await cancelled())[0]?.status, { timeout: 10_000 }).toBe('failed');
    const [record] = await cancelled();
    expect(record!.error).toMatchObject({ code: 'upload_interrupted' });
    const [chunks] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_file_chunk WHERE import_id = ?', [record!.id]);
    expect(Number(chunks[0]!.n)).toBe(0);

    await upTo(-1);
    await upload(page, 'large-export.csv', large);
    expect(await page.locator('intake-mapping-step select[data-header="Roepnaam"]').inputValue()).toBe('firstname');
    await page.close();
  });

  it('uploads, maps, previews, imports, and sees the users in the overview', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    const template = await page.locator('intake-upload-step #template-csv-semicolon').getAttribute('href');
    expect(await (await fetch(new URL(template!, server.url))).text()).toContain('Username;Password;First name');
    await upload(page, 'magister.csv', firstExport);

    // Focus moved to the new step's heading (a keyboard user starts there, not in the host's menu).
    expect(await page.evaluate(() => document.querySelector('intake-import-wizard')!.shadowRoot!.activeElement?.id)).toBe('step-heading');
    // Auto-matched in Dutch; the unknown "Opmerking" column is shown as not imported.
    expect(await page.locator('intake-mapping-step select[data-header="Roepnaam"]').inputValue()).toBe('firstname');
    expect(await page.locator('intake-mapping-step select[data-header="Stamnr"]').inputValue()).toBe('idnumber');
    expect(await page.locator('intake-mapping-step select[data-header="Klas"]').inputValue()).toBe('class');
    expect(await page.locator('intake-mapping-step select[data-header="Opmerking"]').inputValue()).toBe('');
    // A required field taken away is flagged and blocks the next step.
    await page.selectOption('intake-mapping-step select[data-header="E-mailadres"]', '');
    await expect.poll(() => page.locator('intake-mapping-step [role=alert]').innerText()).toContain('Email address');
    expect(await page.locator('intake-mapping-step button:has-text("Next")').isDisabled()).toBe(true);
    await page.selectOption('intake-mapping-step select[data-header="E-mailadres"]', 'email');
    // A choice of the admin's own: the remark goes to the department field (remembered for this header set).
    await page.selectOption('intake-mapping-step select[data-header="Opmerking"]', 'department');

    await previewWith(page, { archive: false });
    expect(await tile(page, 'intake-preview-step', 'created')).toBe('2');
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('1');
    await page.click('intake-preview-step button[data-outcome=error]');
    await expect.poll(() => page.locator('intake-preview-step #rows tbody').innerText()).toContain('not a valid e-mail address');
    const report = await page.locator('intake-preview-step #error-report').getAttribute('href');
    const csv = await (await fetch(new URL(report!, server.url))).text();
    // Written with the export's own semicolons: the admin's spreadsheet opens it in columns, as it opened the export.
    expect(csv).toContain('4;error;ebakker;email;invalid_email');

    // Nothing is written by the preview.
    const [none] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username IN ('cpeeters', 'dvries')");
    expect(Number(none[0]!.n)).toBe(0);

    // With a row in error, "Import now" asks once, and says how many rows stay out.
    await page.click('intake-preview-step #commit');
    expect(await page.locator('intake-preview-step #confirmation').innerText()).toContain('1 of 3 rows will not be imported');
    await page.click('intake-preview-step #confirm-commit');
    await page.waitForSelector('intake-result-step #headline');
    expect(await page.locator('intake-result-step #headline').innerText()).toContain('complete');
    expect(await tile(page, 'intake-result-step', 'created')).toBe('2');
    // Each joins the import's group and a group for their class.
    expect(await tile(page, 'intake-result-step', 'memberships')).toBe('4');

    await page.goto(`${server.url}/users`);
    const users = await page.locator('#users tbody').innerText();
    expect(users).toContain('cpeeters');
    expect(users).toContain('Chloé Peeters');
    expect(users).not.toContain('ebakker');
    const [daan] = await database.pool.query<RowDataPacket[]>("SELECT department FROM mdl_user WHERE username = 'dvries'");
    expect(daan[0]!.department).toBe('dyslexie');
    expect(await page.locator('#cohorts tr:has-text("Leerjaar 2026") [data-members]').innerText()).toBe('2');
    expect(await page.locator('#cohorts tr:has-text("2A") [data-members]').innerText()).toBe('2');
    await page.close();
  });

  it('renews an expired token from token-url and carries on; where the host session has ended too, says so', async () => {
    const page = await browser.newPage();
    const renewals: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/demo/token')) renewals.push(request.url());
    });
    await page.goto(`${server.url}/`);
    await upload(page, 'renew.csv', 'username;firstname;lastname;email\nrenew1;Re;New;renew1@school.example');
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'renew');
    // The host's token runs out while the admin works.
    await page.evaluate(() => (document.querySelector('intake-import-wizard')!.token = 'v1.eyJzdWIiOjIsImV4cCI6MX0.expired'));
    const before = renewals.length;
    await page.click('intake-settings-step #preview');
    await page.waitForSelector('intake-preview-step #rows tbody tr');
    expect(await tile(page, 'intake-preview-step', 'created')).toBe('1');
    expect(renewals.length).toBeGreaterThan(before);

    // The host's own session has ended too: its token page answers with a page (Moodle's login page), not a
    // token. The request fails saying the session ended, not that something went wrong on the server.
    await page.evaluate(() => {
      const wizard = document.querySelector('intake-import-wizard')!;
      wizard.tokenUrl = '/';
      wizard.token = 'v1.eyJzdWIiOjIsImV4cCI6MX0.expired';
    });
    await page.click('intake-preview-step #commit');
    if (await page.locator('intake-preview-step #confirm-commit').isVisible()) await page.click('intake-preview-step #confirm-commit');
    await expect.poll(() => page.locator('intake-import-wizard #error').getAttribute('data-code')).toBe('unauthenticated');
    await page.close();
  });

  it('syncs a changed export with archive, then undoes it', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?lang=nl`);
    await upload(page, 'magister-2.csv', secondExport);
    // Dutch interface.
    expect(await page.locator('intake-mapping-step th').first().innerText()).toBe('Kolom in je bestand');
    await page.click('intake-mapping-step button:has-text("Volgende")');
    await page.fill('intake-settings-step #source', 'magister');
    // What the admin sets is never overwritten by the feed's saved choices: they are offered.
    await page.check('intake-settings-step #action-archive');
    await page.press('intake-settings-step #source', 'Tab');
    await page.waitForSelector('intake-settings-step #use-saved');
    expect(await page.locator('intake-settings-step #action-archive').isChecked()).toBe(true);
    // One click takes them: the group of last time comes back (and archive as it was then, so it is set again).
    await page.click('intake-settings-step #use-saved');
    await expect.poll(() => page.locator('intake-settings-step #group-create').inputValue()).toBe('Leerjaar 2026');
    expect(await page.locator('intake-settings-step #use-saved').count()).toBe(0);
    await page.check('intake-settings-step #action-archive');
    await page.click('intake-settings-step #preview');
    await page.waitForSelector('intake-preview-step #rows tbody tr');
    expect(await tile(page, 'intake-preview-step', 'created')).toBe('1');
    expect(await tile(page, 'intake-preview-step', 'updated')).toBe('1');
    // Chloé is in the feed and its group but not in the file: archived, the admin and guest never.
    expect(await tile(page, 'intake-preview-step', 'archived')).toBe('1');
    expect(await page.locator('intake-preview-step #archiving li[data-username="cpeeters"]').textContent()).toContain('Chloé Peeters');

    // An archive is named before it happens.
    await page.click('intake-preview-step #commit');
    expect(await page.locator('intake-preview-step #confirmation').innerText()).toContain('1 account wordt geschorst');
    await page.click('intake-preview-step #confirm-commit');
    await page.waitForSelector('intake-result-step #undo');
    expect(await page.locator('intake-result-step #since-preview').innerText()).toContain('precies');
    const people = async () =>
      (await database.pool.query<RowDataPacket[]>("SELECT username, lastname, suspended FROM mdl_user WHERE username IN ('cpeeters', 'dvries', 'fmulder', 'admin', 'guest') ORDER BY username"))[0].map(
        (u) => `${u.username}:${u.lastname}:${u.suspended}`,
      );
    expect(await people()).toEqual(['admin:User:0', 'cpeeters:Peeters:1', 'dvries:de Vries-Jansen:0', 'fmulder:Mulder:0', 'guest: :0']);

    // Undo says what it will reverse and asks once.
    await page.click('intake-result-step #undo');
    expect(await page.locator('intake-result-step #undo-confirmation').innerText()).toContain('verwijdert de nieuwe accounts (1)');
    await page.click('intake-result-step #confirm-undo');
    await expect.poll(() => page.locator('intake-result-step #headline').innerText(), { timeout: 20_000 }).toContain('ongedaan');
    // Undo reverses the update, removes the new account and lifts the archive.
    expect(await people()).toEqual(['admin:User:0', 'cpeeters:Peeters:0', 'dvries:de Vries:0', 'guest: :0']);
    // History: both imports, the second undone; the first can still be undone from there.
    await page.click('intake-result-step #restart');
    await expect.poll(() => page.locator('intake-history #history tbody tr').count()).toBe(2);
    expect(await page.locator('intake-history #history tbody tr').first().innerText()).toContain('ongedaan');

    // The same header set as the first export brings back the admin's own mapping choice.
    await upload(page, 'magister-again.csv', firstExport);
    expect(await page.locator('intake-mapping-step select[data-header="Opmerking"]').inputValue()).toBe('department');
    await page.close();
  });
});

describe('a page reloaded during an import', () => {
  it('finds the running import again on the server and follows it to its result', async () => {
    // An import of this admin that a worker elsewhere is writing (its claim fresh, so no worker here takes it).
    const [[done]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM intake_import WHERE status IN ('done', 'undone') ORDER BY id LIMIT 1");
    await database.pool.query("UPDATE intake_import SET status = 'running', claimed_by = 'elsewhere', heartbeat_at = NOW(3), progress_phase = 'writing', progress_done = 1, progress_total = 3 WHERE id = ?", [done!.id]);
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator('intake-import-wizard #step-heading').innerText()).toContain('Progress');
    await database.pool.query("UPDATE intake_import SET status = 'done', claimed_by = NULL, finished_at = NOW(3) WHERE id = ?", [done!.id]);
    await page.waitForSelector('intake-result-step #headline', { timeout: 20_000 });
    expect(await page.locator('intake-result-step #headline').innerText()).toContain('complete');
    await page.close();
  });
});

describe('a municipality workbook with a sheet per school', () => {
  it('reads the schools’ sheets as one, says so, names each row with its sheet, and makes each sheet a school', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Instruktioner').addRow(['Ett blad per skola']);
    wb.addWorksheet('Österskolan').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Saga', 'Öst', 'saga@oster.example', '4A'], ['Liam', 'Öst', 'liam@oster.example', '4B']]);
    wb.addWorksheet('Norrskolan').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Maja', 'Norr', 'maja@norr.example', '4A']]);
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.setInputFiles('intake-upload-step input[type=file]', { name: 'Binogi_Borås_kommun.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await wb.xlsx.writeBuffer()) });
    await page.waitForSelector('intake-mapping-step select');
    expect(await page.locator('intake-format-panel #sheets-together').innerText()).toContain('The sheets Österskolan, Norrskolan hold the first one’s columns (or some of them): they are read together');
    // The sheets' names are the schools, in a column of their own the mapping shows like any other.
    expect(await page.locator('intake-mapping-step select[data-header="school"]').inputValue()).toBe('school');
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'boras');
    await page.click('intake-settings-step #preview');
    await page.waitForSelector('intake-preview-step #rows tbody tr');
    const rowCells = await page.locator('intake-preview-step #rows tbody tr td:first-child').allInnerTexts();
    expect(rowCells).toEqual(['2 (Österskolan)', '3 (Österskolan)', '2 (Norrskolan)']);
    await page.click('intake-preview-step #commit');
    await page.waitForSelector('intake-result-step #headline');
    expect(await tile(page, 'intake-result-step', 'created')).toBe('3');
    const [placed] = await database.pool.query<RowDataPacket[]>(
      "SELECT u.firstname, cat.name AS school, c.name AS class FROM mdl_user u JOIN mdl_cohort_members m ON m.userid = u.id JOIN mdl_cohort c ON c.id = m.cohortid JOIN mdl_context x ON x.id = c.contextid JOIN mdl_course_categories cat ON cat.id = x.instanceid WHERE u.email LIKE '%@oster.example' OR u.email LIKE '%@norr.example' ORDER BY u.firstname",
    );
    expect(placed.map((p) => `${p.firstname} ${p.school} ${p.class}`)).toEqual(['Liam Österskolan 4B', 'Maja Norrskolan 4A', 'Saga Österskolan 4A']);
    await page.close();
  });
});

describe('a municipality workbook with single sign-on IDs', () => {
  it('maps SSOID, links each account to the site’s only SSO service, and says why the accounts log in through it', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await upload(page, 'binogi.csv', ['Förnamn;Efternamn;E-post;Klass;SSOID', 'Saga;Nord;saga@skola.example;6A;Saga.Nord@Skola.example', 'Leo;Ström;leo@skola.example;6A;88412'].join('\n'));
    expect(await page.locator('intake-mapping-step select[data-header="SSOID"]').inputValue()).toBe('ssoId');
    await page.click('intake-mapping-step button:has-text("Next")');
    // Decided by the file: single sign-on accounts, linked for the one service people log in with.
    expect(await page.locator('intake-settings-step #auth').inputValue()).toBe('oauth2');
    expect(await page.locator('intake-settings-step #sso-issuer').inputValue()).toBe('Google');
    await page.fill('intake-settings-step #source', 'binogi');
    await page.click('intake-settings-step #preview');
    await page.waitForSelector('intake-preview-step #rows tbody tr');
    // Each row shows the identity it links.
    expect(await page.locator('intake-preview-step #rows').innerText()).toContain('saga.nord@skola.example');
    expect(await page.locator('intake-preview-step #defaults-chosen [data-setting=auth]').innerText()).toContain('single sign-on');
    expect(await page.locator('intake-preview-step #defaults-chosen [data-setting=ssoIssuer]').innerText()).toContain('linked for Google');
    await page.click('intake-preview-step #commit');
    await page.waitForSelector('intake-result-step #headline');
    expect(await tile(page, 'intake-result-step', 'created')).toBe('2');
    const [links] = await database.pool.query<RowDataPacket[]>(
      'SELECT u.username, u.auth, l.username AS ssoId FROM mdl_auth_oauth2_linked_login l JOIN mdl_user u ON u.id = l.userid ORDER BY u.username',
    );
    expect(links.map((l) => `${l.username}:${l.auth}:${l.ssoId}`)).toEqual(['lstrom:oauth2:88412', 'snord:oauth2:saga.nord@skola.example']);
    await page.close();
  });
});
