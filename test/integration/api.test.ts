import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.js';
import { signToken } from '../../server/http/token.js';
import type { ImportSummary } from '../../server/contract/types.js';
import { readEnv } from '../../server/engine/env.js';
import { PasswordPool } from '../../server/host/hashing/password-pool.js';
import { startWorker, type Worker } from '../../server/jobs/worker.js';
import { demoCoordinator } from '../../server/demo/demo-host.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const secret = 'api-test-secret-0123456789';
let database: TestDatabase;
let passwords: PasswordPool;
let worker: Worker;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  database = await createTestDatabase('api');
  const env = readEnv({ DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000', INTAKE_MAX_UPLOAD_BYTES: '100000' });
  passwords = new PasswordPool({ scheme: 'sha512', rounds: 1000 }, 2);
  const services = { database, env, passwords, secret };
  app = createApp({ services, log: () => undefined });
  worker = startWorker(services, { pollMs: 50, log: () => undefined });
  // A teacher who is not a site admin.
  await database.pool.query(
    "INSERT INTO mdl_user (auth, confirmed, mnethostid, username, password, firstname, lastname, email, timecreated, timemodified) VALUES ('manual', 1, 1, 'teacher', '', 'T', 'T', 't@x.nl', 1, 1)",
  );
});

afterAll(async () => {
  await worker.stop();
  await passwords.close();
  await database.drop();
});

const admin = () => ({ authorization: `Bearer ${signToken(secret, 2)}` });

