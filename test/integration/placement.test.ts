import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { isIntakeError } from '../../server/core/errors.js';
import { sweep } from '../../server/host/sweep.js';
import { undoImport } from '../../server/host/undo.js';
import { insertUserContexts } from '../../server/host/write/users.js';
import { loadSite } from '../../server/host/read/site.js';
import { bytesOf } from '../support/files.js';
import { engineTestbed } from '../support/testbed.js';

const bed = engineTestbed('placement');
const { query } = bed;

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isIntakeError(error)) return { code: error.code, params: error.params };
    throw error;
  }
  return null;
}

/** A stored row of a preview or import, its JSON columns parsed. */
interface StoredOutcome {
  line: number;
  outcome: string;
  username: string;
  problems: { code: string; field?: string; params?: Record<string, unknown> }[] | null;
  placement: { node?: string; groups?: string[]; role?: string } | null;
}

const outcomes = async (importId: number): Promise<StoredOutcome[]> =>
  query('SELECT line, outcome, username, problems, placement FROM intake_row WHERE import_id = ? ORDER BY line', [importId]).then((rows) =>
    rows.map((r) => ({
      line: Number(r.line),
      outcome: String(r.outcome),
      username: String(r.username),
      problems: typeof r.problems === 'string' ? JSON.parse(r.problems) : r.problems,
      placement: typeof r.placement === 'string' ? JSON.parse(r.placement) : r.placement,
    })),
  );

/** Direct supervision of the pupils whose username or ID number is LIKE `pattern`, as "pupil>mentor" (a mentor role in the pupil's user context). */
const mentorLinks = async (by: 'username' | 'idnumber', pattern: string): Promise<string[]> =>
  (
    await query(
      `SELECT u.${by} AS pupil, s.username AS mentor FROM mdl_role_assignments ra JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 30 JOIN mdl_user u ON u.id = x.instanceid JOIN mdl_user s ON s.id = ra.userid WHERE u.${by} LIKE ? ORDER BY u.${by}, s.username`,
      [pattern],
    )
  ).map((r) => `${String(r.pupil)}>${String(r.mentor)}`);

describe('a municipality-wide file', () => {
  const file = [
    'E-mailadres;Voornaam;Achternaam;Klas;School;Gemeente;Rol',
    'a.aarts@utrecht.example;Anna;Aarts;3A;De Regenboog;Utrecht;leerling',
    'b.bos@utrecht.example;Bram;Bos;3A;De Regenboog;Utrecht;leerling',
    'c.claes@utrecht.example;Cas;Claes;4B;De Regenboog;Utrecht;Leerling',
    'd.dijk@utrecht.example;Dirk;Dijk;;De Regenboog;Utrecht;docent',
    'e.eck@zeist.example;Eva;Eck;1C;Het Anker;Zeist;student',
    'f.faas@zeist.example;Fien;Faas;9;Het Anker;Zeist;leerling',
  ].join('\n');
  const settings = { source: 'municipal', matchOn: 'email' as const, hierarchy: { top: 'SCHOOLS' } };

  it('previews the nodes and groups it will create and rejects a student whose class is too vague', async () => {
    const preview = await bed.engine.run(bytesOf(file), settings, 'preview');
    // Students and teachers are course roles in Moodle: in a school node they join its role groups instead.
    expect(preview.counts).toMatchObject({ rows: 6, created: 5, errors: 1, nodesCreated: 4, groupsCreated: 6, memberships: 9, rolesAssigned: 0 });
    expect(preview.structure.newNodes.sort()).toEqual(['Utrecht', 'Utrecht / De Regenboog', 'Zeist', 'Zeist / Het Anker']);
    expect(preview.structure.newGroups.sort()).toEqual([
      'Utrecht / De Regenboog / 3A',
      'Utrecht / De Regenboog / 4B',
      'Utrecht / De Regenboog / De Regenboog · Students',
      'Utrecht / De Regenboog / De Regenboog · Teachers',
      'Zeist / Het Anker / 1C',
      'Zeist / Het Anker / Het Anker · Students',
    ]);
    const rows = await outcomes(preview.importId);
    expect(rows[5]).toMatchObject({ outcome: 'error', problems: [{ code: 'vague_class', field: 'class', params: { class: '9' } }] });
    expect(rows[0]!.placement).toEqual({ node: 'Utrecht / De Regenboog', groups: ['3A', 'De Regenboog · Students'] });
    expect(await query("SELECT id FROM mdl_course_categories WHERE name = 'Utrecht'")).toHaveLength(0);
  });

  it('creates school nodes with contexts, a group per class in its school, and its role groups for students and teachers', async () => {
    const { counts, importId } = await bed.engine.run(bytesOf(file), settings);
    expect(counts).toMatchObject({ created: 5, errors: 1, nodesCreated: 4, groupsCreated: 6, memberships: 9, rolesAssigned: 0 });
    const [schools] = [await query("SELECT c.id, c.name, c.path, c.depth, c.sortorder, c.parent, x.id AS ctx, x.path AS ctxpath, x.depth AS ctxdepth FROM mdl_course_categories c JOIN mdl_context x ON x.contextlevel = 40 AND x.instanceid = c.id WHERE c.name IN ('Utrecht', 'De Regenboog') ORDER BY c.depth")];
    const [utrecht, regenboog] = schools as RowDataPacket[];
    expect(utrecht).toMatchObject({ parent: 2, depth: 2, path: `/2/${utrecht!.id}`, ctxdepth: 3 });
    expect(regenboog).toMatchObject({ parent: utrecht!.id, depth: 3, path: `/2/${utrecht!.id}/${regenboog!.id}`, ctxpath: `${utrecht!.ctxpath}/${regenboog!.ctx}`, ctxdepth: 4 });
    expect(new Set((await query('SELECT sortorder FROM mdl_course_categories')).map((r) => r.sortorder)).size).toBe(8);
    const classes = await query('SELECT name, contextid, (SELECT COUNT(*) FROM mdl_cohort_members m WHERE m.cohortid = c.id) AS members FROM mdl_cohort c WHERE contextid = ? ORDER BY name', [regenboog!.ctx]);
    expect(classes.map((c) => `${c.name}:${c.members}`)).toEqual(['3A:2', '4B:1', 'De Regenboog · Students:3', 'De Regenboog · Teachers:1']);
    // No student or teacher role in a category, where Moodle does not allow them (role_context_levels).
    expect(await query("SELECT ra.id FROM mdl_role_assignments ra JOIN mdl_user u ON u.id = ra.userid WHERE u.email LIKE '%utrecht.example'")).toHaveLength(0);
    // Running it again changes nothing; undoing the first run removes what it made.
    expect((await bed.engine.run(bytesOf(file), settings)).counts).toMatchObject({ unchanged: 5, nodesCreated: 0, groupsCreated: 0, memberships: 0, rolesAssigned: 0 });
    const told: [done: number, total: number][] = [];
    await undoImport(bed.database.pool, importId, { onProgress: (done, total) => void told.push([done, total]) });
    // Its progress counts up to the total it said at the start, and ends exactly there.
    const total = told[0]![1];
    expect(total).toBeGreaterThan(5);
    expect(told.every(([, t]) => t === total)).toBe(true);
    expect(told.map(([done]) => done)).toEqual(told.map(([done]) => done).sort((a, b) => a - b));
    expect(told.at(-1)![0]).toBe(total);
    expect(await query("SELECT id FROM mdl_course_categories WHERE name IN ('Utrecht', 'De Regenboog', 'Zeist', 'Het Anker')")).toHaveLength(0);
    expect(await query("SELECT id FROM mdl_user WHERE email LIKE '%utrecht.example'")).toHaveLength(0);
    expect(await query("SELECT id FROM mdl_cohort WHERE name IN ('3A', '4B', '1C') OR name LIKE '% · %'")).toHaveLength(0);
  });

  it('reads the nodes from one path column as well', async () => {
    const paths = ['E-mailadres;Voornaam;Achternaam;Gemeente/School', 'g.gans@zeist.example;Gert;Gans;Zeist/De Linde'].join('\n');
    const preview = await bed.engine.run(bytesOf(paths), { ...settings }, 'preview');
    expect(preview.columns[3]!.field).toBe('nodePath');
    expect(preview.structure.newNodes).toEqual(['Zeist', 'Zeist / De Linde']);
  });

  it("without a top node puts an administrator's schools at the site's top level, as Moodle places a top-level category", async () => {
    const schools = ['E-mailadres;Voornaam;Achternaam;School;Klas', 'h.hof@site.example;Hugo;Hof;De Toren;5A', 'i.ilk@site.example;Iris;Ilk;SCHOOLS;5B'].join('\n');
    const siteLevel = { ...settings, source: 'site-level', hierarchy: undefined };
    const preview = await bed.engine.run(bytesOf(schools), siteLevel, 'preview');
    // "SCHOOLS" is a top-level category already: found, not made again.
    expect(preview.structure.newNodes).toEqual(['De Toren']);
    const { counts } = await bed.engine.run(bytesOf(schools), siteLevel);
    expect(counts).toMatchObject({ created: 2, nodesCreated: 1, groupsCreated: 2 });
    const [[system], [toren]] = await Promise.all([
      query('SELECT id, path FROM mdl_context WHERE contextlevel = 10'),
      query("SELECT c.id, c.parent, c.path, c.depth, c.visible, x.id AS ctx, x.path AS ctxpath, x.depth AS ctxdepth FROM mdl_course_categories c JOIN mdl_context x ON x.contextlevel = 40 AND x.instanceid = c.id WHERE c.name = 'De Toren'"),
    ]);
    expect(toren).toMatchObject({ parent: 0, depth: 1, path: `/${toren!.id}`, visible: 1, ctxpath: `${system!.path}/${toren!.ctx}`, ctxdepth: 2 });
    const classes = await query("SELECT c.name, x.instanceid AS node FROM mdl_cohort c JOIN mdl_context x ON x.id = c.contextid WHERE c.name IN ('5A', '5B') ORDER BY c.name");
    const [existing] = await query("SELECT id FROM mdl_course_categories WHERE name = 'SCHOOLS'");
    expect(classes).toEqual([{ name: '5A', node: toren!.id }, { name: '5B', node: existing!.id }]);
    expect((await bed.engine.run(bytesOf(schools), siteLevel)).counts).toMatchObject({ unchanged: 2, nodesCreated: 0, groupsCreated: 0 });
  });

  it('refuses a top node that does not exist', async () => {
    expect(await rejection(bed.engine.run(bytesOf(file), { ...settings, hierarchy: { top: 'Nowhere' } }, 'preview'))).toMatchObject({ code: 'node_not_found' });
  });
});

