import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.js';
import { signToken } from '../../server/http/token.js';
import type { ImportSummary } from '../../server/contract/types.js';
import { errorText } from '../../server/contract/messages.js';
import { readEnv } from '../../server/engine/env.js';
import { PasswordPool } from '../../server/host/hashing/password-pool.js';
import { startWorker, type Worker } from '../../server/jobs/worker.js';
import { demoCoordinator } from '../../server/demo/demo-host.js';
import { FileCipher } from '../../server/store/file-cipher.js';
import { queryRows } from '../../server/host/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const secret = 'api-test-secret-0123456789';
let database: TestDatabase;
let passwords: PasswordPool;
let worker: Worker;
let app: ReturnType<typeof createApp>;
let services: Parameters<typeof createApp>[0]['services'];

beforeAll(async () => {
  database = await createTestDatabase('api');
  const env = readEnv({ DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000', INTAKE_MAX_UPLOAD_BYTES: '100000' });
  passwords = new PasswordPool({ scheme: 'sha512', rounds: 1000 }, 2);
  services = { database, env, passwords, secret, files: new FileCipher(secret) };
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

const adminToken = await signToken(secret, 2);
const coordinatorToken = await signToken(secret, demoCoordinator.id);
const admin = () => ({ authorization: `Bearer ${adminToken}` });

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
    expect((await app.request('/api/imports', { headers: { authorization: `Bearer ${await signToken('not-the-secret-000000', 2)}` } })).status).toBe(401);
    expect((await app.request('/api/imports', { headers: { authorization: `Bearer ${await signToken(secret, 2, 60, Date.now() - 3_600_000)}` } })).status).toBe(401);
  });

  it('refuses a user who is neither site admin nor coordinator with 403, and writes nothing', async () => {
    const [[teacher]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_user WHERE username = 'teacher'");
    const response = await upload('username\nx\n', { authorization: `Bearer ${await signToken(secret, teacher!.id)}` });
    expect(response.status).toBe(403);
    const [[count]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_import');
    expect(Number(count!.n)).toBe(0);
  });
});

describe('who asks', () => {
  it("says who they are, their scope, the site's language with those installed where the site says, and its sign-in methods", async () => {
    const me = await (await app.request('/api/me', { headers: admin() })).json();
    expect(me).toMatchObject({ id: 2, isSiteAdmin: true, scope: { kind: 'site' }, siteLang: 'en', languages: null });
    // The demo site enables oauth2 and saml2 ($CFG->auth): offered after manual accounts, "No login" last.
    expect(me.authMethods).toEqual(['manual', 'oauth2', 'saml2', 'nologin']);
    await database.pool.query("INSERT INTO mdl_config_plugins (plugin, name, value) VALUES ('local_intake', 'langs', 'nl,en,sv')");
    try {
      expect(await (await app.request('/api/me', { headers: admin() })).json()).toMatchObject({ languages: ['en', 'nl', 'sv'] });
    } finally {
      await database.pool.query("DELETE FROM mdl_config_plugins WHERE plugin = 'local_intake' AND name = 'langs'");
    }
  });
});

describe('a coordinator through the API', () => {
  const coordinator = () => ({ authorization: `Bearer ${coordinatorToken}` });

  it('sees only their own node, groups and people', async () => {
    const nodes = (await json<{ nodes: { name: string }[] }>(await app.request('/api/nodes', { headers: coordinator() }))).nodes;
    expect(nodes.map((n) => n.name)).toEqual(['Het Baken']);
    const groups = (await json<{ groups: { name: string }[] }>(await app.request('/api/groups', { headers: coordinator() }))).groups;
    expect(groups.map((g) => g.name)).toEqual(['Baken docenten']);
    const people = (await json<{ people: { username: string }[] }>(await app.request('/api/people', { headers: coordinator() }))).people;
    expect(people.map((p) => p.username).sort()).toEqual(['coordinator', 'jdekker', 'mbakker']);
    // A search no name can match is refused as such, not taken as no search (which listed everyone).
    for (const list of ['groups', 'people']) {
      const tooLong = await app.request(`/api/${list}?q=${'b'.repeat(101)}`, { headers: coordinator() });
      expect(tooLong.status).toBe(400);
      expect(await tooLong.json()).toMatchObject({ error: { code: 'invalid_request', params: { max: 100 } } });
    }
    expect((await json<{ people: unknown[] }>(await app.request(`/api/people?q=${'b'.repeat(100)}`, { headers: coordinator() }))).people).toEqual([]);
  });

  it("finds their groups and people among a site's thousands of others (their scope asked before the limit), a typed % or _ taken as it is", async () => {
    // Others that sort first and outnumber what a search lists: 250 groups and 60 people of other schools.
    await database.pool.query(`INSERT INTO mdl_cohort (contextid, name, idnumber, description, descriptionformat, timecreated, timemodified) VALUES ${Array.from({ length: 250 }, (_, i) => `(1, 'AA elders ${i}', 'aa-${i}', '', 0, 0, 0)`).join(', ')}`);
    await database.pool.query(`INSERT INTO mdl_user (auth, confirmed, mnethostid, username, firstname, lastname, email) VALUES ${Array.from({ length: 60 }, (_, i) => `('manual', 1, 1, 'aaelders${i}', 'Aa', 'Aelders${i}', 'aa${i}@elders.example')`).join(', ')}`);
    try {
      const groups = (await json<{ groups: { name: string }[] }>(await app.request('/api/groups', { headers: coordinator() }))).groups;
      expect(groups.map((g) => g.name)).toEqual(['Baken docenten']);
      const people = (await json<{ people: { username: string }[] }>(await app.request('/api/people', { headers: coordinator() }))).people;
      expect(people.map((p) => p.username).sort()).toEqual(['coordinator', 'jdekker', 'mbakker']);
      // The admin's search still stops at its limits.
      expect((await json<{ groups: unknown[] }>(await app.request('/api/groups', { headers: admin() }))).groups).toHaveLength(200);
      expect((await json<{ people: unknown[] }>(await app.request('/api/people', { headers: admin() }))).people).toHaveLength(50);
      for (const typed of ['%', '_', 'a_elders']) {
        expect((await json<{ people: unknown[] }>(await app.request(`/api/people?q=${encodeURIComponent(typed)}`, { headers: admin() }))).people, typed).toEqual([]);
      }
    } finally {
      await database.pool.query("DELETE FROM mdl_cohort WHERE name LIKE 'AA elders %'");
      await database.pool.query("DELETE FROM mdl_user WHERE username LIKE 'aaelders%'");
    }
  });

  it("cannot open an admin's import, and an out-of-scope preview is refused with a reason and writes nothing", async () => {
    const adminImport = await json<ImportSummary>(await upload('username,firstname,lastname,email\nzed,Zed,Z,z@x.nl\n'));
    expect((await app.request(`/api/imports/${adminImport.id}`, { headers: coordinator() })).status).toBe(404);
    // Nor what later imports changed of its people (the undo warning).
    expect((await app.request(`/api/imports/${adminImport.id}/later-changes`, { headers: coordinator() })).status).toBe(404);
    // An undo's body is its one choice, or nothing; anything else is refused before anything is done.
    const badUndo = await app.request(`/api/imports/${adminImport.id}/undo`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: '{"overLaterChanges": "yes"}' });
    expect(badUndo.status).toBe(422);
    const notJson = await app.request(`/api/imports/${adminImport.id}/undo`, { method: 'POST', headers: admin(), body: 'undo please' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(await json(await app.request(`/api/imports/${adminImport.id}/later-changes`, { headers: admin() }))).toEqual({ imports: 0, people: 0 });

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
    // Said as a person reads it: the limit (100,000 bytes in this test) in megabytes, in the wizard's languages too.
    const refused = ((await big.json()) as { error: { code: 'file_too_large'; params: Record<string, unknown> } }).error;
    expect(refused.params).toEqual({ max: 100_000, maxMb: 1 });
    expect(errorText(refused.code, refused.params, 'nl')).toBe('Het bestand is groter dan de limiet van 1 MB.');
    const [[chunks]] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM intake_file_chunk c JOIN intake_import i ON i.id = c.import_id WHERE i.status = 'failed'");
    expect(Number(chunks!.n)).toBe(0);
  });

  it('ends an upload cut off mid-file as upload_interrupted, keeping nothing of it, in a form or as raw bytes', async () => {
    const boundary = 'intake-test-boundary';
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="cut.csv"\r\ncontent-type: text/csv\r\n\r\nusername;firstname\r\n`;
    /**
     * A body that sends its first part and then breaks off, as a cancelled upload or a dropped line does:
     * 1.5 MB of rows first, more than a stored slice (1 MB), so that a part of it was stored before the cut.
     */
    const cutOff = (first: string) => {
      let pulls = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (pulls++ === 0) return controller.enqueue(new TextEncoder().encode(`${first}${'anna;Anna\r\n'.repeat(150_000)}`));
          await new Promise((resolve) => setTimeout(resolve, 50));
          controller.error(new Error('aborted'));
        },
      });
    };
    // This file's app takes 100 kB at most; a site's limit is far above the part sent.
    const roomy = createApp({ services: { ...services, env: { ...services.env, INTAKE_MAX_UPLOAD_BYTES: 8_000_000 } }, log: () => undefined });
    const send = (body: ReadableStream<Uint8Array>, contentType: string, query = '') =>
      roomy.request(`/api/imports${query}`, { method: 'POST', body, headers: { ...admin(), 'content-type': contentType }, duplex: 'half' } as RequestInit);
    for (const [name, response] of [
      ['cut.csv', await send(cutOff(head), `multipart/form-data; boundary=${boundary}`)],
      ['cut-raw.csv', await send(cutOff('username;firstname\r\n'), 'text/csv', '?filename=cut-raw.csv')],
    ] as const) {
      expect(await response.json()).toMatchObject({ error: { code: 'upload_interrupted' } });
      const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT id, status, error FROM intake_import WHERE file_name = ? ORDER BY id DESC LIMIT 1', [name]);
      expect(record).toMatchObject({ status: 'failed', error: { code: 'upload_interrupted' } });
      const [[chunks]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_file_chunk WHERE import_id = ?', [record!.id]);
      expect(Number(chunks!.n)).toBe(0);
    }
  });

  it('refuses a form with two files rather than importing the first and dropping the second unseen', async () => {
    const boundary = 'intake-two-files';
    const part = (name: string, body: string) => `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: text/csv\r\n\r\n${body}\r\n`;
    const body = `${part('year-1.csv', 'username;firstname\r\nanna;Anna')}${part('year-2.csv', 'username;firstname\r\nbob;Bob')}--${boundary}--\r\n`;
    const response = await app.request('/api/imports', { method: 'POST', body, headers: { ...admin(), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('one file') } });
    const [[record]] = await database.pool.query<RowDataPacket[]>("SELECT id, status FROM intake_import WHERE file_name = 'year-1.csv' ORDER BY id DESC LIMIT 1");
    expect(record).toMatchObject({ status: 'failed' });
    const [[chunks]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_file_chunk WHERE import_id = ?', [record!.id]);
    expect(Number(chunks!.n)).toBe(0);
    // A file of another field before it, and an empty file input after it (no file chosen), are no second file.
    const other = (name: string, file: string, body: string) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"; filename="${file}"\r\ncontent-type: application/octet-stream\r\n\r\n${body}\r\n`;
    const withOthers = `${other('attachment', 'notes.txt', 'not this')}${part('year-3.csv', 'username;firstname;lastname;email\r\ncor;Cor;C;cor@x.example')}${other('file', '', '')}--${boundary}--\r\n`;
    const accepted = await app.request('/api/imports', { method: 'POST', body: withOthers, headers: { ...admin(), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ fileName: 'year-3.csv', status: 'uploaded' });
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
    const refused = (await bad.json()) as { error: { code: string; message: string } };
    expect(refused.error.code).toBe('invalid_settings');
    // The message names each setting that is wrong, as the command's does.
    expect(refused.error.message).toMatch(/settings\.source: .*; settings\.matchOn: /);
    // A body that is not JSON is said to be so, not taken for settings that are missing.
    const garbled = await app.request(`/api/imports/${summary.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: '{ "settings": ' });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('not JSON') } });
    const commit = await app.request(`/api/imports/${summary.id}/commit`, { method: 'POST', headers: admin() });
    expect(commit.status).toBe(409);
  });
});

/** Upload, preview and (unless `previewOnly`) commit through the API, as the wizard does; returns the last summary. */
async function importThroughApi(content: string, settings: Record<string, unknown>, headers: { authorization: string }, previewOnly = false): Promise<ImportSummary> {
  const uploaded = await json<ImportSummary>(await upload(content, headers));
  await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ settings }) });
  const previewed = await waitFor(uploaded.id, ['previewed', 'uploaded'], headers);
  if (previewOnly || previewed.status !== 'previewed') return previewed;
  await app.request(`/api/imports/${uploaded.id}/commit`, { method: 'POST', headers });
  return waitFor(uploaded.id, ['done', 'failed'], headers);
}

describe('two requests at once', () => {
  it('never commit settings nobody previewed: of a new preview and a commit sent together, one is refused', async () => {
    const previewed = await importThroughApi('username,firstname,lastname,email\ntwo1,Tw,O,two1@x.nl\n', { source: 'two-tabs' }, admin(), true);
    expect(previewed.status).toBe('previewed');
    const [again, commit] = await Promise.all([
      app.request(`/api/imports/${previewed.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'two-tabs', status: 'suspended' } }) }),
      app.request(`/api/imports/${previewed.id}/commit`, { method: 'POST', headers: admin() }),
    ]);
    // Both answered "accepted" before: the commit then ran the new settings, which no one had seen previewed.
    expect([again.status, commit.status].sort()).toEqual([202, 409]);
    const refused = again.status === 409 ? again : commit;
    // Refused for what the other request made of the import (caught by its status as read, or as it changed meanwhile).
    const { error } = await refused.json();
    expect(error).toMatchObject({ code: 'conflict', params: { allowed: expect.arrayContaining(['previewed']) } });
    expect(error.params.status).not.toBe('previewed');
    const settled = await waitFor(previewed.id, ['previewed', 'done']);
    // Whatever won, the import is what that request made of it: committed as previewed, or previewed anew.
    expect(settled.status).toBe(commit.status === 202 ? 'done' : 'previewed');
    const [[user]] = await database.pool.query<RowDataPacket[]>("SELECT suspended FROM mdl_user WHERE username = 'two1'");
    if (commit.status === 202) expect(user!.suspended).toBe(0);
    else expect(user).toBeUndefined();
  });

  it('undo an import once, however often it is asked at the same time', async () => {
    const done = await importThroughApi('username,firstname,lastname,email\ntwo2,Tw,O,two2@x.nl\n', { source: 'two-undos' }, admin());
    const answers = await Promise.all([1, 2, 3].map(() => app.request(`/api/imports/${done.id}/undo`, { method: 'POST', headers: admin() })));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409]);
    expect((await waitFor(done.id, ['undone'])).status).toBe('undone');
  });
});

