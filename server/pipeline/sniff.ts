import type { DetectedFormat } from '../contract.js';
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
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]))
    throw new IntakeError('unsupported_format', 'This is a zip archive or an Excel (.xlsx) workbook; save it as CSV first.', { detected: 'zip' });
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    throw new IntakeError('unsupported_format', 'This is an old Excel (.xls) workbook; save it as CSV (or .xlsx) first.', { detected: 'xls' });
  if (startsWith(bytes, [0x1f, 0x8b])) throw new IntakeError('not_csv', 'This is a gzip archive, not a CSV file.', { detected: 'gzip' });
}

/** `truncated`: the sample is the head of a longer file, so its last character may be cut off. */
export function detectEncoding(bytes: Uint8Array, truncated = false): DetectedFormat['encoding'] {
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
    // Not UTF-8: the ANSI code page of Western European Windows, which Magister and Excel write.
    return 'windows-1252';
  }
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
 * Picks the delimiter whose count per line is steady across the first lines and highest: a Dutch
 * export with `;` between fields and `,` inside names must come out as `;`.
 */
export function detectDelimiter(text: string): { delimiter: string; skipRecords: number } {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  const sep = /^"?sep=(.)"?\s*$/i.exec(lines[0] ?? '');
  if (sep?.[1]) return { delimiter: sep[1], skipRecords: 1 };
  // The last line of a sample may be cut off.
  const sample = lines.slice(0, Math.min(lines.length > 1 ? lines.length - 1 : 1, 30));
  let best: { delimiter: string; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of delimiters) {
    const counts = sample.map((l) => countOutsideQuotes(l, delimiter));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const steady = counts.filter((c) => c === header).length / counts.length;
    const score = header * steady;
    if (score > best.score) best = { delimiter, score };
  }
  return { delimiter: best.delimiter, skipRecords: 0 };
}

export function sniff(bytes: Uint8Array, truncated: boolean): DetectedFormat {
  assertDelimitedText(bytes);
  const encoding = detectEncoding(bytes, truncated);
  const text = new TextDecoder(encoding).decode(bytes, { stream: true });
  if (text.trim() === '') throw new IntakeError('empty_file', 'The file holds no text.');
  const { delimiter, skipRecords } = detectDelimiter(text);
  return { type: 'csv', encoding, delimiter, skipRecords };
}