describe("Moodle's category role columns (category1 with categoryrole1)", () => {
  const staff = [
    'username,firstname,lastname,email,category1,categoryrole1,course1,role1',
    'catman,Carla,Man,catman@x.example,BAKEN,manager,math102,student',
    'catcre,Cees,Cre,catcre@x.example,exam,coursecreator,,',
    'catnot,Nora,Not,catnot@x.example,BAKEN,notcoursecreator,,',
    'catunk,Uma,Unk,catunk@x.example,Movie,coursecreator,,',
    'catnone,Nico,None,catnone@x.example,BAKEN,,,',
    'catstu,Stan,Stu,catstu@x.example,BAKEN,student,,',
    'catrole,Rob,Role,catrole@x.example,,manager,,',
  ].join('\n');

  it('give each role in the category its ID number names, and refuse what Moodle\'s upload refuses, each row on its own', async () => {
    const preview = await bed.engine.run(bytesOf(staff), { source: 'category-roles' }, 'preview');
    // catman is enrolled in math102 beside (course1 with role1): a role in a course too.
    expect(preview.counts).toMatchObject({ rows: 7, created: 3, errors: 4, rolesAssigned: 3, enrolments: 1 });
    const rows = await outcomes(preview.importId);
    expect(rows.map((r) => [r.username, r.outcome, r.problems?.[0]?.code ?? r.placement?.role ?? null])).toEqual([
      ['catman', 'create', 'manager (BAKEN)'],
      ['catcre', 'create', 'coursecreator (EXAM)'],
      ['catnot', 'error', 'unknown_role'],
      ['catunk', 'error', 'unknown_category'],
      ['catnone', 'error', 'missing_category_role'],
      // A course role is Moodle's only in courses (role_context_levels): never forced into a category.
      ['catstu', 'error', 'role_not_at_category'],
      // A role without its category is passed over, as Moodle's upload passes it over: told on the row.
      ['catrole', 'create', 'category_missing'],
    ]);
    const run = await bed.engine.run(bytesOf(staff), { source: 'category-roles' }, 'commit');
    expect(run.counts).toMatchObject({ rows: 7, created: 3, errors: 4, rolesAssigned: 3, enrolments: 1 });
    const assigned = await query(
      "SELECT u.username, r.shortname, cat.idnumber FROM mdl_role_assignments ra JOIN mdl_user u ON u.id = ra.userid JOIN mdl_role r ON r.id = ra.roleid JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 40 JOIN mdl_course_categories cat ON cat.id = x.instanceid WHERE u.username LIKE 'cat%' ORDER BY u.username",
    );
    expect(assigned.map((a) => `${a.username} ${a.shortname} ${a.idnumber}`)).toEqual(['catcre coursecreator EXAM', 'catman manager BAKEN']);
    // The same file again assigns nothing twice; undo takes the roles away with the accounts.
    expect((await bed.engine.run(bytesOf(staff), { source: 'category-roles' }, 'commit')).counts).toMatchObject({ unchanged: 3, rolesAssigned: 0, enrolments: 0 });
    await undoImport(bed.database.pool, run.importId);
    expect(await query("SELECT id FROM mdl_user WHERE username LIKE 'cat%'")).toEqual([]);
  });

  it("give a coordinator only roles they may hand out, in their own categories", async () => {
    const coordinator = await bed.engine.coordinator();
    const rows = ['username,firstname,lastname,email,category1,categoryrole1', 'cocand,Kim,Cand,cocand@baken.example,BAKEN,candidate', 'comgr,Max,Mgr,comgr@baken.example,BAKEN,manager', 'coexam,Eef,Exam,coexam@baken.example,EXAM,candidate'].join('\n');
    const run = await bed.engine.run(bytesOf(rows), { source: 'co-category-roles' }, 'preview', coordinator);
    expect((await outcomes(run.importId)).map((r) => [r.username, r.problems?.[0]?.code ?? r.placement?.role])).toEqual([
      ['cocand', 'candidate (BAKEN)'],
      ['comgr', 'role_not_allowed'],
      ['coexam', 'out_of_scope'],
    ]);
  });
});

describe("Moodle's system role columns (sysrole1, sysrole2…)", () => {
  const staff = [
    'username,firstname,lastname,email,sysrole1,sysrole2',
    'sysmgr,Sam,Mgr,sysmgr@x.example,manager,coursecreator',
    'sysrem,Rem,Oved,sysrem@x.example,-manager,',
    'sysstu,Stu,Dent,sysstu@x.example,student,',
    'sysunk,Uma,Unk,sysunk@x.example,nosuchrole,',
    '',
  ].join('\n');
  const systemRoles = async () =>
    (
      await query(
        "SELECT u.username, r.shortname FROM mdl_role_assignments ra JOIN mdl_user u ON u.id = ra.userid JOIN mdl_role r ON r.id = ra.roleid JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 10 WHERE u.username LIKE 'sys%' ORDER BY u.username, r.shortname",
      )
    ).map((a) => `${a.username} ${a.shortname}`);

  it("give each role where the site allows it in the system context, pass over a removal with a warning, and refuse what Moodle's upload refuses", async () => {
    const preview = await bed.engine.run(bytesOf(staff), { source: 'system-roles', auth: 'oauth2' }, 'preview');
    expect(preview.counts).toMatchObject({ rows: 4, created: 2, errors: 2, rolesAssigned: 2 });
    expect((await outcomes(preview.importId)).map((r) => [r.username, r.outcome, r.problems?.[0]?.code ?? r.placement?.role ?? null])).toEqual([
      ['sysmgr', 'create', 'manager (system), coursecreator (system)'],
      // "-manager" takes the role away in Moodle's upload: an import gives roles, so it is told, not done.
      ['sysrem', 'create', 'system_role_removal'],
      // A course role is Moodle's only in courses (role_context_levels).
      ['sysstu', 'error', 'role_not_at_system'],
      ['sysunk', 'error', 'unknown_role'],
    ]);
    const run = await bed.engine.run(bytesOf(staff), { source: 'system-roles', auth: 'oauth2' });
    expect(run.counts).toMatchObject({ created: 2, rolesAssigned: 2 });
    expect(await systemRoles()).toEqual(['sysmgr coursecreator', 'sysmgr manager']);
    // The same file again gives nothing twice; undo takes the roles away with the accounts.
    expect((await bed.engine.run(bytesOf(staff), { source: 'system-roles', auth: 'oauth2' })).counts).toMatchObject({ unchanged: 2, rolesAssigned: 0 });
    await undoImport(bed.database.pool, run.importId);
    expect(await systemRoles()).toEqual([]);
  });

  it('are no coordinator\'s to give: the system context is nobody\'s category', async () => {
    const coordinator = await bed.engine.coordinator();
    const file = ['username,firstname,lastname,email,sysrole1,class', 'cosys,Co,Sys,cosys@baken.example,coursecreator,1A', ''].join('\n');
    const run = await bed.engine.run(bytesOf(file), { source: 'co-system-roles' }, 'preview', coordinator);
    expect((await outcomes(run.importId)).map((r) => [r.username, r.problems?.[0]?.code])).toEqual([['cosys', 'role_not_allowed']]);
  });
});

