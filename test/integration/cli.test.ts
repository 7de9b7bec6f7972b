import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