describe('undo through the API', () => {
  it('shows an undo as undoing while it runs, not as the finished commit it reverses, and then as undone', async () => {
    const done = await importThroughApi('username,firstname,lastname,email\nund1,Un,Do,und1@x.nl\n', { source: 'undo-progress' }, admin());
    expect(done.progress.phase).toBe('done');
    const asked = await app.request(`/api/imports/${done.id}/undo`, { method: 'POST', headers: admin() });
    expect(asked.status).toBe(202);
    expect(await json<ImportSummary>(asked)).toMatchObject({ status: 'undoing', progress: { phase: 'undoing', done: 0, total: 0 } });
    expect((await waitFor(done.id, ['undone'])).status).toBe('undone');
  });
});

describe("a coordinator's scope, through every endpoint", () => {
  const coordinator = () => ({ authorization: `Bearer ${coordinatorToken}` });
  const rowsOf = async (id: string) => (await json<{ rows: { row: number; outcome: string; problems: { code: string; field?: string }[] }[] }>(await app.request(`/api/imports/${id}/rows?outcome=error`, { headers: coordinator() }))).rows;

  it("reaches none of an admin's import through any route under /api/imports/:id: each answers 404 and leaves it as it was", async () => {
    const theirs = await importThroughApi('username,firstname,lastname,email\nprobe1,Pro,Be,probe1@x.nl\n', { source: 'probed', group: { create: 'Probed group' } }, admin());
    expect(theirs).toMatchObject({ status: 'done', counts: { created: 1 } });
    const summary = async () => json<ImportSummary>(await app.request(`/api/imports/${theirs.id}`, { headers: admin() }));
    const before = await summary();
    // Every route the app has for one import, read from the app itself: a route added later is probed too.
    const routes = app.routes.filter((r) => r.path.startsWith('/api/imports/:id') && r.method !== 'ALL');
    expect(routes.length).toBeGreaterThanOrEqual(12);
    // Bodies each route would take from who ran the import: what refuses the coordinator is the scope, not the body.
    const bodies: Record<string, unknown> = {
      inspect: { file: {} },
      preview: { settings: { source: 'probed' } },
      fixes: { row: 2, cells: { '0': 'probe2' } },
      commit: {},
      undo: {},
    };
    for (const route of routes) {
      const action = route.path.split('/').at(-1)!;
      const path = `${route.path.replace(':id', theirs.id)}${action === 'events' ? `?token=${coordinatorToken}` : ''}`;
      const body = route.method === 'POST' ? JSON.stringify(bodies[action] ?? {}) : undefined;
      const response = await app.request(path, { method: route.method, headers: { ...coordinator(), ...(body ? { 'content-type': 'application/json' } : {}) }, body });
      expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 });
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    const after = await summary();
    expect({ status: after.status, counts: after.counts }).toEqual({ status: before.status, counts: before.counts });
    expect(await queryRows(database.pool, "SELECT suspended FROM mdl_user WHERE username = 'probe1'")).toEqual([{ suspended: 0 }]);
  });

  it("exports only their groups' members and the people in their nodes; another group is not found", async () => {
    const elsewhere = await importThroughApi('username,firstname,lastname,email\nfar1,Far,Away,far1@x.nl\n', { source: 'scope-admin', group: { create: 'Far group' } }, admin());
    expect(elsewhere.status).toBe('done');
    const [[group]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_cohort WHERE name = 'Far group'");
    expect((await app.request(`/api/export?group=${group!.id}`, { headers: coordinator() })).status).toBe(404);
    expect((await app.request(`/api/export?group=${group!.id}`, { headers: admin() })).status).toBe(200);
    const everyone = await (await app.request('/api/export?layout=csv-comma', { headers: coordinator() })).text();
    expect(everyone).toContain('mbakker');
    expect(everyone).not.toContain('far1');
    expect(await (await app.request('/api/export?layout=csv-comma', { headers: admin() })).text()).toContain('far1');
  });

  it("reads saved choices of their own feeds only (another's hold a report address)", async () => {
    await importThroughApi('username,firstname,lastname,email\nfeed1,Fe,Ed,feed1@x.nl\n', { source: 'admins-feed' }, admin());
    expect((await app.request('/api/sources/admins-feed/settings', { headers: coordinator() })).status).toBe(404);
    expect((await json<{ settings: { source: string } }>(await app.request('/api/sources/admins-feed/settings', { headers: admin() }))).settings.source).toBe('admins-feed');
    const own = await importThroughApi('username,firstname,lastname,email\nown1,Ow,N,own1@x.nl\n', { source: 'own-feed', group: { create: 'Own feed group' } }, coordinator());
    expect(own.status).toBe('done');
    expect((await json<{ settings: { source: string } }>(await app.request('/api/sources/own-feed/settings', { headers: coordinator() }))).settings.source).toBe('own-feed');
  });

  it('hands out only the roles their own role may assign', async () => {
    const roles = (await json<{ roles: { shortname: string }[] }>(await app.request('/api/roles', { headers: coordinator() }))).roles.map((r) => r.shortname);
    expect(roles).toContain('candidate');
    expect(roles).not.toContain('manager');
    expect(roles).not.toContain('coordinator');
    const bySettings = await importThroughApi('username,firstname,lastname,email\nrole1,Ro,Le,role1@x.nl\n', { source: 'roles', group: { create: 'Roles group' }, role: 'manager' }, coordinator(), true);
    expect(bySettings.error).toMatchObject({ code: 'role_not_allowed' });
    const byColumn = await importThroughApi('username,firstname,lastname,email,role\nrole2,Ro,Le,role2@x.nl,coordinator\nrole3,Ro,Le,role3@x.nl,candidate\n', { source: 'roles', group: { create: 'Roles group' } }, coordinator(), true);
    expect(byColumn.counts).toMatchObject({ created: 1, errors: 1 });
    expect((await rowsOf(byColumn.id))[0]!.problems).toEqual([{ code: 'role_not_allowed', field: 'role', params: { role: 'coordinator' } }]);
  });

  it('lists the single sign-on services by name only, nothing of their configuration', async () => {
    const response = await app.request('/api/sso-issuers', { headers: coordinator() });
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ issuers: [{ id: expect.any(Number), name: 'Google' }] });
    expect(text).not.toContain('demo-secret');
    expect((await app.request('/api/sso-issuers')).status).toBe(401);
  });

  it('names only people in their sight as supervisors, from a column as from the settings', async () => {
    const preview = await importThroughApi('username,firstname,lastname,email,supervisor\nsup1,Su,P,sup1@x.nl,admin\nsup2,Su,P,sup2@x.nl,mbakker\n', { source: 'sup', group: { create: 'Sup group' } }, coordinator(), true);
    expect(preview.counts).toMatchObject({ created: 1, errors: 1 });
    expect((await rowsOf(preview.id))[0]!.problems).toMatchObject([{ code: 'out_of_scope', field: 'supervisor' }]);
  });

  it('places every new account where they can see it', async () => {
    const refused = await importThroughApi('username,firstname,lastname,email\nlost1,Lo,St,lost1@x.nl\n', { source: 'nowhere' }, coordinator(), true);
    expect(refused.error).toMatchObject({ code: 'group_required' });
    // A role column counts as a place (a role in their node), but a row without one does not.
    const rows = await importThroughApi('username,firstname,lastname,email,role\nlost2,Lo,St,lost2@x.nl,candidate\nlost3,Lo,St,lost3@x.nl,\n', { source: 'nowhere' }, coordinator(), true);
    expect(rows.counts).toMatchObject({ created: 1, errors: 1 });
    expect((await rowsOf(rows.id))[0]!.problems).toEqual([{ code: 'group_required' }]);
  });

  it("is named in the admin's history as who ran their import, and the admin as who undid it", async () => {
    const theirs = await importThroughApi('username,firstname,lastname,email\nnamed1,Na,Med,named1@x.nl\n', { source: 'named', group: { create: 'Named' } }, coordinator());
    expect((await app.request(`/api/imports/${theirs.id}/undo`, { method: 'POST', headers: admin() })).status).toBe(202);
    await waitFor(theirs.id, ['undone']);
    type Listed = { imports: { id: string; ranBy?: string; undoneBy?: string }[] };
    const inAdmins = (await json<Listed>(await app.request('/api/imports?q=named', { headers: admin() }))).imports.find((i) => i.id === theirs.id);
    expect(inAdmins).toMatchObject({ ranBy: 'Carla Coördinator', undoneBy: 'Admin User' });
    // Their own list names no one for what they ran themselves.
    const inTheirs = (await json<Listed>(await app.request('/api/imports?q=named', { headers: coordinator() }))).imports.find((i) => i.id === theirs.id);
    expect(inTheirs).toMatchObject({ undoneBy: 'Admin User' });
    expect(inTheirs?.ranBy).toBeUndefined();
  });
});

