import ExcelJS from 'exceljs';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.js';
import { signToken } from '../../server/http/token.js';
import { readEnv } from '../../server/engine/env.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { engineFor } from '../support/engine.js';
import { bytesOf } from '../support/files.js';
import { FileCipher } from '../../server/store/file-cipher.js';

const secret = 'files-test-secret-0123456789';
let database: TestDatabase;
let engine: ReturnType<typeof engineFor>;
let app: ReturnType<typeof createApp>;
const adminToken = await signToken(secret, 2);
const auth = () => ({ authorization: `Bearer ${adminToken}` });

beforeAll(async () => {
  database = await createTestDatabase('files');
  engine = engineFor(database);
  app = createApp({ services: { database, env: readEnv({ DATABASE_URL: database.url }), passwords: engine.passwords, secret, files: new FileCipher(secret) }, log: () => undefined });
});
afterAll(async () => {
  await engine.close();
  await database.drop();
});

async function upload(bytes: Uint8Array | string, name: string) {
  const form = new FormData();
  form.append('file', new File([bytes as BlobPart], name));
  return (await app.request('/api/imports', { method: 'POST', body: form, headers: auth() })).json() as Promise<{ columns: { header: string; field: string | null }[] }>;
}

describe('example files', () => {
  it('are generated from the catalog in the admin language, and map fully when uploaded again', async () => {
    const csv = await (await app.request('/api/template?layout=csv-semicolon&lang=nl', { headers: auth() })).text();
    const [header, example] = csv.replace('\uFEFF', '').split('\r\n');
    expect(header!.split(';').slice(0, 4)).toEqual(['Gebruikersnaam', 'Wachtwoord', 'Voornaam', 'Tussenvoegsel']);
    expect(example).toContain('jdevries');
    const summary = await upload(csv, 'voorbeeld.csv');
    expect(summary.columns.every((c) => c.field !== null)).toBe(true);
  });

  it('come comma-separated too, with cells holding a comma quoted, and map fully when uploaded again', async () => {
    const csv = await (await app.request('/api/template?layout=csv-comma&lang=en', { headers: auth() })).text();
    const [header, example] = csv.replace('\uFEFF', '').split('\r\n');
    expect(header!.split(',').slice(0, 3)).toEqual(['Username', 'Password', 'First name']);
    expect(header).not.toContain(';');
    // Every example row has as many cells as the header (a comma inside a cell is quoted, not a separator).
    expect(example!.match(/("[^"]*"|[^,]*)(,|$)/g)!.filter((cell) => cell !== '').length).toBe(header!.split(',').length);
    const summary = await upload(csv, 'template.csv');
    expect(summary.columns.every((c) => c.field !== null)).toBe(true);
  });

  it('come as a workbook with a sheet explaining each column', async () => {
    const response = await app.request('/api/template?layout=xlsx&lang=en', { headers: auth() });
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Users', 'Explanation']);
    expect(wb.getWorksheet('Explanation')!.getRow(2).values).toContain('Username');
    const summary = await upload(new Uint8Array(Buffer.from(await (await app.request('/api/template?layout=xlsx&lang=en', { headers: auth() })).arrayBuffer())), 'template.xlsx');
    expect(summary.columns.every((c) => c.field !== null)).toBe(true);
  });
});

describe('exports', () => {
  it('round-trip: export a group, edit one row, re-import updates exactly that user; formulas are neutralised', async () => {
    const csv = 'username;firstname;lastname;email;idnumber\nlies;Lies;=HYPERLINK("x");lies@school.example;00123\nmark;Mark;Mol;mark@school.example;00124\n';
    await engine.run(bytesOf(csv), { source: 'export', group: { create: 'Export group' } });
    const [[group]] = await database.pool.query<RowDataPacket[]>("SELECT id FROM mdl_cohort WHERE name = 'Export group'");
    const exported = await (await app.request(`/api/export?layout=csv-semicolon&lang=nl&group=${group!.id}`, { headers: auth() })).text();
    const lines = exported.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[1]).toContain('00123');

    const unchanged = await engine.run(bytesOf(exported), { source: 'export' });
    expect(unchanged.counts).toMatchObject({ rows: 2, unchanged: 2, updated: 0 });
    const edited = exported.replace('Mol', 'Molenaar');
    expect((await engine.run(bytesOf(edited), { source: 'export' })).counts).toMatchObject({ rows: 2, unchanged: 1, updated: 1 });
    const [[lies]] = await database.pool.query<RowDataPacket[]>("SELECT lastname FROM mdl_user WHERE username = 'lies'");
    expect(lies!.lastname).toBe('=HYPERLINK("x")');
  });

  it('exports workbooks whose identifiers stay text', async () => {
    const response = await app.request('/api/export?layout=xlsx', { headers: auth() });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const idColumn = (sheet.getRow(1).values as string[]).indexOf('ID number (student number)');
    const ids = [];
    for (let r = 2; r <= sheet.rowCount; r++) ids.push(sheet.getRow(r).getCell(idColumn).value);
    expect(ids).toContain('00123');
  });
});
