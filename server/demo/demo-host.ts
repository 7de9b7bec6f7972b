import { sql } from 'drizzle-orm';
import type { Db } from '../host/database.js';
import { hostTableStatements } from '../../db/host/ddl.js';
import { CONTEXT_COURSE, CONTEXT_COURSECAT, CONTEXT_MODULE, CONTEXT_SYSTEM, CONTEXT_USER, hostPrefix } from '../../db/host/index.js';
import { hashPassword } from '../host/hashing/password-hash.js';

/**
 * The roles a fresh Moodle has, at the context levels Moodle allows them (lib/db/access.php's archetypes,
 * get_default_contextlevels(): teachers and students only in courses and activities), plus the ones
 * Intake's workflows use (coordinator, mentor, candidate).
 */
const roles: [shortname: string, name: string, archetype: string, levels: number[]][] = [
  ['manager', 'Manager', 'manager', [CONTEXT_SYSTEM, CONTEXT_COURSECAT]],
  ['coursecreator', 'Course creator', 'coursecreator', [CONTEXT_SYSTEM, CONTEXT_COURSECAT]],
  ['editingteacher', 'Teacher', 'editingteacher', [CONTEXT_COURSE, CONTEXT_MODULE]],
  ['teacher', 'Non-editing teacher', 'teacher', [CONTEXT_COURSE, CONTEXT_MODULE]],
  ['student', 'Student', 'student', [CONTEXT_COURSE, CONTEXT_MODULE]],
  ['guest', 'Guest', 'guest', []],
  ['user', 'Authenticated user', 'user', []],
  ['frontpage', 'Authenticated user on site home', 'frontpage', []],
  ['coordinator', 'Test coordinator', '', [CONTEXT_COURSECAT]],
  ['mentor', 'Supervisor', '', [CONTEXT_USER]],
  ['candidate', 'Candidate', 'student', [CONTEXT_COURSECAT]],
];

export const demoAdmin = { id: 2, username: 'admin', password: 'Admin-1234' };
/** A test coordinator for the school "Het Baken" (category BAKEN), with two teachers there. */
export const demoCoordinator = { id: 3, username: 'coordinator' };
/** Users the seed creates have ids up to this one; imported users come after. */
export const lastSeededUserId = 6;

const t = (name: string) => sql.raw(`\`${hostPrefix}${name}\``);

export async function hostTablesExist(db: Db): Promise<boolean> {
  const [rows] = (await db.execute(sql`SHOW TABLES LIKE ${`${hostPrefix}user`}`)) as unknown as [unknown[]];
  return rows.length > 0;
}

/**
 * Creates Moodle-style host tables and a small seed: the system context, guest and admin, a category,
 * the standard roles and a few cohorts. Does nothing when the host tables already exist.
 */
export async function createDemoHost(db: Db, options: { reset?: boolean } = {}): Promise<'created' | 'exists' | 'recreated (an older version of Intake made it)'> {
  const statements = await hostTableStatements();
  const names = statements.map((s) => /CREATE TABLE `([^`]+)`/.exec(s)?.[1]).filter((n): n is string => n !== undefined);
  // A demo host an older Intake made lacks tables this one reads (role_allow_assign): it is only a demo, so it is made again.
  const outdated = !options.reset && (await hostTablesExist(db)) && !(await allTablesExist(db, names));
  if (options.reset || outdated) {
    for (const name of names) {
      await db.execute(sql.raw(`DROP TABLE IF EXISTS \`${name}\``));
    }
  } else if (await hostTablesExist(db)) {
    return 'exists';
  }
  for (const statement of statements) await db.execute(sql.raw(statement));
  await seed(db);
  return outdated ? 'recreated (an older version of Intake made it)' : 'created';
}

async function allTablesExist(db: Db, names: string[]): Promise<boolean> {
  for (const name of names) {
    const [rows] = (await db.execute(sql`SHOW TABLES LIKE ${name}`)) as unknown as [unknown[]];
    if (rows.length === 0) return false;
  }
  return true;
}