describe('an import through the API', () => {
  it('keeps a non-ASCII file name as it was sent (the upload is read as UTF-8)', async () => {
    const uploaded = await json<ImportSummary>(await upload('username\nx1\n', admin(), 'Binogi_Borås_20260807.csv'));
    expect(uploaded.fileName).toBe('Binogi_Borås_20260807.csv');
  });

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
    // The report carries the row's own cells under the file's headers: fix it, import it as it is.
    expect(report).toContain('intake_row,intake_outcome,intake_username,intake_field,intake_code,intake_message,E-mailadres,Voornaam,Achternaam');
    expect(report).toContain('3,error,,email,invalid_email,"E-mailadres ""bad-address"" is geen geldig e-mailadres (naam@domein, zonder spaties en zonder letters met accenten)",bad-address,Bram,Bos');
    // As the file was written (the wizard asks so), for a Dutch spreadsheet to open it in columns.
    const semicolons = await (await app.request(`/api/imports/${uploaded.id}/errors.csv?lang=nl&delimiter=semicolon`, { headers: admin() })).text();
    expect(semicolons).toContain('intake_row;intake_outcome;intake_username;intake_field;intake_code;intake_message;E-mailadres;Voornaam;Achternaam');
    expect(semicolons).toContain('3;error;;email;invalid_email;"E-mailadres ""bad-address"" is geen geldig e-mailadres (naam@domein, zonder spaties en zonder letters met accenten)";bad-address;Bram;Bos');
    const unknown = await app.request(`/api/imports/${uploaded.id}/errors.csv?delimiter=pipe`, { headers: admin() });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatchObject({ code: 'invalid_request', params: { delimiter: 'pipe' } });

    expect((await app.request(`/api/imports/${uploaded.id}/commit`, { method: 'POST', headers: admin() })).status).toBe(202);
    const done = await waitFor(uploaded.id, ['done', 'failed']);
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ rows: 2, created: 1, errors: 1, memberships: 1 });
    const [[anna]] = await database.pool.query<RowDataPacket[]>("SELECT username, email FROM mdl_user WHERE email = 'anna@school.nl'");
    // No username column: the default template made it ({f}{lastname}), not the e-mail address.
    expect(anna).toMatchObject({ username: 'asmit' });
    const [[chunks]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM intake_file_chunk c JOIN intake_import i ON i.id = c.import_id WHERE i.public_id = ?', [uploaded.id]);
    expect(Number(chunks!.n)).toBe(0);
    expect(done.columns.every((c) => c.sample.length === 0)).toBe(true);
  });

  it('keeps passwords from the file out of sight: sealed at rest, masked in every sample', async () => {
    const secretPassword = 'Zeer-Geheim-42!';
    const uploaded = await json<ImportSummary>(await upload(`username,firstname,lastname,email,wachtwoord\npwd1,Pim,Pol,pim@x.nl,${secretPassword}\n`));
    const passwordColumn = uploaded.columns.find((c) => c.header === 'wachtwoord')!;
    expect(passwordColumn.field).toBe('password');
    expect(passwordColumn.sample).toEqual(['••••••']);
    const [chunks] = await database.pool.query<RowDataPacket[]>('SELECT c.data FROM intake_file_chunk c JOIN intake_import i ON i.id = c.import_id WHERE i.public_id = ?', [uploaded.id]);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect((chunk.data as Buffer).includes(Buffer.from(secretPassword))).toBe(false);
    const [records] = await database.pool.query<RowDataPacket[]>('SELECT format FROM intake_import WHERE public_id = ?', [uploaded.id]);
    expect(JSON.stringify(records[0]!.format)).not.toContain(secretPassword);
    // The sealed file still reads: the preview uses the file's password.
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'pwd', password: { mode: 'file' } } }) });
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ created: 1, errors: 0 });
    expect(JSON.stringify(await json(await app.request(`/api/imports/${uploaded.id}`, { headers: admin() })))).not.toContain(secretPassword);
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

  it('holds back a Mentor column of codes nobody on the site has, at upload and at the preview, and maps it when the admin chooses it', async () => {
    const uploaded = await json<ImportSummary>(await upload('Gebruikersnaam;Voornaam;Achternaam;E-mailadres;Mentor\nmia;Mia;Mol;mia@x.nl;JNS\n'));
    expect(uploaded.columns[4]).toMatchObject({ field: null, warning: 'names_nobody', sample: ['JNS'] });
    const preview = async (settings: object) =>
      json<ImportSummary>(await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings }) }));
    expect((await preview({ source: 'mentor' })).columns[4]).toMatchObject({ field: null, warning: 'names_nobody' });
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ created: 1, errors: 0 });
    expect((await preview({ source: 'mentor', mapping: { Mentor: 'supervisor' } })).columns[4]).toMatchObject({ field: 'supervisor', how: 'manual' });
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ created: 0, errors: 1 });
  });

  it('reads an Excel workbook from its first sheet with a header, and another sheet on request', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Uitleg').addRow(['Zie het tweede tabblad']);
    const sheet = wb.addWorksheet('Leerlingen');
    sheet.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam', 'E-mailadres', 'Leerlingnummer']);
    sheet.addRow(['dirk', 'Dirk', 'Dekker', 'dirk@school.nl', '007']);
    const uploaded = await json<ImportSummary>(await upload(new Uint8Array(await wb.xlsx.writeBuffer()), admin(), 'leerlingen.xlsx'));
    expect(uploaded.format).toMatchObject({ type: 'xlsx', sheet: 'Leerlingen', sheets: ['Uitleg', 'Leerlingen'] });
    expect(uploaded.columns.map((c) => c.field)).toEqual(['username', 'firstname', 'lastname', 'email', 'idnumber']);
    expect(uploaded.columns[4]!.sample).toEqual(['007']);
    const inspect = async (file: { sheet: string | number }) =>
      json<ImportSummary>(await app.request(`/api/imports/${uploaded.id}/inspect`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ file }) }));
    expect((await inspect({ sheet: 1 })).columns.map((c) => c.header)).toEqual(['Zie het tweede tabblad']);
    expect((await inspect({ sheet: 'Leerlingen' })).format).toMatchObject({ sheet: 'Leerlingen' });
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'xlsx' } }) });
    expect((await waitFor(uploaded.id, ['previewed', 'uploaded'])).counts).toMatchObject({ rows: 1, created: 1 });
  });

  it("reads a workbook's sheets per school together, through upload, preview, the error report and a fix of a row on its second sheet", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Rättvikskolan').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Ida', 'Ek', 'ida@rattvik.example', '6A']]);
    wb.addWorksheet('Leksandskolan').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Otto', 'Ek', 'otto@leksand.example', '6B'], ['Pia', 'Ek', 'pia@@leksand', '6B']]);
    const uploaded = await json<ImportSummary>(await upload(new Uint8Array(await wb.xlsx.writeBuffer()), admin(), 'kommun.xlsx'));
    expect(uploaded.format).toMatchObject({ sheet: 'Rättvikskolan', sheetsRead: ['Rättvikskolan', 'Leksandskolan'], sheetColumn: 'school' });
    expect(uploaded.columns.map((c) => [c.header, c.field])).toContainEqual(['school', 'school']);
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'sheets-api' } }) });
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ rows: 3, created: 2, errors: 1, nodesCreated: 2 });
    // The report names the row as the admin finds it: its row on its sheet.
    const report = await (await app.request(`/api/imports/${uploaded.id}/errors.csv`, { headers: admin() })).text();
    expect(report).toContain('3 (Leksandskolan),error,');
    expect(report).toContain('Pia,Ek,pia@@leksand,6B,Leksandskolan');
    // Corrected in place, the row on the second sheet is checked again by the number the preview gave it.
    const fixed = await app.request(`/api/imports/${uploaded.id}/fixes`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ row: 10_000_003, cells: { 2: 'pia@leksand.example' } }) });
    expect(fixed.status).toBe(202);
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ created: 3, errors: 0 });
  });

  it('streams progress as server-sent events until the import rests', async () => {
    const uploaded = await json<ImportSummary>(await upload('username,firstname,lastname,email\ncees,Cees,C,c@x.nl\n'));
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'sse' } }) });
    const response = await app.request(`/api/imports/${uploaded.id}/events?token=${await signToken(secret, 2)}`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const events = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as ImportSummary);
    expect(events.at(-1)!.status).toBe('previewed');
  });
});