function upload(content: string | Uint8Array, headers: Record<string, string> = admin(), name = 'list.csv') {
  const form = new FormData();
  form.append('file', new File([content as BlobPart], name, { type: 'text/csv' }));
  return app.request('/api/imports', { method: 'POST', body: form, headers });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function waitFor(id: string, statuses: string[], headers = admin()): Promise<ImportSummary> {
  for (let i = 0; i < 200; i++) {
    const summary = await json<ImportSummary>(await app.request(`/api/imports/${id}`, { headers }));
    if (summary.status === 'previewing' || summary.status === 'queued' || summary.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (statuses.includes(summary.status)) return summary;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} never reached ${statuses.join('/')}`);
}

describe('who may use the API', () => {
  it('refuses missing, forged and expired tokens with 401 and the one error shape', async () => {
    const none = await app.request('/api/imports');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthenticated', requestId: expect.any(String) } });
    expect((await app.request('/api/imports', { headers: { authorization: `Bearer ${signToken('not-the-secret-000000', 2)}` } })).status).toBe(401);
    expect((await app.request('/api/imports', { headers: { authorization: `Bearer ${signToken(secret, 2, 60, Date.now() - 3_600_000)}` } })).status).toBe(401);
  });

  it('refuses a user who is neither site admin nor coordinator with 403, and writes nothing', async () => {
    const [[teacher]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_user WHERE username = 'teacher'");
    const response = await upload('username\nx\n', { authorization: `Bearer ${signToken(secret, teacher!.id)}` });
    expect(response.status).toBe(403);
    const [[count]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_import');
    expect(Number(count!.n)).toBe(0);
  });
});

describe('a coordinator through the API', () => {
  const coordinator = () => ({ authorization: `Bearer ${signToken(secret, demoCoordinator.id)}` });

  it('sees only their own node, groups and people', async () => {
    const nodes = (await json<{ nodes: { name: string }[] }>(await app.request('/api/nodes', { headers: coordinator() }))).nodes;
    expect(nodes.map((n) => n.name)).toEqual(['Het Baken']);
    const groups = (await json<{ groups: { name: string }[] }>(await app.request('/api/groups', { headers: coordinator() }))).groups;
    expect(groups.map((g) => g.name)).toEqual(['Baken docenten']);
    const people = (await json<{ people: { username: string }[] }>(await app.request('/api/people', { headers: coordinator() }))).people;
    expect(people.map((p) => p.username).sort()).toEqual(['coordinator', 'jdekker', 'mbakker']);
  });

  it("cannot open an admin's import, and an out-of-scope preview is refused with a reason and writes nothing", async () => {
    const adminImport = await json<ImportSummary>(await upload('username,firstname,lastname,email\nzed,Zed,Z,z@x.nl\n'));
    expect((await app.request(`/api/imports/${adminImport.id}`, { headers: coordinator() })).status).toBe(404);

    const own = await json<ImportSummary>(await upload('username,firstname,lastname,email\nzoe,Zoe,Z,zoe@x.nl\n', coordinator()));
    await app.request(`/api/imports/${own.id}/preview`, { method: 'POST', headers: { ...coordinator(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'c', hierarchy: { top: 'EXAM' } } }) });
    const refused = await waitFor(own.id, ['uploaded'], coordinator());
    expect(refused.error).toMatchObject({ code: 'out_of_scope' });
    expect((await app.request(`/api/imports/${own.id}/commit`, { method: 'POST', headers: coordinator() })).status).toBe(409);
    const [[count]] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username = 'zoe'");
    expect(Number(count!.n)).toBe(0);
  });
});

describe('rejected files', () => {
  it('names what is wrong with a coded error and keeps no bytes', async () => {
    const pdf = await upload('%PDF-1.4 binary', admin(), 'list.csv');
    expect(pdf.status).toBe(422);
    expect(await pdf.json()).toMatchObject({ error: { code: 'not_csv', params: { detected: 'pdf' } } });
    const empty = await upload('');
    expect(await empty.json()).toMatchObject({ error: { code: 'empty_file' } });
    const big = await upload(`a\n${'x,'.repeat(60_000)}\n`);
    expect(big.status).toBe(413);
    const [[chunks]] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM intake_file_chunk c JOIN intake_import i ON i.id = c.import_id WHERE i.status = 'failed'");
    expect(Number(chunks!.n)).toBe(0);
  });

  it('refuses a preview whose mapping lacks a required column, before any work', async () => {
    const summary = await json<ImportSummary>(await upload('username,firstname\nanna,Anna\n'));
    const response = await app.request(`/api/imports/${summary.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'api' } }) });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: { code: 'missing_column', params: { fields: ['lastname', 'email'] } } });
  });

  it('refuses invalid settings and a commit without a preview', async () => {
    const summary = await json<ImportSummary>(await upload('username,firstname,lastname,email\nanna,Anna,A,a@x.nl\n'));
    const bad = await app.request(`/api/imports/${summary.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: '', matchOn: 'shoe' } }) });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_settings' } });
    const commit = await app.request(`/api/imports/${summary.id}/commit`, { method: 'POST', headers: admin() });
    expect(commit.status).toBe(409);
  });
});

describe('an import through the API', () => {
  it('uploads, previews, commits in the background, reports rows and errors, and purges the file', async () => {
    const csv = 'E-mailadres;Voornaam;Achternaam\nanna@school.nl;Anna;Smit\nbad-address;Bram;Bos\n';
    const uploaded = await json<ImportSummary>(await upload(csv));
    expect(uploaded.columns.map((c) => c.field)).toEqual(['email', 'firstname', 'lastname']);
    expect(uploaded.format).toMatchObject({ delimiter: ';', encoding: 'utf-8' });

    const settings = { source: 'api', matchOn: 'email', group: { existing: 'CO2025' } };
    const queued = await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings }) });
    expect(queued.status).toBe(202);
    const previewed = await waitFor(uploaded.id, ['previewed']);
    expect(previewed.counts).toMatchObject({ rows: 2, created: 1, errors: 1, memberships: 1 });

    const errors = await app.request(`/api/imports/${uploaded.id}/rows?outcome=error`, { headers: admin() });
    expect(await errors.json()).toMatchObject({ total: 1, rows: [{ row: 3, outcome: 'error', problems: [{ code: 'invalid_email', field: 'email' }] }] });
    const report = await (await app.request(`/api/imports/${uploaded.id}/errors.csv?lang=nl`, { headers: admin() })).text();
    expect(report).toContain('3,error,,email,invalid_email,E-mailadres is geen geldig e-mailadres');

    expect((await app.request(`/api/imports/${uploaded.id}/commit`, { method: 'POST', headers: admin() })).status).toBe(202);
    const done = await waitFor(uploaded.id, ['done', 'failed']);
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ rows: 2, created: 1, errors: 1, memberships: 1 });
    const [[anna]] = await database.pool.query<RowDataPacket[]>("SELECT username, email FROM mdl_user WHERE email = 'anna@school.nl'");
    expect(anna).toMatchObject({ username: 'anna@school.nl' });
    const [[chunks]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_file_chunk c JOIN intake_import i ON i.id = c.import_id WHERE i.public_id = ?', [uploaded.id]);
    expect(Number(chunks!.n)).toBe(0);
    expect(done.columns.every((c) => c.sample.length === 0)).toBe(true);
  });

  it('keeps judging an ambiguous header by its values when the preview is asked for', async () => {
    const uploaded = await json<ImportSummary>(await upload('Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Groep\njip;Jip;Jansen;jip@x.nl;Groep 3\n'));
    expect(uploaded.columns[4]!.field).toBe('class');
    const queued = await json<ImportSummary>(
      await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'groep' } }) }),
    );
    expect(queued.columns[4]!.field).toBe('class');
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ created: 1, groupsCreated: 1 });
  });

  it('reads an Excel workbook, and another sheet on request', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Uitleg').addRow(['Zie het tweede tabblad']);
    const sheet = wb.addWorksheet('Leerlingen');
    sheet.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam', 'E-mailadres', 'Leerlingnummer']);
    sheet.addRow(['dirk', 'Dirk', 'Dekker', 'dirk@school.nl', '007']);
    const uploaded = await json<ImportSummary>(await upload(new Uint8Array(await wb.xlsx.writeBuffer()), admin(), 'leerlingen.xlsx'));
    expect(uploaded.format).toMatchObject({ type: 'xlsx', sheet: 'Uitleg', sheets: ['Uitleg', 'Leerlingen'] });
    const reread = await app.request(`/api/imports/${uploaded.id}/inspect`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ file: { sheet: 'Leerlingen' } }) });
    const summary = await json<ImportSummary>(reread);
    expect(summary.columns.map((c) => c.field)).toEqual(['username', 'firstname', 'lastname', 'email', 'idnumber']);
    expect(summary.columns[4]!.sample).toEqual(['007']);
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'xlsx' } }) });
    expect((await waitFor(uploaded.id, ['previewed', 'uploaded'])).counts).toMatchObject({ rows: 1, created: 1 });
  });

  it('streams progress as server-sent events until the import rests', async () => {
    const uploaded = await json<ImportSummary>(await upload('username,firstname,lastname,email\ncees,Cees,C,c@x.nl\n'));
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'sse' } }) });
    const response = await app.request(`/api/imports/${uploaded.id}/events?token=${signToken(secret, 2)}`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const events = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as ImportSummary);
    expect(events.at(-1)!.status).toBe('previewed');
  });
});