describe('a coordinator', () => {
  const candidates = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'kand1;Kim;Kok;kim@baken.example', 'kand2;Lotte;Lam;lotte@baken.example'].join('\n');

  it('imports into a new group under their own node, becomes its supervisor with the chosen teachers, and sees the candidates', async () => {
    const coordinator = await bed.engine.coordinator();
    const settings = { source: 'baken-exam', group: { create: 'Examen 2027' }, supervisors: ['mbakker', 'j.dekker@baken.example'], validity: { until: '31-07-2027' }, role: 'candidate' };
    const { counts } = await bed.engine.run(bytesOf(candidates), settings, 'commit', coordinator);
    expect(counts).toMatchObject({ created: 2, groupsCreated: 1, memberships: 2, rolesAssigned: 2, supervisorLinks: 6 });
    const [group] = await query("SELECT c.id, c.contextid FROM mdl_cohort c WHERE c.name = 'Examen 2027'");
    expect(group!.contextid).toBe((await query('SELECT id FROM mdl_context WHERE contextlevel = 40 AND instanceid = 3'))[0]!.id);
    const supervision = await query(
      "SELECT s.username AS supervisor, c.username AS candidate FROM mdl_role_assignments ra JOIN mdl_user s ON s.id = ra.userid JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 30 JOIN mdl_user c ON c.id = x.instanceid WHERE ra.component = 'local_intake' AND ra.itemid = ? ORDER BY s.username, c.username",
      [group!.id],
    );
    expect(supervision.map((s) => `${s.supervisor}>${s.candidate}`)).toEqual(['coordinator>kand1', 'coordinator>kand2', 'jdekker>kand1', 'jdekker>kand2', 'mbakker>kand1', 'mbakker>kand2']);
    const validity = await query("SELECT v.valid_until FROM intake_validity v JOIN mdl_user u ON u.id = v.user_id WHERE u.username = 'kand1'");
    expect(validity[0]!.valid_until).toBe(Date.UTC(2027, 6, 31, 23, 59, 59) / 1000);
    // The candidates are in the coordinator's sight: a later import of theirs may update them.
    expect((await bed.engine.run(bytesOf(candidates.replace('Kok', 'Kok-de Wit')), { source: 'baken-exam', actions: { add: false, update: true, archive: false } }, 'commit', coordinator)).counts).toMatchObject({ updated: 1, unchanged: 1, errors: 0 });
  });

  it('is refused anything outside their categories, in the preview and at commit', async () => {
    const coordinator = await bed.engine.coordinator();
    for (const mode of ['preview', 'commit'] as const) {
      expect(await rejection(bed.engine.run(bytesOf(candidates), { source: 'x', hierarchy: { top: 'EXAM' } }, mode, coordinator))).toMatchObject({ code: 'out_of_scope' });
      expect(await rejection(bed.engine.run(bytesOf(candidates), { source: 'x', group: { existing: 'CO2025' } }, mode, coordinator))).toMatchObject({ code: 'out_of_scope' });
      expect(await rejection(bed.engine.run(bytesOf(candidates), { source: 'x', supervisors: ['pvisser'] }, mode, coordinator))).toMatchObject({ code: 'out_of_scope' });
    }
    const rows = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Groepen', 'pvisser;Pieter;Visser;p.visser@elders.example;', 'kand9;Kees;Kip;kees@baken.example;Class of 2025'].join('\n');
    const { importId, counts } = await bed.engine.run(bytesOf(rows), { source: 'x' }, 'commit', coordinator);
    expect(counts).toMatchObject({ errors: 2, created: 0 });
    expect((await outcomes(importId)).map((r) => r.problems?.[0]?.code)).toEqual(['out_of_scope', 'out_of_scope']);
    expect((await query("SELECT firstname FROM mdl_user WHERE username = 'pvisser'"))[0]!.firstname).toBe('Pieter');
  });

  it("archives only members of the import's groups", async () => {
    const coordinator = await bed.engine.coordinator();
    const onlyKim = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'kand1;Kim;Kok-de Wit;kim@baken.example'].join('\n');
    const { counts } = await bed.engine.run(bytesOf(onlyKim), { source: 'baken-exam', actions: { add: true, update: true, archive: true }, group: { existing: 'Examen 2027' } }, 'preview', coordinator);
    expect(counts.archived).toBe(1);
  });
});

