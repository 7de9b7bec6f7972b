import Papa from 'papaparse';
import { Transform, type TransformCallback } from 'node:stream';
import type { CsvFormat, FileOptions } from '../../contract/types.js';
import { detectDelimiter, detectEncoding } from './sniff.js';
import { IntakeError } from '../errors.js';
import type { ByteSource, QuickCount, ReadLimits, SourceRow } from './table.js';

/**
 * Text is handed to the parser in pieces of this many characters at most. papaparse parses each piece it
 * is given whole: a stored upload comes back in 1 MB chunks, which made 21,000 rows a piece, and with
 * two parsed pieces waiting (as the reader allows) some 60,000 rows were in memory at once.
 */
const pieceChars = 64 * 1024;

/** Bytes → text in the given encoding, split safely at chunk edges, in pieces of at most `pieceChars`. */
function decoder(encoding: CsvFormat['encoding']): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const decoded = text.decode(chunk, { stream: true });
      for (let at = 0; at < decoded.length; at += pieceChars) this.push(decoded.slice(at, at + pieceChars));
      done();
    },
    flush(done: TransformCallback) {
      done(null, text.decode());
    },
  });
}

/**
 * Hands papaparse whole records: each piece is cut after the last record that ends in it, and the rest
 * is held for the next. papaparse re-reads an unfinished line with every piece it is given, so one long
 * line was quadratic (a 10 MB line of a thousand cells took 13 s). As the text streams past it also
 * counts the fields of each record, and the bytes of each field, and refuses a record with more than
 * `maxColumns` fields or a field longer than any cell may be before papaparse builds it: a line of a
 * million delimiters would otherwise become a million cells (a 20 MB cell took 29 s to be refused).
 */
