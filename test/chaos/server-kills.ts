/**
 * The server part of `npm run chaos`: kill -9 the `intake serve` process whose worker is committing an
 * import, at random moments, and let a new server's worker take the import over. CHAOS_SERVER_ROWS
 * (default 20,000) users with generated passwords, told by a one-time download; CHAOS_SERVER_KILLS
 * (default 5) kills. Checks as for the command: every account once, the group holds everyone, every
 * login in the download exactly once, nothing left held.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { dropDatabase } from '../../server/host/database.js';
import { signToken } from '../../server/http/token.js';
import { freshDemoHost } from '../support/database.js';
import { checkEndState } from './end-state.js';
import { apiOf, serve, type RunningServe } from './servers.js';

export async function serverKills(options: { server: string; bin: string; secret: string; rows: number; kills: number }): Promise<boolean> {
  const url = `${options.server}/intake_chaos_servers`;
  const database = await freshDemoHost(url);
  const token = await signToken(options.secret, 2, 3600);
  const env = { ...process.env, DATABASE_URL: url, INTAKE_SECRET: options.secret, INTAKE_HASH_ROUNDS: '1000' };
  const api = apiOf(token);
  const scalar = async (sql: string, params: unknown[] = []) => Number((await database.pool.query<RowDataPacket[]>(sql, params))[0][0]!.n);
  let current: RunningServe | null = await serve(options.bin, env, token);
  try {
    const content = ['username;firstname;lastname;email', ...Array.from({ length: options.rows }, (_, i) => `srv${i};S;Erver ${i};srv${i}@x.example`)].join('\n');
    const settings = { source: 'servers', group: { create: 'Server group' }, notify: { credentials: 'download' } };
    console.log(`intake chaos: ${options.rows} rows committed by a server's worker, ${options.kills} kills (kill -9 of the server), a new server takes over each time`);
    const id = await api.uploadAndPreview(current.url, 'servers.csv', content, settings);
    const [[record]] = await database.pool.query<RowDataPacket[]>('SELECT id FROM intake_import WHERE public_id = ?', [id]);
    const started = Date.now();
    await api.call(current.url, `/imports/${id}/commit`, { method: 'POST' });
    let killed = 0;
    for (; killed < options.kills; killed++) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 3000));
      const status = (await api.call<{ status: string }>(current.url, `/imports/${id}`)).status;
      if (status === 'done') break;
      current.child.kill('SIGKILL');
      await new Promise((r) => current!.child.once('exit', r));
      const written = await scalar("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'srv%'");
      console.log(`  kill ${killed + 1}: ${written} of ${options.rows} accounts written`);
      // A dead worker's claim goes stale after a minute without a heartbeat; here the minute is skipped.
      await database.pool.query('UPDATE intake_import SET heartbeat_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?', [record!.id]);
      current = await serve(options.bin, env, token);
    }
    const end = await api.until(current.url, id, ['done', 'failed']);
    const { figures, ok } = await checkEndState(database.pool, { importId: Number(record!.id), status: end.status, usernamePrefix: 'srv', group: 'Server group', rows: options.rows, secret: options.secret });
    console.log({ kills: killed, seconds: Math.round((Date.now() - started) / 1000), created: end.counts?.created, ...figures });
    console.log(ok ? 'chaos: a server killed mid-commit, the next one finished it exactly' : 'chaos: DIFFERENCES after killing servers (see above)');
    return ok;
  } finally {
    current?.child.kill('SIGTERM');
    await database.close();
    await dropDatabase(url);
  }
}