describe('supervisors, validity and the sweep', () => {
  it('links every supervisor a cell names ("mbakker; jdekker"), each checked on its own', async () => {
    const rows = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Begeleiders', 'ugo;Ugo;Uil;ugo@x.example;"mbakker; jdekker"', 'vera;Vera;Vos;vera@x.example;mbakker, nobody'].join('\n');
    const { counts, importId } = await bed.engine.run(bytesOf(rows), { source: 'two-supervisors' });
    expect(counts).toMatchObject({ created: 1, errors: 1, supervisorLinks: 2 });
    expect((await outcomes(importId)).find((r) => (r as RowDataPacket).outcome === 'error')!.problems).toEqual([{ code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: 'nobody' } }]);
    const supervisors = await query(
      "SELECT s.username FROM mdl_role_assignments ra JOIN mdl_context x ON x.id = ra.contextid JOIN mdl_user u ON u.id = x.instanceid JOIN mdl_user s ON s.id = ra.userid WHERE x.contextlevel = 30 AND u.username = 'ugo' ORDER BY s.username",
    );
    expect(supervisors.map((r) => r.username)).toEqual(['jdekker', 'mbakker']);
    // The same file again: both links stand, nothing to add.
    expect((await bed.engine.run(bytesOf(rows), { source: 'two-supervisors' })).counts).toMatchObject({ unchanged: 1, supervisorLinks: 0 });
  });

  it('counts an account whose only change is a new supervisor as updated, the diff naming them, as a new group is', async () => {
    const people = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'wout;Wout;Wolf;wout@x.example'];
    expect((await bed.engine.run(bytesOf(people.join('\n')), { source: 'new-mentor' })).counts).toMatchObject({ created: 1 });
    const withMentor = [`${people[0]};Mentor`, `${people[1]};mbakker`].join('\n');
    const { counts, importId } = await bed.engine.run(bytesOf(withMentor), { source: 'new-mentor' });
    expect(counts).toMatchObject({ updated: 1, unchanged: 0, supervisorLinks: 1 });
    const [row] = await query("SELECT diff FROM intake_row WHERE import_id = ? AND username = 'wout'", [importId]);
    expect(typeof row!.diff === 'string' ? JSON.parse(row!.diff) : row!.diff).toEqual({ supervisor: ['', 'mbakker'] });
    // Linked already: the same file again changes nothing.
    expect((await bed.engine.run(bytesOf(withMentor), { source: 'new-mentor' })).counts).toMatchObject({ updated: 0, unchanged: 1, supervisorLinks: 0 });
  });

  it('links a supervisor named by full name as Moodle shows it, when exactly one account of the site has it; a name two accounts share, or initials, name nobody', async () => {
    // Two accounts of one name (a Piet Pieters at two schools): his name alone says not which.
    const twins = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'ppieters1;Piet;Pieters;pp1@x.example', 'ppieters2;Piet;Pieters;pp2@x.example'].join('\n');
    expect((await bed.engine.run(bytesOf(twins), { source: 'twins' })).counts).toMatchObject({ created: 2 });
    const rows = [
      'Stamnr;Roepnaam;Achternaam;E-mailadres;Mentor',
      '8101;Ans;Aal;ans@x.example;Marieke Bakker',
      '8102;Bas;Bos;bas@x.example;"joost  DEKKER; Marieke Bakker"',
      '8103;Cor;Cas;cor@x.example;M. Bakker',
      '8104;Dirk;Dol;dirk@x.example;Piet Pieters',
    ].join('\n');
    const { counts, columns, importId } = await bed.engine.run(bytesOf(rows), { source: 'mentor-names' });
    expect(columns.find((c) => c.header === 'Mentor')).toMatchObject({ field: 'supervisor', how: 'auto' });
    expect(counts).toMatchObject({ created: 2, errors: 2, supervisorLinks: 3 });
    const refused = (await outcomes(importId)).filter((r) => (r as RowDataPacket).outcome === 'error').map((r) => (r as RowDataPacket).problems[0]);
    expect(refused).toEqual([
      { code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: 'M. Bakker' } },
      { code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: 'Piet Pieters' } },
    ]);
    expect(await mentorLinks('idnumber', '81%')).toEqual(['8101>mbakker', '8102>jdekker', '8102>mbakker']);
    // Named by a name nobody has in full, the column is held back as a column of codes is.
    const initials = ['Stamnr;Roepnaam;Achternaam;E-mailadres;Mentor', '8201;Eva;Eik;eva@x.example;M. Bakker'].join('\n');
    expect((await bed.engine.run(bytesOf(initials), { source: 'mentor-initials' }, 'preview')).columns.find((c) => c.header === 'Mentor')).toMatchObject({ field: null, warning: 'names_nobody' });
  });

  it('links a supervisor written surname first, as a sorted list names a mentor ("Bakker, Marieke", "Vries, Jan de"), one the file makes too; a comma between two people still names both, and a name nobody has is told as written', async () => {
    const teacher = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'jdvries;Jan;de Vries;jdvries@x.example'].join('\n');
    expect((await bed.engine.run(bytesOf(teacher), { source: 'sorted-teacher' })).counts).toMatchObject({ created: 1 });
    const rows = [
      'Stamnr;Roepnaam;Achternaam;E-mailadres;Mentor',
      '8701;Fem;Fles;fem7@x.example;"Bakker, Marieke"',
      '8702;Gijs;Gras;gijs7@x.example;"dekker,  joost; Vries, Jan de"',
      '8703;Hans;Hals;hans7@x.example;"mbakker, jdekker"',
      '8704;Ilse;Ijs;ilse7@x.example;"Bakker, M."',
      '8705;Ulla;Uiver;ulla7@x.example;"Tuin, Tom"',
      '8706;Tom;Tuin;tom.tuin7@x.example;',
    ].join('\n');
    const preview = await bed.engine.run(bytesOf(rows), { source: 'mentor-sorted' }, 'preview');
    const { counts, importId } = await bed.engine.run(bytesOf(rows), { source: 'mentor-sorted' });
    expect(counts).toMatchObject({ created: 5, errors: 1, supervisorLinks: 6 });
    expect(preview.counts).toEqual(counts);
    const refused = (await outcomes(importId)).filter((r) => (r as RowDataPacket).outcome === 'error').map((r) => (r as RowDataPacket).problems);
    expect(refused).toEqual([[{ code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: 'Bakker, M.' } }]]);
    expect(await mentorLinks('idnumber', '870%')).toEqual(['8701>mbakker', '8702>jdekker', '8702>jdvries', '8703>jdekker', '8703>mbakker', '8705>ttuin']);
  });

  it('refuses a file with a header and no rows whether or not its pass reads for supervisors it makes', async () => {
    for (const header of ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Mentor']) {
      await expect(bed.engine.run(bytesOf(`${header}\n`), { source: 'no-rows' }, 'preview'), header).rejects.toMatchObject({ code: 'no_data_rows' });
    }
  });

  it('links pupils to a teacher the same file makes, by username or e-mail, whichever batch her row is in; preview and commit alike', async () => {
    const rows = [
      'Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Mentor',
      'ppa;Pia;Appel;pia@x.example;jdoc',
      'ppb;Pax;Berg;pax@x.example;JDoc@X.example',
      'ppc;Pol;Cor;pol@x.example;nobody-here',
      'jdoc;Joke;Docent;jdoc@x.example;',
      'ppd;Pim;Dam;pim@x.example;jbad',
      'jbad;Jan;;jbad@x.example;',
    ].join('\n');
    const settings = { source: 'made-here', mapping: { Mentor: 'supervisor' as const } };
    const preview = await bed.engine.run(bytesOf(rows), settings, 'preview', undefined, 2);
    const expected = { created: 4, errors: 2, supervisorLinks: 2 };
    expect(preview.counts).toMatchObject(expected);
    expect(preview.structure.supervisorsUnanswered).toEqual(['jbad']);
    const { counts, structure, importId } = await bed.engine.run(bytesOf(rows), settings, 'commit', undefined, 2);
    expect(counts).toMatchObject(expected);
    expect(structure.supervisorsUnanswered).toEqual(['jbad']);
    const linked = await query(
      "SELECT u.username AS pupil, s.username AS mentor, ra.component FROM mdl_role_assignments ra JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 30 JOIN mdl_user u ON u.id = x.instanceid JOIN mdl_user s ON s.id = ra.userid WHERE u.username LIKE 'pp%' ORDER BY u.username",
    );
    expect(linked.map((r) => [r.pupil, r.mentor, r.component])).toEqual([['ppa', 'jdoc', ''], ['ppb', 'jdoc', '']]);
    expect((await outcomes(importId)).find((r) => r.username === 'ppc')!.problems).toEqual([{ code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: 'nobody-here' } }]);
    // Next time she is an account of the site: nothing more to link.
    expect((await bed.engine.run(bytesOf(rows), settings, 'commit', undefined, 2)).counts).toMatchObject({ created: 0, supervisorLinks: 0 });
  });

  it('takes each supervisor a row names as the site had them before the import, in the preview and in the commit alike, whatever rows above rename her or change her address', async () => {
    const rows = [
      'Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Mentor',
      'mbakker;Marieke;Verhoef;m.bakker@baken.example;',
      'jdekker;Joost;Dekker;joost.dekker@baken.example;',
      'rqa;Rik;Qa;rqa@x.example;',
      'rqb;Roos;Qb;rqb@x.example;Marieke Bakker',
      'rqc;Ruud;Qc;rqc@x.example;j.dekker@baken.example',
    ].join('\n');
    const settings = { source: 'renamed-mentor', mapping: { Mentor: 'supervisor' as const } };
    // A batch a row: each is looked up while the ones above it are written.
    const preview = await bed.engine.run(bytesOf(rows), settings, 'preview', undefined, 1);
    const commit = await bed.engine.run(bytesOf(rows), settings, 'commit', undefined, 1);
    expect(preview.counts).toMatchObject({ created: 3, updated: 2, errors: 0, supervisorLinks: 2 });
    expect(commit.counts).toEqual(preview.counts);
    expect(await mentorLinks('username', 'rq%')).toEqual(['rqb>mbakker', 'rqc>jdekker']);
    await undoImport(bed.database.pool, commit.importId);
  });

  it('links pupils to a teacher the file makes, named by her full name, though her username is made by the template; a name two new accounts have names nobody', async () => {
    const rows = [
      'Stamnr;Roepnaam;Achternaam;E-mailadres;Mentor',
      '8301;Fien;Fok;fien@x.example;Koen Verhaar',
      '8302;Gijs;Galm;gijs@x.example;koen  VERHÁAR',
      '8303;Hans;Hek;hans@x.example;Lot Tweemaal',
      'T8301;Koen;Verháar;koen.vh@x.example;',
      'T8302;Lot;Tweemaal;lot1@x.example;',
      'T8303;Lot;Tweemaal;lot2@x.example;',
    ].join('\n');
    const settings = { source: 'named-here', mapping: { Mentor: 'supervisor' as const } };
    const preview = await bed.engine.run(bytesOf(rows), settings, 'preview', undefined, 2);
    const expected = { created: 6, errors: 0, supervisorLinks: 2 };
    expect(preview.counts).toMatchObject(expected);
    expect(preview.structure.supervisorsUnanswered).toEqual(['lot tweemaal']);
    const { counts } = await bed.engine.run(bytesOf(rows), settings, 'commit', undefined, 2);
    expect(counts).toMatchObject(expected);
    expect(await mentorLinks('idnumber', '830%')).toEqual(['8301>kverhaar', '8302>kverhaar']);
  });

  it("links pupils to a teacher the file makes far below them, named by e-mail in a column matched by its header (a municipality's teachers' sheet comes last)", async () => {
    const pupils = Array.from({ length: 22 }, (_, i) => `pq${i};Pupil;Q${i};pq${i}@x.example;k.verre@x.example`);
    const rows = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Mentor', ...pupils, 'kverre;Kees;Verre;k.verre@x.example;'].join('\n');
    const { counts, columns } = await bed.engine.run(bytesOf(rows), { source: 'far-mentor' }, 'preview');
    expect(columns.find((c) => c.header === 'Mentor')).toMatchObject({ field: 'supervisor', how: 'auto' });
    expect(counts).toMatchObject({ created: 23, errors: 0, supervisorLinks: 22 });
  });

  it("holds back a Mentor column of teacher codes nobody on the site has (Magister's), so its pupils are imported; mapped by hand, it refuses them", async () => {
    const rows = ['Stamnr;Roepnaam;Achternaam;E-mailadres;Mentor', '7001;Ada;Aal;ada@x.example;JNS', '7002;Bo;Berg;bo@x.example;PDV, KLM'].join('\n');
    const held = await bed.engine.run(bytesOf(rows), { source: 'mentor-codes' }, 'preview');
    expect(held.counts).toMatchObject({ created: 2, errors: 0, supervisorLinks: 0 });
    expect(held.columns.find((c) => c.header === 'Mentor')).toMatchObject({ field: null, how: 'none', warning: 'names_nobody' });
    const byHand = await bed.engine.run(bytesOf(rows), { source: 'mentor-codes', mapping: { Mentor: 'supervisor' } }, 'preview');
    expect(byHand.counts).toMatchObject({ created: 0, errors: 2 });
    expect((await outcomes(byHand.importId)).map((r) => (r as RowDataPacket).problems[0].code)).toEqual(['unknown_supervisor', 'unknown_supervisor']);
    // One teacher the column names is an account: the column is a supervisor column, and a code nobody has is a row's problem.
    const mixed = await bed.engine.run(bytesOf(`${rows}\n7003;Cas;Cor;cas@x.example;mbakker`), { source: 'mentor-codes' }, 'preview');
    expect(mixed.counts).toMatchObject({ created: 1, errors: 2, supervisorLinks: 1 });
  });

  it('links a supervisor column directly, refuses unknown supervisors, and ends group supervision at expiry', async () => {
    const rows = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Begeleider', 'sven;Sven;Smit;sven@x.example;mbakker', 'tara;Tara;Tol;tara@x.example;nobody'].join('\n');
    const settings = { source: 'sweep', group: { create: 'Sweep group' }, supervisors: ['jdekker'], validity: { until: '01-01-2020' } };
    const { counts, importId } = await bed.engine.run(bytesOf(rows), settings);
    expect(counts).toMatchObject({ created: 1, errors: 1, supervisorLinks: 2 });
    expect((await outcomes(importId)).find((r) => (r as RowDataPacket).outcome === 'error')!.problems).toEqual([{ code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: 'nobody' } }]);
    const links = () =>
      query("SELECT ra.component FROM mdl_role_assignments ra JOIN mdl_context x ON x.id = ra.contextid JOIN mdl_user u ON u.id = x.instanceid WHERE x.contextlevel = 30 AND u.username = 'sven' ORDER BY ra.component");
    expect((await links()).map((l) => l.component)).toEqual(['', 'local_intake']);

    const sessionOf = (sid: string) => query('SELECT sid FROM mdl_sessions WHERE sid = ?', [sid]);
    await query("INSERT INTO mdl_sessions (sid, userid, timecreated, timemodified) SELECT 'sid-sven', id, 1, 1 FROM mdl_user WHERE username = 'sven'");
    const swept = await sweep(bed.database.pool);
    expect(swept).toMatchObject({ expired: 1, supervisionEnded: 1 });
    expect((await query("SELECT suspended FROM mdl_user WHERE username = 'sven'"))[0]!.suspended).toBe(1);
    // Suspended is logged out at once.
    expect(await sessionOf('sid-sven')).toHaveLength(0);
    expect((await links()).map((l) => l.component)).toEqual(['']);
    expect(await sweep(bed.database.pool)).toMatchObject({ expired: 0 });

    // Re-importing with a later date extends validity: active again, supervised again.
    const again = await bed.engine.run(bytesOf(rows), { ...settings, validity: { until: '31-12-2099' } });
    expect(again.counts).toMatchObject({ updated: 1 });
    expect((await query("SELECT suspended FROM mdl_user WHERE username = 'sven'"))[0]!.suspended).toBe(0);
    expect((await links()).map((l) => l.component)).toEqual(['', 'local_intake']);

    // Sven logs in; undoing that re-import suspends him again, and logs him out.
    await query("INSERT INTO mdl_sessions (sid, userid, timecreated, timemodified) SELECT 'sid-sven', id, 1, 1 FROM mdl_user WHERE username = 'sven'");
    await undoImport(bed.database.pool, again.importId);
    expect((await query("SELECT suspended FROM mdl_user WHERE username = 'sven'"))[0]!.suspended).toBe(1);
    expect(await sessionOf('sid-sven')).toHaveLength(0);
  });

  it('holds back accounts until their start date, and lets the sweep start them', async () => {
    const rows = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Geldig vanaf', 'uma;Uma;Uil;uma@x.example;01-01-2099'].join('\n');
    await bed.engine.run(bytesOf(rows), { source: 'later' });
    expect((await query("SELECT suspended FROM mdl_user WHERE username = 'uma'"))[0]!.suspended).toBe(1);
    expect(await sweep(bed.database.pool, Date.UTC(2099, 0, 2) / 1000)).toMatchObject({ started: 1 });
    expect((await query("SELECT suspended FROM mdl_user WHERE username = 'uma'"))[0]!.suspended).toBe(0);
    // Uma logs in; a file that moves her start date to the future again suspends her and logs her out.
    await query("INSERT INTO mdl_sessions (sid, userid, timecreated, timemodified) SELECT 'sid-uma', id, 1, 1 FROM mdl_user WHERE username = 'uma'");
    const later = await bed.engine.run(bytesOf(rows.replace('01-01-2099', '01-01-2199')), { source: 'later' });
    expect(later.counts).toMatchObject({ updated: 1 });
    expect((await query("SELECT suspended FROM mdl_user WHERE username = 'uma'"))[0]!.suspended).toBe(1);
    expect(await query("SELECT sid FROM mdl_sessions WHERE sid = 'sid-uma'")).toHaveLength(0);
  });
});

