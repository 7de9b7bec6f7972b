/**
 * `npm run bench`: the speed and memory figures of Intake, each against a reference measured in the
 * same run, printed with its goal. Each timed pair runs interleaved, BENCH_ROUNDS times (default 3);
 * every ratio is printed as min and median.
 *  - 100k single-sign-on users into one new group, `intake import` end to end ÷ the SQL floor (floor.ts);
 *  - re-import with 10% of e-mails changed ÷ that fresh import; dry run ÷ fresh; undo ÷ its import;
 *  - the command's start to its first SQL;
 *  - the same users from an XLSX workbook ÷ from CSV;
 *  - password hashing: the pool's rate ÷ the system's native crypt(3) on all cores, each timed once its
 *    threads or processes run (hashing.ts);
 *  - peak RSS of a 1,000,000-row import by the command, and of the server taking the same file through
 *    upload, preview and commit (server.ts), as CSV and as a workbook;
 *  - with a Moodle for tests present: Moodle's own bulk upload against `intake import` on the same site.
 * `npm run bench -- --quick`: 10k rows, one round, a 20k-row memory run and no Moodle, for development (under a minute).
 * Uses its own database (`intake_bench`), dropped at the end; every timed run starts on a fresh host
 * once MariaDB has purged what the run before deleted (quiet.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, openDatabase, queryRows, type Database } from '../../server/host/database.js';
import { hashBackend } from '../../server/host/hashing/password-hash.js';
import { undoImport } from '../../server/host/undo.js';
import { freshDemoHost } from '../support/database.js';
import { intakeBin, runIntake, startToFirstSql } from './cli.js';
import { plainSqlFloor } from './floor.js';
import { writeStudentsCsv, writeStudentsXlsx } from './generate.js';
import { moodleComparison, moodlePresent } from './moodle.js';
import { runMeasured } from './peak-rss.js';
import { throughServer } from './server.js';
import { ratioLine, spread } from './stats.js';
import { quietDatabase } from './quiet.js';
import { cpuBound, cpuText, withCpu, type CpuSeconds } from './cpu.js';
import { nativeCryptRate, poolRate, type PoolRate } from './hashing.js';

const server = process.env.BENCH_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306';
const url = `${server}/intake_bench`;
const quick = process.argv.includes('--quick');
const rows = Number(process.env.BENCH_ROWS ?? (quick ? 10_000 : 100_000));
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const millionRows = Number(process.env.BENCH_MEMORY_ROWS ?? (quick ? 20_000 : 1_000_000));
const dir = mkdtempSync(join(tmpdir(), 'intake-bench-'));
const env = { ...process.env, DATABASE_URL: url };

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const line = (label: string, value: string) => console.log(`${label.padEnd(56)} ${value}`);
const times = (values: number[]) => `${values.map((v) => v.toFixed(2)).join(' / ')} s`;

/** A fresh host, on a database done purging what the run before it deleted (quiet.ts). */
async function withFreshHost<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await freshDemoHost(url);
  try {
    await quietDatabase(database.pool);
    return await work(database);
  } finally {
    await database.close();
  }
}

const importArgs = (file: string, settingsFile: string, ...more: string[]) => ['import', file, '--settings', settingsFile, '--json', ...more];

async function importIdOf(database: Database, publicId: unknown): Promise<number> {
  const [found] = await queryRows<{ id: number }>(database.pool, 'SELECT id FROM intake_import WHERE public_id = ?', [publicId]);
  return found!.id;
}

interface Round {
  floor: number;
  fresh: number;
  reimport: number;
  dryRun: number;
  undoneImport: number;
  undo: number;
  /** Where each run's CPU went (cpu.ts). */
  cpu: Record<'floor' | 'fresh' | 'reimport' | 'dryRun' | 'undo', CpuSeconds>;
}

/** One round: each figure and its reference, one after the other on fresh hosts. */
async function round(file: string, changed: string, settingsFile: string): Promise<Round> {
  const floor = await withFreshHost((database) => withCpu('self', () => plainSqlFloor(database, rows)));
  const [fresh, reimport] = await withFreshHost(async () => {
    const first = await withCpu('child', () => runIntake(importArgs(file, settingsFile), env));
    if (first.result.report.created !== rows) throw new Error(`the fresh import created ${String(first.result.report.created)} of ${rows}`);
    const again = await withCpu('child', () => runIntake(importArgs(changed, settingsFile), env));
    if (again.result.report.updated !== rows / 10) throw new Error(`the re-import updated ${String(again.result.report.updated)}, expected ${rows / 10}`);
    return [first, again];
  });
  const dryRun = await withFreshHost(() => withCpu('child', () => runIntake(importArgs(file, settingsFile, '--dry-run'), env)));
  const [undoneImport, undo] = await withFreshHost(async (database) => {
    const run = await runIntake(importArgs(file, settingsFile), env);
    const importId = await importIdOf(database, run.report.importId);
    const start = process.hrtime.bigint();
    const undone = await withCpu('self', () => undoImport(database.pool, importId));
    return [run.seconds, { seconds: seconds(start), cpu: undone.cpu }];
  });
  return {
    floor: floor.result,
    fresh: fresh.result.seconds,
    reimport: reimport.result.seconds,
    dryRun: dryRun.result.seconds,
    undoneImport,
    undo: undo.seconds,
    cpu: { floor: floor.cpu, fresh: fresh.cpu, reimport: reimport.cpu, dryRun: dryRun.cpu, undo: undo.cpu },
  };
}

