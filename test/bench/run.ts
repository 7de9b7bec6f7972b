/**
 * `npm run bench`: speed and memory figures, each against a baseline measured in the same run.
 *  - engine import of 100k new users vs plain multi-row SQL doing the same writes (user + context rows);
 *  - re-import with 10% changed rows;
 *  - the same 100k users from an XLSX workbook vs from CSV (goal: within 1.5×);
 *  - password hashing: the worker pool vs the system's native crypt(3) on all cores (goal: at least half);
 *  - peak RSS of a 1,000,000-row CSV import, in a child process (goal: under 400 MB);
 *  - with a Moodle for tests present: Moodle's own bulk upload against `intake import` on the same site.
 * Uses its own database (`intake_bench`), dropped at the end.
 */
import { spawnSync } from 'node:child_process';
import { siteScope } from '../../server/core/scope.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runMeasured } from './peak-rss.js';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { settingsSchema } from '../../server/engine/settings-schema.js';
import { dropDatabase, type Database } from '../../server/host/database.js';
import { freshDemoHost } from '../support/database.js';
import { runImport } from '../../server/engine/run-import.js';
import { readEnv } from '../../server/engine/env.js';
import { hashBackend } from '../../server/host/hashing/password-hash.js';
import { PasswordPool } from '../../server/host/hashing/password-pool.js';
import { T } from '../../server/host/tables.js';
import { undoImport } from '../../server/host/undo.js';
import { writeStudentsCsv, writeStudentsXlsx } from './generate.js';
import { moodleComparison, moodlePresent } from './moodle.js';

const server = process.env.BENCH_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306';
const url = `${server}/intake_bench`;
/** `npm run bench -- --quick`: 10k rows and a 100k-row memory run, for development (under a minute). */
const quick = process.argv.includes('--quick');
const rows = Number(process.env.BENCH_ROWS ?? (quick ? 10_000 : 100_000));
const millionRows = Number(process.env.BENCH_MEMORY_ROWS ?? (quick ? 100_000 : 1_000_000));
const dir = mkdtempSync(join(tmpdir(), 'intake-bench-'));
const env = readEnv({ DATABASE_URL: url });
const settings = settingsSchema.parse({ source: 'bench', auth: 'oauth2', actions: { add: true, update: true, archive: false } });

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

const freshHost = () => freshDemoHost(url);

let lastImportId = 0;

async function engineImport(database: Database, file: string, passwords: PasswordPool, mode: 'commit' | 'preview' = 'commit'): Promise<number> {
  const [result] = await database.pool.query<import('mysql2').ResultSetHeader>("INSERT INTO intake_import (public_id, created_by, file_name) VALUES (UUID(), 2, 'bench.csv')");
  lastImportId = result.insertId;
  const start = process.hrtime.bigint();
  await runImport({ database, env, passwords }, { importId: result.insertId, bytes: () => createReadStream(file), settings, mode, actor: { id: 2, scope: siteScope } });
  return seconds(start);
}

/** Undo of the last import, from its change log. */
async function engineUndo(database: Database): Promise<number> {
  const start = process.hrtime.bigint();
  await undoImport(database.pool, lastImportId);
  return seconds(start);
}

/** The command's start: `intake --help` through the installed bin, as a person runs it. */
function cliStart(): number {
  const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, [bin, '--help'], { stdio: 'ignore' });
  return seconds(start);
}

/** The same user and context rows, written the plainest fast way: 1000-row INSERTs on one connection. */
async function plainSql(database: Database): Promise<number> {
  const start = process.hrtime.bigint();
  const now = Math.floor(Date.now() / 1000);
  const conn = await database.pool.getConnection();
  try {
    for (let from = 0; from < rows; from += 1000) {
      const batch = [];
      for (let i = from; i < Math.min(rows, from + 1000); i++) {
        batch.push(['oauth2', 1, 1, `s${i}`, 'not cached', `${100000 + i}`, 'First', 'Last', `s${i}@school.example`, 'en', now, now]);
      }
      await conn.beginTransaction();
      const [inserted] = await conn.query<import('mysql2').ResultSetHeader>(
        `INSERT INTO ${T.user} (auth, confirmed, mnethostid, username, password, idnumber, firstname, lastname, email, lang, timecreated, timemodified) VALUES ?`,
        [batch],
      );
      const ids = batch.map((_, k) => inserted.insertId + k);
      await conn.query(`INSERT INTO ${T.context} (contextlevel, instanceid, path, depth, locked) VALUES ?`, [ids.map((id) => [30, id, null, 2, 0])]);
      await conn.commit();
    }
  } finally {
    conn.release();
  }
  return seconds(start);
}

