import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';
import { IntakeError, isIntakeError } from '../errors.js';
import type { ByteSource } from './table.js';

/** Enough of the file's end to hold the central directory of any workbook we would accept. */
export const tailBytes = 4 * 1024 * 1024;
/** A workbook's XML may expand a lot, but not past these: beyond them it is a zip bomb. */
const maxUncompressedTotal = 1024 * 1024 * 1024;
const maxRatio = 1000;

const damaged = (why: string) => new IntakeError('unreadable', `The workbook is damaged (${why}); save it again from Excel.`, { detected: 'xlsx' });

const zipBomb = (uncompressed: number) => new IntakeError('zip_bomb', 'The archive would unpack to far more data than a spreadsheet holds; it was not opened.', { uncompressed });

/** An entry as the archive's central directory records it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated: the two methods Excel and every spreadsheet writer use. */
  method: number;
  flags: number;
  crc32: number;
  compressed: number;
  uncompressed: number;
  /** Where its local header starts. */
  offset: number;
}

/** A zip file judged a workbook by its central directory: its size and its entries. */
export interface WorkbookArchive {
  size: number;
  entries: ZipEntry[];
}

/** An entry's bytes as the archive stores them (deflated or not), and its size unpacked. */
export interface StoredEntry {
  bytes: Buffer;
  deflated: boolean;
  size: number;
}

/** The last `tailBytes` of a file, and the file's whole size. */
export async function readTail(open: ByteSource): Promise<{ tail: Buffer; size: number }> {
  // The chunks are kept as they come and joined once: joining each onto the tail copied the tail again
  // for every chunk (0.4 s for a 4 MB workbook). Chunks wholly before the last `tailBytes` are let go.
  const chunks: Buffer[] = [];
  let length = 0;
  let size = 0;
  for await (const chunk of open()) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
    size += (chunk as Buffer).length;
    while (chunks.length > 1 && length - chunks[0]!.length >= tailBytes) length -= chunks.shift()!.length;
  }
  const tail = Buffer.concat(chunks, length);
  return { tail: tail.length > tailBytes ? tail.subarray(tail.length - tailBytes) : tail, size };
}

