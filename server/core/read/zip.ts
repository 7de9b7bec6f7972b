import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { IntakeError } from '../errors.js';
import type { ByteSource } from './table.js';

/** Enough of the file's end to hold the central directory of any workbook we would accept. */
export const tailBytes = 4 * 1024 * 1024;
/** A workbook's XML may expand a lot, but not past these: beyond them it is a zip bomb. */
const maxUncompressedTotal = 1024 * 1024 * 1024;
const maxRatio = 1000;

interface ZipEntry {
  name: string;
  compressed: number;
  uncompressed: number;
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
      compressed: tail.readUInt32LE(at + 20),
      uncompressed: tail.readUInt32LE(at + 24),
      name: tail.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + tail.readUInt16LE(at + 30) + tail.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * Says what a zip file is before anything is unpacked: an Excel workbook is accepted; a Word or
 * OpenDocument file, another archive, a damaged zip or a zip bomb is refused with its own code.
 */
export async function assertWorkbook(open: ByteSource): Promise<{ size: number }> {
  const { tail, size } = await readTail(open);
  const entries = centralDirectory(tail);
  if (!entries) throw new IntakeError('unreadable', 'The file looks like a zip archive or workbook but is damaged or incomplete.', { detected: 'zip' });
  const total = entries.reduce((sum, e) => sum + e.uncompressed, 0);
  const inflated = entries.find((e) => e.uncompressed === 0xffffffff || (e.uncompressed > 1024 * 1024 && e.uncompressed / Math.max(1, e.compressed) > maxRatio));
  if (inflated || total > maxUncompressedTotal) {
    throw new IntakeError('zip_bomb', 'The archive would unpack to far more data than a spreadsheet holds; it was not opened.', { uncompressed: total });
  }
  const names = new Set(entries.map((e) => e.name));
  if (names.has('xl/workbook.xml')) return { size };
  const detected = names.has('word/document.xml') ? 'docx' : names.has('mimetype') && names.has('content.xml') ? 'ods' : 'zip';
  throw new IntakeError('unsupported_format', `This is a ${detected === 'docx' ? 'Word document' : detected === 'ods' ? 'OpenDocument spreadsheet (save it as .xlsx or CSV)' : 'zip archive'}, not a spreadsheet Intake can read.`, { detected });
}

const damaged = (why: string) => new IntakeError('unreadable', `The workbook is damaged (${why}); save it again from Excel.`, { detected: 'xlsx' });

/** An archive held whole, opened by yauzl for reading its entries one at a time (`readEntry`). */
export const openZip = (archive: Buffer): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) =>
    yauzl.fromBuffer(archive, { lazyEntries: true, validateEntrySizes: true }, (error, file) => (error || !file ? reject(error ?? new Error('no archive')) : resolve(file))),
  );

/**
 * The file in one buffer of the size it had when it was measured, each chunk copied in as it comes:
 * gathered and joined, the chunks and their copy were both held (80 MB at once for a 40 MB workbook).
 * A file that changed size meanwhile is not the file that was checked.
 */
async function readWhole(open: ByteSource, size: number): Promise<Buffer> {
  const whole = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of open()) {
    const bytes = chunk as Buffer;
    if (at + bytes.length > size) throw damaged('it changed while it was read');
    bytes.copy(whole, at);
    at += bytes.length;
  }
  if (at !== size) throw damaged('it changed while it was read');
  return whole;
}

/**
 * Unpacks every entry once, without keeping what it unpacks, before a parser sees any of it: checks each
 * entry's size and CRC-32 against the archive's own records, and stops past the size a spreadsheet can
 * have, whatever the headers claimed. A damaged or hostile archive is refused here, in seconds; a
 * spreadsheet parser fed one may wait forever. yauzl reads the archive (it validates the structure and
 * entry sizes); the CRC is checked here because yauzl does not. Returns the archive it checked, for
 * what reads entries of it at random (read-xlsx.ts), so the file is not read whole again.
 */
export async function verifyArchive(open: ByteSource, size: number): Promise<Buffer> {
  const archive = await readWhole(open, size);
  const zip = await openZip(archive).catch((error: Error) => {
    throw damaged(error.message);
  });
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(damaged(error.message)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return reject(damaged(error?.message ?? 'unreadable entry'));
          let crc = 0;
          stream.on('data', (data: Buffer) => {
            total += data.length;
            if (total > maxUncompressedTotal) {
              stream.destroy();
              reject(new IntakeError('zip_bomb', 'The archive would unpack to far more data than a spreadsheet holds; it was not opened.', { uncompressed: total }));
              return;
            }
            crc = crc32(data, crc);
          });
          stream.on('error', (e: Error) => reject(damaged(e.message)));
          stream.on('end', () => ((crc >>> 0) === entry.crc32 >>> 0 ? zip.readEntry() : reject(damaged(`${entry.fileName} fails its checksum`))));
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return archive;
}