function nativeCryptRate(count: number, rounds: number): number | null {
  const script = `import crypt,time\nt=time.time()\nfor i in range(${count}): crypt.crypt('pw%d'%i, '$6$rounds=${rounds}$saltsaltsaltsalt')\nprint(${count}/(time.time()-t))`;
  const result = spawnSync('python3', ['-W', 'ignore', '-c', script], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : null;
}

async function main() {
  console.log(`Intake bench: ${rows} rows, ${availableParallelism()} cores\n`);
  const file = join(dir, 'students.csv');
  const changed = join(dir, 'students-changed.csv');
  await writeStudentsCsv(file, rows);
  await writeStudentsCsv(changed, rows, 2);
  const passwords = new PasswordPool({ scheme: 'sha512', rounds: 5000 });

  let database = await freshHost();
  const sql = await plainSql(database);
  await database.close();
  database = await freshHost();
  const dryRun = await engineImport(database, file, passwords, 'preview');
  await database.close();
  database = await freshHost();
  const engine = await engineImport(database, file, passwords);
  const reimport = await engineImport(database, changed, passwords);
  await database.close();
  database = await freshHost();
  const undone = await engineImport(database, file, passwords);
  const undo = await engineUndo(database);
  await database.close();
  const workbookFile = join(dir, 'students.xlsx');
  await writeStudentsXlsx(workbookFile, rows);
  database = await freshHost();
  const fromXlsx = await engineImport(database, workbookFile, passwords);
  await database.close();
  line(`plain SQL, ${rows} users + contexts`, `${sql.toFixed(2)} s`);
  line(`intake import, ${rows} new users (CSV)`, `${engine.toFixed(2)} s  (${(engine / sql).toFixed(2)}× plain SQL; goal ≤ 1.3)`);
  line(`intake re-import, 10% changed`, `${reimport.toFixed(2)} s  (${(reimport / engine).toFixed(2)}× the fresh import; goal ≤ 0.25)`);
  line(`intake dry run, ${rows} rows`, `${dryRun.toFixed(2)} s  (${(dryRun / engine).toFixed(2)}× the fresh import; goal ≤ 0.3)`);
  line(`undo of a fresh import`, `${undo.toFixed(2)} s  (${(undo / undone).toFixed(2)}× that import; goal ≤ 0.3)`);
  const starts = [cliStart(), cliStart(), cliStart()].sort((a, b) => a - b);
  line('intake --help, start to exit (median of 3)', `${starts[1]!.toFixed(2)} s  (goal for start to first SQL ≤ 0.4 s)`);
  line(`intake import, ${rows} new users (XLSX)`, `${fromXlsx.toFixed(2)} s  (${(fromXlsx / engine).toFixed(2)}× the CSV import; goal ≤ 1.5×)`);

  const hashCount = 2000;
  const start = process.hrtime.bigint();
  await passwords.hashAll(Array.from({ length: hashCount }, (_, i) => `pw${i}`));
  const poolRate = hashCount / seconds(start);
  await passwords.close();
  const cores = availableParallelism();
  const native = nativeCryptRate(1000, 5000);
  line(`password hashing, SHA-512 crypt 5000 rounds (${hashBackend} pool)`, `${poolRate.toFixed(0)} /s`);
  line(`system crypt(3) via python3, one core × ${cores}`, native === null ? 'unavailable' : `${(native * cores).toFixed(0)} /s  (pool = ${(poolRate / (native * cores)).toFixed(2)}×; goal ≥ 0.5×)`);

  // The real command, as an admin runs it: `intake import` (the compiled build when `npm run build` ran).
  await writeStudentsCsv(file, millionRows);
  await freshHost().then((d) => d.close());
  const settingsFile = join(dir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ source: 'memory', auth: 'oauth2' }));
  const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));
  const run = await runMeasured(process.execPath, [bin, 'import', file, '--settings', settingsFile, '--json'], { ...process.env, DATABASE_URL: url });
  const rowsDone = run.code === 0 ? (JSON.parse(run.stdout) as { rows: number }).rows : `failed (exit ${run.code})`;
  line(`intake import, ${millionRows} rows: time`, `${run.seconds.toFixed(1)} s (${rowsDone} rows)`);
  line(`intake import, ${millionRows} rows: peak RSS`, `${run.peakMb.toFixed(0)} MB in the importing process, ${run.treeMb.toFixed(0)} MB for the whole command (goal < 400 MB)`);

  await dropDatabase(url);
  if (moodlePresent()) await moodleComparison(dir, quick ? 1000 : 10_000, line);
  else line("Moodle's own upload vs Intake", 'skipped: no Moodle for tests (MOODLE_SRC)');
  rmSync(dir, { recursive: true, force: true });
}

await main();
