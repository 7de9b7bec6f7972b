import { createCipheriv, createDecipheriv, randomBytes, type Cipher } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** Where a table's UTF-8 bytes are kept: appended once, then read by range. */
interface StringBytes {
  /** Appends the text; returns how many bytes it took. */
  append(text: string): number;
  read(start: number, end: number): string;
  close(): void;
}

/**
 * A workbook's shared strings (every text cell of an Excel file points into this table), kept as UTF-8
 * bytes and the offsets into them, outside V8's heap. A million-row sheet of names and e-mail addresses
 * has millions of them: as JavaScript strings in an array they took more than the command's 200 MB heap
 * and the import died out of memory (measured: 1,000,000 rows, 40 MB workbook). Here they take their
 * bytes and four more each, and a cell's text is made only when its row is read. A large table's bytes
 * wait on disk, sealed (`spillTo`); only the offsets stay in memory.
 */
export class SharedStringTable {
  private readonly bytes: StringBytes;
  private used = 0;
  /** `ends[i]` is where string i ends; string i starts where string i - 1 ends (the first at 0). */
  private ends: Uint32Array;
  private count = 0;
  /** Entries with no text at all (an empty `<si/>`): a cell pointing at one holds nothing, as in exceljs. */
  private readonly empty = new Set<number>();

  /**
   * Sized once from the shared-strings XML's own size, which bounds both its text and its entries (each
   * at least `<si><t/></si>`, 12 bytes), so nothing is copied as it fills; the pages that are never
   * written never take memory. With `spillTo` (a path in a private folder) the bytes go to that file.
   */
  constructor(xmlBytes = 0, spillTo?: string) {
    this.bytes = spillTo ? new SealedFileBytes(spillTo) : new MemoryBytes(xmlBytes);
    this.ends = new Uint32Array(Math.max(4096, Math.ceil(xmlBytes / 12)));
  }

  /** Adds the next string (its index is the number added before it); null for an entry without text. */
  add(text: string | null): void {
    if (text === null) {
      this.empty.add(this.count);
      text = '';
    }
    this.used += this.bytes.append(text);
    if (this.count === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[this.count++] = this.used;
  }

  /** The string at an index, null for an entry without text, undefined for one the table does not have (a damaged cell's reference). */
  get(index: number): string | null | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    if (this.empty.size > 0 && this.empty.has(index)) return null;
    return this.bytes.read(index === 0 ? 0 : this.ends[index - 1]!, this.ends[index]!);
  }

  get size(): number {
    return this.count;
  }

  /** Lets go of the bytes' file, if any (its folder is removed with the read's spool). */
  close(): void {
    this.bytes.close();
  }
}

/** The bytes in one buffer, grown by doubling. */
class MemoryBytes implements StringBytes {
  private buffer: Buffer;
  private used = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(64 * 1024, size));
  }

  append(text: string): number {
    // A UTF-16 unit is at most three bytes of UTF-8.
    const room = this.used + text.length * 3;
    if (room > this.buffer.length) this.buffer = grown(this.buffer, room, this.used);
    const written = this.buffer.write(text, this.used, 'utf8');
    this.used += written;
    return written;
  }

  read(start: number, end: number): string {
    return this.buffer.toString('utf8', start, end);
  }

  close(): void {}
}

/** A buffer with room for `needed` bytes holding the first `used` of `buffer` (doubling, so adding stays linear). */
function grown(buffer: Buffer, needed: number, used: number): Buffer {
  let length = buffer.length * 2;
  while (length < needed) length *= 2;
  const next = Buffer.allocUnsafe(length);
  buffer.copy(next, 0, 0, used);
  return next;
}

/** Bytes gathered before they are sealed and written; and the size of the blocks read back. */
const blockBytes = 16 * 1024;
/** Blocks kept open at once: the rows' new strings, and the few that every row repeats (a class, a school). */
const blocksKept = 32;

/**
 * The bytes in a file, sealed with AES-256-CTR under a key that exists only in this process's memory
 * (what a killed process leaves behind is unreadable, as the rows' spool). CTR lets any block be opened
 * on its own: the last blocks read stay open, so the cells of rows in the order their strings were added
 * (how Excel and every exporter write them) cost one file read per 16 KB, and strings repeated on every
 * row (added early, so far from the new ones) none.
 */
class SealedFileBytes implements StringBytes {
  private readonly key = randomBytes(32);
  private readonly iv = BigInt(`0x${randomBytes(16).toString('hex')}`);
  private readonly cipher: Cipher;
  private readonly fd: number;
  private pending = Buffer.allocUnsafe(blockBytes);
  private pendingUsed = 0;
  private written = 0;
  /** Opened blocks by number, the most recently used last. */
  private readonly open = new Map<number, Buffer>();

  constructor(path: string) {
    this.fd = openSync(path, 'wx+', 0o600);
    this.cipher = createCipheriv('aes-256-ctr', this.key, this.counterAt(0));
  }

  append(text: string): number {
    const length = Buffer.byteLength(text, 'utf8');
    if (this.pendingUsed + length > this.pending.length) this.flush();
    if (length > this.pending.length) this.pending = Buffer.allocUnsafe(length);
    this.pending.write(text, this.pendingUsed, 'utf8');
    this.pendingUsed += length;
    return length;
  }

  private flush(): void {
    if (this.pendingUsed === 0) return;
    const sealed = this.cipher.update(this.pending.subarray(0, this.pendingUsed));
    writeSync(this.fd, sealed, 0, sealed.length, this.written);
    this.written += sealed.length;
    this.pendingUsed = 0;
    // A block read before these bytes were written was read short.
    this.open.clear();
  }

  read(start: number, end: number): string {
    const number = Math.floor(start / blockBytes);
    // A string across a block's edge (or longer than one) is read on its own.
    if (end > (number + 1) * blockBytes) return this.opened(start, end - start).toString('utf8');
    let block = this.open.get(number);
    if (block) {
      this.open.delete(number);
    } else {
      block = this.opened(number * blockBytes, blockBytes);
      if (this.open.size === blocksKept) this.open.delete(this.open.keys().next().value!);
    }
    this.open.set(number, block);
    return block.toString('utf8', start - number * blockBytes, end - number * blockBytes);
  }

  /** `length` bytes from `from`, read and unsealed. */
  private opened(from: number, length: number): Buffer {
    if (from + length > this.written) this.flush();
    // CTR counts 16-byte blocks from the IV: a range opens at the block it starts in.
    const aligned = from - (from % 16);
    const sealed = Buffer.allocUnsafe(length + (from - aligned));
    const read = readSync(this.fd, sealed, 0, sealed.length, aligned);
    const plain = createDecipheriv('aes-256-ctr', this.key, this.counterAt(aligned / 16)).update(sealed.subarray(0, read));
    return plain.subarray(from - aligned);
  }

  /** The CTR counter block `blocks` 16-byte blocks past the IV (a 128-bit number that wraps). */
  private counterAt(blocks: number): Buffer {
    return Buffer.from(((this.iv + BigInt(blocks)) % (1n << 128n)).toString(16).padStart(32, '0'), 'hex');
  }

  private closed = false;

  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}
