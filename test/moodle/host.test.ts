import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readEnv } from '../../server/engine/env.js';
import { signToken } from '../../server/http/token.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { createCourse, freshMoodleSite, pluginZip, shell, type MoodleSite } from '../support/moodle.js';
import { startSmtp } from '../support/smtp.js';

/**
 * Intake against a real Moodle 4.1 site with local_intake installed: every check below runs Moodle's own
 * code (its PHP API in a fresh process, its CLI scripts, its task runner), never Intake's idea of Moodle.
 */
const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'intake-moodle-'));
const secret = 'moodle-test-secret-0123456789';
let site: MoodleSite;

beforeAll(async () => {
  site = await freshMoodleSite('host');
});
afterAll(async () => {
  // MOODLE_KEEP=1 leaves the site for a look afterwards (its database name is printed).
  if (process.env.MOODLE_KEEP) console.log(`kept ${site.db} (moodledata ${site.dataroot})`);
  else {
    await site?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * The `intake` command against this site. Run without blocking: the server some tests start lives in this
 * process, and a synchronous spawn would freeze it mid-transaction while the command waits for its locks.
 */
function command(args: string[], env: Record<string, string> = {}) {
  return shell(process.execPath, [bin, ...args], { DATABASE_URL: site.url, INTAKE_SECRET: secret, ...env });
}

async function intake(csv: string, settings: unknown, env: Record<string, string> = {}) {
  const result = await command(['import', csv, '--settings', file(`s-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(settings)), '--json'], env);
  if (result.code !== 0) throw new Error(`intake import exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown> & { importId: string; created: number };
}

const logged = async () => {
  const rows = await site.sql<{ eventname: string; n: string }>('SELECT eventname, COUNT(*) AS n FROM mdl_logstore_standard_log GROUP BY eventname');
  return Object.fromEntries(rows.map((r) => [r.eventname, Number(r.n)]));
};

const runAdhocTasks = async () => {
  const run = await site.cli('admin/cli/adhoc_task.php', '--execute');
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).not.toMatch(/Adhoc task failed/);
  if (process.env.DEBUG_MOODLE) console.log(run.stdout, await site.sql('SELECT * FROM mdl_task_adhoc'));
  return run.stdout;
};

/** Names in Category 1 as Moodle's own course_category API lists them (through its coursecattree cache). */
const categoryNames = () => site.php<string[]>(`echo json_encode(array_values(array_map(fn($c) => $c->name, core_course_category::get(1)->get_children())));`);

/** A course in the category, with Moodle's cohort sync enrolling the cohort's members as students; its id. */
const cohortSyncedCourse = (category: string, shortname: string, cohort: string, role = 'student') =>
  site.php<number>(`
    require_once($CFG->dirroot . '/course/lib.php');
    require_once($CFG->dirroot . '/enrol/cohort/lib.php');
    set_config('enrol_plugins_enabled', 'manual,guest,self,cohort');
    $category = $DB->get_record('course_categories', ['name' => ${JSON.stringify(category)}], '*', MUST_EXIST);
    $course = create_course((object) ['fullname' => ${JSON.stringify(shortname)}, 'shortname' => ${JSON.stringify(shortname)}, 'category' => $category->id]);
    $cohort = $DB->get_record('cohort', ['name' => ${JSON.stringify(cohort)}], '*', MUST_EXIST);
    enrol_get_plugin('cohort')->add_instance($course, ['customint1' => $cohort->id, 'roleid' => $DB->get_field('role', 'id', ['shortname' => ${JSON.stringify(role)}])]);
    echo json_encode((int) $course->id);`);

const pupils = `username;password;firstname;lastname;email;idnumber;school;class
lvdberg;Welkom-2026!;Lotte;van den Berg;lotte@school.example;S1001;Engelbrektskolan;1A
ayilmaz;Welkom-2026!;Ayşe;Yılmaz;ayse@school.example;S1002;Engelbrektskolan;1A
jjansen;Welkom-2026!;Jan;Jansen;jan@school.example;S1003;Engelbrektskolan;1B
`;

describe('local_intake in a real Moodle 4.1', () => {
  it("installs through Moodle's own upgrade: its version, capabilities and the roles Intake needs", async () => {
    const installed = await site.php<{ version: string; caps: string[]; roles: Record<string, number[]>; wwwroot: string }>(`
      $roles = [];
      foreach (['mentor', 'coordinator'] as $short) {
        $id = $DB->get_field('role', 'id', ['shortname' => $short]);
        $roles[$short] = array_values(array_map('intval', get_role_contextlevels($id)));
      }
      echo json_encode(['version' => get_config('local_intake', 'version'), 'wwwroot' => get_config('local_intake', 'wwwroot'),
        'caps' => array_values($DB->get_fieldset_select('capabilities', 'name', 'component = ?', ['local_intake'])),
        'roles' => $roles]);`);
    expect(Number(installed.version)).toBeGreaterThanOrEqual(2026112900);
    expect(installed.caps.sort()).toEqual(['local/intake:import', 'local/intake:undo']);
    expect(installed.roles).toEqual({ mentor: [30], coordinator: [40] });
    expect(installed.wwwroot).toBe('http://127.0.0.1:8700');
  });

  it("passes Moodle's own plugin validator, as its plugin installer runs it on an uploaded zip", async () => {
    const checked = await site.php<{ ok: boolean; messages: string[] }>(`
      $dir = make_request_directory();
      $files = get_file_packer('application/zip')->extract_to_pathname('${pluginZip}', $dir);
      $validator = \\core\\update\\validator::instance($dir, $files);
      $validator->assert_plugin_type('local');
      $validator->assert_moodle_version($CFG->version);
      $ok = $validator->execute();
      // targetexists: this code tree already holds the plugin (the suite installed it); a fresh site has no local/intake.
      $messages = array_filter($validator->get_messages(), fn($m) => in_array($m->level, ['error', 'warning']) && $m->msgcode !== 'targetexists');
      echo json_encode(['ok' => $ok, 'messages' => array_values(array_map(fn($m) => $m->level . ': ' . $m->msgcode . ' ' . json_encode($m->addinfo), $messages))]);`);
    expect(checked).toEqual({ ok: true, messages: [] });
  });

  it('imports pupils Moodle lets log in, in a category its own lists show and cohorts it knows, with its events logged', async () => {
    // Moodle caches its category tree with no expiry: read it first, as any visit to Course management does.
    expect(await categoryNames()).toEqual([]);

    const report = await intake(file('pupils.csv', pupils), { source: 'sis', password: { mode: 'file' }, hierarchy: { top: 'Category 1' } });
    // No web server answers at this site's address here: its cron runs the follow-up, and the report says so.
    expect(report).toMatchObject({ created: 3, errors: 0, newNodes: ['Engelbrektskolan'], hostCategoryCache: 'refreshed', hostFollowUp: 'at_next_cron' });

    const tasks = await site.sql<{ classname: string }>("SELECT classname FROM mdl_task_adhoc WHERE component = 'local_intake'");
    expect(tasks.map((t) => t.classname)).toEqual(['\\local_intake\\task\\replay_events']);
    // The import flagged its new category; the next Moodle script (this check's own) refreshes the cached
    // tree as it starts, before cron has run anything, and takes the flag down.
    const flagged = () => site.sql<{ name: string }>("SELECT name FROM mdl_config_plugins WHERE plugin = 'local_intake' AND name = 'categoriesdirty'");
    expect(await flagged()).toHaveLength(1);
    expect(await categoryNames()).toEqual(['Engelbrektskolan']);
    expect(await flagged()).toEqual([]);
    await runAdhocTasks();
    expect(await categoryNames()).toEqual(['Engelbrektskolan']);

    const login = await site.php<{ id: number; firstname: string } | null>(`
      $reason = null;
      $user = authenticate_user_login('ayilmaz', 'Welkom-2026!', false, $reason);
      echo json_encode($user ? ['id' => (int) $user->id, 'firstname' => $user->firstname] : null);`);
    expect(login).toMatchObject({ firstname: 'Ayşe' });

    const cohorts = await site.php<{ name: string; members: number }[]>(`
      require_once($CFG->dirroot . '/cohort/lib.php');
      $category = $DB->get_record('course_categories', ['name' => 'Engelbrektskolan'], '*', MUST_EXIST);
      $found = cohort_get_cohorts(context_coursecat::instance($category->id)->id)['cohorts'];
      echo json_encode(array_values(array_map(fn($c) => ['name' => $c->name, 'members' => $DB->count_records('cohort_members', ['cohortid' => $c->id])], $found)));`);
    expect(cohorts.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: '1A', members: 2 },
      { name: '1B', members: 1 },
    ]);

    expect(await logged()).toMatchObject({
      '\\core\\event\\user_created': 3,
      '\\core\\event\\cohort_created': 2,
      '\\core\\event\\cohort_member_added': 3,
      '\\core\\event\\course_category_created': 1,
    });
  });

  it("places a municipality's schools at Moodle's top level when no top node is chosen, as core_course_category::create() does", async () => {
    const schools = 'Förnamn;Efternamn;E-post;Skola;Klass\nVera;Väst;vera@vasterskolan.example;Västerskolan;6A\n';
    expect(await intake(file('kommun.csv', schools), { source: 'kommun' })).toMatchObject({ created: 1, newNodes: ['Västerskolan'], hostCategoryCache: 'refreshed' });
    const seen = await site.php<{ top: string[]; parentIsSystem: boolean; depth: number; unmoved: boolean }>(`
      $category = $DB->get_record('course_categories', ['name' => 'Västerskolan'], '*', MUST_EXIST);
      $context = context_coursecat::instance($category->id);
      // Moodle's own repair of the category order finds nothing to move.
      fix_course_sortorder();
      echo json_encode(['top' => array_values(array_map(fn($c) => $c->name, core_course_category::top()->get_children())),
        'parentIsSystem' => $context->get_parent_context()->contextlevel == CONTEXT_SYSTEM && $context->path === '/' . SYSCONTEXTID . '/' . $context->id,
        'depth' => (int) core_course_category::get($category->id)->depth,
        'unmoved' => (int) $DB->get_field('course_categories', 'sortorder', ['id' => $category->id]) === (int) $category->sortorder]);`);
    expect(seen).toEqual({ top: ['Category 1', 'Västerskolan'], parentIsSystem: true, depth: 1, unmoved: true });
  });

  it("takes a municipality's workbook with a sheet per school in one run: each sheet a school Moodle lists, its classes cohorts there", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Instruktioner').addRow(['Ett blad per skola']);
    workbook.addWorksheet('Österskolan').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Saga', 'Öst', 'saga@osterskolan.example', '5A'], ['Liam', 'Öst', 'liam@osterskolan.example', '5B']]);
    workbook.addWorksheet('Norrskolan').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Maja', 'Norr', 'maja@norrskolan.example', '5A']]);
    const path = join(dir, 'Binogi_Borås_kommun.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await intake(path, { source: 'boras' });
    expect(report).toMatchObject({ created: 3, errors: 0, format: { sheetsRead: ['Österskolan', 'Norrskolan'], sheetColumn: 'school' }, hostCategoryCache: 'refreshed' });
    // Moodle's own API: both schools at its top level, each with its own classes as cohorts.
    const seen = await site.php<Record<string, string[]>>(`
      require_once($CFG->dirroot . '/cohort/lib.php');
      $out = [];
      foreach (core_course_category::top()->get_children() as $category) {
        if (!in_array($category->name, ['Österskolan', 'Norrskolan'])) continue;
        $cohorts = cohort_get_cohorts(context_coursecat::instance($category->id)->id)['cohorts'];
        $names = [];
        foreach ($cohorts as $c) foreach ($DB->get_records('cohort_members', ['cohortid' => $c->id]) as $m) $names[] = $c->name . ' ' . $DB->get_field('user', 'firstname', ['id' => $m->userid]);
        sort($names);
        $out[$category->name] = $names;
      }
      echo json_encode($out);`);
    expect(seen).toEqual({ Österskolan: ['5A Saga', '5B Liam'], Norrskolan: ['5A Maja'] });
  });

  it("links a school's pupils to the mentors its workbook names by e-mail and makes on its teachers' sheet, as get_user_roles() sees it", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Elever').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass', 'Mentor'], ['Alva', 'Berg', 'alva@vasterskolan.example', '7A', 'karin@vasterskolan.example'], ['Elias', 'Ek', 'elias@vasterskolan.example', '7B', 'per@vasterskolan.example']]);
    workbook.addWorksheet('Lärare').addRows([['Förnamn', 'Efternamn', 'E-post'], ['Karin', 'Lind', 'karin@vasterskolan.example'], ['Per', 'Sund', 'per@vasterskolan.example']]);
    const path = join(dir, 'Binogi_Västerskolan.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await intake(path, { source: 'vasterskolan', hierarchy: { top: 'Category 1' } });
    expect(report).toMatchObject({ created: 4, errors: 0, supervisorLinks: 2, format: { sheetsRead: ['Elever', 'Lärare'] } });
    const mentors = await site.php<Record<string, string[]>>(`
      $out = [];
      foreach (['alva@vasterskolan.example' => 'karin@vasterskolan.example', 'elias@vasterskolan.example' => 'per@vasterskolan.example'] as $email => $mentoremail) {
        $pupil = $DB->get_record('user', ['email' => $email]);
        $mentor = $DB->get_record('user', ['email' => $mentoremail]);
        $out[$pupil->firstname] = array_values(array_map(fn($r) => $mentor->firstname . ' ' . $r->shortname, get_user_roles(context_user::instance($pupil->id), $mentor->id)));
      }
      echo json_encode($out);`);
    expect(mentors).toEqual({ Alva: ['Karin mentor'], Elias: ['Per mentor'] });
  });

  it("takes a teacher on two schools' sheets as one account in both schools' teacher cohorts, so cohort sync enrols her in both schools' courses; next year's file without one school unenrols her there", async () => {
    const tove = (klass: string) => ['Tove', 'Lund', 'tove@kommun.example', klass, 'Lärare'];
    const workbook = (ekbacke: string[][]) => {
      const book = new ExcelJS.Workbook();
      const header = ['Förnamn', 'Efternamn', 'E-post', 'Klass', 'Roll'];
      book.addWorksheet('Solbergaskolan').addRows([header, tove('8A'), ['Alva', 'Sol', 'alva@kommun.example', '8A', 'Elev']]);
      book.addWorksheet('Ekbackeskolan').addRows([header, ...ekbacke, ['Vide', 'Ek', 'vide@kommun.example', '9C', 'Elev']]);
      return book;
    };
    const path = join(dir, 'Binogi_kommun_larare.xlsx');
    await workbook([tove('9C')]).xlsx.writeFile(path);
    expect(await intake(path, { source: 'kommun-larare' })).toMatchObject({ created: 3, skipped: 1, errors: 0, joinedRows: 1 });
    const solberga = await cohortSyncedCourse('Solbergaskolan', 'SOL-8', 'Solbergaskolan · Teachers', 'editingteacher');
    const ekbacke = await cohortSyncedCourse('Ekbackeskolan', 'EKB-9', 'Ekbackeskolan · Teachers', 'editingteacher');
    const seen = () =>
      site.php<{ courses: string[]; cohorts: string[] }>(`
        require_once($CFG->dirroot . '/cohort/lib.php');
        $user = $DB->get_record('user', ['email' => 'tove@kommun.example'], '*', MUST_EXIST);
        $cohorts = array_values(array_map(fn($c) => $c->name, cohort_get_user_cohorts($user->id)));
        sort($cohorts);
        $courses = [];
        foreach ([${solberga}, ${ekbacke}] as $id) if (is_enrolled(context_course::instance($id), $user, 'moodle/course:update')) $courses[] = get_course($id)->shortname;
        echo json_encode(['courses' => $courses, 'cohorts' => $cohorts]);`);
    // Moodle's own API: one account, teaching (course:update, as an editing teacher) in both schools' courses.
    expect(await seen()).toEqual({ courses: ['SOL-8', 'EKB-9'], cohorts: ['8A', '9C', 'Ekbackeskolan · Teachers', 'Solbergaskolan · Teachers'] });

    await workbook([]).xlsx.writeFile(path);
    expect(await intake(path, { source: 'kommun-larare' })).toMatchObject({ updated: 1, unchanged: 2, membershipsRemoved: 2, errors: 0 });
    await runAdhocTasks();
    expect(await seen()).toEqual({ courses: ['SOL-8'], cohorts: ['8A', 'Solbergaskolan · Teachers'] });
  });

  it("gives the roles a file names in categories as Moodle's upload does (category1 with categoryrole1), seen by get_user_roles()", async () => {
    await site.php(`
      core_course_category::create(['name' => 'Management', 'idnumber' => 'MGT']);
      core_course_category::create(['name' => 'Film school', 'idnumber' => 'FLM']);
      echo json_encode(true);`);
    const staff = [
      'username,firstname,lastname,email,category1,categoryrole1',
      'mgrtom,Tom,Mgr,mgrtom@example.com,MGT,manager',
      'crefed,Fed,Cre,crefed@example.com,FLM,coursecreator',
      'badrole,Ivo,Bad,badrole@example.com,FLM,notcoursecreator',
      'badcat,Sam,Bad,badcat@example.com,Movie,coursecreator',
    ].join('\n');
    const report = await intake(file('category-roles.csv', staff), { source: 'category-roles' });
    expect(report).toMatchObject({ created: 2, errors: 2, rolesAssigned: 2 });
    const roles = await site.php<Record<string, string[]>>(`
      $out = [];
      foreach (['mgrtom' => 'MGT', 'crefed' => 'FLM'] as $username => $idnumber) {
        $user = $DB->get_record('user', ['username' => $username], '*', MUST_EXIST);
        $category = $DB->get_record('course_categories', ['idnumber' => $idnumber], '*', MUST_EXIST);
        $out[$username] = array_values(array_map(fn($r) => $r->shortname, get_user_roles(context_coursecat::instance($category->id), $user->id, false)));
      }
      echo json_encode($out);`);
    expect(roles).toEqual({ mgrtom: ['manager'], crefed: ['coursecreator'] });
    // Moodle's log tells of each, as role_assign() would have.
    await runAdhocTasks();
    const events = await site.sql<{ username: string }>(
      "SELECT u.username FROM mdl_logstore_standard_log l JOIN mdl_user u ON u.id = l.relateduserid WHERE l.eventname = '\\\\core\\\\event\\\\role_assigned' AND u.username IN ('mgrtom', 'crefed') ORDER BY u.username",
    );
    expect(events.map((e) => e.username)).toEqual(['crefed', 'mgrtom']);
  });

  it('stores bcrypt hashes Moodle accepts at login (INTAKE_HASH_SCHEME=bcrypt)', async () => {
    const report = await intake(file('teacher.csv', 'username;password;firstname;lastname;email\nbteacher;Docent-2026!;Britt;Lärare;britt@school.example\n'), { source: 'staff', password: { mode: 'file' } }, { INTAKE_HASH_SCHEME: 'bcrypt' });
    expect(report).toMatchObject({ created: 1 });
    const [row] = await site.sql<{ password: string }>("SELECT password FROM mdl_user WHERE username = 'bteacher'");
    expect(row!.password).toMatch(/^\$2y\$10\$/);
    const ok = await site.php<boolean>(`$reason = null; echo json_encode((bool) authenticate_user_login('bteacher', 'Docent-2026!', false, $reason));`);
    expect(ok).toBe(true);
  });

  it('gives group supervisors the supervisor role in each pupil’s context, and flags them dirty for their open sessions', async () => {
    const report = await intake(file('again.csv', pupils), { source: 'sis', password: { mode: 'file' }, hierarchy: { top: 'Category 1' }, supervisors: ['bteacher'] });
    expect(report).toMatchObject({ errors: 0 });
    const roles = await site.php<string[]>(`
      $teacher = $DB->get_record('user', ['username' => 'bteacher']);
      $pupil = $DB->get_record('user', ['username' => 'lvdberg']);
      echo json_encode(array_values(array_map(fn($r) => $r->shortname, get_user_roles(context_user::instance($pupil->id), $teacher->id))));`);
    expect(roles).toEqual(['mentor']);
    const [teacher] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'bteacher'");
    const flags = await site.sql<{ name: string }>("SELECT name FROM mdl_cache_flags WHERE flagtype = 'accesslib/dirtyusers'");
    expect(flags.map((f) => f.name)).toContain(teacher!.id);
    await runAdhocTasks();
    expect((await logged())['\\core\\event\\role_assigned']).toBeGreaterThanOrEqual(2);
  });

  it('links pupils to a mentor the same file makes, below their rows, as get_user_roles() sees it, with Moodle logging each assignment', async () => {
    const rows = ['username;password;firstname;lastname;email;mentor', 'mpupil1;Leerling-2026!;Mia;Pupil;mia.pupil@school.example;t.nieuw@school.example', 'mpupil2;Leerling-2026!;Max;Pupil;max.pupil@school.example;t.nieuw@school.example', 'tnieuw;Docent-2026!;Tom;Nieuw;t.nieuw@school.example;', ''];
    const report = await intake(file('mentor-in-file.csv', rows.join('\n')), { source: 'mentor-in-file', password: { mode: 'file' }, hierarchy: { top: 'Category 1' } });
    expect(report).toMatchObject({ created: 3, errors: 0, supervisorLinks: 2 });
    const mentors = await site.php<Record<string, string[]>>(`
      $teacher = $DB->get_record('user', ['username' => 'tnieuw']);
      $held = [];
      foreach (['mpupil1', 'mpupil2'] as $username) {
        $pupil = $DB->get_record('user', ['username' => $username]);
        $held[$username] = array_values(array_map(fn($r) => $r->shortname, get_user_roles(context_user::instance($pupil->id), $teacher->id)));
      }
      echo json_encode($held);`);
    expect(mentors).toEqual({ mpupil1: ['mentor'], mpupil2: ['mentor'] });
    const before = (await logged())['\\core\\event\\role_assigned'] ?? 0;
    await runAdhocTasks();
    expect((await logged())['\\core\\event\\role_assigned']).toBeGreaterThanOrEqual(before + 2);
  });

  it("holds exam candidates back until their validity starts and lets them go when it ends, as Moodle's login and role checks see it", async () => {
    const candidates = file('kandidaten.csv', ['username;password;firstname;lastname;email', 'kand1;Examen-2027!;Kim;Kandidaat;kand1@exam.example', 'kand2;Examen-2027!;Noor;Kandidaat;kand2@exam.example', ''].join('\n'));
    const settings = { source: 'remindo', password: { mode: 'file' }, group: { create: 'Examen 2027' }, supervisors: ['bteacher'], validity: { from: '01-08-2099', until: '31-07-2100' } };
    expect(await intake(candidates, settings)).toMatchObject({ created: 2, errors: 0 });
    /** What Moodle's own code says of each candidate: can they log in (and why not), and does bteacher supervise them. */
    const seen = () =>
      site.php<Record<string, { login: boolean; suspendedReason: boolean; supervisedBy: string[] }>>(`
        $teacher = $DB->get_record('user', ['username' => 'bteacher'], '*', MUST_EXIST);
        $seen = [];
        foreach (['kand1', 'kand2'] as $username) {
          $reason = null;
          $login = authenticate_user_login($username, 'Examen-2027!', false, $reason);
          $user = $DB->get_record('user', ['username' => $username], '*', MUST_EXIST);
          $seen[$username] = ['login' => (bool) $login, 'suspendedReason' => $reason === AUTH_LOGIN_SUSPENDED,
            'supervisedBy' => array_values(array_map(fn($r) => $r->shortname, get_user_roles(context_user::instance($user->id), $teacher->id)))];
        }
        echo json_encode($seen);`);
    const held = { login: false, suspendedReason: true, supervisedBy: ['mentor'] };
    expect(await seen()).toEqual({ kand1: held, kand2: held });

    // The exam period begins (the dates moved into the past, as time would move them): the sweep lets them in.
    const ids = "(SELECT id FROM mdl_user WHERE username IN ('kand1', 'kand2'))";
    await site.sql(`UPDATE intake_validity SET valid_from = UNIX_TIMESTAMP() - 86400 WHERE user_id IN ${ids}`);
    const started = await command(['sweep']);
    expect(JSON.parse(started.stdout)).toMatchObject({ started: 2, expired: 0 });
    const active = { login: true, suspendedReason: false, supervisedBy: ['mentor'] };
    expect(await seen()).toEqual({ kand1: active, kand2: active });

    // It ends: suspended, logged out, and their supervisor no longer sees them (flagged dirty for an open session).
    await site.sql(`UPDATE intake_validity SET valid_until = UNIX_TIMESTAMP() - 60 WHERE user_id IN ${ids}`);
    const ended = await command(['sweep']);
    expect(JSON.parse(ended.stdout)).toMatchObject({ started: 0, expired: 2, supervisionEnded: 2 });
    const over = { login: false, suspendedReason: true, supervisedBy: [] };
    expect(await seen()).toEqual({ kand1: over, kand2: over });
    const [teacher] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'bteacher'");
    const flags = await site.sql<{ name: string }>("SELECT name FROM mdl_cache_flags WHERE flagtype = 'accesslib/dirtyusers'");
    expect(flags.map((f) => f.name)).toContain(teacher!.id);
    await runAdhocTasks();
    const unassigned = await site.sql<{ n: string }>("SELECT COUNT(*) AS n FROM mdl_logstore_standard_log WHERE eventname = '\\\\core\\\\event\\\\role_unassigned' AND component = 'core'");
    expect(Number(unassigned[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it("moves a school's pupils up a year as Moodle's cohort API sees it: each leaves last year's class, the leaver is suspended, and Moodle logs who left", async () => {
    const year = (name: string, rows: string[]) => file(name, ['username;firstname;lastname;email;idnumber;school;class', ...rows, ''].join('\n'));
    const settings = { source: 'numo', password: { mode: 'generate' }, notify: { credentials: 'none' }, hierarchy: { top: 'Category 1' }, actions: { add: true, update: true, archive: true } };
    const first = year('numo-2026.csv', ['numo1;Ada;Aalders;numo1@numo.example;N1;Numo College;N1A', 'numo2;Bas;Bakker;numo2@numo.example;N2;Numo College;N1A', 'numo3;Cem;Çelik;numo3@numo.example;N3;Numo College;N2A']);
    expect(await intake(first, settings)).toMatchObject({ created: 3, errors: 0 });
    await runAdhocTasks();
    const next = year('numo-2027.csv', ['numo1;Ada;Aalders;numo1@numo.example;N1;Numo College;N2A', 'numo2;Bas;Bakker;numo2@numo.example;N2;Numo College;N2A', 'numo4;Dewi;de Vries;numo4@numo.example;N4;Numo College;N1A']);
    expect(await intake(next, settings)).toMatchObject({ created: 1, updated: 2, archived: 1, errors: 0 });
    await runAdhocTasks();
    const seen = await site.php<{ people: Record<string, { classes: string[]; suspended: number }>; removals: number }>(`
      require_once($CFG->dirroot . '/cohort/lib.php');
      $school = $DB->get_record('course_categories', ['name' => 'Numo College'], '*', MUST_EXIST);
      $classes = $DB->get_records('cohort', ['contextid' => context_coursecat::instance($school->id)->id], 'name');
      $people = [];
      foreach (['numo1', 'numo2', 'numo3', 'numo4'] as $username) {
        $user = $DB->get_record('user', ['username' => $username], '*', MUST_EXIST);
        $in = [];
        foreach ($classes as $class) if (cohort_is_member($class->id, $user->id)) $in[] = $class->name;
        $people[$username] = ['classes' => $in, 'suspended' => (int) $user->suspended];
      }
      [$insql, $params] = $DB->get_in_or_equal(array_keys($classes));
      $removals = $DB->count_records_select('logstore_standard_log', "eventname = ? AND objectid $insql", array_merge(['\\\\core\\\\event\\\\cohort_member_removed'], $params));
      echo json_encode(['people' => $people, 'removals' => $removals]);`);
    // numo3 left the school: suspended, still in the class they finished (an archive keeps what it does not decide).
    expect(seen.people).toEqual({
      numo1: { classes: ['N2A'], suspended: 0 },
      numo2: { classes: ['N2A'], suspended: 0 },
      numo3: { classes: ['N2A'], suspended: 1 },
      numo4: { classes: ['N1A'], suspended: 0 },
    });
    expect(seen.removals).toBe(2);
  });

  it("moves a pupil who changed school out of the old school's students cohort, so cohort sync unenrols them from its course; a school Moodle keeps below its top level is found without a top node", async () => {
    const header = 'username;firstname;lastname;email;idnumber;school;class';
    const settings = { source: 'schoolmove', role: 'student', password: { mode: 'generate' }, notify: { credentials: 'none' } };
    const first = file('move-2026.csv', [header, 'mv1;Mia;Moen;mv1@move.example;MV1;Oostschool;O1', 'mv2;Noa;Nes;mv2@move.example;MV2;Westschool;W1', ''].join('\n'));
    expect(await intake(first, { ...settings, hierarchy: { top: 'Category 1' } })).toMatchObject({ created: 2, errors: 0 });
    const courseId = await cohortSyncedCourse('Oostschool', 'OOST-RE', 'Oostschool · Students');
    await runAdhocTasks();
    const seen = () =>
      site.php<{ enrolled: boolean; cohorts: string[] }>(`
        require_once($CFG->dirroot . '/cohort/lib.php');
        $user = $DB->get_record('user', ['username' => 'mv1'], '*', MUST_EXIST);
        $cohorts = array_values(array_map(fn($c) => $c->name, cohort_get_user_cohorts($user->id)));
        sort($cohorts);
        echo json_encode(['enrolled' => is_enrolled(context_course::instance(${courseId}), $user), 'cohorts' => $cohorts]);`);
    expect(await seen()).toEqual({ enrolled: true, cohorts: ['O1', 'Oostschool · Students'] });

    // Next year's file, imported without a top node: Westschool is the one under Category 1, not a new one.
    const next = file('move-2027.csv', [header, 'mv1;Mia;Moen;mv1@move.example;MV1;Westschool;W2', 'mv2;Noa;Nes;mv2@move.example;MV2;Westschool;W2', ''].join('\n'));
    expect(await intake(next, settings)).toMatchObject({ updated: 2, newNodes: [], newGroups: ['Category 1 / Westschool / W2'], membershipsRemoved: 3, errors: 0 });
    await runAdhocTasks();
    // Moodle's cohort sync acted on the cohort_member_removed event: she is no longer in the old school's course.
    expect(await seen()).toEqual({ enrolled: false, cohorts: ['W2', 'Westschool · Students'] });
    expect(await site.php<number>(`echo json_encode($DB->count_records('course_categories', ['name' => 'Westschool']));`)).toBe(1);
  });

  it("tries an import of 2,500 exam candidates without Moodle noticing anything, then imports exactly what the try said", async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `c${10001 + i};Kandidaat;Nummer ${i + 1};c${10001 + i}@cirrus.example;Toets 2027`);
    const candidates = file('cirrus.csv', ['User ID;First name;Last name;Email;Group', ...rows, ''].join('\n'));
    const settings = { source: 'cirrus', password: { mode: 'generate' }, notify: { credentials: 'none' } };
    /** What Moodle holds that an import could change: accounts, cohorts and their members, queued tasks, flags, its log. */
    const state = () =>
      site.php<Record<string, number>>(`
        echo json_encode(['users' => $DB->count_records('user'), 'cohorts' => $DB->count_records('cohort'), 'members' => $DB->count_records('cohort_members'),
          'tasks' => $DB->count_records('task_adhoc'), 'flags' => $DB->count_records('cache_flags'), 'log' => $DB->count_records('logstore_standard_log'),
          'config' => $DB->count_records('config_plugins', ['plugin' => 'local_intake'])]);`);
    await runAdhocTasks();
    const before = await state();
    const tried = await command(['import', candidates, '--settings', file('cirrus.json', JSON.stringify(settings)), '--json', '--dry-run']);
    expect(tried.code, tried.stderr).toBe(0);
    const trial = JSON.parse(tried.stdout) as Record<string, unknown>;
    expect(trial).toMatchObject({ dryRun: true, rows: 2500, created: 2500, errors: 0, groupsCreated: 1, memberships: 2500 });
    expect(await state()).toEqual(before);

    const done = await intake(candidates, settings);
    expect(done).toMatchObject({ created: trial.created, errors: 0, groupsCreated: 1, memberships: trial.memberships });
    await runAdhocTasks();
    const seen = await site.php<{ members: number; created: number }>(`
      $cohort = $DB->get_record('cohort', ['name' => 'Toets 2027'], '*', MUST_EXIST);
      echo json_encode(['members' => $DB->count_records('cohort_members', ['cohortid' => $cohort->id]),
        'created' => $DB->count_records_select('logstore_standard_log', "eventname = ? AND relateduserid IN (SELECT id FROM {user} WHERE username LIKE 'c1%')", ['\\\\core\\\\event\\\\user_created'])]);`);
    expect(seen).toEqual({ members: 2500, created: 2500 });
  });

  it("puts Huddle's pupils in two levels Moodle made and mails each a login that Moodle accepts, at Moodle's address; a later level keeps the others and says so", async () => {
    const smtp = await startSmtp();
    try {
      // The levels are cohorts a Moodle admin made, with Moodle's own API.
      await site.php(`require_once($CFG->dirroot . '/cohort/lib.php');
        foreach (['Niveau A', 'Niveau B', 'Niveau C'] as $name) cohort_add_cohort((object) ['contextid' => context_system::instance()->id, 'name' => $name]);
        echo 'null';`);
      const huddle = file('huddle.csv', ['Voornaam;Achternaam;E-mail', 'Hugo;Huddle;hugo@huddle.example', 'Hanna;Huddle;hanna@huddle.example', ''].join('\n'));
      const mail = { SMTP_URL: smtp.url };
      const first = await intake(huddle, { source: 'huddle', group: { existing: ['Niveau A', 'Niveau B'] }, password: { mode: 'generate' }, notify: { credentials: 'user', updated: true } }, mail);
      expect(first).toMatchObject({ created: 2, errors: 0, memberships: 4 });
      const [wwwroot] = await site.sql<{ value: string }>("SELECT value FROM mdl_config_plugins WHERE plugin = 'local_intake' AND name = 'wwwroot'");
      const logins = smtp.messages.map((m) => ({ to: (m.to as { text: string }).text, text: m.text ?? '' }));
      expect(logins.map((m) => m.to).sort()).toEqual(['hanna@huddle.example', 'hugo@huddle.example']);
      for (const { text } of logins) expect(text).toContain(`Log in at ${wwwroot!.value}`);
      // From the site's own no-reply address, named for the site, as Moodle's own mail is.
      const sender = await site.php<{ name: string; address: string }>(
        `echo json_encode(['name' => $SITE->fullname, 'address' => empty($CFG->noreplyaddress) ? 'noreply@' . get_host_from_url($CFG->wwwroot) : $CFG->noreplyaddress]);`,
      );
      for (const m of smtp.messages) expect(m.from!.value).toEqual([sender]);
      // Each mailed login opens the account on Moodle itself.
      const credentials = logins.map(({ text }) => [/Username: (\S+)/.exec(text)![1]!, /Password: (\S+)/.exec(text)![1]!]);
      const accepted = await site.php<boolean[]>(`echo json_encode(array_map(fn($c) => (bool) authenticate_user_login($c[0], $c[1], false, $reason), ${JSON.stringify(credentials)}));`);
      expect(accepted).toEqual([true, true]);

      // Next term they also take level C: A and B stay (levels chosen by hand are never taken away), and each is told.
      const again = await intake(huddle, { source: 'huddle', group: { existing: 'Niveau C' }, password: { mode: 'generate' }, notify: { credentials: 'user', updated: true } }, mail);
      expect(again).toMatchObject({ created: 0, updated: 2, memberships: 2, membershipsRemoved: 0 });
      const told = smtp.messages.slice(2);
      expect(told.map((m) => (m.to as { text: string }).text).sort()).toEqual(['hanna@huddle.example', 'hugo@huddle.example']);
      for (const m of told) expect(m.text).toContain('Niveau C');
      const levels = await site.php<Record<string, string[]>>(`require_once($CFG->dirroot . '/cohort/lib.php');
        $levels = [];
        foreach (['hugo@huddle.example', 'hanna@huddle.example'] as $email) {
          $user = $DB->get_record('user', ['email' => $email], '*', MUST_EXIST);
          $levels[$email] = array_values(array_map(fn($c) => $c->name, array_filter($DB->get_records('cohort', null, 'name'), fn($c) => cohort_is_member($c->id, $user->id))));
        }
        echo json_encode($levels);`);
      expect(levels).toEqual({ 'hugo@huddle.example': ['Niveau A', 'Niveau B', 'Niveau C'], 'hanna@huddle.example': ['Niveau A', 'Niveau B', 'Niveau C'] });
    } finally {
      await smtp.stop();
    }
  });

  it('never gives a teacher a course role in a category: "Docent" joins the school\'s teacher group, for cohort sync', async () => {
    const report = await intake(file('docenten.csv', ['username;password;firstname;lastname;email;school;rol', 'dmeijer;Welkom-2026!;Daan;Meijer;daan@school.example;Engelbrektskolan;Docent', ''].join('\n')), {
      source: 'staff-sis',
      password: { mode: 'file' },
      hierarchy: { top: 'Category 1' },
    });
    expect(report).toMatchObject({ created: 1, rolesAssigned: 0, newGroups: ['Engelbrektskolan / Engelbrektskolan · Teachers'] });
    const seen = await site.php<{ roles: number; member: boolean; allowed: string[] }>(`
      require_once($CFG->dirroot . '/cohort/lib.php');
      $user = $DB->get_record('user', ['username' => 'dmeijer']);
      $category = $DB->get_record('course_categories', ['name' => 'Engelbrektskolan']);
      $context = context_coursecat::instance($category->id);
      $cohort = $DB->get_record('cohort', ['name' => 'Engelbrektskolan · Teachers', 'contextid' => $context->id]);
      echo json_encode(['roles' => count(get_user_roles($context, $user->id, false)), 'member' => cohort_is_member($cohort->id, $user->id),
        'allowed' => array_values(array_intersect(['student', 'teacher', 'editingteacher'], array_map(fn($id) => $DB->get_field('role', 'shortname', ['id' => $id]), get_roles_for_contextlevels(CONTEXT_COURSECAT))))]);`);
    expect(seen).toEqual({ roles: 0, member: true, allowed: [] });
  });

  it("writes rows as Moodle's user_create_user() and its datetime field would: site defaults, clean names, addresses as written, dates at the user's midnight, installed languages only", async () => {
    await site.cli('admin/cli/cfg.php', '--name=timezone', '--set=America/New_York');
    await site.cli('admin/cli/cfg.php', '--name=country', '--set=SE');
    await site.cli('admin/cli/cfg.php', '--name=defaultcity', '--set=Göteborg');
    await site.php(`
      $category = $DB->insert_record('user_info_category', (object) ['name' => 'Skola', 'sortorder' => 1]);
      $DB->insert_record('user_info_field', (object) ['shortname' => 'dob', 'name' => 'Date of birth', 'datatype' => 'datetime',
        'categoryid' => $category, 'sortorder' => 1, 'param1' => 1990, 'param2' => 2030, 'visible' => 2, 'description' => '']);
      echo json_encode(true);`);
    const report = await intake(
      file(
        'defaults.csv',
        [
          'username;password;firstname;lastname;email;profile_field_dob;lang;timezone',
          'nyc1;Welkom-2026!;<b>Nora</b>;York;Nora.York@School.example;01-05-2010;en;',
          'nyc2;Welkom-2026!;Sven;Svensson;sven@school.example;02-05-2010;sv;',
          'tok1;Welkom-2026!;Taro;Tanaka;taro@school.example;03-05-2010;en;asia/tokyo',
          '',
        ].join('\n'),
      ),
      { source: 'defaults', password: { mode: 'file' } },
    );
    expect(report).toMatchObject({ created: 2, errors: 1 });
    const seen = await site.php<{ firstname: string; country: string; city: string; email: string; dob: string }>(`
      require_once($CFG->dirroot . '/user/profile/lib.php');
      $user = $DB->get_record('user', ['username' => 'nyc1']);
      $profile = profile_user_record($user->id);
      echo json_encode(['firstname' => $user->firstname, 'country' => $user->country, 'city' => $user->city, 'email' => $user->email,
        'dob' => userdate($profile->dob, '%d-%m-%Y', core_date::get_user_timezone($user), false)]);`);
    // The address as written (tool_uploaduser only trims it); Moodle finds it in any case.
    expect(seen).toEqual({ firstname: 'Nora', country: 'SE', city: 'Göteborg', email: 'Nora.York@School.example', dob: '01-05-2010' });
    // A row's own time zone is the account's, and its date is midnight there: Tokyo's 3 May, not New York's.
    const tokyo = await site.php<{ timezone: string; dob: string }>(`
      require_once($CFG->dirroot . '/user/profile/lib.php');
      $user = $DB->get_record('user', ['username' => 'tok1']);
      $profile = profile_user_record($user->id);
      echo json_encode(['timezone' => core_date::get_user_timezone($user), 'dob' => userdate($profile->dob, '%d-%m-%Y', core_date::get_user_timezone($user), false)]);`);
    expect(tokyo).toEqual({ timezone: 'Asia/Tokyo', dob: '03-05-2010' });
  });

  it("takes the theme, description, mail preferences, sign-in method and system role of Moodle's upload file as its upload does: Moodle shows the user their theme, keeps their mail preferences, lets only the manual account log in and the course creator create courses", async () => {
    await site.cli('admin/cli/cfg.php', '--name=allowuserthemes', '--set=1');
    const report = await intake(
      file(
        'themes.csv',
        [
          'username,password,firstname,lastname,email,theme,mailformat,maildigest,description,auth,sysrole1',
          'thm1,Welkom-2026!,Tom,Jones,thm1@example.com,classic,0,2,<p>Loves <b>cats</b></p>,manual,coursecreator',
          'thm2,Welkom-2026!,Trent,Reznor,thm2@example.com,nosuch,,,,nologin,',
          '',
        ].join('\n'),
      ),
      { source: 'themes', password: { mode: 'file' } },
    );
    // The theme Moodle does not have is passed over as its upload passes it over: the account comes without it.
    expect(report).toMatchObject({ created: 2, errors: 0 });
    const seen = await site.php<Record<string, { theme: string; mailformat: string; maildigest: string; description: string }>>(`
      $seen = [];
      foreach (['thm1', 'thm2'] as $username) {
        $user = core_user::get_user_by_username($username);
        $description = format_text($user->description, $user->descriptionformat, ['context' => context_user::instance($user->id)]);
        \\core\\session\\manager::set_user($user);
        $page = new moodle_page();
        $page->set_context(context_user::instance($user->id));
        $seen[$username] = ['theme' => $page->theme->name, 'mailformat' => $user->mailformat, 'maildigest' => $user->maildigest, 'description' => $description];
      }
      echo json_encode($seen);`);
    expect(seen.thm1).toMatchObject({ theme: 'classic', mailformat: '0', maildigest: '2' });
    expect(seen.thm1!.description).toContain('Loves <b>cats</b>');
    // The site's own theme and its default preferences (defaultpreference_mailformat: HTML).
    expect(seen.thm2).toMatchObject({ theme: 'boost', mailformat: '1', maildigest: '0', description: '' });
    // Each row's own sign-in method: the manual account logs in with the file's password, the nologin one cannot.
    const logins = await site.php<boolean[]>(
      `echo json_encode(array_map(fn($u) => (bool) authenticate_user_login($u, 'Welkom-2026!', false, $reason), ['thm1', 'thm2']));`,
    );
    expect(logins).toEqual([true, false]);
    // sysrole1: a course creator everywhere, as Moodle's own capability check finds (role_assign() in the system context).
    const creators = await site.php<boolean[]>(
      `echo json_encode(array_map(fn($u) => has_capability('moodle/course:create', context_system::instance(), core_user::get_user_by_username($u)), ['thm1', 'thm2']));`,
    );
    expect(creators).toEqual([true, false]);
  });

  it("links a Binogi workbook's SSO IDs so Moodle's OAuth 2 login finds each account (auth_oauth2's own lookup)", async () => {
    await site.cli('admin/cli/cfg.php', '--name=auth', '--set=email,oauth2');
    // A service people log in with, as Site administration → Server → OAuth 2 services saves one.
    await site.php(`
      $issuer = new \\core\\oauth2\\issuer(0, (object) ['name' => 'Skolon', 'image' => '', 'baseurl' => 'https://idp.skolon.example', 'clientid' => 'intake-test',
        'clientsecret' => 'secret', 'loginscopes' => 'openid profile email', 'loginscopesoffline' => 'openid profile email', 'loginparams' => '',
        'loginparamsoffline' => '', 'alloweddomains' => '', 'showonloginpage' => 1, 'requireconfirmation' => 0, 'sortorder' => 0]);
      $issuer->create();
      (new \\core\\oauth2\\endpoint(0, (object) ['issuerid' => $issuer->get('id'), 'name' => 'userinfo_endpoint', 'url' => 'https://idp.skolon.example/userinfo']))->create();
      echo json_encode($issuer->is_available_for_login());`);
    const workbook = 'Förnamn;Efternamn;E-post;SSOID\nElsa;Berg;elsa@skola.example;Elsa.Berg@Skola.example\nOlof;Ek;olof@skola.example;7f3a-91c2\n';
    const report = await intake(file('binogi.csv', workbook), { source: 'binogi' });
    expect(report).toMatchObject({ created: 2, errors: 0 });
    // What Moodle's login does with the identity the service sends (auth_oauth2\auth::complete_login): lower it, look it up.
    const found = await site.php<{ user: string | null; valid: boolean; auth: string; context: boolean }[]>(`
      $issuer = \\core\\oauth2\\issuer::get_record(['name' => 'Skolon']);
      $out = [];
      foreach (['Elsa.Berg@Skola.example', '7F3A-91C2'] as $sent) {
        $link = \\auth_oauth2\\api::match_username_to_user(core_text::strtolower(trim($sent)), $issuer);
        $user = $link ? $DB->get_record('user', ['id' => $link->get('userid')]) : null;
        // The user context written with its path in the INSERT is the one Moodle's own context API builds.
        $context = $user ? context_user::instance($user->id) : null;
        $pathOk = $context && $context->path === context_system::instance()->path . '/' . $context->id && (int) $context->depth === 2;
        $out[] = ['user' => $user ? $user->username : null, 'valid' => $link ? $link->is_valid() : false, 'auth' => $user ? $user->auth : '', 'context' => $pathOk];
      }
      echo json_encode($out);`);
    expect(found).toEqual([
      { user: 'eberg', valid: true, auth: 'oauth2', context: true },
      { user: 'oek', valid: true, auth: 'oauth2', context: true },
    ]);
  });

  it('enrols a new member of a cohort-synced group into its course when Moodle runs the replay task, not an hour later', async () => {
    const courseId = await cohortSyncedCourse('Engelbrektskolan', 'SV1A', '1A');
    const report = await intake(file('nykomling.csv', ['username;password;firstname;lastname;email;idnumber;school;class', 'nnyberg;Welkom-2026!;Nils;Nyberg;nils@school.example;S1009;Engelbrektskolan;1A', ''].join('\n')), {
      source: 'sis',
      password: { mode: 'file' },
      hierarchy: { top: 'Category 1' },
    });
    expect(report).toMatchObject({ created: 1, memberships: 1 });
    const enrolled = () => site.php<boolean>(`$user = $DB->get_record('user', ['username' => 'nnyberg']); echo json_encode(is_enrolled(context_course::instance(${courseId}), $user));`);
    expect(await enrolled()).toBe(false);
    await runAdhocTasks();
    // Moodle's own observer (enrol_cohort) acted on the cohort_member_added event the task triggered.
    expect(await enrolled()).toBe(true);
  });

  it("logs out whoever an archive suspends, as Moodle's own upload does (kill_user_sessions())", async () => {
    const leavers = (rows: string[]) => file('leavers.csv', ['username;password;firstname;lastname;email', ...rows, ''].join('\n'));
    const settings = { source: 'leavers', password: { mode: 'file' }, actions: { add: true, update: true, archive: true } };
    expect(await intake(leavers(['lleaver;Welkom-2026!;Lea;Leaver;lea@school.example', 'sstayer;Welkom-2026!;Sam;Stayer;sam@school.example']), settings)).toMatchObject({ created: 2 });
    // Both are logged in: a session record each, as Moodle's session manager writes it, and the session
    // data where this site's handler (files in moodledata) keeps it.
    await site.php(`
      make_writable_directory($CFG->dataroot . '/sessions');
      foreach (['lleaver', 'sstayer'] as $username) {
        file_put_contents($CFG->dataroot . '/sessions/sess_sid-' . $username, '');
        $DB->insert_record('sessions', (object) ['state' => 0, 'sid' => 'sid-' . $username, 'userid' => $DB->get_field('user', 'id', ['username' => $username]),
          'timecreated' => time(), 'timemodified' => time(), 'firstip' => '127.0.0.1', 'lastip' => '127.0.0.1']);
      }
      echo 'null';`);
    expect(await intake(leavers(['sstayer;Welkom-2026!;Sam;Stayer;sam@school.example']), settings)).toMatchObject({ archived: 1 });
    const seen = await site.php<Record<string, { suspended: number; session: boolean }>>(`
      $seen = [];
      foreach (['lleaver', 'sstayer'] as $username) {
        $seen[$username] = ['suspended' => (int) $DB->get_field('user', 'suspended', ['username' => $username]),
          'session' => \\core\\session\\manager::session_exists('sid-' . $username)];
      }
      echo json_encode($seen);`);
    expect(seen).toEqual({ lleaver: { suspended: 1, session: false }, sstayer: { suspended: 0, session: true } });
  });

  it("takes a lesgroepen export (a row per pupil and group) as one account in every cohort, and a row's suspended column as Moodle's upload does", async () => {
    const rows = (ada: string) =>
      file('lesgroepen.csv', ['Leerlingnummer;Roepnaam;Achternaam;E-mailadres;Lesgroep;Geschorst', `9101;Ada;Bos;ada.les@school.example;3h-ne;${ada}`, '9102;Bo;Kok;bo.les@school.example;3h-ne;nee',
        `9101;Ada;Bos;ada.les@school.example;3h-wi;${ada}`, '9102;Bo;Kok;bo.les@school.example;3h-wi;nee', ''].join('\n'));
    const settings = { source: 'lesgroepen', password: { mode: 'generate' }, notify: { credentials: 'none' } };
    expect(await intake(rows('nee'), settings)).toMatchObject({ created: 2, skipped: 2, errors: 0, joinedRows: 2 });
    // Ada is logged in when the next file says she is suspended.
    await site.php(`
      make_writable_directory($CFG->dataroot . '/sessions');
      file_put_contents($CFG->dataroot . '/sessions/sess_sid-ada', '');
      $DB->insert_record('sessions', (object) ['state' => 0, 'sid' => 'sid-ada', 'userid' => $DB->get_field('user', 'id', ['idnumber' => '9101']),
        'timecreated' => time(), 'timemodified' => time(), 'firstip' => '127.0.0.1', 'lastip' => '127.0.0.1']);
      echo 'null';`);
    expect(await intake(rows('ja'), settings)).toMatchObject({ updated: 1, unchanged: 1, errors: 0 });
    const seen = await site.php<{ people: Record<string, { cohorts: string[]; suspended: number }>; adaLoggedIn: boolean }>(`
      require_once($CFG->dirroot . '/cohort/lib.php');
      $seen = [];
      foreach (['9101', '9102'] as $idnumber) {
        $user = $DB->get_record('user', ['idnumber' => $idnumber], '*', MUST_EXIST);
        $cohorts = [];
        foreach ($DB->get_records('cohort', null, 'name') as $cohort) if (cohort_is_member($cohort->id, $user->id)) $cohorts[] = $cohort->name;
        $seen[$idnumber] = ['cohorts' => $cohorts, 'suspended' => (int) $user->suspended];
      }
      echo json_encode(['people' => $seen, 'adaLoggedIn' => \\core\\session\\manager::session_exists('sid-ada')]);`);
    expect(seen).toEqual({ people: { '9101': { cohorts: ['3h-ne', '3h-wi'], suspended: 1 }, '9102': { cohorts: ['3h-ne', '3h-wi'], suspended: 0 } }, adaLoggedIn: false });
  });

  describe('a coordinator of one school, as Moodle assigns them', () => {
    it('reaches through the API only their own category, its groups and its people', async () => {
      const coordinatorId = await site.php<number>(`
        $user = create_user_record('coord', 'Coord-2026!');
        $category = $DB->get_record('course_categories', ['name' => 'Engelbrektskolan'], '*', MUST_EXIST);
        role_assign($DB->get_field('role', 'id', ['shortname' => 'coordinator']), $user->id, context_coursecat::instance($category->id));
        echo json_encode((int) $user->id);`);
      const server = await startServer(readEnv({ ...process.env, DATABASE_URL: site.url, INTAKE_SECRET: secret, PORT: '0' }), { log: () => undefined });
      try {
        const headers = { authorization: `Bearer ${await signToken(secret, coordinatorId)}` };
        const get = async (path: string) => fetch(`${server.url}/api${path}`, { headers });
        const me = (await (await get('/me')).json()) as { scope: { kind: string }; mayUndo: boolean };
        expect(me).toMatchObject({ scope: { kind: 'categories' }, mayUndo: true });
        const nodes = ((await (await get('/nodes')).json()) as { nodes: { name: string }[] }).nodes.map((n) => n.name);
        expect(nodes).toEqual(['Engelbrektskolan']);
        const groups = ((await (await get('/groups?q=')).json()) as { groups: { name: string }[] }).groups.map((g) => g.name);
        expect(groups.length).toBeGreaterThan(0);
        expect(groups.every((g) => ['1A', '1B', 'Engelbrektskolan · Teachers'].includes(g))).toBe(true);
        const people = ((await (await get('/people?q=')).json()) as { people: { username: string }[] }).people.map((p) => p.username);
        expect(people).not.toContain('admin');
        expect(people).not.toContain('bteacher');
        // Their export holds their school's people only; a group outside their school is not found.
        const exported = await (await get('/export?layout=csv-comma')).text();
        expect(exported).toContain('lvdberg');
        expect(exported).not.toContain('bteacher');
        const elsewhere = await site.php<number>(`require_once($CFG->dirroot . '/cohort/lib.php');
          echo json_encode((int) cohort_add_cohort((object) ['contextid' => context_system::instance()->id, 'name' => 'Elders']));`);
        expect((await get(`/export?group=${elsewhere}`)).status).toBe(404);
        // A manager without a category holds local/intake:import at the system context: the whole site.
        const managerId = await site.php<number>(`
          $user = create_user_record('mgr', 'Manager-2026!');
          role_assign($DB->get_field('role', 'id', ['shortname' => 'manager']), $user->id, context_system::instance());
          echo json_encode((int) $user->id);`);
        const manager = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${await signToken(secret, managerId)}` } })).json()) as { scope: { kind: string } };
        expect(manager.scope.kind).toBe('site');
        // Someone with neither: refused.
        const pupil = await site.php<number>(`echo json_encode((int) $DB->get_field('user', 'id', ['username' => 'lvdberg']));`);
        expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${await signToken(secret, pupil)}` } })).status).toBe(403);

        // What they import, Moodle logs as theirs: the replay runs as the importer, as Moodle's upload logs its uploader.
        const form = new FormData();
        form.append('file', new File(['username;firstname;lastname;email\nkoord1;Kim;Koord;kim@school.example\n'], 'list.csv', { type: 'text/csv' }));
        const uploaded = (await (await fetch(`${server.url}/api/imports`, { method: 'POST', body: form, headers })).json()) as { id: string };
        const statusOf = async () => ((await (await get(`/imports/${uploaded.id}`)).json()) as { status: string }).status;
        const reached = async (wanted: string) => {
          for (let i = 0; i < 100 && (await statusOf()) !== wanted; i++) await new Promise((r) => setTimeout(r, 100));
          expect(await statusOf()).toBe(wanted);
        };
        const settings = { source: 'coordinated', group: { existing: '1A' }, notify: { credentials: 'download' } };
        await fetch(`${server.url}/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ settings }) });
        await reached('previewed');
        await fetch(`${server.url}/api/imports/${uploaded.id}/commit`, { method: 'POST', headers });
        await reached('done');
        await runAdhocTasks();
        const byWhom = await site.sql<{ userid: string }>(
          "SELECT l.userid FROM mdl_logstore_standard_log l JOIN mdl_user u ON u.id = l.objectid WHERE l.eventname = '\\\\core\\\\event\\\\user_created' AND u.username = 'koord1'",
        );
        expect(byWhom.map((r) => Number(r.userid))).toEqual([coordinatorId]);
      } finally {
        await server.close();
      }
    });

    it("makes a RemindoToets exam group in their school: a supervisor of their school (one from elsewhere refused), the validity, and they supervise it themselves", async () => {
      const [coordinator] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'coord'");
      const server = await startServer(readEnv({ ...process.env, DATABASE_URL: site.url, INTAKE_SECRET: secret, PORT: '0' }), { log: () => undefined });
      try {
        const headers = { authorization: `Bearer ${await signToken(secret, Number(coordinator!.id))}` };
        const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
        const form = new FormData();
        form.append('file', new File(['Gebruikersnaam;Voornaam;Achternaam;E-mail\nrt1;Rosa;Toets;rt1@school.example\nrt2;Ruben;Toets;rt2@school.example\n'], 'kandidaten.csv', { type: 'text/csv' }));
        const { id } = (await (await api('/imports', { method: 'POST', body: form })).json()) as { id: string };
        const summary = async () => (await (await api(`/imports/${id}`)).json()) as { status: string; error?: { code: string } | null };
        const settled = async (...wanted: string[]) => {
          for (let i = 0; i < 100 && !wanted.includes((await summary()).status); i++) await new Promise((r) => setTimeout(r, 100));
          return summary();
        };
        const preview = (supervisors: string[]) =>
          api(`/imports/${id}/preview`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ settings: { source: 'remindo-hb', group: { create: 'Examen HB 2027' }, supervisors, validity: { until: '31-07-2099' }, password: { mode: 'generate' }, notify: { credentials: 'download' } } }),
          });
        // bteacher teaches elsewhere: the preview says so and writes nothing.
        await preview(['bteacher']);
        expect(await settled('uploaded', 'previewed')).toMatchObject({ status: 'uploaded', error: { code: 'out_of_scope' } });
        // dmeijer teaches at their school.
        await preview(['dmeijer']);
        expect(await settled('previewed', 'uploaded')).toMatchObject({ status: 'previewed' });
        await api(`/imports/${id}/commit`, { method: 'POST' });
        expect(await settled('done', 'failed')).toMatchObject({ status: 'done' });
        await runAdhocTasks();
        const seen = await site.php<{ inSchool: boolean; members: string[]; supervisors: Record<string, string[]>; active: boolean[] }>(`
          require_once($CFG->dirroot . '/cohort/lib.php');
          $school = $DB->get_record('course_categories', ['name' => 'Engelbrektskolan'], '*', MUST_EXIST);
          $group = $DB->get_record('cohort', ['name' => 'Examen HB 2027'], '*', MUST_EXIST);
          $members = [];
          foreach ($DB->get_records('user', null, 'username') as $user) if (cohort_is_member($group->id, $user->id)) $members[] = $user->username;
          $supervisors = [];
          foreach (['dmeijer', 'coord', 'bteacher'] as $username) {
            $who = $DB->get_record('user', ['username' => $username], '*', MUST_EXIST);
            $supervisors[$username] = array_map(fn($m) => implode(',', array_map(fn($r) => $r->shortname,
              get_user_roles(context_user::instance($DB->get_field('user', 'id', ['username' => $m])), $who->id, false))), $members);
          }
          echo json_encode(['inSchool' => (int) $group->contextid === (int) context_coursecat::instance($school->id)->id, 'members' => $members, 'supervisors' => $supervisors,
            'active' => array_map(fn($m) => (int) $DB->get_field('user', 'suspended', ['username' => $m]) === 0, $members)]);`);
        expect(seen).toEqual({ inSchool: true, members: ['rt1', 'rt2'], supervisors: { dmeijer: ['mentor', 'mentor'], coord: ['mentor', 'mentor'], bteacher: ['', ''] }, active: [true, true] });
        // Valid to the end of that day where the site is.
        const until = await site.php<string[]>(`
          $ends = $DB->get_fieldset_sql("SELECT v.valid_until FROM intake_validity v JOIN {user} u ON u.id = v.user_id WHERE u.username IN ('rt1', 'rt2') ORDER BY u.username");
          echo json_encode(array_map(fn($t) => (new DateTime('@' . $t))->setTimezone(core_date::get_server_timezone_object())->format('Y-m-d H:i'), $ends));`);
        expect(until).toEqual(['2099-07-31 23:59', '2099-07-31 23:59']);
      } finally {
        await server.close();
      }
    });
  });

  describe('through the server', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(readEnv({ ...process.env, DATABASE_URL: site.url, INTAKE_SECRET: secret, PORT: '0' }), { log: () => undefined });
    });
    afterAll(async () => {
      await server?.close();
    });

    /**
     * Undoes an import as the wizard does (the admin's POST, or another user's) and follows it as the
     * wizard does, by server-sent events until it rests; returns the last summary they told.
     */
    async function undoThroughServer(importId: string, asUser = 2): Promise<{ status: string; undoFollowUp?: string }> {
      const token = await signToken(secret, asUser);
      const undo = await fetch(`${server.url}/api/imports/${importId}/undo`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(undo.status, await undo.clone().text()).toBeLessThan(300);
      // The stream ends when the import rests.
      const events = await (await fetch(`${server.url}/api/imports/${importId}/events?token=${encodeURIComponent(token)}`)).text();
      const last = JSON.parse(events.split('\n').filter((line) => line.startsWith('data: ')).pop()!.slice('data: '.length)) as { status: string; undoFollowUp?: string };
      expect(last.status).toBe('undone');
      return last;
    }

    it("undoes an import: the accounts go through Moodle's delete_user(), with its events, logged as done by whoever undid it", async () => {
      const report = await intake(file('temp.csv', 'username;password;firstname;lastname;email;class\ntemp1;Tijdelijk-2026!;Tim;Tijdelijk;tim@school.example;Proef\ntemp2;Tijdelijk-2026!;Tess;Tijdelijk;tess@school.example;Proef\n'), { source: 'trial', password: { mode: 'file' } });
      expect(report).toMatchObject({ created: 2 });
      await runAdhocTasks();
      const ids = (await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username IN ('temp1', 'temp2')")).map((r) => r.id);
      // Imported by the command (as the site's first admin), undone in the wizard by a second admin.
      const undoerId = await site.php<number>(`
        $user = create_user_record('secondadmin', 'Admin-2026!');
        set_config('siteadmins', $CFG->siteadmins . ',' . $user->id);
        echo json_encode((int) $user->id);`);
      const undone = await undoThroughServer(report.importId, undoerId);
      // No web server answers at this site's address here: the wizard is told that Moodle's cron deletes them.
      expect(undone.undoFollowUp).toBe('at_next_cron');
      // Suspended at once (no login in between), deleted by Moodle's own code when its task runs.
      expect(await site.sql("SELECT username FROM mdl_user WHERE username IN ('temp1', 'temp2') AND suspended = 1 AND deleted = 0")).toHaveLength(2);
      await runAdhocTasks();
      const left = await site.php<{ deleted: number[]; cohort: boolean }>(`
        echo json_encode(['deleted' => array_map('intval', $DB->get_fieldset_sql("SELECT deleted FROM {user} WHERE id IN (${ids.join(', ')})")),
          'cohort' => $DB->record_exists('cohort', ['name' => 'Proef'])]);`);
      expect(left).toEqual({ deleted: [1, 1], cohort: false });
      expect(await logged()).toMatchObject({ '\\core\\event\\user_deleted': 2, '\\core\\event\\cohort_deleted': 1 });
      const by = await site.sql("SELECT DISTINCT userid FROM mdl_logstore_standard_log WHERE eventname IN ('\\\\core\\\\event\\\\user_deleted', '\\\\core\\\\event\\\\cohort_deleted')");
      expect(by).toEqual([{ userid: String(undoerId) }]);
    });

    it("enrols as Moodle's own upload file asks (course1, role1, group1, enrolperiod1): is_enrolled(), groups Moodle lists at once, its events, and undo unenrols", async () => {
      const courseId = await createCourse(site, { fullname: 'Mathematics 102', shortname: 'math102', category: 1, groups: ['Section 1'] });
      const groupNames = () => site.php<string[]>(`require_once($CFG->dirroot . '/group/lib.php');
        echo json_encode(array_values(array_map(fn($g) => $g->name, groups_get_all_groups(${courseId}))));`);
      // Read once, as a teacher's visit to the course's groups page does: Moodle now holds them in its groupdata cache.
      expect(await groupNames()).toEqual(['Section 1']);
      await runAdhocTasks();
      const before = await logged();
      /** Events logged since the import, by name (earlier tests enrolled people through cohort sync). */
      const loggedSince = async () => Object.fromEntries(Object.entries(await logged()).map(([name, n]) => [name, n - (before[name] ?? 0)]));

      const upload = [
        'username,password,firstname,lastname,email,course1,role1,group1,enrolperiod1',
        'jonest,Verysecret-1!,Tom,Jones,jonest@example.com,math102,,Section 1,',
        'reznor,Somesecret-1!,Trent,Reznor,reznor@example.com,math102,editingteacher,Section 3,30',
        '',
      ].join('\n');
      const report = await intake(file('upload_users.csv', upload), { source: 'moodle-upload', password: { mode: 'file' } });
      expect(report).toMatchObject({ created: 2, errors: 0, enrolments: 2, rolesAssigned: 2, groupsCreated: 1, memberships: 2, newGroups: ['math102 / Section 3'] });

      const enrolled = () =>
        site.php<Record<string, { enrolled: boolean; roles: string[]; groups: string[]; days: number }>>(`
          require_once($CFG->dirroot . '/group/lib.php');
          $context = context_course::instance(${courseId});
          $out = [];
          foreach (['jonest', 'reznor'] as $username) {
            $user = $DB->get_record('user', ['username' => $username]);
            if (!$user || $user->deleted) { continue; }
            $ue = $DB->get_record_sql('SELECT ue.* FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid WHERE e.courseid = ? AND ue.userid = ?', [${courseId}, $user->id]);
            $out[$username] = ['enrolled' => is_enrolled($context, $user, '', true),
              'roles' => array_values(array_map(fn($r) => $r->shortname, get_user_roles($context, $user->id, false))),
              'groups' => array_values(array_map(fn($g) => $g->name, groups_get_all_groups(${courseId}, $user->id))),
              'days' => $ue && $ue->timeend ? ($ue->timeend - $ue->timestart) / 86400 : 0];
          }
          echo json_encode((object) $out);`);
      expect(await enrolled()).toEqual({
        jonest: { enrolled: true, roles: ['student'], groups: ['Section 1'], days: 0 },
        reznor: { enrolled: true, roles: ['editingteacher'], groups: ['Section 3'], days: 30 },
      });
      // The group it made is listed at once, though Moodle had the course's groups cached (no purge by hand).
      expect((await groupNames()).sort()).toEqual(['Section 1', 'Section 3']);
      await runAdhocTasks();
      expect(await loggedSince()).toMatchObject({ '\\core\\event\\user_enrolment_created': 2, '\\core\\event\\group_created': 1, '\\core\\event\\group_member_added': 2, '\\core\\event\\role_assigned': 2 });

      // A later file with a period extends an enrolment, as enrol_user() moves the dates of someone enrolled
      // already; enrolstatus1 suspends one: Moodle then counts that person as enrolled but not active.
      const later = [
        'username,firstname,lastname,email,course1,enrolperiod1,enrolstatus1',
        'jonest,Tom,Jones,jonest@example.com,math102,365,',
        'reznor,Trent,Reznor,reznor@example.com,math102,,1',
        '',
      ];
      const longer = await intake(file('upload_users_period.csv', later.join('\n')), { source: 'moodle-upload' });
      expect(longer).toMatchObject({ updated: 2, enrolments: 0 });
      expect(await enrolled()).toMatchObject({ jonest: { enrolled: true, days: 365 }, reznor: { enrolled: false, days: 30 } });
      await runAdhocTasks();
      expect(await loggedSince()).toMatchObject({ '\\core\\event\\user_enrolment_updated': 2 });
      await undoThroughServer(longer.importId);
      expect(await enrolled()).toMatchObject({ jonest: { enrolled: true, days: 0 }, reznor: { enrolled: true, days: 30 } });

      await undoThroughServer(report.importId);
      await runAdhocTasks();
      expect(await enrolled()).toEqual({});
      expect(await groupNames()).toEqual(['Section 1']);
      expect(await loggedSince()).toMatchObject({ '\\core\\event\\user_enrolment_deleted': 2, '\\core\\event\\group_deleted': 1, '\\core\\event\\group_member_removed': 2, '\\core\\event\\user_deleted': 2 });
    });

    it('answers the plugin’s health check with the shared secret, through Moodle’s scheduled task', async () => {
      await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=serverurl', `--set=${server.url}`);
      await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=secret', `--set=${secret}`);
      const run = await site.cli('admin/cli/scheduled_task.php', '--execute=\\local_intake\\task\\health_check');
      expect(run.stdout).toMatch(/accepts this site's tokens/);
      const health = await site.php<{ ok: boolean }>("echo get_config('local_intake', 'health');");
      expect(health.ok).toBe(true);
      await site.cli('admin/cli/cfg.php', '--component=local_intake', '--name=secret', '--set=not-the-secret-0000000');
      const refused = await site.cli('admin/cli/scheduled_task.php', '--execute=\\local_intake\\task\\health_check');
      expect(refused.stdout).toMatch(/refuses this site's tokens/);
    });
  });

  it("sets the interests of Moodle's upload file as its upload does (useredit_update_interests()), changes them on a later file and undo puts them back", async () => {
    const tags = (username: string) =>
      site.php<string[]>(`echo json_encode(array_values(core_tag_tag::get_item_tags_array('core', 'user', $DB->get_field('user', 'id', ['username' => '${username}']))));`);
    const first = await intake(file('interests.csv', 'username,password,firstname,lastname,email,interests\ntagged1,Welkom-2026!,Tina,Tag,tina@school.example,"Chess, music ,chess"\n'), { source: 'interests', password: { mode: 'file' } });
    expect(first).toMatchObject({ created: 1, errors: 0 });
    await runAdhocTasks();
    // A tag named twice in any case is one tag, as Moodle keys them.
    expect(await tags('tagged1')).toEqual(['Chess', 'music']);

    // Only the interests differ: the account is updated, Moodle's tag events logged.
    const before = await logged();
    const second = await intake(file('interests2.csv', 'username,firstname,lastname,email,interests\ntagged1,Tina,Tag,tina@school.example,"music, art"\n'), { source: 'interests', password: { mode: 'keep' } });
    expect(second).toMatchObject({ updated: 1, unchanged: 0 });
    await runAdhocTasks();
    expect(await tags('tagged1')).toEqual(['music', 'art']);
    const after = await logged();
    expect((after['\\core\\event\\tag_added'] ?? 0) - (before['\\core\\event\\tag_added'] ?? 0)).toBe(1);
    expect((after['\\core\\event\\tag_removed'] ?? 0) - (before['\\core\\event\\tag_removed'] ?? 0)).toBe(1);
    // The same interests again, in another case: nothing to change. An empty cell leaves them, as Moodle's upload does.
    expect(await intake(file('interests3.csv', 'username,firstname,lastname,email,interests\ntagged1,Tina,Tag,tina@school.example,"Music, Art"\n'), { source: 'interests', password: { mode: 'keep' } })).toMatchObject({ unchanged: 1 });
    expect(await intake(file('interests4.csv', 'username,firstname,lastname,email,interests\ntagged1,Tina,Tag,tina@school.example,\n'), { source: 'interests', password: { mode: 'keep' } })).toMatchObject({ unchanged: 1 });

    const undone = await command(['undo', second.importId, '--json']);
    expect(undone.code, undone.stderr).toBe(0);
    await runAdhocTasks();
    expect(await tags('tagged1')).toEqual(['Chess', 'music']);
  });

  it("passes over a row of Moodle's upload file that names another Moodle's account (mnethostid), as its upload never adds one; this site's own host id imports", async () => {
    const localHost = await site.php<number>("echo json_encode((int) $CFG->mnet_localhost_id);");
    const report = await intake(file('mnet.csv', `username,password,firstname,lastname,email,mnethostid\nremote1,Welkom-2026!,Re,Mote,remote1@school.example,${localHost + 5}\nlocal1,Welkom-2026!,Lo,Cal,local1@school.example,${localHost}\n`), { source: 'mnet', password: { mode: 'file' } });
    expect(report).toMatchObject({ created: 1, skipped: 1, errors: 0 });
    const accounts = await site.php<string[]>("echo json_encode(array_values($DB->get_fieldset_select('user', 'username', \"username IN ('remote1', 'local1')\")));");
    expect(accounts).toEqual(['local1']);
  });

  it("answers a data request through Moodle's privacy API: what Intake holds about a person is declared, found, exported and deleted", async () => {
    const { importId } = await intake(file('privacy.csv', 'username;password;firstname;lastname;email\npvacy;Welkom-2026!;Pia;Vacy;pia@school.example\n'), { source: 'privacy-feed', password: { mode: 'file' } });
    const [pia] = await site.sql<{ id: string }>("SELECT id FROM mdl_user WHERE username = 'pvacy'");
    // As the Data privacy tool runs a request: Moodle's privacy manager asks every component.
    const asked = await site.php<{ compliant: boolean; missingStrings: string[]; contexts: number[]; listed: number[] }>(`
      $manager = new \\core_privacy\\manager();
      $missing = [];
      foreach ($manager->get_metadata_for_components()['local_intake']->get_collection() as $item) {
        foreach (array_merge([$item->get_summary()], array_values($item->get_privacy_fields())) as $identifier) {
          if (!get_string_manager()->string_exists($identifier, 'local_intake')) $missing[] = $identifier;
        }
      }
      $found = $manager->get_contexts_for_userid(${pia!.id})->get_contextlist_for_component('local_intake');
      $listed = $manager->get_users_in_context(context_system::instance())->get_userlist_for_component('local_intake');
      echo json_encode(['compliant' => $manager->component_is_compliant('local_intake'), 'missingStrings' => $missing,
        'contexts' => $found ? array_map('intval', $found->get_contextids()) : [], 'listed' => $listed ? array_map('intval', $listed->get_userids()) : []]);`);
    expect(asked).toMatchObject({ compliant: true, missingStrings: [], contexts: [1] });
    expect(asked.listed).toContain(Number(pia!.id));

    /** What a person's export holds of Intake: the data.json Moodle's writer files in the zip. */
    const exported = (userId: number | string) =>
      site.php<{ imports?: { source: string }[]; undone?: { source: string }[]; intake_source_user?: { source: string }[] }>(`
        \\local_intake\\privacy\\provider::export_user_data(new \\core_privacy\\local\\request\\approved_contextlist(core_user::get_user(${userId}), 'local_intake', [SYSCONTEXTID]));
        $zip = new ZipArchive();
        $zip->open(\\core_privacy\\local\\request\\writer::with_context(context_system::instance())->finalise_content());
        for ($i = 0; $i < $zip->numFiles; $i++) {
          if (str_ends_with($zip->getNameIndex($i), 'data.json')) echo json_encode(json_decode($zip->getFromIndex($i)));
        }`);
    const forget = (userId: number | string) =>
      site.php(`\\local_intake\\privacy\\provider::delete_data_for_user(new \\core_privacy\\local\\request\\approved_contextlist(core_user::get_user(${userId}), 'local_intake', [SYSCONTEXTID])); echo json_encode(true);`);

    expect((await exported(pia!.id)).intake_source_user).toEqual([expect.objectContaining({ source: 'privacy-feed' })]);
    expect((await exported(2)).imports).toContainEqual(expect.objectContaining({ source: 'privacy-feed' }));
    const held = () => site.sql(`SELECT source FROM intake_source_user WHERE user_id = ${pia!.id}`);
    expect(await held()).toEqual([{ source: 'privacy-feed' }]);
    await forget(pia!.id);
    expect(await held()).toEqual([]);

    // Undone from the command line, as the site's admin: their export names what they undid.
    const undone = await command(['undo', importId, '--json']);
    expect(undone.code, undone.stderr).toBe(0);
    expect((await exported(2)).undone).toContainEqual(expect.objectContaining({ source: 'privacy-feed' }));
    // An import record stays for the site's audit, without the person who ran or undid it.
    await forget(2);
    expect(await site.sql("SELECT status, created_by, undone_by FROM intake_import WHERE source = 'privacy-feed'")).toEqual([{ status: 'undone', created_by: '0', undone_by: '0' }]);
  });

  it("leaves a schema Moodle's own check finds clean, and a cron run without failures", async () => {
    const schema = await site.cli('admin/cli/check_database_schema.php');
    expect(schema.code, schema.stdout + schema.stderr).toBe(0);
    expect(schema.stdout).toMatch(/Database structure is ok/);
    const cron = await site.cli('admin/cli/cron.php');
    expect(cron.code, cron.stderr).toBe(0);
    expect(cron.stdout).not.toMatch(/task failed|Exception/i);
  });
});