/** The entries of a zip's central directory, read from the end of the file without unpacking anything. */
function centralDirectory(tail: Buffer): ZipEntry[] | null {
  const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > tail.length) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  let at = eocd - size;
  if (at < 0) return null;
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > tail.length || tail.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = tail.readUInt16LE(at + 28);
    entries.push({
      name: tail.toString('utf8', at + 46, at + 46 + nameLength),
      flags: tail.readUInt16LE(at + 8),
      method: tail.readUInt16LE(at + 10),
      crc32: tail.readUInt32LE(at + 16),
      compressed: tail.readUInt32LE(at + 20),
      uncompressed: tail.readUInt32LE(at + 24),
      offset: tail.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * Says what a zip file is before anything is unpacked: an Excel workbook is accepted; a Word or
 * OpenDocument file, another archive, a damaged zip or a zip bomb is refused with its own code.
 */
export async function assertWorkbook(open: ByteSource): Promise<WorkbookArchive> {
  const { tail, size } = await readTail(open);
  const entries = centralDirectory(tail);
  if (!entries) throw new IntakeError('unreadable', 'The file looks like a zip archive or workbook but is damaged or incomplete.', { detected: 'zip' });
  const total = entries.reduce((sum, e) => sum + e.uncompressed, 0);
  const inflated = entries.find((e) => e.uncompressed === 0xffffffff || (e.uncompressed > 1024 * 1024 && e.uncompressed / Math.max(1, e.compressed) > maxRatio));
  if (inflated || total > maxUncompressedTotal) throw zipBomb(total);
  const names = new Set(entries.map((e) => e.name));
  if (names.has('xl/workbook.xml')) return { size, entries };
  const detected = names.has('word/document.xml') ? 'docx' : names.has('mimetype') && names.has('content.xml') ? 'ods' : 'zip';
  if (detected === 'ods') throw new IntakeError('unsupported_format', 'This is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV first.', { detected });
  throw new IntakeError('unsupported_format', `This is a ${detected === 'docx' ? 'Word document' : 'zip archive'}, not a spreadsheet Intake can read.`, { detected });
}

/**
 * How much an inflater unpacks at a time. Node unpacks each piece in its thread pool and comes back to
 * this thread for the next: at zlib's 16 KB, checking a 100,000-row workbook's 31 MB of XML took 0.3 to
 * 0.5 s, nearly all of it the trips between threads; at 256 KB, 0.06 to 0.12 s (measured interleaved).
 * Nothing is kept longer for it: each piece is checked or parsed and let go.
 */
export const inflatedChunkBytes = 256 * 1024;

/** Unpacks (or passes through) one entry's stored bytes, keeping its CRC-32 and size, and a copy of the bytes if asked. */
class EntryCheck {
  private crc = 0;
  private size = 0;
  private failure: Error | null = null;
  private readonly inflater: InflateRaw | null;
  /**
   * The stored bytes, when kept: one buffer of the size the directory gives (no larger than the file,
   * whatever a damaged directory claims), filled as they stream past; a list of copies joined at the end
   * held them twice (a million-row workbook's shared strings: 7 MB more at the start of every read).
   */
  private readonly keptBytes: Buffer | null;
  private keptLength = 0;

  constructor(private readonly entry: ZipEntry, keep: boolean, fileSize: number) {
    if (entry.method !== 0 && entry.method !== 8) throw damaged(`${entry.name} is packed in a way spreadsheets are not`);
    if (entry.flags & 1) throw damaged(`${entry.name} is encrypted`);
    this.keptBytes = keep ? Buffer.allocUnsafe(Math.min(entry.compressed, fileSize)) : null;
    this.inflater = entry.method === 8 ? createInflateRaw({ chunkSize: inflatedChunkBytes }) : null;
    this.inflater?.on('data', (data: Buffer) => this.unpacked(data));
    this.inflater?.on('error', (error: Error) => (this.failure ??= error));
  }

  private unpacked(data: Buffer): void {
    this.crc = crc32(data, this.crc);
    this.size += data.length;
    // Stopped as soon as it passes the size it claims, not after unpacking gigabytes of a bomb.
    if (this.size > this.entry.uncompressed) this.inflater?.destroy(damaged(`${this.entry.name} unpacks to more than its directory says`));
  }

  /** The next piece of the entry's stored bytes (a view into the chunk read: copied if kept). */
  async write(piece: Buffer): Promise<void> {
    if (this.keptBytes) this.keptLength += piece.copy(this.keptBytes, this.keptLength);
    if (!this.inflater) return this.unpacked(piece);
    if (!this.inflater.write(piece)) await once(this.inflater, 'drain').catch((error: Error) => (this.failure ??= error));
    this.assertSound();
  }

  async finish(): Promise<void> {
    if (this.inflater) {
      this.inflater.end();
      await finished(this.inflater).catch((error: Error) => (this.failure ??= error));
    }
    this.assertSound();
    if (this.size !== this.entry.uncompressed) throw damaged(`${this.entry.name} is not the size its directory says`);
    if (this.crc >>> 0 !== this.entry.crc32 >>> 0) throw damaged(`${this.entry.name} fails its checksum`);
  }

  /** The stored bytes, if kept (all of them once the entry is finished). */
  get kept(): Buffer | null {
    return this.keptBytes?.subarray(0, this.keptLength) ?? null;
  }

  private assertSound(): void {
    if (!this.failure) return;
    // Its unpacking ends here, with the read: nothing more is fed to it.
    this.inflater?.destroy();
    throw isIntakeError(this.failure) ? this.failure : damaged(`${this.entry.name}: ${this.failure.message}`);
  }
}

/**
 * Unpacks every entry once, in one pass over the file, without keeping what it unpacks, before a parser
 * sees any of it: each entry must sit where the central directory says (no two overlapping, as zip bombs
 * made of overlapping entries do), be packed as spreadsheets are, and unpack to its recorded size and
 * CRC-32. A damaged or hostile archive is refused here, in seconds; a spreadsheet parser fed one may wait
 * forever. The entries named in `keep` are returned as stored (the reader parses them before the sheets).
 * One streamed pass, where a zip library reads entries at random: a 40 MB workbook was held whole for
 * that, on top of its shared strings, and a million-row upload through the server went over its memory
 * budget (a library that reads a zip as a stream does not check it against its directory).
 */
export async function verifyArchive(open: ByteSource, archive: WorkbookArchive, keep: readonly string[]): Promise<Map<string, StoredEntry>> {
  const entries = [...archive.entries].sort((a, b) => a.offset - b.offset);
  if (entries.some((e) => e.compressed === 0xffffffff || e.offset === 0xffffffff)) throw damaged('it is a zip64 archive, which spreadsheets are not');
  const stored = new Map<string, StoredEntry>();
  let next = 0;
  /** Where the stream is: before an entry's header, in its header (gathered), or in its data. */
  let phase: 'gap' | 'header' | 'data' = 'gap';
  let header = Buffer.alloc(0);
  let headerLength = 30;
  let dataLeft = 0;
  let check: EntryCheck | null = null;
  let position = 0;

  const startData = async (): Promise<void> => {
    const entry = entries[next]!;
    check = new EntryCheck(entry, keep.includes(entry.name), archive.size);
    phase = 'data';
    dataLeft = entry.compressed;
    if (dataLeft === 0) await endData();
  };
  const endData = async (): Promise<void> => {
    const entry = entries[next++]!;
    await check!.finish();
    const kept = check!.kept;
    if (kept) stored.set(entry.name, { bytes: kept, deflated: entry.method === 8, size: entry.uncompressed });
    check = null;
    phase = 'gap';
  };

  for await (const read of open()) {
    const chunk = read as Buffer;
    let at = 0;
    while (at < chunk.length && next < entries.length) {
      const entry = entries[next]!;
      if (phase === 'gap') {
        if (position + at > entry.offset) throw damaged('its entries overlap');
        at += Math.min(chunk.length - at, entry.offset - (position + at));
        if (position + at === entry.offset) {
          phase = 'header';
          header = Buffer.alloc(0);
          headerLength = 30;
        }
      } else if (phase === 'header') {
        const take = Math.min(headerLength - header.length, chunk.length - at);
        header = Buffer.concat([header, chunk.subarray(at, at + take)]);
        at += take;
        if (header.length === 30 && headerLength === 30) {
          if (header.readUInt32LE(0) !== 0x04034b50) throw damaged(`${entry.name} is not where its directory says`);
          headerLength = 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
        }
        if (header.length === headerLength) await startData();
      } else {
        const piece = chunk.subarray(at, at + Math.min(dataLeft, chunk.length - at));
        await check!.write(piece);
        at += piece.length;
        dataLeft -= piece.length;
        if (dataLeft === 0) await endData();
      }
    }
    position += chunk.length;
    if (position > archive.size) throw damaged('it changed while it was read');
  }
  if (position !== archive.size) throw damaged('it changed while it was read');
  if (next < entries.length) throw damaged('it ends before its entries do');
  return stored;
}
