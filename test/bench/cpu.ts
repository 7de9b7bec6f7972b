import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { spread } from './stats.js';

/**
 * Where a measured run's CPU went: the Node side (this process, or the `intake` child it waited for)
 * and the MariaDB server, when it runs on this machine. With both, a run on this machine's cores can
 * take no less than their sum ÷ cores however well they overlap: the bench prints that bound beside
 * each ratio, so a goal the machine cannot reach is seen to be so in every run, not argued once.
 */
export interface CpuSeconds {
  node: number;
  /** null: no MariaDB (mariadbd or mysqld) process of this machine could be read. */
  database: number | null;
}

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process, and cutime + cstime (its children it has waited for), in seconds. */
function processTimes(pid: number | 'self'): { own: number; children: number } | null {
  try {
    // The fields after the command's closing parenthesis: state is the first, utime the 12th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ').map(Number);
    return { own: (fields[11]! + fields[12]!) / ticksPerSecond, children: (fields[13]! + fields[14]!) / ticksPerSecond };
  } catch {
    return null;
  }
}

/** The local database server's process id, looked up once (null: it runs elsewhere, or under another name). */
const databasePid = (() => {
  for (const name of ['mariadbd', 'mysqld']) {
    const found = spawnSync('pgrep', ['-x', name], { encoding: 'utf8' }).stdout?.trim().split('\n')[0];
    if (found) return Number(found);
  }
  return null;
})();

/**
 * Runs `work` and says the CPU it took: `node: 'child'` counts the child processes waited for meanwhile
 * (an `intake` command), `node: 'self'` this process (the SQL floor, an undo run in it).
 */
export async function withCpu<T>(node: 'child' | 'self', work: () => Promise<T>): Promise<{ result: T; cpu: CpuSeconds }> {
  const ownSeconds = () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  };
  const nodeSeconds = node === 'child' ? () => processTimes('self')!.children : ownSeconds;
  const database = () => (databasePid === null ? null : (processTimes(databasePid)?.own ?? null));
  const [nodeBefore, databaseBefore] = [nodeSeconds(), database()];
  const result = await work();
  const [nodeAfter, databaseAfter] = [nodeSeconds(), database()];
  return { result, cpu: { node: nodeAfter - nodeBefore, database: databaseBefore !== null && databaseAfter !== null ? databaseAfter - databaseBefore : null } };
}

/** "Node 3.3 + MariaDB 4.6 CPU-s" (medians of the rounds). */
export function cpuText(runs: CpuSeconds[]): string {
  const node = spread(runs.map((r) => r.node)).median.toFixed(2);
  const databases = runs.map((r) => r.database).filter((d): d is number => d !== null);
  return databases.length === runs.length ? `Node ${node} + MariaDB ${spread(databases).median.toFixed(2)} CPU-s` : `Node ${node} CPU-s (MariaDB not on this machine)`;
}

/** The least time the run's CPU needs on `cores` cores, perfectly overlapped (null without the database's). */
export const cpuBound = (cpu: CpuSeconds, cores: number): number | null => (cpu.database === null ? null : (cpu.node + cpu.database) / cores);