describe('membership policy and protected rows', () => {
  it('sync removes members missing from the file; add never does; protected rows are skipped', async () => {
    const full = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Afgeschermd', 'vera;Vera;Vos;vera@x.example;nee', 'wim;Wim;Wit;wim@x.example;', 'xander;Xander;Xu;xander@x.example;ja'].join('\n');
    const first = await bed.engine.run(bytesOf(full), { source: 'policy', group: { create: 'Policy group' } });
    expect(first.counts).toMatchObject({ created: 2, skipped: 1 });
    expect(await query("SELECT id FROM mdl_user WHERE username = 'xander'")).toHaveLength(0);
    const withoutWim = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'vera;Vera;Vos;vera@x.example'].join('\n');
    expect((await bed.engine.run(bytesOf(withoutWim), { source: 'policy', group: { create: 'Policy group' } })).counts.membershipsRemoved).toBe(0);
    const synced = await bed.engine.run(bytesOf(withoutWim), { source: 'policy', group: { create: 'Policy group' }, membership: 'sync' });
    expect(synced.counts.membershipsRemoved).toBe(1);
    const members = await query("SELECT u.username FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid JOIN mdl_user u ON u.id = m.userid WHERE c.name = 'Policy group'");
    expect(members.map((m) => m.username)).toEqual(['vera']);
    await undoImport(bed.database.pool, synced.importId);
    expect(await query("SELECT m.id FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid WHERE c.name = 'Policy group'")).toHaveLength(2);
  });
});

describe('the drifts measured before the plan decided everything', () => {
  const counts = async (file: string, settings: Parameters<typeof bed.engine.run>[1], actor?: Awaited<ReturnType<typeof bed.engine.coordinator>>) => {
    const preview = await bed.engine.run(bytesOf(file), settings, 'preview', actor);
    const commit = await bed.engine.run(bytesOf(file), settings, 'commit', actor);
    return { preview: preview.counts, commit: commit.counts };
  };

  it('previews the group supervision a commit writes', async () => {
    const file = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'gs1;Gijs;Sol;gs1@x.example', 'gs2;Greet;Sol;gs2@x.example'].join('\n');
    const { preview, commit } = await counts(file, { source: 'drift-supervision', group: { create: 'Drift supervised' }, supervisors: ['mbakker', 'jdekker'] });
    expect(preview.supervisorLinks).toBe(4);
    expect(commit).toEqual(preview);
  });

  it("previews a coordinator's group supervision and archive as the commit does them", async () => {
    const coordinator = await bed.engine.coordinator();
    const everyone = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'dc1;Dana;Cok;dc1@baken.example', 'dc2;Dirk;Cok;dc2@baken.example', 'dc3;Daan;Cok;dc3@baken.example'].join('\n');
    const first = await counts(everyone, { source: 'drift-coordinator', group: { create: 'Drift exam' }, supervisors: ['mbakker'] }, coordinator);
    expect(first.preview).toMatchObject({ created: 3, supervisorLinks: 6 });
    expect(first.commit).toEqual(first.preview);

    // Two of three leave the file: sync takes them out of the group, archive suspends them.
    const onlyDana = everyone.split('\n').slice(0, 2).join('\n');
    const settings = { source: 'drift-coordinator', group: { existing: 'Drift exam' }, membership: 'sync' as const, actions: { add: true, update: true, archive: true } };
    const second = await counts(onlyDana, settings, await bed.engine.coordinator());
    expect(second.preview).toMatchObject({ membershipsRemoved: 2, archived: 2, supervisionEnded: 4 });
    expect(second.commit).toEqual(second.preview);
    expect(await query("SELECT username FROM mdl_user WHERE username LIKE 'dc%' AND suspended = 1 ORDER BY username")).toEqual([{ username: 'dc2' }, { username: 'dc3' }]);
  });

  it('keeps a re-imported account with a start date ahead suspended until the sweep starts it', async () => {
    const file = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Geldig vanaf', 'later2;Lex;Laat;lex@x.example;01-01-2099'].join('\n');
    await bed.engine.run(bytesOf(file), { source: 'drift-later' });
    const suspended = async () => (await query("SELECT suspended FROM mdl_user WHERE username = 'later2'"))[0]!.suspended;
    expect(await suspended()).toBe(1);
    const again = await counts(file.replace('Laat', 'Later'), { source: 'drift-later' });
    expect(again.preview).toMatchObject({ updated: 1 });
    expect(again.commit).toEqual(again.preview);
    expect(await suspended()).toBe(1);
    expect(await sweep(bed.database.pool, Date.UTC(2099, 0, 2) / 1000)).toMatchObject({ started: 1 });
    expect(await suspended()).toBe(0);

    // Already started by the sweep: a file with a start date still ahead holds the account back again.
    expect((await counts(file, { source: 'drift-later' })).commit).toMatchObject({ updated: 1 });
    expect(await suspended()).toBe(1);
  });
});

/** User contexts whose path is not the system context's and their own id, as Moodle builds it. */
const wrongContextPaths = async () => Number((await query("SELECT COUNT(*) AS n FROM mdl_context WHERE contextlevel = 30 AND (path IS NULL OR path <> CONCAT('/1/', id))"))[0]!.n);

describe('two imports at once', () => {
  it('create a group both ask for once, and both fill it', async () => {
    const file = (prefix: string) => ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Klas', ...Array.from({ length: 1500 }, (_, i) => `${prefix}${i};C;${prefix} ${i};${prefix}${i}@x.example;Conc A`)].join('\n');
    const settings = { source: 'concurrent', group: { create: 'Conc 2026' }, auth: 'oauth2' as const, notify: { credentials: 'none' as const } };
    const [a, b] = await Promise.all([bed.engine.run(bytesOf(file('cona'), 4096), settings), bed.engine.run(bytesOf(file('conb'), 4096), settings)]);
    expect(a.counts.created + b.counts.created).toBe(3000);
    const groups = await query("SELECT c.name, COUNT(m.id) AS members FROM mdl_cohort c LEFT JOIN mdl_cohort_members m ON m.cohortid = c.id WHERE c.name IN ('Conc 2026', 'Conc A') GROUP BY c.id ORDER BY c.name");
    expect(groups.map((g) => `${g.name}:${g.members}`)).toEqual(['Conc 2026:3000', 'Conc A:3000']);
    // Each group counted by the import that created it, and listed as new by that one only.
    expect(a.counts.groupsCreated + b.counts.groupsCreated).toBe(2);
    expect([...(a.structure?.newGroups ?? []), ...(b.structure?.newGroups ?? [])].sort()).toEqual(['Conc 2026', 'Conc A']);
    expect(await wrongContextPaths()).toBe(0);
  });
});

describe("new users' contexts", () => {
  it('carry their paths from the insert; a foreseen id another insert took first is set right', async () => {
    const site = await loadSite(bed.database.db);
    const conn = await bed.database.pool.getConnection();
    try {
      // Contexts for two made-up user ids, once as foreseen and once with a guess that is off.
      await insertUserContexts(conn, [900001, 900002], { site, consecutiveIds: true });
      await insertUserContexts(conn, [900003, 900004], { site, consecutiveIds: true }, async () => 1);
      const rows = await query('SELECT instanceid, id, path FROM mdl_context WHERE contextlevel = 30 AND instanceid >= 900001 ORDER BY instanceid');
      expect(rows.map((r) => r.path)).toEqual(rows.map((r) => `/1/${r.id}`));
      expect(rows).toHaveLength(4);
    } finally {
      await conn.query('DELETE FROM mdl_context WHERE contextlevel = 30 AND instanceid >= 900001');
      conn.release();
    }
  });
});

