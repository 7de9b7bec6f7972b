import { spawn } from 'node:child_process';
import { PasswordPool } from '../../server/host/hashing/password-pool.js';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const setting = (rounds: number) => `$6$rounds=${rounds}$saltsaltsaltsalt`;

export interface PoolRate {
  /** Passwords a second once its threads run. */
  rate: number;
  /** From the pool's creation to its first hash back: its threads started and their module loaded. */
  startSeconds: number;
}

/**
 * The hashing pool's rate on every core: its threads started first (an import starts them once, at
 * its first new password), then `count` SHA-512 crypt hashes timed, as a Python process times its own
 * loop below. Under this bench (tsx) a thread's start is slower than in the bundled command; it is
 * told apart, not mixed into the rate.
 */
export async function poolRate(count: number, rounds: number): Promise<PoolRate> {
  const passwords = new PasswordPool({ scheme: 'sha512', rounds });
  try {
    const started = process.hrtime.bigint();
    await passwords.hashAll(['first']);
    const startSeconds = seconds(started);
    const start = process.hrtime.bigint();
    await passwords.hashAll(Array.from({ length: count }, (_, i) => `pw${i}`));
    return { rate: count / seconds(start), startSeconds };
  } finally {
    await passwords.close();
  }
}

/**
 * The system's crypt(3) through python3 on every core at once (one process per core, run together),
 * each timing its own loop after its interpreter started: what the machine can hash, as the reference
 * for the pool. The slowest process's time is the wall time of all. Null without python3's crypt module.
 */
export async function nativeCryptRate(count: number, rounds: number, processes: number): Promise<number | null> {
  const script = [
    'import crypt, time',
    `crypt.crypt('first', '${setting(rounds)}')`,
    'start = time.perf_counter()',
    `for i in range(${count}): crypt.crypt('pw%d' % i, '${setting(rounds)}')`,
    'print(time.perf_counter() - start)',
  ].join('\n');
  const times = await Promise.all(
    Array.from(
      { length: processes },
      () =>
        new Promise<number | null>((resolve) => {
          let out = '';
          const child = spawn('python3', ['-W', 'ignore', '-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.on('exit', (code) => resolve(code === 0 ? Number(out) : null));
        }),
    ),
  );
  if (times.some((time) => time === null || !Number.isFinite(time))) return null;
  return (count * processes) / Math.max(...(times as number[]));
}
