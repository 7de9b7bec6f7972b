import type { Encoding } from '../../contract/types.js';
import { IntakeError } from '../errors.js';

/** How many leading bytes decide the type, encoding and delimiter. */
export const sniffBytes = 64 * 1024;

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * Rejects what is not delimited text, judged from the bytes rather than the file name: a renamed
 * spreadsheet or a PDF is named in the error so the admin knows what to do.
 */
export function assertDelimitedText(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new IntakeError('empty_file', 'The file is empty.');
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) throw new IntakeError('not_csv', 'This is a PDF, not a CSV file.', { detected: 'pdf' });
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    throw new IntakeError('unsupported_format', 'This is an old Excel (.xls) workbook; save it as CSV (or .xlsx) first.', { detected: 'xls' });
  if (startsWith(bytes, [0x1f, 0x8b])) throw new IntakeError('not_csv', 'This is a gzip archive, not a CSV file.', { detected: 'gzip' });
}

/** `truncated`: the sample is the head of a longer file, so its last character may be cut off. */
export function detectEncoding(bytes: Uint8Array, truncated = false): Encoding {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf-16be';
  // UTF-16 without a BOM: every other byte of ASCII text is zero.
  const pairs = Math.min(bytes.length >> 1, 512);
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) zeroEven++;
    if (bytes[2 * i + 1] === 0) zeroOdd++;
  }
  if (pairs >= 2 && zeroOdd > pairs * 0.4 && zeroEven === 0) return 'utf-16le';
  if (pairs >= 2 && zeroEven > pairs * 0.4 && zeroOdd === 0) return 'utf-16be';
  if (bytes.includes(0)) throw new IntakeError('not_csv', 'The file holds binary data, not text.', { detected: 'binary' });
  try {
    // `stream: true` tolerates a character cut off at the end of a truncated sample.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return 'utf-8';
  } catch {
    // Not UTF-8 throughout. Mostly UTF-8 with some bytes that are not (two exports pasted together, one
    // row typed in another program) is still read as UTF-8, so that those rows are refused by row and
    // column: read as Windows-1252, every "é" of the rest would become "Ã©" without a word.
    const { sequences, strays } = utf8Census(bytes);
    if (sequences > 0 && sequences >= strays) return 'utf-8';
    // Otherwise the ANSI code page of Western European Windows, which Magister and Excel write.
    return 'windows-1252';
  }
}

/**
 * The well-formed multi-byte UTF-8 characters of a sample, and the bytes above ASCII that are not part
 * of one. Windows-1252 text almost never forms the former: a letter such as "Ã" followed by a symbol
 * such as "©".
 */
function utf8Census(bytes: Uint8Array): { sequences: number; strays: number } {
  let sequences = 0;
  let strays = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) continue;
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    let whole = length > 0 && i + length <= bytes.length;
    for (let k = 1; whole && k < length; k++) whole = (bytes[i + k]! & 0xc0) === 0x80;
    if (whole) {
      sequences++;
      i += length - 1;
    } else strays++;
  }
  return { sequences, strays };
}

const delimiters = [',', ';', '\t', '|'] as const;

/** Counts delimiter candidates outside quotes, per line. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false;
  let count = 0;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === delimiter && !inQuotes) count++;
  }
  return count;
}

/**
 * Picks the delimiter that splits the most lines into the same number of fields: a Dutch export with
 * `;` between fields and `,` inside names comes out as `;`, and a title line above the header does not
 * throw it off. An Excel `sep=` first line decides outright.
 */
export function detectDelimiter(text: string): { delimiter: string; sepLine: boolean } {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  const sep = /^"?sep=(.)"?\s*$/i.exec(lines[0] ?? '');
  if (sep?.[1]) return { delimiter: sep[1], sepLine: true };
  // The last line of a sample may be cut off.
  const sample = lines.slice(0, Math.min(lines.length > 1 ? lines.length - 1 : 1, 30));
  let best = { delimiter: ',', share: 0, fields: 0 };
  for (const delimiter of delimiters) {
    const frequency = new Map<number, number>();
    for (const line of sample) {
      const count = countOutsideQuotes(line, delimiter);
      if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    }
    for (const [fields, lines] of frequency) {
      const share = lines / sample.length;
      if (share > best.share || (share === best.share && fields > best.fields)) best = { delimiter, share, fields };
    }
  }
  return { delimiter: best.delimiter, sepLine: false };
}

/** What kind of file the bytes are: a zip container (maybe a workbook) or delimited text. */
export function sniffContainer(bytes: Uint8Array): 'zip' | 'text' {
  if (bytes.length === 0) throw new IntakeError('empty_file', 'The file is empty.');
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  assertDelimitedText(bytes);
  return 'text';
}