describe('the rows of a preview', () => {
  it('are searched across all pages by username, node or group', async () => {
    const previewed = await importThroughApi('username,firstname,lastname,email,class\nsrch-anna,Anna,A,sa@x.nl,4B\nsrch-bram,Bram,B,sb@x.nl,4C\nsrch-cees,Cees,C,sc@x.nl,4B\n', { source: 'search' }, admin(), true);
    const rows = async (q: string) => (await json<{ total: number; rows: { username: string }[] }>(await app.request(`/api/imports/${previewed.id}/rows?q=${encodeURIComponent(q)}`, { headers: admin() })));
    expect((await rows('bram')).rows.map((r) => r.username)).toEqual(['srch-bram']);
    expect((await rows('4B')).total).toBe(2);
    // A wildcard typed by the admin is a character, not a pattern.
    expect((await rows('%')).total).toBe(0);
  });
});

describe('the history', () => {
  it('lists the imports that wrote something, paged and searchable, apart from uploads and previews', async () => {
    await upload('username\nonly-uploaded\n', admin(), 'never-imported.csv');
    // A file refused at its upload failed before writing anything: nothing to look back on or undo.
    expect((await upload('%PDF-1.4 binary', admin(), 'refused-at-upload.csv')).status).toBe(422);
    const page = await json<{ total: number; imports: { fileName: string; status: string }[] }>(await app.request('/api/imports?written=1&limit=2', { headers: admin() }));
    expect(page.imports).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
    expect(page.imports.every((i) => ['done', 'failed', 'undone', 'interrupted', 'running', 'queued', 'undoing'].includes(i.status))).toBe(true);
    const all = await json<{ imports: { fileName: string }[] }>(await app.request('/api/imports?written=1&limit=200', { headers: admin() }));
    expect(all.imports.map((i) => i.fileName)).not.toContain('never-imported.csv');
    expect(all.imports.map((i) => i.fileName)).not.toContain('refused-at-upload.csv');
    const found = await json<{ total: number }>(await app.request('/api/imports?q=never-imported', { headers: admin() }));
    expect(found.total).toBe(1);
  });
});

