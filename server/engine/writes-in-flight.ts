/**
 * Batch writes in flight, each on its own connection, at most `limit` at once: while one batch's rows
 * are inserted, the next one's are too, and both cores (and the database's threads) work. A later
 * batch never depends on an earlier one's write except through what the earlier one creates (nodes,
 * groups): such a write is waited for before the next one starts (`barrier`).
 * If a write fails, the others are let finish (no transaction is left half-done by this process
 * ending) and the first failure is thrown.
 */
export class WritesInFlight {
  private readonly running: Promise<void>[] = [];

  constructor(readonly limit: number) {}

  /** Waits until another write may start. */
  async room(): Promise<void> {
    while (this.running.length >= this.limit) await this.settle(this.running.shift()!);
  }

  /** Starts a write; with `barrier`, returns once it is done (later writes use what it creates). */
  async start(write: Promise<void>, barrier: boolean): Promise<void> {
    // Handled when awaited; meanwhile its failure must not count as unhandled.
    write.catch(() => undefined);
    this.running.push(write);
    if (barrier) await this.drain();
  }

  /** Waits for every write in flight. */
  async drain(): Promise<void> {
    while (this.running.length > 0) await this.settle(this.running.shift()!);
  }

  private async settle(write: Promise<void>): Promise<void> {
    try {
      await write;
    } catch (error) {
      await Promise.allSettled(this.running.splice(0));
      throw error;
    }
  }
}