describe('two imports with the same people at once', () => {
  it('create each person once: the import that finds a person another just wrote plans that batch again', async () => {
    // The same 1,200 people at the top of both files, in the same order and small batches: the two
    // imports reach each batch at about the same time, and one of them writes it first.
    const file = (count: number) => ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', ...Array.from({ length: count }, (_, i) => `ovl${i};O;Verlap ${i};ovl${i}@x.example`)].join('\n');
    const settings = { source: 'overlap', group: { create: 'Overlap 2026' }, auth: 'oauth2' as const, notify: { credentials: 'none' as const } };
    const [a, b] = await Promise.all([
      bed.engine.run(bytesOf(file(1200)), settings, 'commit', undefined, 50),
      bed.engine.run(bytesOf(file(1800)), settings, 'commit', undefined, 50),
    ]);
    // Every row accounted for: each person created by exactly one of the two, found unchanged by the other.
    expect(a.counts.created + b.counts.created).toBe(1800);
    expect(a.counts.created + a.counts.unchanged).toBe(1200);
    expect(b.counts.created + b.counts.unchanged).toBe(1800);
    expect(a.counts.errors + b.counts.errors).toBe(0);
    const [users] = await query("SELECT COUNT(*) AS n, COUNT(DISTINCT username) AS distinctNames FROM mdl_user WHERE username LIKE 'ovl%'");
    expect(users).toMatchObject({ n: 1800, distinctNames: 1800 });
    const [group] = await query("SELECT COUNT(m.id) AS members, COUNT(DISTINCT m.userid) AS people FROM mdl_cohort c JOIN mdl_cohort_members m ON m.cohortid = c.id WHERE c.name = 'Overlap 2026'");
    expect(group).toMatchObject({ members: 1800, people: 1800 });
    // Each batch foresees its contexts' ids to write their paths with them; a guess another batch beat is set right.
    expect(await wrongContextPaths()).toBe(0);
    // Each import can still be undone from its own change log: together they take everyone away again.
    await undoImport(bed.database.pool, b.importId);
    await undoImport(bed.database.pool, a.importId);
    const [left] = await query("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'ovl%'");
    expect(left).toMatchObject({ n: 0 });
  });
});

/** Each updated row's change of groups (left, joined), by line. */
const groupDiffs = async (importId: number) =>
  Object.fromEntries(
    (await query("SELECT line, diff FROM intake_row WHERE import_id = ? AND outcome = 'update' ORDER BY line", [importId])).map((r) => [r.line, (typeof r.diff === 'string' ? JSON.parse(r.diff) : r.diff)?.group]),
  );

describe("a year change (this year's classes follow the file)", () => {
  const lastYear = ['Stamnr;Roepnaam;Achternaam;E-mailadres;Klas', '7001;Iris;Ipema;iris@x.example;1A', '7002;Joep;Jansma;joep@x.example;1A', '7003;Kees;Kok;kees@x.example;1B'].join('\n');
  const thisYear = ['Stamnr;Roepnaam;Achternaam;E-mailadres;Klas', '7001;Iris;Ipema;iris@x.example;2A', '7002;Joep;Jansma;joep@x.example;2A', '7003;Kees;Kok;kees@x.example;1B'].join('\n');
  const classesOf = async (email: string) =>
    (await query('SELECT c.name FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid JOIN mdl_user u ON u.id = m.userid WHERE u.email = ? ORDER BY c.name', [email])).map((r) => r.name);

  it('moves pupils out of last year\'s class groups of the same feed; groups chosen in the settings stay; "add" keeps all', async () => {
    await bed.engine.run(bytesOf(lastYear), { source: 'numo', group: { create: 'Numo leerlingen' } });
    expect(await classesOf('iris@x.example')).toEqual(['1A', 'Numo leerlingen']);

    const preview = await bed.engine.run(bytesOf(thisYear), { source: 'numo', group: { existing: 'Numo leerlingen' } }, 'preview');
    expect(preview.counts).toMatchObject({ updated: 2, unchanged: 1, memberships: 2, membershipsRemoved: 2 });
    // Each row says what its pupil leaves for what: "1A → 2A".
    expect(await groupDiffs(preview.importId)).toEqual({ 2: ['1A', '2A'], 3: ['1A', '2A'] });
    const commit = await bed.engine.run(bytesOf(thisYear), { source: 'numo', group: { existing: 'Numo leerlingen' } });
    expect(commit.counts).toMatchObject({ updated: 2, unchanged: 1, memberships: 2, membershipsRemoved: 2 });
    expect(await classesOf('iris@x.example')).toEqual(['2A', 'Numo leerlingen']);
    expect(await classesOf('kees@x.example')).toEqual(['1B', 'Numo leerlingen']);

    // Undo of the year change puts last year's classes back.
    await undoImport(bed.database.pool, commit.importId);
    expect(await classesOf('joep@x.example')).toEqual(['1A', 'Numo leerlingen']);
    // With "add" nobody leaves a class.
    await bed.engine.run(bytesOf(thisYear), { source: 'numo', classes: 'add' });
    expect(await classesOf('iris@x.example')).toEqual(['1A', '2A', 'Numo leerlingen']);
  });

  it("takes a teacher whose class cell is empty this year out of last year's class (its name comes back for next year's pupils); a pupil needs one", async () => {
    const header = 'Stamnr;Roepnaam;Achternaam;E-mailadres;Klas;Rol';
    const settings = { source: 'numo-leeg' };
    await bed.engine.run(bytesOf([header, '7401;Rik;Raaf;rik@x.example;1C;leerling', '7402;Tom;Teeuw;tom@x.example;1C;docent', '7403;Sem;Sol;sem@x.example;1C;leerling'].join('\n')), settings);
    expect(await classesOf('tom@x.example')).toEqual(['1C', 'Teachers']);
    // Tom mentors no class this year; Rik's class is missing, which a pupil's row may not be.
    const thisYear = bytesOf([header, '7401;Rik;Raaf;rik@x.example;;leerling', '7402;Tom;Teeuw;tom@x.example;;docent', '7403;Sem;Sol;sem@x.example;2C;leerling'].join('\n'));
    const preview = await bed.engine.run(thisYear, settings, 'preview');
    expect(preview.counts).toMatchObject({ updated: 2, errors: 1, membershipsRemoved: 2 });
    expect(await groupDiffs(preview.importId)).toEqual({ 3: ['1C', ''], 4: ['1C', '2C'] });
    const commit = await bed.engine.run(thisYear, settings);
    expect(commit.counts).toEqual(preview.counts);
    expect(await classesOf('tom@x.example')).toEqual(['Teachers']);
    expect(await classesOf('sem@x.example')).toEqual(['2C', 'Students']);
    expect(await classesOf('rik@x.example')).toEqual(['1C', 'Students']);

    // Undone, Tom is back in 1C; a file of the feed without a class column moves no one out of one.
    await undoImport(bed.database.pool, commit.importId);
    const noClassColumn = await bed.engine.run(bytesOf(['Stamnr;Roepnaam;Achternaam;E-mailadres;Rol', '7402;Tom;Teeuw;tom@x.example;docent'].join('\n')), settings);
    expect(noClassColumn.counts).toMatchObject({ unchanged: 1, membershipsRemoved: 0 });
    expect(await classesOf('tom@x.example')).toEqual(['1C', 'Teachers']);
  });

  it("moves a coordinator's pupils between the classes of their own category, and each row says so", async () => {
    const coordinator = await bed.engine.coordinator();
    const header = 'Stamnr;Roepnaam;Achternaam;E-mailadres;Klas';
    const settings = { source: 'baken-klassen' };
    await bed.engine.run(bytesOf([header, '7301;Olga;Oost;olga@baken.example;B1', '7302;Piet;Pol;piet@baken.example;B1'].join('\n')), settings, 'commit', coordinator);
    const moved = bytesOf([header, '7301;Olga;Oost;olga@baken.example;B2', '7302;Piet;Pol;piet@baken.example;B1'].join('\n'));
    const preview = await bed.engine.run(moved, settings, 'preview', coordinator);
    expect(preview.counts).toMatchObject({ updated: 1, unchanged: 1, membershipsRemoved: 1 });
    expect(await groupDiffs(preview.importId)).toEqual({ 2: ['B1', 'B2'] });
    const commit = await bed.engine.run(moved, settings, 'commit', coordinator);
    expect(commit.counts).toEqual(preview.counts);
    expect(await classesOf('olga@baken.example')).toEqual(['B2']);
  });

  it("moves a pupil who changed school out of the old school's class and role group (cohort sync would keep them in its courses); undo puts them back", async () => {
    const header = 'Stamnr;Roepnaam;Achternaam;E-mailadres;Klas;Locatie';
    const before = [header, '7101;Lina;Lont;lina@x.example;1A;Noorderlicht', '7102;Mats;Meer;mats@x.example;1A;Noorderlicht'].join('\n');
    const moved = [header, '7101;Lina;Lont;lina@x.example;2C;Zuiderzon', '7102;Mats;Meer;mats@x.example;2A;Noorderlicht'].join('\n');
    const settings = { source: 'numo-schools', role: 'student', hierarchy: { top: 'SCHOOLS' } };
    await bed.engine.run(bytesOf(before), settings);
    expect(await classesOf('lina@x.example')).toEqual(['1A', 'Noorderlicht · Students']);

    const preview = await bed.engine.run(bytesOf(moved), settings, 'preview');
    const commit = await bed.engine.run(bytesOf(moved), settings);
    expect(commit.counts).toEqual(preview.counts);
    expect(commit.counts).toMatchObject({ updated: 2, membershipsRemoved: 3 });
    expect(await classesOf('lina@x.example')).toEqual(['2C', 'Zuiderzon · Students']);
    // Mats stays at his school: only his class changed.
    expect(await classesOf('mats@x.example')).toEqual(['2A', 'Noorderlicht · Students']);

    // A file of the same feed without roles compares classes only: nobody leaves a school's role group.
    const withoutRoles = await bed.engine.run(bytesOf([header, '7101;Lina;Lont;lina@x.example;3C;Noorderlicht'].join('\n')), { source: 'numo-schools', hierarchy: { top: 'SCHOOLS' } });
    expect(withoutRoles.counts).toMatchObject({ updated: 1, membershipsRemoved: 1 });
    expect(await classesOf('lina@x.example')).toEqual(['3C', 'Zuiderzon · Students']);

    // Undone, newest first: she is back at her old school, in her old class.
    await undoImport(bed.database.pool, withoutRoles.importId);
    await undoImport(bed.database.pool, commit.importId);
    expect(await classesOf('lina@x.example')).toEqual(['1A', 'Noorderlicht · Students']);
  });
});

