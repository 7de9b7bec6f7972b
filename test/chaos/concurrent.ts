/**
 * The concurrent part of `npm run chaos`: three imports of overlapping people at once, on two `intake
 * serve` processes against one database, all into the same new group. Two files hold CHAOS_CONCURRENT_ROWS
 * people (default 10,000), the first half the same in both, the second half its own; the third holds the
 * first file's second half. Each person is in one of seven classes (the class groups follow the file). Checks: every import done, every person created once,
 * one group holding everyone once, each class group made once and everyone in their class only, the created
 * counts adding up to the people.
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
    // The same people first in two files (so the two reach them at the same moment), then each its own;
    // the third is only the first file's own people, so it makes them (and their classes) while the first
    // file is still at its shared half, and is done before that file comes to them: the first then finds
    // its people, and the class groups it planned, made and recorded by another import of its feed.
    const half = Math.floor(options.rows / 2);
    const rest = options.rows - half;
    const person = (n: number) => `conc${n};C;Onc ${n};conc${n}@x.example;Conc K${n % 7}`;
    const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => person(from + i));
    const header = 'username;firstname;lastname;email;class';
    const files = [
      [header, ...range(0, half), ...range(half, rest)],
      [header, ...range(0, half), ...range(half + rest, rest)],
      [header, ...range(half, rest)],
    ].map((lines) => lines.join('\n'));
    const people = half + 2 * rest;
    const settings = { source: 'concurrent', group: { create: 'Concurrent group' }, auth: 'oauth2', notify: { credentials: 'none' } };
    console.log(`intake chaos: 3 imports at once of ${options.rows}, ${options.rows} and ${rest} people (${people} different: the first half of two files the same people, the third the first file's second half) on 2 servers`);
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
    const classGroups = await scalar("SELECT COUNT(*) AS n FROM mdl_cohort WHERE name LIKE 'Conc K%'");
    // Everyone in exactly the class of their row (conc<n> in Conc K<n mod 7>), and in no other.
    const outOfClass = await scalar(`SELECT COUNT(*) AS n FROM mdl_user u WHERE u.username LIKE 'conc%' AND COALESCE((
        SELECT GROUP_CONCAT(c.name) FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid WHERE m.userid = u.id AND c.name LIKE 'Conc K%'
      ), '') <> CONCAT('Conc K', MOD(CAST(SUBSTRING(u.username, 5) AS UNSIGNED), 7))`);
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
      classGroups,
      outOfClass,
      createdCounted: created,
    };
    console.log(figures);
    const ok = figures.failed === 0 && accounts === people && distinct === people && groups === 1 && members === people && classGroups === 7 && outOfClass === 0 && created === people;
    console.log(ok ? 'chaos: three imports at once, every person once' : 'chaos: DIFFERENCES in the concurrent imports (see above)');
    return ok;
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await database.close();
    await dropDatabase(url);
  }
}