describe('the error report', () => {
  it('never repeats a password cell', async () => {
    const previewed = await importThroughApi('username,password,firstname,lastname,email\npw1,Geheim-Wachtwoord-9,Pia,Wolf,not-an-address\n', { source: 'report-pw', password: { mode: 'file' } }, admin(), true);
    expect(previewed.counts).toMatchObject({ errors: 1 });
    const report = await (await app.request(`/api/imports/${previewed.id}/errors.csv`, { headers: admin() })).text();
    expect(report).toContain('pw1,,Pia,Wolf,not-an-address');
    expect(report).not.toContain('Geheim-Wachtwoord-9');
  });
});

describe('an archive above the threshold', () => {
  it('is held until the admin confirms how many it suspends', async () => {
    const five = 'username,firstname,lastname,email\n' + [1, 2, 3, 4, 5].map((i) => `held${i},H,Eld,held${i}@x.nl`).join('\n') + '\n';
    expect((await importThroughApi(five, { source: 'held-feed' }, admin())).status).toBe('done');
    // The next file keeps two of the five: archiving three is more than 10% of it.
    const kept = await importThroughApi('username,firstname,lastname,email\nheld1,H,Eld,held1@x.nl\nheld2,H,Eld,held2@x.nl\n', { source: 'held-feed', actions: { add: true, update: true, archive: true } }, admin(), true);
    expect(kept.counts).toMatchObject({ archived: 3 });
    const commit = (body: unknown) => app.request(`/api/imports/${kept.id}/commit`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const refused = await commit({});
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'archive_held', params: { archived: 3, share: 10 } } });
    expect((await commit({ confirmArchive: 2 })).status).toBe(409);
    const [[before]] = await database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'held%' AND suspended = 1");
    expect(Number(before!.n)).toBe(0);
    expect((await commit({ confirmArchive: 3 })).status).toBe(202);
    expect((await waitFor(kept.id, ['done', 'failed'])).counts).toMatchObject({ archived: 3 });
  });
});

