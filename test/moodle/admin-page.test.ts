import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../server/engine/env.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { signToken } from '../../server/http/token.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { focusedId, tabTo } from '../support/keyboard.js';
import { createCourse, freshMoodleSite, moodleAdmin, moodleDir, shell, type MoodleSite } from '../support/moodle.js';

/** The admin's way in: Moodle's own login and admin page, with Intake's wizard mounted by local_intake. */
const moodleUrl = 'http://127.0.0.1:8700';
const secret = 'moodle-page-secret-0123456789';
let site: MoodleSite;
/** What PHP reports while Moodle serves its pages (warnings and notices; Moodle 4.1's deprecations on PHP 8.2 left out). */
const phpErrors = join(tmpdir(), `intake-moodle-php-${process.pid}.log`);
let intake: RunningServer;
let php: ChildProcess;
let browser: Browser;

beforeAll(async () => {
  site = await freshMoodleSite('page');
  intake = await startServer(readEnv({ ...process.env, DATABASE_URL: site.url, INTAKE_SECRET: secret, INTAKE_SITE_URL: moodleUrl, PORT: '0' }), { log: process.env.DEBUG_MOODLE ? (m) => console.log('intake:', m) : () => undefined });
  await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=serverurl', `--set=${intake.url}`);
  await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=secret', `--set=${secret}`);
  // PHP's built-in server (the site's wwwroot is this address). Errors go to its log, not into pages: Moodle 4.1
  // on PHP 8.2 raises deprecation notices before it reads its own display setting, which would break its JSON.
  writeFileSync(phpErrors, '');
  php = spawn('php', ['-d', 'display_errors=0', '-d', 'log_errors=1', '-d', `error_log=${phpErrors}`, '-d', 'error_reporting=E_ALL & ~E_DEPRECATED', '-S', '127.0.0.1:8700', '-t', moodleDir], {
    env: { ...process.env, ...site.env },
    stdio: 'ignore',
  });
  for (let i = 0; i < 50; i++) {
    if (await fetch(`${moodleUrl}/login/index.php`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  php?.kill();
  await intake?.close();
  await site?.drop();
  rmSync(phpErrors, { force: true });
});

/**
 * The `intake` command against this site. Run without blocking: the Intake server lives in this process,
 * and a synchronous spawn would freeze it mid-transaction while the command waits for its locks.
 */
async function command(...args: string[]) {
  const run = await shell(process.execPath, [fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url)), ...args], { DATABASE_URL: site.url, INTAKE_SECRET: secret });
  if (run.code !== 0) throw new Error(`intake ${args[0]} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** Imports lines of a file with the `intake` command into this site; its JSON report. */
async function importWithCli(lines: string[], settings: unknown): Promise<Record<string, unknown>> {
  const name = join(tmpdir(), `intake-pages-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(`${name}.csv`, [...lines, ''].join('\n'));
  writeFileSync(`${name}.json`, JSON.stringify(settings));
  try {
    return await command('import', `${name}.csv`, '--settings', `${name}.json`, '--json');
  } finally {
    rmSync(`${name}.csv`);
    rmSync(`${name}.json`);
  }
}

async function loggedIn(username: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${moodleUrl}/login/index.php`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#loginbtn');
  await page.waitForURL((url) => !url.pathname.startsWith('/login/'));
  return { page, close: () => context.close() };
}

/** Uploads a file to the wizard on the page, takes its columns as matched, previews with the file's passwords and imports it. */
async function importThroughWizard(page: Page, name: string, csv: string, source: string): Promise<void> {
  await page.setInputFiles('intake-upload-step input[type=file]', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('intake-mapping-step select');
  await page.click('intake-mapping-step button:has-text("Next")');
  await page.fill('intake-settings-step #source', source);
  await page.check('intake-settings-step #password-file');
  await page.click('intake-settings-step #preview');
  await page.waitForSelector('intake-preview-step #rows tbody tr');
  await page.click('intake-preview-step #commit');
  await page.waitForSelector('intake-result-step #headline');
  expect(await page.locator('intake-result-step #headline').innerText()).toContain('complete');
}

describe("Moodle's admin page with local_intake", () => {
  it('logs in to Moodle, opens Users → Accounts → Import users (Intake), and imports a file through the wizard there', async () => {
    const page = await browser.newPage();
    if (process.env.DEBUG_MOODLE) {
      page.on('console', (m) => console.log('console:', m.text()));
      page.on('requestfailed', (r) => console.log('failed:', r.url(), r.failure()?.errorText));
      page.on('response', (r) => (r.status() >= 400 || r.url().includes(intake.url)) && console.log('status:', r.status(), r.request().method(), r.url()));
      page.on('framenavigated', (f) => f === page.mainFrame() && console.log('navigated:', f.url()));
    }
    await page.goto(`${moodleUrl}/login/index.php`);
    await page.fill('#username', moodleAdmin.username);
    await page.fill('#password', moodleAdmin.password);
    await page.click('#loginbtn');
    await page.waitForURL((url) => !url.pathname.startsWith('/login/'));

    // The page is where Moodle's admin tree puts it: Users → Accounts.
    await page.goto(`${moodleUrl}/admin/category.php?category=accounts`);
    await page.click('a:has-text("Import users (Intake)")');
    await page.waitForSelector('intake-import-wizard intake-upload-step input[type=file]');
    expect(await page.locator('intake-import-wizard').getAttribute('lang')).toBe('en');
    // The notice for a wizard that never loads is not shown once it has.
    expect(await page.locator('.local-intake-unreachable').isVisible()).toBe(false);
    // Tokens live 15 minutes; the wizard renews its own from the plugin's token.php, in Moodle's session
    // and with its sesskey (without it, Moodle refuses): a token Intake accepts for this admin.
    const tokenUrl = (await page.locator('intake-import-wizard').getAttribute('token-url'))!;
    const renew = (url: string) => page.evaluate(async (u) => (await (await fetch(u, { credentials: 'same-origin' })).json()) as { token?: string }, url);
    const renewed = await renew(tokenUrl);
    const imports = await fetch(`${intake.url}/api/imports`, { headers: { authorization: `Bearer ${renewed.token}` } });
    expect(imports.status).toBe(200);
    const withoutSesskey = new URL(tokenUrl);
    withoutSesskey.searchParams.delete('sesskey');
    expect((await renew(withoutSesskey.toString())).token).toBeUndefined();

    await importThroughWizard(page, 'leerlingen.csv', 'Gebruikersnaam;Wachtwoord;Roepnaam;Achternaam;E-mailadres;Klas\npjanssen;Welkom-2026!;Pim;Janssen;pim@school.example;3A\nsdewit;Welkom-2026!;Sara;de Wit;sara@school.example;3A\n', 'magister');

    // Moodle itself: the accounts log in, and its own user list shows them.
    const login = await site.php<boolean>(`$reason = null; echo json_encode((bool) authenticate_user_login('sdewit', 'Welkom-2026!', false, $reason));`);
    expect(login).toBe(true);
    // A new Moodle has one category ("Category 1"), which the admin did not choose as the top node: the
    // class's group is a cohort of the site, where the command line puts it too.
    expect(await site.php<boolean>(`echo json_encode($DB->get_field('cohort', 'contextid', ['name' => '3A']) == context_system::instance()->id);`)).toBe(true);
    await page.goto(`${moodleUrl}/admin/user.php`);
    expect(await page.locator('body').innerText()).toContain('Sara de Wit');
    await page.close();
  });

  it("takes a keyboard user through an import on Moodle's page, each step of the wizard there without an axe violation", async () => {
    const { page, close } = await loggedIn(moodleAdmin.username, moodleAdmin.password);
    const choosers: FileChooser[] = [];
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.goto(`${moodleUrl}/local/intake/index.php`);
    await page.waitForSelector('intake-import-wizard intake-upload-step #choose');
    // Moodle's own page around the wizard (its navigation, its theme) is Moodle's to answer for.
    const wizardChecked = async (step: string) => expect(await axeViolations(page, 'intake-import-wizard'), `axe on ${step} in Moodle`).toEqual([]);
    await wizardChecked('upload');
    // Past Moodle's navigation to the file chooser, a real button that Enter opens.
    await tabTo(page, 'choose', 200);
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    const csv = 'Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;E-mailadres;Klas\nkb01;Kees;van;Beek;kees@school.example;4B\nkb02;Lot;;Bos;lot@@school;4B\n';
    await choosers[0]!.setFiles({ name: 'toetsenbord.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('intake-mapping-step select');
    expect(await focusedId(page)).toBe('step-heading');
    await wizardChecked('mapping');
    await tabTo(page, 'next');
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-settings-step #source');
    await tabTo(page, 'source');
    await page.keyboard.type('toetsenbord');
    await wizardChecked('settings');
    await tabTo(page, 'preview');
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-preview-step #rows tbody tr');
    expect(await focusedId(page)).toBe('step-heading');
    expect(await page.locator('intake-preview-step tr[data-row="2"]').innerText()).toContain('Kees van Beek');
    await wizardChecked('preview');
    await tabTo(page, 'commit');
    await page.keyboard.press('Enter');
    // One row is refused (its address): "Import now" asks once, and Enter goes ahead.
    expect(await focusedId(page)).toBe('confirm-commit');
    await wizardChecked('confirmation');
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-result-step #headline');
    expect(await focusedId(page)).toBe('step-heading');
    await wizardChecked('result');
    // Moodle has the account the file gave it, and not the refused row's.
    expect(await site.sql("SELECT username, firstname, lastname FROM mdl_user WHERE idnumber IN ('kb01', 'kb02')")).toEqual([{ username: 'kvanbeek', firstname: 'Kees', lastname: 'van Beek' }]);
    await close();
  });

  it("undoes an import from the wizard on Moodle's page: Moodle deletes the accounts at once (delete_user()), and the wizard says it is undone", async () => {
    const { page, close } = await loggedIn(moodleAdmin.username, moodleAdmin.password);
    await page.goto(`${moodleUrl}/local/intake/index.php`);
    await page.waitForSelector('intake-import-wizard intake-upload-step input[type=file]');
    await importThroughWizard(page, 'proef.csv', 'username;password;firstname;lastname;email\nproef1;Welkom-2026!;Pro;Ef;proef1@school.example\n', 'proef');
    const [account] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'proef1'");
    await page.click('intake-result-step #undo');
    await page.click('intake-result-step #confirm-undo');
    await page.waitForFunction(() => document.querySelector('intake-import-wizard')?.shadowRoot?.querySelector('intake-result-step')?.shadowRoot?.querySelector('#headline')?.textContent?.includes('undone'));
    // Moodle took the follow-up at once: nothing is left for its cron, and the wizard says nothing of one.
    expect(await page.locator('intake-result-step #undo-follow-up-at-cron').count()).toBe(0);
    // delete_user() runs as the admin who undid it, within seconds (the plugin answers first, then runs it).
    const deletedBy = async () => (await site.sql<{ userid: string }>(`SELECT userid FROM mdl_logstore_standard_log WHERE eventname = '\\\\core\\\\event\\\\user_deleted' AND objectid = ${account!.id}`))[0]?.userid;
    for (let i = 0; i < 50 && (await deletedBy()) === undefined; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await deletedBy()).toBe('2');
    expect(await site.sql(`SELECT deleted FROM mdl_user WHERE id = ${account!.id}`)).toEqual([{ deleted: '1' }]);
    await close();
  });

  it('says so on the page when the Intake server cannot be reached, instead of a blank page', async () => {
    await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=serverurl', '--set=http://127.0.0.1:9');
    try {
      const { page, close } = await loggedIn(moodleAdmin.username, moodleAdmin.password);
      await page.goto(`${moodleUrl}/local/intake/index.php`);
      const notice = page.locator('.local-intake-unreachable');
      await notice.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await notice.innerText()).toContain('http://127.0.0.1:9');
      await close();
    } finally {
      await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=serverurl', `--set=${intake.url}`);
    }
  });

  it("logs an import in Moodle within seconds, not at the next cron run: Intake asks the plugin to run its replay at once, signed with the shared secret", async () => {
    const report = await importWithCli(['username;firstname;lastname;email', 'lognu1;Lieke;Nu;lieke@school.example'], { source: 'lognu', notify: { credentials: 'download' } });
    expect(report).toMatchObject({ created: 1, hostFollowUp: 'started' });
    // No cron runs here: the event is in Moodle's log because the plugin ran the queued replay when asked.
    const created = async () =>
      (await site.sql<{ n: string }>("SELECT COUNT(*) AS n FROM mdl_logstore_standard_log l JOIN mdl_user u ON u.id = l.objectid WHERE l.eventname = '\\\\core\\\\event\\\\user_created' AND u.username = 'lognu1'"))[0]!.n;
    for (let i = 0; i < 50 && (await created()) === '0'; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await created()).toBe('1');
    const queued = async () => (await site.sql<{ n: string }>("SELECT COUNT(*) AS n FROM mdl_task_adhoc WHERE classname = '\\\\local_intake\\\\task\\\\replay_events'"))[0]!.n;
    expect(await queued()).toBe('0');
    // An undo likewise: the account it removes goes through Moodle's delete_user() at once.
    const [account] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'lognu1'");
    expect(await command('undo', String(report.importId))).toMatchObject({ status: 'undone', hostFollowUp: 'started' });
    const deleted = async () => (await site.sql<{ deleted: string }>(`SELECT deleted FROM mdl_user WHERE id = ${account!.id}`))[0]?.deleted;
    for (let i = 0; i < 50 && (await deleted()) !== '1'; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await deleted()).toBe('1');
    expect(await queued()).toBe('0');
    // Nobody else makes Moodle run it: a token of a wizard (signed with the same secret, for another use) and one signed otherwise are refused.
    for (const token of [await signToken(secret, 2), await signToken('another-secret-0123456789', 2), '']) {
      const answer = await fetch(`${moodleUrl}/local/intake/replay.php`, { method: 'POST', body: new URLSearchParams({ token }) });
      expect(answer.status).toBe(403);
    }
  });

  it("shows what an import wrote on Moodle's own pages: the school, its classes, each pupil's profile, with no PHP warning", async () => {
    await site.php(`
      $category = $DB->insert_record('user_info_category', (object) ['name' => 'Leerling', 'sortorder' => 1]);
      $DB->insert_record('user_info_field', (object) ['shortname' => 'dob', 'name' => 'Date of birth', 'datatype' => 'datetime', 'categoryid' => $category,
        'sortorder' => 1, 'param1' => 1990, 'param2' => 2030, 'visible' => 2, 'description' => '']);
      $mentor = create_user_record('mentor1', 'Mentor-2026!');
      $DB->set_field('user', 'email', 'mentor1@school.example', ['id' => $mentor->id]);
      echo json_encode(true);`);
    // A Somtoday-style list: the pupil's own columns named as such, a parent's beside them, the mentor by e-mail.
    const report = await importWithCli(
      [
        'Leerlingnummer;Voornaam leerling;Tussenvoegsel;Achternaam leerling;E-mail leerling;E-mail ouder;School;Klas;Mentor e-mail;Geboortedatum',
        '9001;Lotte;van den;Berg;lotte@school.example;ouder@mail.example;De Toren;1A;mentor1@school.example;03-05-2012',
        '9002;Ayşe;;Yılmaz;ayse@school.example;;De Toren;1A;mentor1@school.example;17-11-2011 0:00:00',
      ],
      { source: 'somtoday', notify: { credentials: 'download' } },
    );
    expect(report).toMatchObject({ created: 2, errors: 0, newNodes: ['De Toren'], supervisorLinks: 2, hostCategoryCache: 'refreshed' });

    const [lotte] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE idnumber = '9001'");
    const [school] = await site.sql<{ ctx: string }>("SELECT x.id AS ctx FROM mdl_course_categories c JOIN mdl_context x ON x.contextlevel = 40 AND x.instanceid = c.id WHERE c.name = 'De Toren'");
    const admin = await loggedIn(moodleAdmin.username, moodleAdmin.password);
    const main = async (path: string) => {
      await admin.page.goto(`${moodleUrl}${path}`);
      return (await admin.page.locator('#region-main').innerText()).replace(/\s+/g, ' ');
    };
    expect(await main('/course/management.php')).toContain('De Toren');
    expect(await main(`/cohort/index.php?contextid=${school!.ctx}`)).toMatch(/\b1A 2 Created manually/);
    const profile = await main(`/user/profile.php?id=${lotte!.id}`);
    expect(profile).toContain('lotte@school.example');
    expect(profile).toContain('Date of birth 3 May 2012');
    expect(await main('/admin/user.php')).toContain('Lotte van den Berg');
    await admin.close();
    expect(readFileSync(phpErrors, 'utf8')).not.toMatch(/PHP (Warning|Notice|Fatal)/);
  });

  it("shows the enrolments of Moodle's own upload file on the course's participants and groups pages, with no PHP warning", async () => {
    const courseId = await createCourse(site, { fullname: 'Mathematics 102', shortname: 'math102', category: 1, groups: ['Section 1'] });
    const admin = await loggedIn(moodleAdmin.username, moodleAdmin.password);
    const main = async (path: string) => {
      await admin.page.goto(`${moodleUrl}${path}`);
      return (await admin.page.locator('#region-main').innerText()).replace(/\s+/g, ' ');
    };
    // The category's course list, as a visitor sees it before the import: Moodle caches each course's teachers.
    expect(await main('/course/index.php?categoryid=1')).toContain('Mathematics 102');
    const report = await importWithCli(
      [
        'username,password,firstname,lastname,email,course1,role1,group1',
        'jonest,Verysecret-1!,Tom,Jones,jonest@example.com,math102,,Section 1',
        'reznor,Somesecret-1!,Trent,Reznor,reznor@example.com,math102,editingteacher,Section 3',
      ],
      { source: 'moodle-upload', password: { mode: 'file' } },
    );
    expect(report).toMatchObject({ created: 2, errors: 0, enrolments: 2, newGroups: ['math102 / Section 3'] });

    // The teacher the import enrolled is named on that list at once (its cache refreshed, no cron in between).
    expect(await main('/course/index.php?categoryid=1')).toMatch(/Teacher: (Trent Reznor|Reznor, Trent)/);
    const participants = await main(`/user/index.php?id=${courseId}`);
    // Each with their role and group, enrolled and active (this site lists people "last name, first name").
    expect(participants).toMatch(/Jones, Tom jonest@example\.com Student Section 1 Never Active/);
    expect(participants).toMatch(/Reznor, Trent reznor@example\.com Teacher Section 3 Never Active/);
    // The group the import made is on the course's groups page at once, with its member.
    expect(await main(`/group/index.php?id=${courseId}`)).toMatch(/Section 3 \(1\)/);
    await admin.close();
    expect(readFileSync(phpErrors, 'utf8')).not.toMatch(/PHP (Warning|Notice|Fatal)/);
  });

  it("shows the profile columns of Moodle's own upload file on the user's own pages: their description, their theme, their system role", async () => {
    await site.cli('admin/cli/cfg.php', '--name=allowuserthemes', '--set=1');
    const report = await importWithCli(
      [
        'username,password,firstname,lastname,email,description,descriptionformat,theme,middlename,sysrole1',
        'bilbob,Verysecret-1!,Bilbo,Baggins,bilbo@example.com,**Loves** second breakfast,4,classic,Bungo,coursecreator',
      ],
      { source: 'moodle-profile', password: { mode: 'file' } },
    );
    expect(report).toMatchObject({ created: 1, errors: 0, rolesAssigned: 1 });
    const [bilbo] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'bilbob'");
    const admin = await loggedIn(moodleAdmin.username, moodleAdmin.password);
    await admin.page.goto(`${moodleUrl}/user/profile.php?id=${bilbo!.id}`);
    // The Markdown description as Moodle renders it (format_text(), FORMAT_MARKDOWN).
    expect(await admin.page.locator('#region-main strong', { hasText: 'Loves' }).count()).toBe(1);
    await admin.page.goto(`${moodleUrl}/admin/roles/assign.php?contextid=1&roleid=2`);
    expect(await admin.page.locator('#removeselect').innerText()).toContain('Bilbo');
    await admin.close();
    // Logged in as themselves, their pages come in their own theme.
    const own = await loggedIn('bilbob', 'Verysecret-1!');
    await own.page.goto(`${moodleUrl}/user/profile.php`);
    expect(await own.page.locator('link[rel=stylesheet][href*="/theme/styles.php/classic/"]').count()).toBeGreaterThan(0);
    await own.close();
    expect(readFileSync(phpErrors, 'utf8')).not.toMatch(/PHP (Warning|Notice|Fatal)/);
  });

  it("offers a coordinator the import in their category's menu, and the wizard there reaches only that category", async () => {
    const categoryId = await site.php<number>(`
      $category = core_course_category::create(['name' => 'Gymnasium Noord', 'idnumber' => 'GYMN']);
      $user = create_user_record('coordnoord', 'Coord-Noord-2026!');
      // A complete profile, or Moodle sends the new user to edit it first.
      $DB->update_record('user', (object) ['id' => $user->id, 'firstname' => 'Cora', 'lastname' => 'Noord', 'email' => 'cora@noord.example']);
      role_assign($DB->get_field('role', 'id', ['shortname' => 'coordinator']), $user->id, context_coursecat::instance($category->id));
      echo json_encode((int) $category->id);`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${moodleUrl}/login/index.php`);
    await page.fill('#username', 'coordnoord');
    await page.fill('#password', 'Coord-Noord-2026!');
    await page.click('#loginbtn');
    await page.waitForURL((url) => !url.pathname.startsWith('/login/'));
    // Moodle builds the category's menu from every plugin's extend_navigation_category_settings().
    await page.goto(`${moodleUrl}/course/index.php?categoryid=${categoryId}`);
    const link = page.locator(`a[href*="/local/intake/index.php?category=${categoryId}"]`);
    expect(await link.count()).toBeGreaterThan(0);
    const nodes = page.waitForResponse((r) => r.url().startsWith(`${intake.url}/api/nodes`));
    await page.goto((await link.first().getAttribute('href'))!);
    await page.waitForSelector('intake-import-wizard intake-upload-step');
    expect(((await (await nodes).json()) as { nodes: { name: string }[] }).nodes.map((n) => n.name)).toEqual(['Gymnasium Noord']);
    // The site-wide page is not theirs: Moodle refuses it (admin_externalpage_setup checks local/intake:import at the system context).
    await page.goto(`${moodleUrl}/local/intake/index.php`);
    expect(await page.locator('intake-import-wizard').count()).toBe(0);
    await context.close();
  });
});
