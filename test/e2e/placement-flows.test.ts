import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit, preview, startDemo, tile, uploadFile, type DemoUnderTest } from '../support/e2e.js';

let demo: DemoUnderTest;

beforeAll(async () => {
  demo = await startDemo('flows');
});
afterAll(async () => {
  await demo?.close();
});

async function query(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const [rows] = await demo.database.pool.query<RowDataPacket[]>(sql, params);
  return rows;
}

async function workbook(rows: (string | number)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Kandidaten');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('workflow 1: a coordinator imports candidates into a new group under their node', () => {
  it('with generated passwords, two supervisors and validity to the end of the school year; the candidates stay in sight', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/?as=coordinator`);
    const file = await workbook([
      ['Leerlingnummer', 'Roepnaam', 'Achternaam', 'E-mailadres', 'Gebruikersnaam'],
      ['00123', 'Kim', 'Kok', 'kim@baken.example', 'kkok'],
      ['00124', 'Lotte', 'Lam', 'lotte@baken.example', 'llam'],
    ]);
    await uploadFile(page, 'kandidaten.xlsx', file);
    expect(await page.locator('intake-format-panel #sheet').inputValue()).toBe('Kandidaten');
    await page.click('intake-mapping-step button:has-text("Next")');

    // Only the coordinator's own node is offered, and chosen for them.
    const nodes = await page.locator('intake-settings-step #hierarchy-top option').allInnerTexts();
    expect(nodes.filter((n) => !n.startsWith('—'))).toEqual(['Schools / Het Baken']);
    expect(await page.locator('intake-settings-step #hierarchy-top').inputValue()).toBe('BAKEN');
    await page.fill('intake-settings-step #source', 'baken-examens');
    await page.check('intake-settings-step input[name=group] >> nth=2');
    await page.fill('intake-settings-step #group-create', 'Examen 2027');
    await page.selectOption('intake-settings-step #role', 'candidate');
    for (const teacher of ['mbakker', 'jdekker']) {
      await page.fill('intake-settings-step #supervisor-search', teacher);
      await page.click('intake-settings-step #add-supervisor');
    }
    expect(await page.locator('intake-settings-step [data-supervisor]').count()).toBe(2);
    await page.fill('intake-settings-step #valid-until', '2027-07-31');
    await preview(page);
    expect(await tile(page, 'intake-preview-step', 'created')).toBe('2');
    expect(await tile(page, 'intake-preview-step', 'groupsCreated')).toBe('1');
    expect(await page.locator('intake-preview-step #rows tbody').innerText()).toContain('until 2027-07-31');
    await commit(page);
    expect(await page.locator('intake-result-step #headline').innerText()).toContain('complete');

    const candidates = await query("SELECT u.username, u.password, u.suspended, u.idnumber FROM mdl_user u WHERE u.username IN ('kkok', 'llam') ORDER BY u.username");
    expect(candidates.map((c) => `${c.username}:${c.idnumber}:${c.suspended}`)).toEqual(['kkok:00123:0', 'llam:00124:0']);
    for (const c of candidates) expect(c.password).toMatch(/^\$6\$rounds=1000\$/);
    const supervisors = await query(
      "SELECT DISTINCT s.username FROM mdl_role_assignments ra JOIN mdl_user s ON s.id = ra.userid WHERE ra.component = 'local_intake' ORDER BY s.username",
    );
    expect(supervisors.map((s) => s.username)).toEqual(['coordinator', 'jdekker', 'mbakker']);

    // In sight afterwards: the coordinator's own API lists the new group and finds the candidates.
    const { token } = (await (await fetch(`${demo.server.url}/demo/token?as=coordinator`)).json()) as { token: string };
    const api = (path: string) => fetch(`${demo.server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    expect(((await api('/groups')) as { groups: { name: string }[] }).groups.map((g) => g.name)).toContain('Examen 2027');
    expect(((await api('/people?q=kkok')) as { people: { username: string }[] }).people.map((p) => p.username)).toEqual(['kkok']);
    expect(((await api('/people?q=pvisser')) as { people: unknown[] }).people).toEqual([]);
    await page.close();
  });
});

