import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashWorkerRole } from './hash-worker-role.js';
import type { HashOptions } from './password-hash.js';

interface Pending {
  resolve: (hashes: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * Worker threads that hash passwords, so that a large import neither blocks the event loop nor uses
 * one core only. Work is split into small slices so progress can be reported as slices finish.
 */
export class PasswordPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; passwords: string[] }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly assigned = new Map<Worker, number>();
  private nextId = 1;

  constructor(
    private readonly options: HashOptions,
    private readonly size = Math.max(1, availableParallelism()),
  ) {}

  /** Threads start on the first password: an import without any (single sign-on) costs none. */
  private start(): void {
    if (this.workers.length > 0) return;
    const script = new URL('./password-hash.js', import.meta.url);
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(script, { workerData: { role: hashWorkerRole } });
      worker.on('message', (msg: { id: number; hashes: string[] }) => this.finished(worker, msg));
      worker.on('error', (error) => this.failed(worker, error));
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Hashes in order; `onProgress` is called with the number hashed so far. */
  async hashAll(passwords: string[], onProgress?: (done: number) => void): Promise<string[]> {
    if (passwords.length === 0) return [];
    this.start();
    const sliceSize = 25;
    const slices: Promise<string[]>[] = [];
    let done = 0;
    for (let start = 0; start < passwords.length; start += sliceSize) {
      const slice = passwords.slice(start, start + sliceSize);
      slices.push(
        this.run(slice).then((hashes) => {
          done += hashes.length;
          onProgress?.(done);
          return hashes;
        }),
      );
    }
    return (await Promise.all(slices)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(passwords: string[]): Promise<string[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, passwords });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.assigned.set(worker, job.id);
      worker.ref();
      worker.postMessage({ ...job, options: this.options });
    }
  }

  private finished(worker: Worker, msg: { id: number; hashes: string[] }): void {
    this.assigned.delete(worker);
    worker.unref();
    this.idle.push(worker);
    this.pending.get(msg.id)?.resolve(msg.hashes);
    this.pending.delete(msg.id);
    this.dispatch();
  }

  private failed(worker: Worker, error: Error): void {
    const id = this.assigned.get(worker);
    if (id !== undefined) {
      this.pending.get(id)?.reject(error);
      this.pending.delete(id);
    }
  }
}
