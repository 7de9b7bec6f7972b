import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import type { HashOptions, HashTask } from './password-hash.js';

/** Passwords a task hashes: small enough that progress moves as tasks finish, large enough that passing them costs little. */
const sliceSize = 25;

/**
 * Worker threads that hash passwords (Piscina's pool), so that a large import neither blocks the event
 * loop nor uses one core only. Work goes out in small slices so that progress is told as they finish.
 */
export class PasswordPool {
  private pool: Promise<Piscina> | null = null;

  constructor(
    private readonly options: HashOptions,
    private readonly size = Math.max(1, availableParallelism()),
  ) {}

  /**
   * Threads (and Piscina itself) start on the first password: an import without any (single sign-on)
   * loads and starts nothing, and the command's start stays as short as it was.
   */
  private started(): Promise<Piscina> {
    this.pool ??= import('piscina').then(
      ({ Piscina }) => new Piscina({ filename: new URL('./password-hash.js', import.meta.url).href, minThreads: this.size, maxThreads: this.size }),
    );
    return this.pool;
  }

  /** Hashes in order; `onProgress` is called with the number hashed so far. */
  async hashAll(passwords: string[], onProgress?: (done: number) => void): Promise<string[]> {
    if (passwords.length === 0) return [];
    const pool = await this.started();
    let done = 0;
    const slices: Promise<string[]>[] = [];
    for (let start = 0; start < passwords.length; start += sliceSize) {
      const task: HashTask = { passwords: passwords.slice(start, start + sliceSize), options: this.options };
      slices.push(
        (pool.run(task) as Promise<string[]>).then((hashes) => {
          done += hashes.length;
          onProgress?.(done);
          return hashes;
        }),
      );
    }
    return (await Promise.all(slices)).flat();
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).destroy();
  }
}