describe('correcting cells in the preview', () => {
  it('takes mapped cells of a previewed import only, never a password, and only from who may see it', async () => {
    const coordinator = () => ({ authorization: `Bearer ${coordinatorToken}` });
    const content = 'username,password,firstname,lastname,email\ncorr1,Geheim-12345!,Cor,R,corr1@@x.nl\n';
    const uploaded = await json<ImportSummary>(await upload(content));
    const fix = (body: unknown, headers = admin()) =>
      app.request(`/api/imports/${uploaded.id}/fixes`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Not before a preview: the correction is checked by previewing again.
    expect((await fix({ row: 2, cells: { '4': 'corr1@x.nl' } })).status).toBe(409);
    await app.request(`/api/imports/${uploaded.id}/preview`, { method: 'POST', headers: { ...admin(), 'content-type': 'application/json' }, body: JSON.stringify({ settings: { source: 'corr', password: { mode: 'file' } } }) });
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ errors: 1 });

    const password = await fix({ row: 2, cells: { '1': 'other' } });
    expect(password.status).toBe(400);
    expect((await json<{ error: { code: string } }>(password)).error.code).toBe('invalid_request');
    expect((await fix({ row: 2, cells: { '9': 'x' } })).status).toBe(400);
    // A row the file does not have is said, not stored as a correction of nothing.
    const nowhere = await fix({ row: 7, cells: { '4': 'corr1@x.nl' } });
    expect(nowhere.status).toBe(400);
    expect((await json<{ error: { code: string; message: string } }>(nowhere)).error).toMatchObject({ code: 'invalid_request', message: 'The file has no row 7.' });
    expect((await fix({ row: 2, cells: { '4': 'corr1@x.nl' } }, coordinator())).status).toBe(404);

    expect((await fix({ row: 2, cells: { '4': 'corr1@x.nl' } })).status).toBe(202);
    expect((await waitFor(uploaded.id, ['previewed'])).counts).toMatchObject({ errors: 0, created: 1 });
  });
});
