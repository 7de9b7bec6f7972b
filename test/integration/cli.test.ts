import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2/promise';
import { dropDatabase } from '../../server/host/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/moodle-style.csv', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'intake-cli-'));
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('cli');
});
afterAll(async () => {
  await database.drop();
});

function intake(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000' }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}

function settingsFile(settings: unknown): string {
  const path = join(dir, `settings-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

describe('intake import', () => {
  it('dry-runs a Moodle-style file: columns it knows are used, the rest reported as not imported', () => {
    const run = intake('import', fixture, '--settings', settingsFile({ source: 'moodle', password: { mode: 'file' } }), '--dry-run', '--json');
    expect(run.code).toBe(0);
    const report = run.json();
    expect(report).toMatchObject({ dryRun: true, rows: 2, created: 2, updated: 0, unchanged: 0, skipped: 0, errors: 0, archived: 0, memberships: 2 });
    // cohort1 adds members to cohorts by ID number, as in Moodle; course groups are not Intake's.
    expect(report.columns.find((c: { header: string }) => c.header === 'cohort1').field).toBe('group');
    expect(report.notImported).toEqual(['course1', 'group1']);
  });

  it('imports, then reports the same file as unchanged', () => {
    const settings = settingsFile({ source: 'moodle', password: { mode: 'file' } });
    expect(intake('import', fixture, '--settings', settings, '--json').json()).toMatchObject({ rows: 2, created: 2 });
    expect(intake('import', fixture, '--settings', settings, '--json').json()).toMatchObject({ rows: 2, created: 0, unchanged: 2 });
  });

  it('exits 1 with a coded error for a rejected file or settings, and 2 on usage errors', () => {
    const pdf = join(dir, 'list.csv');
    writeFileSync(pdf, '%PDF-1.5\n');
    const rejected = intake('import', pdf, '--json');
    expect(rejected.code).toBe(1);
    expect(rejected.json()).toMatchObject({ error: { code: 'not_csv' } });
    const badSettings = intake('import', fixture, '--settings', settingsFile({ source: 'x', matchOn: 'nickname' }));
    expect(badSettings.code).toBe(1);
    expect(badSettings.json()).toMatchObject({ error: { code: 'invalid_settings' } });
    expect(intake('import').code).toBe(2);
    expect(intake('import', join(dir, 'missing.csv')).code).toBe(2);
    expect(intake('frobnicate').code).toBe(2);
  });
});

describe('the other commands, on a host whose tables use another prefix', () => {
  it('migrate, demo-host, import, sweep and token work with INTAKE_TABLE_PREFIX=moodle_', async () => {
    // A database of its own, built by the commands as a host maintainer would.
    const other = `${database.url}_prefixed`;
    const run = (...args: string[]) => {
      const result = spawnSync(process.execPath, [bin, ...args], {
        env: { ...process.env, DATABASE_URL: other, INTAKE_TABLE_PREFIX: 'moodle_', INTAKE_HASH_ROUNDS: '1000', INTAKE_SECRET: 'cli-secret-0123456789abcdef' },
        encoding: 'utf8',
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    try {
      expect(run('demo-host').code).toBe(0);
      expect(run('migrate').code).toBe(0);
      const tables = (await database.pool.query<RowDataPacket[]>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?', [new URL(other).pathname.slice(1)]))[0].map((t) => String(t.name));
      expect(tables).toContain('moodle_user');
      expect(tables).toContain('intake_import');
      expect(tables.filter((t) => t.startsWith('mdl_'))).toEqual([]);

      const file = join(dir, 'prefixed.csv');
      writeFileSync(file, 'username;firstname;lastname;email;valid until\npre1;Pre;Fix;pre1@x.example;01-01-2020\n');
      const imported = run('import', file, '--settings', settingsFile({ source: 'prefixed', group: { create: 'Prefixed group' }, supervisors: ['mbakker'] }), '--json');
      expect(imported.code).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ created: 1, groupsCreated: 1, memberships: 1, supervisorLinks: 1 });
      const schema = `\`${new URL(other).pathname.slice(1)}\``;
      const [users] = await database.pool.query<RowDataPacket[]>(`SELECT suspended FROM ${schema}.moodle_user WHERE username = 'pre1'`);
      expect(users).toEqual([{ suspended: 0 }]);

      // The validity ended in 2020: the sweep suspends the account and ends its group supervision.
      const swept = run('sweep');
      expect(swept.code).toBe(0);
      expect(JSON.parse(swept.stdout)).toMatchObject({ expired: 1, supervisionEnded: 1 });
      const [after] = await database.pool.query<RowDataPacket[]>(`SELECT suspended FROM ${schema}.moodle_user WHERE username = 'pre1'`);
      expect(after).toEqual([{ suspended: 1 }]);

      const token = run('token', '2');
      expect(token.code).toBe(0);
      const { verifyToken } = await import('../../server/http/token.js');
      expect(verifyToken('cli-secret-0123456789abcdef', token.stdout.trim())).toMatchObject({ ok: true, payload: { sub: 2 } });
      expect(run('token', 'abc').code).toBe(2);
    } finally {
      await dropDatabase(other);
    }
  });
});
