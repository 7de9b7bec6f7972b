import { once } from 'node:events';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Where a workbook's rows wait between its reads: a private folder in the system's temporary folder. */
const spoolPrefix = 'intake-xlsx-';

export const makeSpoolDir = (): Promise<string> => mkdtemp(join(tmpdir(), spoolPrefix));

/** A day: far longer than any read of a workbook the limits allow. */
const abandonedAfterMs = 24 * 60 * 60 * 1000;

/**
 * Removes the spool folders of reads whose process died without its clean-up (a kill -9): sealed under
 * a key that died with the process they are unreadable, but they take room. Returns how many went.
 */
export async function removeAbandonedSpools(now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(spoolPrefix)) continue;
    const path = join(tmpdir(), name);
    try {
      if (now - (await stat(path)).mtimeMs < abandonedAfterMs) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** How much text a spool gathers before it seals and writes it. */
const gatherChars = 64 * 1024;

/**
 * One sheet's rows, a JSON line each, in a file sealed with AES-256-CTR under a key that exists only in
 * this process's memory: what a killed process leaves on disk is unreadable. Written once, then read as
 * often as the import needs, in chunks of lines (one await per chunk, not per row).
 */
export class SealedSpool {
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(16);
  private readonly out = createCipheriv('aes-256-ctr', this.key, this.iv);
  private readonly written: Promise<void>;

  constructor(private readonly path: string) {
    this.written = pipeline(this.out, createWriteStream(path, { mode: 0o600 }));
    // Awaited by finish(); a read that fails first discards the spool, and this rejects unheard.
    this.written.catch(() => undefined);
  }

  /** Lines not yet handed to the cipher, and their length. */
  private gathered: string[] = [];
  private gatheredChars = 0;

  /**
   * Writes a line; a promise to wait for only when the stream asks to (no await a row otherwise). Lines
   * reach the cipher some 64 KB at a time: one stream write (and cipher call) per row took a tenth of a
   * 100,000-row workbook's read.
   */
  write(line: string): Promise<unknown> | null {
    this.gathered.push(line);
    this.gatheredChars += line.length + 1;
    return this.gatheredChars >= gatherChars ? this.flush() : null;
  }

  private flush(): Promise<unknown> | null {
    if (this.gathered.length === 0) return null;
    const text = `${this.gathered.join('\n')}\n`;
    this.gathered = [];
    this.gatheredChars = 0;
    return this.out.write(text) ? null : once(this.out, 'drain');
  }

  async finish(): Promise<void> {
    const drained = this.flush();
    if (drained) await drained;
    this.out.end();
    await this.written;
  }

  async discard(): Promise<void> {
    this.out.destroy();
    await rm(this.path, { force: true });
  }

  async *lines(): AsyncGenerator<string[]> {
    const stream = createDecipheriv('aes-256-ctr', this.key, this.iv).setEncoding('utf8');
    // A failing file read ends the decipher with its error, which the loop below then throws.
    pipelineCallback(createReadStream(this.path), stream, () => undefined);
    // The unfinished line's pieces, joined once its end arrives (a long row spans many chunks).
    let pending: string[] = [];
    try {
      for await (const text of stream as AsyncIterable<string>) {
        if (!text.includes('\n')) {
          pending.push(text);
          continue;
        }
        const lines = (pending.join('') + text).split('\n');
        pending = [lines.pop()!];
        yield lines;
      }
      const last = pending.join('');
      if (last !== '') yield [last];
    } finally {
      stream.destroy();
    }
  }
}