describe('workflow 2: an admin imports candidates under a chosen node, then sets extra time', () => {
  it('shows new, updated, unchanged and invalid rows separately', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/`);
    const first = ['Gebruikersnaam;Voornaam;Achternaam;E-mailadres', 'cand1;Cor;Cas;cor@exam.example', 'cand2;Dina;Dam;dina@exam.example', 'cand3;Emre;Ek;emre@exam.example'].join('\n');
    await uploadFile(page, 'kandidaten.csv', first);
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'examens');
    await page.selectOption('intake-settings-step #hierarchy-top', 'EXAM');
    await page.selectOption('intake-settings-step #role', 'candidate');
    await preview(page);
    await commit(page);
    expect(await tile(page, 'intake-result-step', 'rolesAssigned')).toBe('3');
    await page.click('intake-result-step #restart');

    const second = [
      'Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Extra tijd',
      'cand1;Cor;Cas;cor@exam.example;15',
      'cand2;Dina;Dam;dina@exam.example;30',
      'cand3;Emre;Ek;emre@exam.example;',
      'cand4;Fay;Fox;fay@exam.example;',
      'cand5;Gus;Gul;not-an-address;10',
    ].join('\n');
    await uploadFile(page, 'extra-tijd.csv', second);
    expect(await page.locator('intake-mapping-step select[data-header="Extra tijd"]').inputValue()).toBe('extraTime');
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'examens');
    await page.selectOption('intake-settings-step #hierarchy-top', 'EXAM');
    await page.selectOption('intake-settings-step #role', 'candidate');
    await preview(page);
    expect(await tile(page, 'intake-preview-step', 'created')).toBe('1');
    expect(await tile(page, 'intake-preview-step', 'updated')).toBe('2');
    expect(await tile(page, 'intake-preview-step', 'unchanged')).toBe('1');
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('1');
    const shown = async (outcome: string) => {
      await page.click(`intake-preview-step button[data-outcome=${outcome}]`);
      await page.waitForFunction((o) => {
        const step = document.querySelector('intake-import-wizard')!.shadowRoot!.querySelector('intake-preview-step')!;
        return step.shadowRoot!.querySelector(`button[data-outcome=${o}]`)!.getAttribute('aria-pressed') === 'true';
      }, outcome);
      return page.locator('intake-preview-step #rows tbody').innerText();
    };
    expect(await shown('update')).toMatch(/cand1[\s\S]*Extra time: ∅ → 15[\s\S]*cand2/);
    expect(await shown('create')).toContain('cand4');
    expect(await shown('unchanged')).toContain('cand3');
    expect(await shown('error')).toContain('not a valid e-mail address');
    await commit(page);
    const extra = await query("SELECT u.username, d.data FROM mdl_user_info_data d JOIN mdl_user_info_field f ON f.id = d.fieldid AND f.shortname = 'extratime' JOIN mdl_user u ON u.id = d.userid ORDER BY u.username");
    expect(extra.map((e) => `${e.username}:${e.data}`)).toEqual(['cand1:15', 'cand2:30']);
    await page.close();
  });
});

describe('workflow 3: a municipality-wide file', () => {
  it('creates school nodes, a group per class and role groups for students and teachers, and rejects a vague class', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/`);
    const file = [
      'E-mailadres;Voornaam;Achternaam;Klas;School;Gemeente;Rol',
      'a.aarts@utrecht.example;Anna;Aarts;3A;De Regenboog;Utrecht;leerling',
      'b.bos@utrecht.example;Bram;Bos;3A;De Regenboog;Utrecht;leerling',
      'd.dijk@utrecht.example;Dirk;Dijk;;De Regenboog;Utrecht;docent',
      'e.eck@zeist.example;Eva;Eck;1C;Het Anker;Zeist;leerling',
      'f.faas@zeist.example;Fien;Faas;9;Het Anker;Zeist;leerling',
    ].join('\n');
    await uploadFile(page, 'gemeente.csv', file);
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'gemeente');
    // No username column: accounts are found by e-mail, as the wizard proposes.
    expect(await page.locator('intake-settings-step #match-on').inputValue()).toBe('email');
    await page.selectOption('intake-settings-step #hierarchy-top', 'SCHOOLS');
    await preview(page);
    const structure = await page.locator('intake-preview-step #new-structure').innerText();
    expect(structure).toContain('Utrecht / De Regenboog');
    expect(structure).toContain('Zeist / Het Anker / 1C');
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('1');
    await page.click('intake-preview-step button[data-outcome=error]');
    await expect.poll(() => page.locator('intake-preview-step #rows tbody').innerText()).toContain('A student needs a specific class ("9A", not "9")');
    await commit(page);
    expect(await tile(page, 'intake-result-step', 'nodesCreated')).toBe('4');
    // Two classes, and the role groups "De Regenboog · Students", "De Regenboog · Teachers", "Het Anker · Students".
    expect(await tile(page, 'intake-result-step', 'groupsCreated')).toBe('5');

    await page.goto(`${demo.server.url}/users`);
    // No username column: usernames come from the default template, as the settings step shows it.
    const anna = await page.locator('#users tr[data-username="aaarts"]').innerText();
    expect(anna).toContain('3A');
    expect(anna).toContain('De Regenboog · Students');
    expect(await page.locator('#users tr[data-username="ddijk"]').innerText()).toContain('De Regenboog · Teachers');
    // The row with a vague class wrote nothing; its neighbour from the same school did.
    expect(await page.locator('#users tr[data-username="eeck"]').count()).toBe(1);
    expect(await page.locator('#users tr[data-username="ffaas"]').count()).toBe(0);
    await page.close();
  });
});

