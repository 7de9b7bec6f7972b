/**
 * The concurrent part of `npm run chaos`: three imports of overlapping people at once, on two `intake
 * serve` processes against one database, all into the same new group. Each file holds CHAOS_CONCURRENT_ROWS
 * people (default 10,000): the first half the same in all three, the second half its own. Checks: every import done, every person
 * created once, one group holding everyone once, the created counts adding up to the people.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { dropDatabase } from '../../server/host/database.js';
import { signToken } from '../../server/http/token.js';
import { freshDemoHost } from '../support/database.js';
import { apiOf, serve } from './servers.js';

export async function concurrentImports(options: { server: string; bin: string; secret: string; rows: number }): Promise<boolean> {
  const url = `${options.server}/intake_chaos_concurrent`;
  const database = await freshDemoHost(url);
  const token = await signToken(options.secret, 2, 3600);
  const env = { ...process.env, DATABASE_URL: url, INTAKE_SECRET: options.secret, INTAKE_HASH_ROUNDS: '1000' };
  const servers = [await serve(options.bin, env, token), await serve(options.bin, env, token)];
  const scalar = async (sql: string) => Number((await database.pool.query<RowDataPacket[]>(sql))[0][0]!.n);
  try {
    // The same people first in every file (so the three reach them at the same moment), then each its own.
    const half = Math.floor(options.rows / 2);
    const person = (n: number) => `conc${n};C;Onc ${n};conc${n}@x.example`;
    const files = [0, 1, 2].map((k) =>
      ['username;firstname;lastname;email', ...Array.from({ length: half }, (_, i) => person(i)), ...Array.from({ length: options.rows - half }, (_, i) => person(half + k * (options.rows - half) + i))].join('\n'),
    );
    const people = half + 3 * (options.rows - half);
    const settings = { source: 'concurrent', group: { create: 'Concurrent group' }, auth: 'oauth2', notify: { credentials: 'none' } };
    console.log(`intake chaos: 3 imports of ${options.rows} people at once (${people} different: the first half of each file the same people) on 2 servers`);
    const api = apiOf(token);
    // Each file through its own server (the third back on the first), previewed, then all committed at once.
    const imports = await Promise.all(
      files.map(async (content, k) => {
        const server = servers[k % 2]!.url;
        return { server, id: await api.uploadAndPreview(server, `concurrent-${k}.csv`, content, settings) };
      }),
    );
    const started = Date.now();
    await Promise.all(imports.map((i) => api.call(i.server, `/imports/${i.id}/commit`, { method: 'POST' })));
    const results = await Promise.all(imports.map((i) => api.until(i.server, i.id, ['done', 'failed'])));
    const accounts = await scalar("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'conc%'");
    const distinct = await scalar("SELECT COUNT(DISTINCT username) AS n FROM mdl_user WHERE username LIKE 'conc%'");
    const groups = await scalar("SELECT COUNT(*) AS n FROM mdl_cohort WHERE name = 'Concurrent group'");
    const members = await scalar("SELECT COUNT(*) AS n FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid WHERE c.name = 'Concurrent group'");
    const created = results.reduce((sum, r) => sum + (r.counts?.created ?? 0), 0);
    const figures = {
      seconds: Math.round((Date.now() - started) / 1000),
      statuses: results.map((r) => r.status),
      failed: results.filter((r) => r.status !== 'done').length,
      people,
      accounts,
      duplicates: accounts - distinct,
      lost: people - distinct,
      groups,
      members,
      createdCounted: created,
    };
    console.log(figures);
    const ok = figures.failed === 0 && accounts === people && distinct === people && groups === 1 && members === people && created === people;
    console.log(ok ? 'chaos: three imports at once, every person once' : 'chaos: DIFFERENCES in the concurrent imports (see above)');
    return ok;
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await database.close();
    await dropDatabase(url);
  }
}