describe('a teacher at two schools (a row per school and class, as a municipality lists its staff)', () => {
  const header = 'E-post;Förnamn;Efternamn;Skola;Klass;Roll';
  const file = (...rows: string[]) => bytesOf([header, ...rows].join('\n'));
  const settings = { source: 'kommun', matchOn: 'email' as const, hierarchy: { top: 'SCHOOLS' } };
  const groupsOf = async (email: string) =>
    (await query('SELECT c.name FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid JOIN mdl_user u ON u.id = m.userid WHERE u.email = ? ORDER BY c.name', [email])).map((r) => r.name);

  it("is one account in each of her classes and each school's teacher group; a pupil in two classes stays a duplicate to fix; next year's file moves her out of the school she left", async () => {
    const rows = [
      'ulla@kommun.example;Ulla;Berg;Vasaskolan;7A;lärare',
      'elin@kommun.example;Elin;Ek;Vasaskolan;7A;elev',
      'ulla@kommun.example;Ulla;Berg;Vasaskolan;7B;lärare',
      'ulla@kommun.example;Ulla;Berg;Norrskolan;8C;lärare',
      'elin@kommun.example;Elin;Ek;Vasaskolan;7B;elev',
      'ulla@kommun.example;Ulla;Bergh;Norrskolan;8D;lärare',
    ];
    const preview = await bed.engine.run(file(...rows), settings, 'preview');
    expect(preview.counts).toMatchObject({ rows: 6, created: 2, skipped: 2, errors: 2 });
    const planned = await outcomes(preview.importId);
    expect(planned.map((r) => `${r.line}:${r.outcome}:${(r.problems ?? []).map((p) => p.code).join()}`)).toEqual([
      '2:create:',
      '3:create:',
      '4:skip:',
      '5:skip:',
      '6:error:duplicate_in_file',
      // Another spelling of her name is not her again: which is right is not guessed.
      '7:error:duplicate_in_file',
    ]);
    expect(planned[0]!.placement).toEqual({ node: 'Vasaskolan; Norrskolan', groups: ['7A', '7B', '8C', 'Vasaskolan · Teachers', 'Norrskolan · Teachers'] });
    const commit = await bed.engine.run(file(...rows), settings);
    expect(commit.counts).toEqual(preview.counts);
    expect(await groupsOf('ulla@kommun.example')).toEqual(['7A', '7B', '8C', 'Norrskolan · Teachers', 'Vasaskolan · Teachers']);
    expect(await groupsOf('elin@kommun.example')).toEqual(['7A', 'Vasaskolan · Students']);

    // Next year she teaches 7A only: she leaves her other classes and Norrskolan's teachers, and her row says so.
    const nextYear = await bed.engine.run(file(rows[0]!, rows[1]!), settings);
    expect(nextYear.counts).toMatchObject({ updated: 1, unchanged: 1, membershipsRemoved: 3 });
    expect(await groupDiffs(nextYear.importId)).toEqual({ 2: ['7B, 8C, Norrskolan · Teachers', ''] });
    expect(await groupsOf('ulla@kommun.example')).toEqual(['7A', 'Vasaskolan · Teachers']);
    await undoImport(bed.database.pool, nextYear.importId);
    expect(await groupsOf('ulla@kommun.example')).toEqual(['7A', '7B', '8C', 'Norrskolan · Teachers', 'Vasaskolan · Teachers']);
  });

  it('gives a role the site allows in a category at each school a person is listed at', async () => {
    const rows = ['rut@kommun.example;Rut;Ros;Vasaskolan;;coordinator', 'rut@kommun.example;Rut;Ros;Norrskolan;;coordinator'];
    const preview = await bed.engine.run(file(...rows), settings, 'preview');
    expect(preview.counts).toMatchObject({ rows: 2, created: 1, skipped: 1, rolesAssigned: 2 });
    await bed.engine.run(file(...rows), settings);
    const held = await query("SELECT c.name FROM mdl_role_assignments ra JOIN mdl_role r ON r.id = ra.roleid JOIN mdl_context x ON x.id = ra.contextid JOIN mdl_course_categories c ON c.id = x.instanceid AND x.contextlevel = 40 JOIN mdl_user u ON u.id = ra.userid WHERE u.email = 'rut@kommun.example' AND r.shortname = 'coordinator' ORDER BY c.name");
    expect(held.map((r) => r.name)).toEqual(['Norrskolan', 'Vasaskolan']);
  });

  it("is joined across a municipality's workbook with a sheet per school, as in a CSV", async () => {
    const workbook = new ExcelJS.Workbook();
    for (const [school, rows] of [
      ['Solskolan', [['olle@kommun.example', 'Olle', 'Lind', '9A', 'Lärare'], ['pia@kommun.example', 'Pia', 'Ås', '9A', 'Elev']]],
      ['Månskolan', [['qia@kommun.example', 'Qia', 'Ek', '6B', 'Elev'], ['olle@kommun.example', 'Olle', 'Lind', '6B', 'Lärare']]],
    ] as const) {
      const sheet = workbook.addWorksheet(school);
      sheet.addRow(['E-post', 'Förnamn', 'Efternamn', 'Klass', 'Roll']);
      for (const row of rows) sheet.addRow([...row]);
    }
    const bytes = bytesOf(new Uint8Array(await workbook.xlsx.writeBuffer()));
    const preview = await bed.engine.run(bytes, settings, 'preview');
    expect(preview.counts).toMatchObject({ rows: 4, created: 3, skipped: 1, errors: 0 });
    const commit = await bed.engine.run(bytes, settings);
    expect(commit.counts).toEqual(preview.counts);
    expect(await groupsOf('olle@kommun.example')).toEqual(['6B', '9A', 'Månskolan · Teachers', 'Solskolan · Teachers']);
  });
});

describe('a school the site keeps under several parents', () => {
  it('is not guessed: made at the top level, and the preview says where the others are', async () => {
    const file = (email: string, klas: string) => bytesOf(`E-mailadres;Voornaam;Achternaam;School;Klas\n${email};Kim;Kring;De Kring;${klas}\n`);
    await bed.engine.run(file('k.a@x.example', '1K'), { source: 'kring-a', matchOn: 'email', hierarchy: { top: 'SCHOOLS' } });
    await bed.engine.run(file('k.b@x.example', '2K'), { source: 'kring-b', matchOn: 'email', hierarchy: { top: 'EXAM' } });
    const preview = await bed.engine.run(file('k.c@x.example', '3K'), { source: 'kring-c', matchOn: 'email' }, 'preview');
    expect(preview.structure).toMatchObject({ newNodes: ['De Kring'], newGroups: ['De Kring / 3K'], ambiguousNodes: [{ name: 'De Kring', places: expect.arrayContaining(['Schools / De Kring', 'Examens / De Kring']) }] });
    // One of them named as the top node: no question left.
    const chosen = await bed.engine.run(file('k.c@x.example', '3K'), { source: 'kring-c', matchOn: 'email', hierarchy: { top: 'EXAM' } }, 'preview');
    expect(chosen.structure.newNodes).toEqual([]);
    expect(chosen.structure.ambiguousNodes).toBeUndefined();
  });
});

describe('several groups for every row', () => {
  it("joins each row to all of them (Huddle's levels A and B at once), and never takes anyone out of them", async () => {
    await bed.engine.run(bytesOf('username;firstname;lastname;email\nlvl1;Le;Vel;lvl1@x.example\n'), { source: 'huddle-setup', group: { create: 'Niveau A' } });
    await bed.engine.run(bytesOf('username;firstname;lastname;email\nlvl2;Le;Vel;lvl2@x.example\n'), { source: 'huddle-setup', group: { create: 'Niveau B' } });
    const run = await bed.engine.run(bytesOf('username;firstname;lastname;email\nlvl3;Le;Vel;lvl3@x.example\nlvl4;Le;Vel;lvl4@x.example\n'), { source: 'huddle', group: { existing: ['Niveau A', 'Niveau B'] } });
    expect(run.counts).toMatchObject({ created: 2, memberships: 4, membershipsRemoved: 0 });
    const members = await query("SELECT c.name, COUNT(*) AS n FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid WHERE c.name IN ('Niveau A', 'Niveau B') GROUP BY c.name ORDER BY c.name");
    expect(members.map((m) => `${m.name}:${m.n}`)).toEqual(['Niveau A:3', 'Niveau B:3']);
  });
});

