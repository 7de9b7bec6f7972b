import Papa from 'papaparse';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { DetectedFormat } from '../contract.js';
import { IntakeError } from '../errors.js';
import { cleanCell } from './clean.js';
import { sniff, sniffBytes } from './sniff.js';

/** Opens a fresh stream of the file's bytes; the reader makes two passes (sniff, then read). */
export type ByteSource = () => Readable;

export interface ReadLimits {
  maxRows: number;
  maxCellChars: number;
}

/** One data record: `row` is its number as a spreadsheet shows it (the header is row 1). */
export interface SourceRow {
  row: number;
  cells: string[];
}

export interface Table {
  format: DetectedFormat;
  header: string[];
  /** Streams the data rows; throws a coded error for a cell or row count over the limits. */
  rows(): AsyncIterable<SourceRow>;
}

async function readHead(open: ByteSource, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = open();
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** Bytes → text in the detected encoding, split safely at chunk edges. */
function decoder(encoding: DetectedFormat['encoding']): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done: TransformCallback) {
      done(null, text.decode());
    },
  });
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

async function* records(open: ByteSource, format: DetectedFormat, newline: string): AsyncGenerator<string[]> {
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
    delimiter: format.delimiter,
    newline: newline as '\r\n',
    quoteChar: '"',
    skipEmptyLines: false,
  }) as unknown as NodeJS.ReadWriteStream;
  const source = open();
  const text = source.pipe(decoder(format.encoding));
  text.on('error', (e) => (parser as unknown as Readable).destroy(e));
  source.on('error', (e) => (parser as unknown as Readable).destroy(e));
  try {
    for await (const record of text.pipe(parser) as AsyncIterable<string[]>) yield record;
  } finally {
    source.destroy();
  }
}

function detectNewline(sample: string): string {
  const crlf = sample.indexOf('\r\n');
  const lf = sample.indexOf('\n');
  const cr = sample.indexOf('\r');
  if (crlf !== -1 && crlf <= lf) return '\r\n';
  if (lf !== -1) return '\n';
  if (cr !== -1) return '\r';
  return '\n';
}

/** Header cells, with the empty columns a trailing delimiter leaves behind removed. */
function cleanHeader(cells: string[]): string[] {
  const header = cells.map(cleanCell);
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  return header;
}

/**
 * Reads a delimited text file: encoding, delimiter and `sep=` line detected from the first bytes,
 * then streamed so that a million rows never sit in memory at once.
 */
export async function openCsv(open: ByteSource, limits: ReadLimits): Promise<Table> {
  // One byte more than the sample tells whether the sample is the whole file.
  const head = await readHead(open, sniffBytes + 1);
  const format = sniff(head.subarray(0, sniffBytes), head.length > sniffBytes);
  const newline = detectNewline(new TextDecoder(format.encoding).decode(head, { stream: true }));

  let header: string[] | null = null;
  let headerRow = 0;
  let rowNumber = 0;
  for await (const cells of records(open, format, newline)) {
    rowNumber++;
    if (rowNumber <= format.skipRecords || isBlank(cells)) continue;
    header = cleanHeader(cells);
    headerRow = rowNumber;
    break;
  }
  if (!header || header.length === 0) throw new IntakeError('empty_file', 'The file has no header row.');
  const columns = header.length;

  return {
    format,
    header,
    async *rows() {
      let row = 0;
      let dataRows = 0;
      for await (const cells of records(open, format, newline)) {
        row++;
        if (row <= headerRow || isBlank(cells)) continue;
        if (++dataRows > limits.maxRows) {
          throw new IntakeError('too_many_rows', `The file has more than ${limits.maxRows} data rows.`, { max: limits.maxRows });
        }
        const values = new Array<string>(columns);
        for (let i = 0; i < columns; i++) {
          const cell = cells[i] ?? '';
          if (cell.length > limits.maxCellChars) {
            throw new IntakeError('cell_too_large', `Row ${row}, column "${header[i]}" holds ${cell.length} characters; at most ${limits.maxCellChars} are accepted.`, {
              row,
              column: header[i],
              max: limits.maxCellChars,
            });
          }
          values[i] = cleanCell(cell);
        }
        // Cells beyond the header must not be dropped silently.
        for (let i = columns; i < cells.length; i++) {
          if ((cells[i] ?? '').length > limits.maxCellChars) {
            throw new IntakeError('cell_too_large', `Row ${row} holds a cell over ${limits.maxCellChars} characters.`, { row, max: limits.maxCellChars });
          }
        }
        yield { row, cells: values };
      }
    },
  };
}