describe("workflow 4: Moodle's own upload file with course columns", () => {
  it('enrols in the courses it names, shows each row\'s course and the new course group, refuses an unknown course, and says why a theme or a deletion is passed over', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/`);
    const file = [
      'username,password,firstname,lastname,email,course1,role1,group1,enrolperiod1,theme,deleted',
      'jonest,Verysecret-1!,Tom,Jones,jonest@example.com,math102,,Section 1,,boost,',
      'reznor,Somesecret-1!,Trent,Reznor,reznor@example.com,math102,editingteacher,Section 3,30,,',
      'fellini,Mysecret-1!,Federico,Fellini,fellini@example.com,film1,student,,,,',
      'gone,Gonesecret-1!,Gone,Away,gone@example.com,,,,,,1',
    ].join('\n');
    await uploadFile(page, 'upload_users.csv', file);
    await page.click('intake-mapping-step button:has-text("Next")');
    await page.fill('intake-settings-step #source', 'moodle-upload');
    await preview(page);
    expect(await page.locator('intake-preview-step #new-structure').innerText()).toContain('math102 / Section 3');
    expect(await tile(page, 'intake-preview-step', 'enrolments')).toBe('2');
    const rows = page.locator('intake-preview-step #rows tbody');
    await expect.poll(() => rows.innerText()).toContain('math102 (editingteacher, Section 3)');
    // The demo site, as Moodle by default, lets nobody choose a theme: the account comes without it.
    await expect.poll(() => rows.innerText()).toContain('This site does not let users choose their own theme');
    await page.click('intake-preview-step button[data-outcome=error]');
    await expect.poll(() => rows.innerText()).toContain('No course has the short name "film1"');
    await page.click('intake-preview-step button[data-outcome=skip]');
    await expect.poll(() => rows.innerText()).toContain('The file asks for this account to be deleted');
    await commit(page);
    expect(await tile(page, 'intake-result-step', 'enrolments')).toBe('2');

    // The host's own user list, in another tab.
    const users = await demo.browser.newPage();
    await users.goto(`${demo.server.url}/users`);
    expect(await users.locator('#users tr[data-username="reznor"] [data-courses]').innerText()).toBe('math102');
    expect(await users.locator('#users tr[data-username="fellini"]').count()).toBe(0);
    await users.close();

    // Undo says it ends the enrolments too, and does.
    await page.click('intake-result-step #undo');
    expect(await page.locator('intake-result-step #undo-text').innerText()).toContain('It also ends the course enrolments it made (2).');
    await page.click('intake-result-step #confirm-undo');
    await expect.poll(() => page.locator('intake-result-step #headline').innerText(), { timeout: 20_000 }).toContain('undone');
    const [[left]] = await demo.database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user_enrolments ue JOIN mdl_user u ON u.id = ue.userid WHERE u.username IN ('jonest', 'reznor')");
    expect(left!.n).toBe(0);
    await page.close();
  });
});