describe("Moodle's course columns (course1 with role1, group1, enrolperiod1)", () => {
  const file = [
    'username,firstname,lastname,email,course1,role1,group1,enrolperiod1,course2,role2,group2',
    'enr1,Ada,One,enr1@x.example,math102,,Section 1,,BAKEN-NE1,teacher,1C',
    'enr2,Bo,Two,enr2@x.example,MATH102,student,Section 3,30,,,',
    'enr3,Cy,Three,enr3@x.example,nocourse,,,,,,',
    'enr4,Di,Four,enr4@x.example,EXAM-CBT,,,,,,',
    'enr5,Ed,Five,enr5@x.example,math102,manager,,,,,',
    'enr6,Fe,Six,enr6@x.example,,student,,,,,',
  ].join('\n');
  const courseTables = async () =>
    (
      await query(`SELECT
        (SELECT GROUP_CONCAT(CONCAT(ue.enrolid, ':', ue.userid, ':', ue.status, ':', ue.timestart, ':', ue.timeend) ORDER BY ue.id) FROM mdl_user_enrolments ue) AS enrolments,
        (SELECT GROUP_CONCAT(CONCAT(g.id, ':', g.courseid, ':', g.name, ':', g.timemodified) ORDER BY g.id) FROM mdl_groups g) AS groups_,
        (SELECT GROUP_CONCAT(CONCAT(m.groupid, ':', m.userid) ORDER BY m.id) FROM mdl_groups_members m) AS members,
        (SELECT COUNT(*) FROM mdl_role_assignments) AS roles`)
    )[0]!;

  it('enrol each row where Moodle\'s upload would, with its role and group, and refuse what it refuses', async () => {
    const before = await courseTables();
    const preview = await bed.engine.run(bytesOf(file), { source: 'courses' }, 'preview');
    // enr1 in two courses (the method's default role in one, the import's teacher role in the other), enr2 in one.
    expect(preview.counts).toMatchObject({ rows: 6, created: 3, errors: 3, enrolments: 3, rolesAssigned: 3, groupsCreated: 2, memberships: 3 });
    expect(preview.structure.newGroups.sort()).toEqual(['BAKEN-NE1 / 1C', 'math102 / Section 3']);
    const rows = await outcomes(preview.importId);
    expect(rows.map((r) => [r.username, r.outcome, r.problems?.[0]?.code ?? null])).toEqual([
      ['enr1', 'create', null],
      ['enr2', 'create', null],
      ['enr3', 'error', 'unknown_course'],
      // Self enrolment only: Moodle's upload enrols through the manual method or not at all.
      ['enr4', 'error', 'course_not_manual'],
      // A manager is no course role on this site (role_context_levels).
      ['enr5', 'error', 'role_not_at_course'],
      // A role without its course is passed over, told on the row.
      ['enr6', 'create', 'course_missing'],
    ]);
    // "teacher" in a course role column is Moodle's short name: the non-editing teacher.
    expect((rows[0]!.placement as { courses?: string[] }).courses).toEqual(['math102 (student, Section 1)', 'BAKEN-NE1 (teacher, 1C)']);

    const run = await bed.engine.run(bytesOf(file), { source: 'courses' }, 'commit');
    expect(run.counts).toEqual(preview.counts);
    const enrolled = await query(
      `SELECT u.username, c.shortname, ue.status, ue.timestart, ue.timeend, ue.modifierid FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid JOIN mdl_course c ON c.id = e.courseid
       JOIN mdl_user u ON u.id = ue.userid WHERE u.username LIKE 'enr%' ORDER BY u.username, c.shortname`,
    );
    expect(enrolled.map((e) => `${e.username} ${e.shortname} ${e.status}`)).toEqual(['enr1 BAKEN-NE1 0', 'enr1 math102 0', 'enr2 math102 0']);
    // Today at midnight on; thirty days for enr2, no end for the others (the method sets no period).
    const today = Number(enrolled[0]!.timestart);
    expect(Math.floor(Date.now() / 1000) - today).toBeLessThan(86_400 + 3_600 * 2);
    expect(enrolled.map((e) => Number(e.timeend))).toEqual([0, 0, today + 30 * 86_400]);
    expect(enrolled.every((e) => Number(e.modifierid) === 2)).toBe(true);
    const roles = await query(
      `SELECT u.username, r.shortname, c.shortname AS course FROM mdl_role_assignments ra JOIN mdl_role r ON r.id = ra.roleid JOIN mdl_context x ON x.id = ra.contextid AND x.contextlevel = 50
       JOIN mdl_course c ON c.id = x.instanceid JOIN mdl_user u ON u.id = ra.userid WHERE u.username LIKE 'enr%' AND ra.component = '' ORDER BY u.username, course`,
    );
    expect(roles.map((r) => `${r.username} ${r.shortname} ${r.course}`)).toEqual(['enr1 teacher BAKEN-NE1', 'enr1 student math102', 'enr2 student math102']);
    const members = await query(
      `SELECT u.username, g.name, c.shortname, g.description, g.descriptionformat, g.idnumber, m.component FROM mdl_groups_members m JOIN mdl_groups g ON g.id = m.groupid JOIN mdl_course c ON c.id = g.courseid
       JOIN mdl_user u ON u.id = m.userid WHERE u.username LIKE 'enr%' ORDER BY u.username, g.name`,
    );
    expect(members.map((m) => `${m.username} ${m.shortname}/${m.name} ${m.descriptionformat}${m.idnumber}${m.component}`)).toEqual(['enr1 BAKEN-NE1/1C 0', 'enr1 math102/Section 1 0', 'enr2 math102/Section 3 0']);

    // The same file again enrols nobody twice; a person enrolled later is updated, and says in which course.
    expect((await bed.engine.run(bytesOf(file), { source: 'courses' }, 'commit')).counts).toMatchObject({ unchanged: 3, enrolments: 0, rolesAssigned: 0, memberships: 0, groupsCreated: 0 });
    const later = await bed.engine.run(bytesOf(['username,firstname,lastname,email,course1,group1', 'enr6,Fe,Six,enr6@x.example,BAKEN-NE1,1A'].join('\n')), { source: 'courses' }, 'commit');
    expect(later.counts).toMatchObject({ updated: 1, enrolments: 1, rolesAssigned: 1, memberships: 1, groupsCreated: 0 });
    const [updated] = await query("SELECT diff FROM intake_row WHERE import_id = ? AND username = 'enr6'", [later.importId]);
    expect(typeof updated!.diff === 'string' ? JSON.parse(updated!.diff) : updated!.diff).toEqual({ course: ['', 'BAKEN-NE1'], group: ['', 'BAKEN-NE1 / 1A'] });

    // A period in a later file moves the dates of an enrolment the account has (a re-import extends it).
    const extended = await bed.engine.run(bytesOf(['username,firstname,lastname,email,course1,enrolperiod1', 'enr1,Ada,One,enr1@x.example,math102,365'].join('\n')), { source: 'courses' }, 'commit');
    expect(extended.counts).toMatchObject({ updated: 1, enrolments: 0, rolesAssigned: 0 });
    const [dates] = await query("SELECT ue.timestart, ue.timeend FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid JOIN mdl_enrol e ON e.id = ue.enrolid WHERE u.username = 'enr1' AND e.courseid = 2");
    expect(Number(dates!.timeend) - Number(dates!.timestart)).toBe(365 * 86_400);

    // enrolstatus1 suspends an enrolment (its dates stay), as Moodle's participants page then shows it.
    const suspended = await bed.engine.run(bytesOf(['username,firstname,lastname,email,course1,enrolstatus1', 'enr2,Bo,Two,enr2@x.example,math102,1'].join('\n')), { source: 'courses' }, 'commit');
    expect(suspended.counts).toMatchObject({ updated: 1, enrolments: 0 });
    const [status] = await query("SELECT ue.status, ue.timeend - ue.timestart AS span FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid WHERE u.username = 'enr2'");
    expect([Number(status!.status), Number(status!.span)]).toEqual([1, 30 * 86_400]);

    // Undo takes enrolments, roles, members and the groups it made away again, and puts dates and status back.
    await undoImport(bed.database.pool, suspended.importId);
    await undoImport(bed.database.pool, extended.importId);
    await undoImport(bed.database.pool, later.importId);
    await undoImport(bed.database.pool, run.importId);
    expect(await courseTables()).toEqual(before);
  });

  it('enrol a coordinator\'s rows only in the courses of their categories', async () => {
    const coordinator = await bed.engine.coordinator();
    const rows = ['username,firstname,lastname,email,course1,role1', 'coenr1,Kim,En,coenr1@baken.example,BAKEN-NE1,student', 'coenr2,Max,En,coenr2@baken.example,math102,student', 'coenr3,Eef,En,coenr3@baken.example,BAKEN-NE1,manager'].join('\n');
    const run = await bed.engine.run(bytesOf(rows), { source: 'co-courses', group: { create: 'Klas 1 2026' } }, 'preview', coordinator);
    expect((await outcomes(run.importId)).map((r) => [r.username, r.problems?.[0]?.code ?? null])).toEqual([
      ['coenr1', null],
      ['coenr2', 'out_of_scope'],
      ['coenr3', 'role_not_at_course'],
    ]);
    expect(run.counts).toMatchObject({ created: 1, errors: 2, enrolments: 1 });
  });

  it("read Moodle's older type1 where role1 is empty: 1 a student, 2 a teacher, 3 a non-editing teacher", async () => {
    const rows = ['username,firstname,lastname,email,course1,role1,type1', 'typ1,Ty,One,typ1@x.example,math102,,3', 'typ2,Ty,Two,typ2@x.example,math102,,2', 'typ3,Ty,Three,typ3@x.example,math102,student,2', 'typ4,Ty,Four,typ4@x.example,math102,,5'].join('\n');
    const run = await bed.engine.run(bytesOf(rows), { source: 'courses-type' }, 'preview');
    expect((await outcomes(run.importId)).map((r) => [r.username, r.problems?.[0] ? `${r.problems[0].code} ${r.problems[0].params?.role}` : (r.placement as { courses?: string[] }).courses?.[0]])).toEqual([
      ['typ1', 'math102 (teacher)'],
      ['typ2', 'math102 (editingteacher)'],
      // A role beside it wins, as in Moodle's upload.
      ['typ3', 'math102 (student)'],
      ['typ4', 'unknown_role type 5'],
    ]);
  });

  it('refuse an enrolment period that is no number of days, showing it', async () => {
    const rows = ['username,firstname,lastname,email,course1,enrolperiod1', 'enrp,Pe,Riod,enrp@x.example,math102,a year'].join('\n');
    const run = await bed.engine.run(bytesOf(rows), { source: 'courses-period' }, 'preview');
    expect((await outcomes(run.importId))[0]!.problems).toEqual([{ code: 'invalid_days', field: 'enrolPeriod', params: { value: 'a year' } }]);
  });
});
