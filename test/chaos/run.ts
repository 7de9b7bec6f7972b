/**
 * `npm run chaos`: kill -9 an `intake import` at random moments, resume it each time, and compare the end
 * with what the file asks for. Prints what it did and what it found; exits 1 on any difference.
 *  - CHAOS_ROWS (default 50,000) users with generated passwords, told by a one-time download;
 *  - CHAOS_KILLS (default 20) kills at random moments of the run (each after a random delay);
 *  - checks: every row's account exists once, the group holds everyone, every login is in the download
 *    exactly once, nothing is left held or in plaintext;
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
import { dropDatabase } from '../../server/host/database.js';
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

/** Runs the command; with `killAfterMs`, kills it (SIGKILL) that long after it said its import id. */
function command(args: string[], killAfterMs: number | null): Promise<{ code: number | null; killed: boolean; importId: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killAfterMs !== null && !killed && /importId /.test(stderr)) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stdout.resume();
    child.on('exit', (code) => resolve({ code, killed: killed && code === null, importId: /^importId (\S+)$/m.exec(stderr)?.[1] ?? null }));
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
    const serversOk = await serverKills({ server, bin, secret, rows: Number(process.env.CHAOS_SERVER_ROWS ?? 20_000), kills: Number(process.env.CHAOS_SERVER_KILLS ?? 5) });
    const concurrentOk = await concurrentImports({ server, bin, secret, rows: Number(process.env.CHAOS_CONCURRENT_ROWS ?? 10_000) });
    return ok && serversOk && concurrentOk ? 0 : 1;
  } finally {
    await database.close();
    await dropDatabase(url);
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exit(await main());
