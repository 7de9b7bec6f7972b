/**
 * A workbook's shared strings (every text cell of an Excel file points into this table), kept as one
 * UTF-8 buffer and the offsets into it, outside V8's heap. A million-row sheet of names and e-mail
 * addresses has millions of them: as JavaScript strings in an array they took more than the command's
 * 200 MB heap and the import died out of memory (measured: 1,000,000 rows, 40 MB workbook). Here they
 * take their bytes and four more each, and a cell's text is made only when its row is read.
 */
export class SharedStringTable {
  private bytes: Buffer;
  private used = 0;
  /** `ends[i]` is where string i ends; string i starts where string i - 1 ends (the first at 0). */
  private ends: Uint32Array;
  private count = 0;
  /** Entries with no text at all (an empty `<si/>`): a cell pointing at one holds nothing, as in exceljs. */
  private readonly empty = new Set<number>();

  /**
   * Sized once from the shared-strings XML's own size, which bounds both its text and its entries (each
   * at least `<si><t/></si>`, 12 bytes), so nothing is copied as it fills; the pages of either that are
   * never written never take memory.
   */
  constructor(xmlBytes = 0) {
    this.bytes = Buffer.allocUnsafe(Math.max(64 * 1024, xmlBytes));
    this.ends = new Uint32Array(Math.max(4096, Math.ceil(xmlBytes / 12)));
  }

  /** Adds the next string (its index is the number added before it); null for an entry without text. */
  add(text: string | null): void {
    if (text === null) {
      this.empty.add(this.count);
      text = '';
    }
    // A UTF-16 unit is at most three bytes of UTF-8.
    const room = this.used + text.length * 3;
    if (room > this.bytes.length) this.bytes = grown(this.bytes, room, this.used);
    this.used += this.bytes.write(text, this.used, 'utf8');
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
    return this.bytes.toString('utf8', index === 0 ? 0 : this.ends[index - 1]!, this.ends[index]!);
  }

  get size(): number {
    return this.count;
  }
}

/** A buffer with room for `needed` bytes holding the first `used` of `buffer` (doubling, so adding stays linear). */
function grown(buffer: Buffer, needed: number, used: number): Buffer {
  let length = buffer.length * 2;
  while (length < needed) length *= 2;
  const next = Buffer.allocUnsafe(length);
  buffer.copy(next, 0, 0, used);
  return next;
}
