import Papa from 'papaparse';
import { Transform, type TransformCallback } from 'node:stream';
import type { CsvFormat, FileOptions } from '../contract.js';
import { detectDelimiter, detectEncoding } from './sniff.js';
import type { ByteSource, SourceRow } from './table.js';

/** Bytes → text in the given encoding, split safely at chunk edges. */
function decoder(encoding: CsvFormat['encoding']): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done: TransformCallback) {
      done(null, text.decode());
    },
  });
}

function detectNewline(sample: string): string {
  const lf = sample.indexOf('\n');
  const cr = sample.indexOf('\r');
  if (cr !== -1 && lf === cr + 1) return '\r\n';
  if (lf !== -1) return '\n';
  if (cr !== -1) return '\r';
  return '\n';
}

export interface CsvReading {
  format: Omit<CsvFormat, 'headerRow'>;
  /** Records from the top of the file, numbered as a spreadsheet numbers rows (a quoted newline stays in its row). */
  records: () => AsyncIterable<SourceRow>;
}

/** Decides encoding, delimiter and line ending from the file's first bytes, unless the admin chose. */
export function readCsv(open: ByteSource, head: Uint8Array, truncated: boolean, options: FileOptions = {}): CsvReading {
  const encoding = options.encoding ?? detectEncoding(head, truncated);
  const text = new TextDecoder(encoding).decode(head, { stream: true });
  const detected = detectDelimiter(text);
  const delimiter = options.delimiter ?? detected.delimiter;
  const newline = detectNewline(text);
  const sepLine = detected.sepLine;
  return {
    format: { type: 'csv', encoding, delimiter },
    async *records() {
      const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter, newline: newline as '\r\n', quoteChar: '"', skipEmptyLines: false }) as unknown as NodeJS.ReadWriteStream;
      const source = open();
      const destroy = (e: Error) => (parser as unknown as { destroy(e: Error): void }).destroy(e);
      source.on('error', destroy);
      const text = source.pipe(decoder(encoding));
      text.on('error', destroy);
      let row = 0;
      try {
        for await (const cells of text.pipe(parser) as AsyncIterable<string[]>) {
          row++;
          // Excel's `sep=;` line is an instruction, not a row of the table.
          if (row === 1 && sepLine) continue;
          yield { row, cells };
        }
      } finally {
        source.destroy();
      }
    },
  };
}