async function seed(db: Db): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const config: [string, string][] = [
    ['mnet_localhost_id', '1'],
    ['siteguest', '1'],
    ['siteadmins', String(demoAdmin.id)],
    ['sessiontimeout', '28800'],
    ['auth', 'oauth2,saml2'],
    ['allowaccountssameemail', '0'],
    ['passwordpolicy', '1'],
    ['minpasswordlength', '8'],
    ['minpassworddigits', '1'],
    ['minpasswordlower', '1'],
    ['minpasswordupper', '1'],
    ['minpasswordnonalphanum', '1'],
    ['lang', 'en'],
  ];
  for (const [name, value] of config) await db.execute(sql`INSERT INTO ${t('config')} (name, value) VALUES (${name}, ${value})`);
  // Moodle's site name is course 1's full name.
  await db.execute(sql`INSERT INTO ${t('course')} (id, category, fullname, shortname) VALUES (1, 0, 'Demo College', 'demo')`);

  await db.execute(sql`INSERT INTO ${t('context')} (id, contextlevel, instanceid, path, depth, locked) VALUES (1, ${CONTEXT_SYSTEM}, 0, '/1', 1, 0)`);

  const adminHash = await hashPassword(demoAdmin.password, { scheme: 'sha512', rounds: 5000 });
  const people: [number, string, string, string, string, string][] = [
    [1, 'guest', 'Guest user', ' ', 'root@localhost', 'manual'],
    [demoAdmin.id, demoAdmin.username, 'Admin', 'User', 'admin@demo.example', 'manual'],
    [demoCoordinator.id, demoCoordinator.username, 'Carla', 'Coördinator', 'coordinator@baken.example', 'manual'],
    [4, 'mbakker', 'Marieke', 'Bakker', 'm.bakker@baken.example', 'manual'],
    [5, 'jdekker', 'Joost', 'Dekker', 'j.dekker@baken.example', 'manual'],
    [6, 'pvisser', 'Pieter', 'Visser', 'p.visser@elders.example', 'manual'],
  ];
  for (const [id, username, firstname, lastname, email, auth] of people) {
    await db.execute(sql`INSERT INTO ${t('user')}
      (id, auth, confirmed, mnethostid, username, password, firstname, lastname, email, timecreated, timemodified)
      VALUES (${id}, ${auth}, 1, 1, ${username}, ${username === 'guest' ? 'guest' : adminHash}, ${firstname}, ${lastname}, ${email}, ${now}, ${now})`);
    await db.execute(sql`INSERT INTO ${t('context')} (contextlevel, instanceid, path, depth, locked) VALUES (${CONTEXT_USER}, ${id}, NULL, 2, 0)`);
  }

  await db.execute(sql`UPDATE ${t('context')} SET path = CONCAT('/1/', id) WHERE path IS NULL`);
  // The hierarchy: Miscellaneous; Schools > Het Baken (a coordinator's school); Examens.
  const categories: [id: number, name: string, idnumber: string, parent: number][] = [
    [1, 'Miscellaneous', 'MISC', 0],
    [2, 'Schools', 'SCHOOLS', 0],
    [3, 'Het Baken', 'BAKEN', 2],
    [4, 'Examens', 'EXAM', 0],
  ];
  for (const [id, name, idnumber, parent] of categories) {
    const [parentRow] = parent ? ((await db.execute(sql`SELECT c.path, x.path AS ctxpath, x.depth FROM ${t('course_categories')} c JOIN ${t('context')} x ON x.contextlevel = ${CONTEXT_COURSECAT} AND x.instanceid = c.id WHERE c.id = ${parent}`)) as unknown as [{ path: string; ctxpath: string; depth: number }[]])[0] : [undefined];
    await db.execute(sql`INSERT INTO ${t('course_categories')} (id, name, idnumber, description, descriptionformat, parent, sortorder, depth, path, timemodified)
      VALUES (${id}, ${name}, ${idnumber}, '', 1, ${parent}, ${id * 10000}, ${parentRow ? parentRow.path.split('/').length : 1}, ${`${parentRow?.path ?? ''}/${id}`}, ${now})`);
    await db.execute(sql`INSERT INTO ${t('context')} (contextlevel, instanceid, path, depth, locked) VALUES (${CONTEXT_COURSECAT}, ${id}, NULL, ${(parentRow?.depth ?? 1) + 1}, 0)`);
    await db.execute(sql`UPDATE ${t('context')} SET path = CONCAT(${parentRow?.ctxpath ?? '/1'}, '/', id) WHERE path IS NULL`);
  }

  let sortorder = 1;
  for (const [shortname, name, archetype, levels] of roles) {
    await db.execute(sql`INSERT INTO ${t('role')} (name, shortname, description, sortorder, archetype) VALUES (${name}, ${shortname}, '', ${sortorder++}, ${archetype})`);
    for (const level of levels) {
      await db.execute(sql`INSERT INTO ${t('role_context_levels')} (roleid, contextlevel) SELECT id, ${level} FROM ${t('role')} WHERE shortname = ${shortname}`);
    }
  }

  // Who may assign which role, as Moodle's install defaults (manager: all) plus the site's own roles: a test
  // coordinator hands out the roles of candidates, pupils, teachers and supervisors, never manager or coordinator.
  const allowAssign: [string, string[]][] = [
    ['manager', roles.map(([shortname]) => shortname).filter((r) => !['guest', 'user', 'frontpage'].includes(r))],
    ['editingteacher', ['teacher', 'student']],
    ['coordinator', ['candidate', 'student', 'teacher', 'editingteacher', 'mentor']],
  ];
  for (const [holder, assignable] of allowAssign) {
    for (const target of assignable) {
      await db.execute(sql`INSERT INTO ${t('role_allow_assign')} (roleid, allowassign)
        SELECT h.id, a.id FROM ${t('role')} h JOIN ${t('role')} a ON a.shortname = ${target} WHERE h.shortname = ${holder}`);
    }
  }

  // Who may import, as local_intake's db/access.php gives it: managers, and the coordinator role in its categories.
  for (const holder of ['manager', 'coordinator']) {
    for (const capability of ['local/intake:import', 'local/intake:undo']) {
      await db.execute(sql`INSERT INTO ${t('role_capabilities')} (contextid, roleid, capability, permission, timemodified, modifierid)
        SELECT 1, id, ${capability}, 1, ${now}, 0 FROM ${t('role')} WHERE shortname = ${holder}`);
    }
  }

  // Custom profile fields a Dutch school site typically has.
  const profileFields: [shortname: string, name: string, datatype: string, param1: string | null][] = [
    ['extratime', 'Extra time (minutes)', 'text', null],
    ['specialneeds', 'Special needs', 'checkbox', null],
    ['tussenvoegsel', 'Tussenvoegsel', 'text', null],
    ['dateofbirth', 'Date of birth', 'datetime', null],
  ];
  let fieldOrder = 1;
  for (const [shortname, name, datatype, param1] of profileFields) {
    await db.execute(sql`INSERT INTO ${t('user_info_field')} (shortname, name, datatype, description, descriptionformat, categoryid, sortorder, visible, param1)
      VALUES (${shortname}, ${name}, ${datatype}, '', 1, 1, ${fieldOrder++}, 2, ${param1})`);
  }

  // The single sign-on service pupils log in with (Site administration → Server → OAuth 2 services).
  await db.execute(sql`INSERT INTO ${t('oauth2_issuer')} (timecreated, timemodified, usermodified, name, image, baseurl, clientid, clientsecret,
      loginscopes, loginscopesoffline, loginparams, loginparamsoffline, alloweddomains, enabled, showonloginpage, sortorder, requireconfirmation, servicetype)
    VALUES (${now}, ${now}, ${demoAdmin.id}, 'Google', '', 'https://accounts.google.com/', 'demo-client', 'demo-secret',
      'openid profile email', 'openid profile email', '', 'access_type=offline&prompt=consent', '', 1, 1, 0, 1, 'google')`);
  await db.execute(sql`INSERT INTO ${t('oauth2_endpoint')} (timecreated, timemodified, usermodified, name, url, issuerid)
    SELECT ${now}, ${now}, ${demoAdmin.id}, 'userinfo_endpoint', 'https://openidconnect.googleapis.com/v1/userinfo', id FROM ${t('oauth2_issuer')} WHERE name = 'Google'`);

  const bakenContext = sql`(SELECT id FROM ${t('context')} WHERE contextlevel = ${CONTEXT_COURSECAT} AND instanceid = 3)`;
  const cohorts: [string, string, 'system' | 'baken'][] = [
    ['Class of 2025', 'CO2025', 'system'],
    ['Teachers', 'TEACHERS', 'system'],
    ['ASD', 'ASD', 'system'],
    ['DSA', 'DSA', 'system'],
    ['Baken docenten', 'BAKEN-DOC', 'baken'],
  ];
  for (const [name, idnumber, where] of cohorts) {
    await db.execute(sql`INSERT INTO ${t('cohort')} (contextid, name, idnumber, description, descriptionformat, visible, component, timecreated, timemodified)
      VALUES (${where === 'system' ? sql`1` : bakenContext}, ${name}, ${idnumber}, '', 1, 1, '', ${now}, ${now})`);
  }
  // The coordinator holds the coordinator role at Het Baken; its teachers are in its staff group.
  await db.execute(sql`INSERT INTO ${t('role_assignments')} (roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder)
    SELECT r.id, ${bakenContext}, ${demoCoordinator.id}, ${now}, ${demoAdmin.id}, '', 0, 0 FROM ${t('role')} r WHERE r.shortname = 'coordinator'`);
  for (const teacher of [4, 5]) {
    await db.execute(sql`INSERT INTO ${t('cohort_members')} (cohortid, userid, timeadded) SELECT id, ${teacher}, ${now} FROM ${t('cohort')} WHERE idnumber = 'BAKEN-DOC'`);
    // They teach there: a teacher role in the school's category, whatever groups they are in.
    await db.execute(sql`INSERT INTO ${t('role_assignments')} (roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder)
      SELECT r.id, ${bakenContext}, ${teacher}, ${now}, ${demoAdmin.id}, '', 0, 0 FROM ${t('role')} r WHERE r.shortname = 'teacher'`);
  }

  // Courses a file's course1 column can enrol in, each with the manual enrolment method Moodle gives a new
  // course (default role: student); the exam course has only self enrolment, so nobody can be imported into it.
  const courses: [id: number, shortname: string, fullname: string, category: number, manual: boolean, groups: string[]][] = [
    [2, 'math102', 'Mathematics 102', 1, true, ['Section 1']],
    [3, 'BAKEN-NE1', 'Nederlands klas 1', 3, true, ['1A', '1B']],
    [4, 'EXAM-CBT', 'Computer-based exams', 4, false, []],
  ];
  for (const [id, shortname, fullname, category, manual, groups] of courses) {
    await db.execute(sql`INSERT INTO ${t('course')} (id, category, sortorder, fullname, shortname, idnumber, visible, timecreated, timemodified)
      VALUES (${id}, ${category}, ${category * 10000 + id}, ${fullname}, ${shortname}, '', 1, ${now}, ${now})`);
    await db.execute(sql`INSERT INTO ${t('context')} (contextlevel, instanceid, path, depth, locked)
      SELECT ${CONTEXT_COURSE}, ${id}, NULL, x.depth + 1, 0 FROM ${t('context')} x WHERE x.contextlevel = ${CONTEXT_COURSECAT} AND x.instanceid = ${category}`);
    await db.execute(sql`UPDATE ${t('context')} c JOIN ${t('context')} x ON x.contextlevel = ${CONTEXT_COURSECAT} AND x.instanceid = ${category}
      SET c.path = CONCAT(x.path, '/', c.id) WHERE c.contextlevel = ${CONTEXT_COURSE} AND c.instanceid = ${id}`);
    await db.execute(sql`INSERT INTO ${t('enrol')} (enrol, status, courseid, sortorder, enrolperiod, roleid, timecreated, timemodified)
      SELECT ${manual ? 'manual' : 'self'}, 0, ${id}, 0, 0, id, ${now}, ${now} FROM ${t('role')} WHERE shortname = 'student'`);
    for (const name of groups) {
      await db.execute(sql`INSERT INTO ${t('groups')} (courseid, idnumber, name, description, descriptionformat, picture, timecreated, timemodified)
        VALUES (${id}, '', ${name}, '', 0, 0, ${now}, ${now})`);
    }
  }
}