async function main() {
  const build = spawnSync(process.execPath, ['plugin/scripts/bundle-cli.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the bundled build failed');
  console.log(`Intake bench: ${rows} rows, ${rounds} round(s), ${availableParallelism()} cores\n`);
  const file = join(dir, 'students.csv');
  const changed = join(dir, 'students-changed.csv');
  await writeStudentsCsv(file, rows);
  await writeStudentsCsv(changed, rows, 2);
  const settingsFile = join(dir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ source: 'bench', auth: 'oauth2', group: { create: 'Bench' } }));

  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) results.push(await round(file, changed, settingsFile));
  const of = (pick: (r: Round) => number) => results.map(pick);
  const cpuOf = (run: keyof Round['cpu']) => line('  CPU', cpuText(results.map((r) => r.cpu[run])));
  const cores = availableParallelism();
  line(`SQL floor: ${rows} users, contexts, memberships, 2 connections`, times(of((r) => r.floor)));
  cpuOf('floor');
  line(`intake import, ${rows} new users into a new group`, times(of((r) => r.fresh)));
  cpuOf('fresh');
  line('  ÷ SQL floor', ratioLine(of((r) => r.fresh / r.floor), { atMost: 1.3 }));
  // Its CPU on this machine's cores, perfectly overlapped: how near the goal the machine lets it come.
  const bounds = results.map((r) => cpuBound(r.cpu.fresh, cores)).filter((b): b is number => b !== null);
  if (bounds.length === results.length) {
    const least = spread(results.map((r, i) => bounds[i]! / r.floor));
    line(`  its CPU ÷ ${cores} cores, ÷ SQL floor`, `min ${least.min.toFixed(2)} · median ${least.median.toFixed(2)}  (no overlap of Node and MariaDB makes it faster)`);
  }
  line(`intake re-import, 10% of e-mails changed`, times(of((r) => r.reimport)));
  cpuOf('reimport');
  line('  ÷ the fresh import', ratioLine(of((r) => r.reimport / r.fresh), { atMost: 0.25 }));
  line(`intake import --dry-run, ${rows} rows`, times(of((r) => r.dryRun)));
  cpuOf('dryRun');
  line('  ÷ the fresh import', ratioLine(of((r) => r.dryRun / r.fresh), { atMost: 0.3 }));
  line('undo of a fresh import', times(of((r) => r.undo)));
  cpuOf('undo');
  line('  ÷ that import', ratioLine(of((r) => r.undo / r.undoneImport), { atMost: 0.3 }));

  // On the database as the rounds left it (a fresh host's tables just made would be MariaDB's work at
  // the same time), once it is done purging.
  const settled = openDatabase(url);
  await quietDatabase(settled.pool).finally(() => settled.close());
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) starts.push(await startToFirstSql(importArgs(file, settingsFile), env));
  const start = spread(starts);
  line('intake import, start to first SQL', `min ${start.min.toFixed(2)} · median ${start.median.toFixed(2)} s  (goal ≤ 0.4: ${start.median <= 0.4 ? 'met' : 'NOT met'})`);

  const workbookFile = join(dir, 'students.xlsx');
  await writeStudentsXlsx(workbookFile, rows);
  const xlsx: number[] = [];
  for (let i = 0; i < Math.min(rounds, 2); i++) {
    const csv = await withFreshHost(async () => (await runIntake(importArgs(file, settingsFile), env)).seconds);
    const workbook = await withFreshHost(async () => (await runIntake(importArgs(workbookFile, settingsFile), env)).seconds);
    xlsx.push(workbook / csv);
  }
  line(`intake import from XLSX ÷ from CSV`, ratioLine(xlsx, { atMost: 1.5 }));

  // Interleaved, as the other pairs are, the first of each round taking turns: on this machine whichever
  // ran second hashed some 10% faster (pool first 0.87 and 0.89 of the system's, the system's first 1.05
  // and 1.04), and a pool always first came out at 0.78 in a whole run. A burst first, which neither counts.
  const hashCount = 2000;
  const hashing: { pool: PoolRate; native: number }[] = [];
  const system = () => nativeCryptRate(hashCount / cores, 5000, cores);
  await nativeCryptRate(100, 5000, cores);
  for (let i = 0; i < rounds; i++) {
    const native = i % 2 === 1 ? await system() : null;
    const pool = await poolRate(hashCount, 5000);
    const rate = i % 2 === 1 ? native : await system();
    if (rate === null) break;
    hashing.push({ pool, native: rate });
  }
  if (hashing.length === 0) line('password hashing: pool ÷ system crypt(3)', 'unavailable (python3 without its crypt module)');
  else {
    const pools = spread(hashing.map((h) => h.pool.rate));
    const natives = spread(hashing.map((h) => h.native));
    const starts = spread(hashing.map((h) => h.pool.startSeconds));
    line(`password hashing, SHA-512 crypt 5000 rounds (${hashBackend} pool)`, `median ${pools.median.toFixed(0)} /s  (its threads' start before: median ${starts.median.toFixed(2)} s, once an import)`);
    line(`system crypt(3) via python3, ${cores} processes at once`, `median ${natives.median.toFixed(0)} /s`);
    line('  pool ÷ system crypt(3)', ratioLine(hashing.map((h) => h.pool.rate / h.native), { atLeast: 0.9 }));
  }

  await writeStudentsCsv(file, millionRows);
  await withFreshHost(async () => undefined);
  const run = await runMeasured(process.execPath, [intakeBin, ...importArgs(file, settingsFile)], env);
  const rowsDone = run.code === 0 ? (JSON.parse(run.stdout) as { rows: number }).rows : `failed (exit ${run.code})`;
  line(`intake import, ${millionRows} rows: time`, `${run.seconds.toFixed(1)} s (${rowsDone} rows)`);
  line(`intake import, ${millionRows} rows: peak RSS`, `${run.peakMb.toFixed(0)} MB in the importing process, ${run.treeMb.toFixed(0)} MB for the whole command (goal ≤ 200 MB)`);

  await withFreshHost(async () => undefined);
  const served = await throughServer(file, { source: 'memory', auth: 'oauth2', group: { create: 'Bench' } }, env);
  const { upload, preview, commit } = served.seconds;
  line(`${millionRows} rows through the server: upload, preview, commit`, `${upload.toFixed(1)} / ${preview.toFixed(1)} / ${commit.toFixed(1)} s (${served.counts.created} created)`);
  line(`${millionRows} rows through the server: peak RSS`, `${served.peakMb.toFixed(0)} MB in the server process (goal ≤ 200 MB)`);

  // The same rows as a workbook: its shared strings and its archive's check are what a CSV does not have.
  await writeStudentsXlsx(workbookFile, millionRows);
  await withFreshHost(async () => undefined);
  const workbookRun = await runMeasured(process.execPath, [intakeBin, ...importArgs(workbookFile, settingsFile)], env);
  const workbookRows = workbookRun.code === 0 ? (JSON.parse(workbookRun.stdout) as { rows: number }).rows : `failed (exit ${workbookRun.code})`;
  line(`intake import, ${millionRows} rows from a workbook: time`, `${workbookRun.seconds.toFixed(1)} s (${workbookRows} rows)`);
  line(`intake import, ${millionRows} rows from a workbook: peak RSS`, `${workbookRun.peakMb.toFixed(0)} MB in the importing process (goal ≤ 200 MB)`);
  await withFreshHost(async () => undefined);
  const servedWorkbook = await throughServer(workbookFile, { source: 'memory', auth: 'oauth2', group: { create: 'Bench' } }, env);
  const workbookSeconds = servedWorkbook.seconds;
  line(`${millionRows} rows from a workbook through the server`, `${workbookSeconds.upload.toFixed(1)} / ${workbookSeconds.preview.toFixed(1)} / ${workbookSeconds.commit.toFixed(1)} s (${servedWorkbook.counts.created} created)`);
  line(`${millionRows} rows from a workbook through the server: peak RSS`, `${servedWorkbook.peakMb.toFixed(0)} MB in the server process (goal ≤ 200 MB)`);

  await dropDatabase(url);
  if (quick) line("Moodle's own upload vs Intake", 'left out of a quick run');
  else if (moodlePresent()) await moodleComparison(dir, 10_000, line);
  else line("Moodle's own upload vs Intake", 'skipped: no Moodle for tests (MOODLE_SRC)');
  rmSync(dir, { recursive: true, force: true });
}

await main();
