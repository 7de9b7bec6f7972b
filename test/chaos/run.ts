/**
 * `npm run chaos`: kill -9 an `intake import` at random moments, resume it each time, and compare the end
 * with what the file asks for. Prints what it did and what it found; exits 1 on any difference.
 *  - CHAOS_ROWS (default 50,000) users with generated passwords, told by a one-time download;
 *  - CHAOS_KILLS (default 20) kills at random moments of the run (each after a random delay);
 *  - checks: every row's account exists once, the group holds everyone, every login is in the download
 *    exactly once, nothing is left held or in plaintext;
 *  - then kill -9 of `intake undo` of that import at random moments (CHAOS_UNDO_KILLS, default 5), run again
 *    each time: every kill leaves all of it or none of it undone, and the last run undoes it whole;
 *  - then kill -9 of the server whose worker commits an import, a new server taking over (./server-kills.ts);
 *  - then three imports of overlapping people at once on two server processes (./concurrent.ts).
 * Uses its own database (`intake_chaos`), dropped at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import { dropDatabase, type Database } from '../../server/host/database.js';
import { freshDemoHost } from '../support/database.js';
import { markInterrupted } from '../../server/store/jobs.js';
import { concurrentImports } from './concurrent.js';
import { checkEndState } from './end-state.js';
import { serverKills } from './server-kills.js';

const server = process.env.CHAOS_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306';
const url = `${server}/intake_chaos`;
const rows = Number(process.env.CHAOS_ROWS ?? 50_000);
const kills = Number(process.env.CHAOS_KILLS ?? 20);
const secret = 'chaos-secret-0123456789abcdef';
const bin = fileURLToPath(new URL('../../plugin/bin/intake.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'intake-chaos-'));
const env = { ...process.env, DATABASE_URL: url, INTAKE_SECRET: secret, INTAKE_HASH_ROUNDS: '1000' };

/**
 * Runs the command; with `killAfterMs`, kills it (SIGKILL) that long after it said its import id (an
 * import); with `killWhen` (an undo, which says nothing before it is done), as soon as that says so.
 */
function command(
  args: string[],
  killAfterMs: number | null,
  killWhen: (() => Promise<boolean>) | null = null,
): Promise<{ code: number | null; killed: boolean; importId: string | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stderr = '';
    let stdout = '';
    let killed = false;
    let exited = false;
    if (killWhen) {
      killed = true;
      const poll = async () => {
        if (exited) return;
        if (await killWhen()) child.kill('SIGKILL');
        // Not sooner: the server refreshes what it says of open transactions only when last asked over
        // 100 ms before (InnoDB's trx_i_s cache); asked every 10 ms, it never did.
        else setTimeout(() => void poll(), 120);
      };
      void poll();
    }
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killAfterMs !== null && !killed && /importId /.test(stderr)) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => {
      exited = true;
      resolve({ code, killed: killed && code === null, importId: /^importId (\S+)$/m.exec(stderr)?.[1] ?? null, stdout });
    });
  });
}