function recordGuard(delimiter: string, limits: Pick<ReadLimits, 'maxColumns' | 'maxCellChars'>): Transform {
  const separator = delimiter.charCodeAt(0);
  const quote = 0x22;
  const lf = 0x0a;
  const cr = 0x0d;
  // Quotes left out, a character is at most four bytes of UTF-8: a field of more bytes than this holds
  // more characters than a cell may (the table refuses a shorter one that is still too long, naming its column).
  const longestField = 4 * limits.maxCellChars;
  let inQuotes = false;
  let fields = 1;
  let fieldBytes = 0;
  let record = 1;
  /** The last piece ended in a CR, counted as the record's end: an LF opening this one belongs to it. */
  let endedInCr = false;
  /** The pieces of the record not ended yet, joined once it ends (joined piece by piece, a long one would be copied over and over). */
  let held: Buffer[] = [];
  return new Transform({
    // The decoded text arrives as UTF-8 bytes, in which these ASCII characters never occur inside another.
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let ended = -1;
      // The LF of a CRLF whose CR ended the last piece ended no record of its own.
      const start = endedInCr && chunk[0] === lf ? 1 : 0;
      endedInCr = false;
      for (let i = start; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === quote) {
          inQuotes = !inQuotes;
          continue;
        }
        if (!inQuotes && c === separator) {
          if (++fields > limits.maxColumns) {
            done(new IntakeError('too_many_columns', `Row ${record} has more than ${limits.maxColumns} columns.`, { row: record, max: limits.maxColumns }));
            return;
          }
          fieldBytes = 0;
        } else if (!inQuotes && (c === lf || (c === cr && chunk[i + 1] !== lf))) {
          fields = 1;
          fieldBytes = 0;
          record++;
          ended = i;
          endedInCr = c === cr && i === chunk.length - 1;
        } else if (++fieldBytes > longestField) {
          done(new IntakeError('cell_too_large', `Row ${record} holds a cell over ${limits.maxCellChars} characters.`, { row: record, max: limits.maxCellChars }));
          return;
        }
      }
      if (ended === -1) {
        held.push(chunk);
        done();
        return;
      }
      const whole = held.length === 0 ? chunk.subarray(0, ended + 1) : Buffer.concat([...held, chunk.subarray(0, ended + 1)]);
      held = ended + 1 < chunk.length ? [chunk.subarray(ended + 1)] : [];
      done(null, whole);
    },
    flush(done: TransformCallback) {
      done(null, held.length === 0 ? undefined : Buffer.concat(held));
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
  records: () => AsyncIterable<SourceRow[]>;
  /** The data rows below `headerRow` counted line by line, or null where only the parser can tell (`QuickCount`). */
  quickCount: QuickCount;
}

/**
 * Counts the data rows below the header without parsing, for a file that turns out to be plain lines:
 * no quote anywhere (so every line is one record), no U+FFFD (no bytes the encoding cannot hold), and
 * every line shorter than a cell and a row may be. Anything else answers null at once, and the parser
 * counts (and says what is wrong, where). Blank lines are skipped as the parser's rows are.
 */
function quickCounter(open: ByteSource, encoding: CsvFormat['encoding'], delimiter: string, newline: string): QuickCount {
  return async (headerRow, limits) => {
    const decoder = new TextDecoder(encoding);
    // A line this long may hold too long a cell or too many columns: the parser decides.
    const longest = Math.min(limits.maxCellChars, limits.maxColumns - 1);
    let line = 0;
    let rows = 0;
    let carry = '';
    /** Whether text[from, to) holds only delimiters and white space (a blank row, as the parser skips it). */
    const blank = (text: string, from: number, to: number): boolean => {
      // Nearly every line starts with a value: one character answers without a copy of the line.
      if (from < to && delimiter.length === 1 && text[from] !== delimiter && text[from]!.trim() !== '') return false;
      return text.slice(from, to).replaceAll(delimiter, '').trim() === '';
    };
    /** Counts the complete lines of a piece; false when the piece is not plain lines. */
    const countLines = (piece: string, last: boolean): boolean => {
      if (piece.includes('"') || piece.includes('\uFFFD')) return false;
      const text = carry + piece;
      // Walked by index, not split: a line is only measured and glanced at, never copied.
      let from = 0;
      for (let end = text.indexOf(newline); ; end = text.indexOf(newline, from)) {
        if (end === -1) {
          if (!last) break;
          end = text.length;
        }
        if (++line > headerRow) {
          if (end - from > longest) return false;
          if (!blank(text, from, end) && ++rows > limits.maxRows) return false;
        }
        from = end + newline.length;
        if (from > text.length) break;
      }
      carry = last ? '' : text.slice(from);
      // A line still unfinished past the length that could break a limit is the parser's to judge (and
      // is not carried on and on: a file of one endless line would be copied with every piece).
      return carry.length <= longest;
    };
    const source = open();
    try {
      for await (const chunk of source) if (!countLines(decoder.decode(chunk as Buffer, { stream: true }), false)) return null;
      return countLines(decoder.decode(), true) ? rows : null;
    } finally {
      source.destroy();
    }
  };
}

/** Decides encoding, delimiter and line ending from the file's first bytes, unless the admin chose. */
export function readCsv(open: ByteSource, head: Uint8Array, truncated: boolean, options: FileOptions, limits: Pick<ReadLimits, 'maxColumns' | 'maxCellChars'>): CsvReading {
  const encoding = options.encoding ?? detectEncoding(head, truncated);
  const text = new TextDecoder(encoding).decode(head, { stream: true });
  const detected = detectDelimiter(text);
  const delimiter = options.delimiter ?? detected.delimiter;
  const newline = detectNewline(text);
  const sepLine = detected.sepLine;
  return {
    format: { type: 'csv', encoding, delimiter },
    quickCount: quickCounter(open, encoding, delimiter, newline),
    /**
     * papaparse's chunk callback on the decoded stream (its duplex stream mode is some thirty times
     * slower), bridged to an async generator. The text stream is paused while two parsed chunks wait
     * (papaparse's own pause/resume re-polls forever when called on a parser that is not halted).
     */
    async *records() {
      const source = open();
      const decoded = source.pipe(decoder(encoding));
      const text = decoded.pipe(recordGuard(delimiter, limits));
      decoded.on('error', (e) => text.destroy(e));
      /** Parsed records, each chunk with the index of a record whose quoted cell never closed (-1: none). */
      const waiting: { data: string[][]; unclosedAt: number }[] = [];
      let parser: Papa.Parser | null = null;
      let paused = false;
      let finished = false;
      let failure: Error | null = null;
      let wake: (() => void) | null = null;
      const signal = () => {
        wake?.();
        wake = null;
      };
      for (const stream of [source, text]) {
        stream.on('error', (e) => {
          failure = e;
          signal();
        });
      }
      Papa.parse(text as unknown as File, {
        delimiter,
        newline: newline as '\r\n',
        quoteChar: '"',
        skipEmptyLines: false,
        chunk: (results: Papa.ParseResult<string[]>, handle: Papa.Parser) => {
          parser = handle;
          // A quote that opens a cell and never closes takes every later row into that cell: papaparse
          // says so (MissingQuotes, at the record it opened in). A stray quote inside a cell (an inch
          // mark: 12" screen) is no such thing.
          const unclosed = results.errors.find((e) => e.code === 'MissingQuotes');
          waiting.push({ data: results.data, unclosedAt: unclosed?.row ?? -1 });
          if (waiting.length >= 2 && !paused) {
            paused = true;
            text.pause();
          }
          signal();
        },
        complete: () => {
          finished = true;
          signal();
        },
        error: (error: Error) => {
          failure = error;
          signal();
        },
      });
      let row = 0;
      try {
        for (;;) {
          const parsed = waiting.shift();
          if (parsed) {
            if (paused && waiting.length < 2) {
              paused = false;
              text.resume();
            }
            const chunk: SourceRow[] = [];
            for (const [index, cells] of parsed.data.entries()) {
              row++;
              if (index === parsed.unclosedAt) throw new IntakeError('unclosed_quote', `Row ${row} opens a quoted cell that is never closed: every row after it would be read as that one cell.`, { row });
              // Excel's `sep=;` line is an instruction, not a row of the table.
              if (row === 1 && sepLine) continue;
              chunk.push({ row, cells });
            }
            if (chunk.length > 0) yield chunk;
            continue;
          }
          if (failure) throw failure;
          if (finished) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        if (!finished) (parser as Papa.Parser | null)?.abort();
        source.destroy();
      }
    },
  };
}