async function main(): Promise<number> {
  const database = await freshDemoHost(url);
  const scalar = async (sql: string, params: unknown[] = []) => Number((await database.pool.query<RowDataPacket[]>(sql, params))[0][0]!.n);
  try {
    const file = join(dir, 'chaos.csv');
    writeFileSync(file, ['username;firstname;lastname;email', ...Array.from({ length: rows }, (_, i) => `chaos${i};C;Haos ${i};chaos${i}@x.example`)].join('\n'));
    const settings = join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ source: 'chaos', group: { create: 'Chaos group' }, notify: { credentials: 'download' } }));

    console.log(`intake chaos: ${rows} rows, up to ${kills} kills (kill -9 at random moments), then resume`);
    const started = Date.now();
    let run = await command(['import', file, '--settings', settings, '--json'], Math.random() * 4000);
    const importId = run.importId;
    if (!importId) throw new Error('the command never said its import id');
    let killed = 0;
    while (run.killed) {
      killed++;
      const written = await scalar("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'chaos%'");
      // A worker marks the import after a minute of silence; the child it ran in follows within a second.
      await new Promise((r) => setTimeout(r, 1500));
      await markInterrupted(database.pool, 0);
      console.log(`  kill ${killed}: ${written} of ${rows} accounts written`);
      run = await command(['import', file, '--resume', importId, '--json'], killed < kills ? Math.random() * 4000 : null);
    }
    if (run.code !== 0) throw new Error(`the last run exited ${run.code}`);

    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT id, status FROM intake_import WHERE public_id = ?', [importId]);
    const { figures, ok } = await checkEndState(database.pool, { importId: Number(record!.id), status: String(record!.status), usernamePrefix: 'chaos', group: 'Chaos group', rows, secret });
    console.log({ kills: killed, seconds: Math.round((Date.now() - started) / 1000), ...figures });
    console.log(ok ? 'chaos: the end state is the clean run’s' : 'chaos: DIFFERENCES (see above)');
    const undoOk = await undoKills(database.pool, importId, Number(record!.id), scalar);
    const serversOk = await serverKills({ server, bin, secret, rows: Number(process.env.CHAOS_SERVER_ROWS ?? 20_000), kills: Number(process.env.CHAOS_SERVER_KILLS ?? 5) });
    const concurrentOk = await concurrentImports({ server, bin, secret, rows: Number(process.env.CHAOS_CONCURRENT_ROWS ?? 10_000) });
    return ok && undoOk && serversOk && concurrentOk ? 0 : 1;
  } finally {
    await database.close();
    await dropDatabase(url);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * kill -9 of `intake undo` at random moments, then run again: undo is one transaction, so after each kill
 * all of the import's accounts are still there or none are; the last run leaves none, the group gone and
 * the import `undone`.
 */
async function undoKills(pool: Database['pool'], importId: string, id: number, scalar: (sql: string, params?: unknown[]) => Promise<number>): Promise<boolean> {
  const undoKills = Number(process.env.CHAOS_UNDO_KILLS ?? 5);
  const accounts = () => scalar("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'chaos%'");
  const started = Date.now();
  const seen: number[] = [];
  // Inside the undo's one transaction, whatever the machine's speed: once it has changed a random number
  // of rows (of some four a new account: the account, its context, its membership, its feed record), as
  // the server reports for open transactions. A timer from the start missed it on a fast day (the undo of
  // 50,000 accounts done in under a second, before the kill).
  const midTransaction = () => {
    const after = 1 + Math.floor(Math.random() * rows * 3);
    return async () => (await scalar('SELECT COALESCE(MAX(trx_rows_modified), 0) AS n FROM information_schema.INNODB_TRX')) >= after;
  };
  let run = await command(['undo', importId], null, midTransaction());
  let killed = 0;
  while (run.killed) {
    killed++;
    seen.push(await accounts());
    // The dead command's claim goes stale after a minute; here at once.
    await pool.query('UPDATE intake_import SET heartbeat_at = NOW(3) - INTERVAL 5 MINUTE WHERE id = ?', [id]);
    run = await command(['undo', importId], null, killed < undoKills ? midTransaction() : null);
  }
  const figures = {
    kills: killed,
    seconds: Math.round((Date.now() - started) / 1000),
    accountsAfterEachKill: [...new Set(seen)],
    exit: run.code,
    status: String((await pool.query<RowDataPacket[]>('SELECT status FROM intake_import WHERE id = ?', [id]))[0][0]!.status),
    accountsLeft: await accounts(),
    groupsLeft: await scalar("SELECT COUNT(*) AS n FROM mdl_cohort WHERE name = 'Chaos group'"),
    changesLeft: await scalar('SELECT COUNT(*) AS n FROM intake_change WHERE import_id = ?', [id]),
  };
  // A kill just after the undo's transaction committed leaves it done: the next run is told so (exit 1,
  // conflict: the import is undone), as `intake undo` answers for any undone import.
  const finishedBeforeLastKill = seen.at(-1) === 0 && run.code === 1 && /"code":\s*"conflict"/.test(run.stdout) && /"status":\s*"undone"/.test(run.stdout);
  const ok =
    figures.accountsAfterEachKill.every((n) => n === 0 || n === rows) &&
    (figures.exit === 0 || finishedBeforeLastKill) &&
    figures.status === 'undone' &&
    figures.accountsLeft === 0 &&
    figures.groupsLeft === 0 &&
    figures.changesLeft === 0;
  console.log(figures);
  console.log(ok ? 'chaos: undo killed and run again, all or nothing each time, undone whole at the end' : 'chaos: UNDO DIFFERENCES (see above)');
  return ok;
}

process.exit(await main());
