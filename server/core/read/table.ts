import type { Readable } from 'node:stream';
import type { DetectedFormat, FileOptions } from '../../contract/types.js';
import { IntakeError } from '../errors.js';
import { cleanCell } from './clean.js';
import { shownCell } from './uncalculated.js';
import { matchHeader } from '../map/map-columns.js';
import { rowReference, sheetsReadOf } from '../../contract/row-label.js';

/** Opens a fresh stream of the file's bytes; readers make more than one pass. */
export type ByteSource = () => Readable;

export interface ReadLimits {
  maxRows: number;
  maxCellChars: number;
  /** More columns than this in any row refuses the file, before a header is judged or a row mapped. */
  maxColumns: number;
  /**
   * Only this many rows are wanted (inspecting a file for its header and first rows): a workbook's sheets
   * are parsed no further. Unset: every row.
   */
  leadingRows?: number;
  /**
   * A workbook's shared strings whose XML is larger than this many bytes wait on disk, sealed, rather
   * than in memory (default 8 MB: some 200,000 names and addresses).
   */
  sharedStringsInMemory?: number;
}

/** Refuses a record with more cells than the limit allows, so that nothing downstream handles it. */
export function checkColumns(record: SourceRow, limits: Pick<ReadLimits, 'maxColumns'>): SourceRow {
  if (record.cells.length > limits.maxColumns) {
    throw new IntakeError('too_many_columns', `Row ${record.row} has more than ${limits.maxColumns} columns.`, { row: record.row, max: limits.maxColumns });
  }
  return record;
}

/** A record as the format yields it: its row number as a spreadsheet shows it, and its cells as text. */
export interface SourceRow {
  row: number;
  cells: string[];
}

/**
 * Told, now and then, how many rows a read that takes its time has read so far (a workbook is read whole
 * when it is opened: a million rows take seconds, which a progress bar should show).
 */
export type RowsRead = (rows: number) => void | Promise<void>;

/**
 * A format's own way to count the data rows below `headerRow` without its parser, or null where only
 * the parser can tell (and say what is wrong, where).
 */
export type QuickCount = (headerRow: number, limits: ReadLimits) => Promise<number | null>;

/** What a format gives a table besides its records. */
export interface TableExtras {
  /** Releases what reading needed (a workbook's spooled rows). */
  close?: () => Promise<void>;
  quickCount?: QuickCount;
}

export interface Table {
  format: DetectedFormat;
  header: string[];
  /** Streams the data rows; throws a coded error for a cell or row count over the limits. */
  rows(): AsyncIterable<SourceRow>;
  /** The same rows in the chunks the format reads them in: one await per chunk, not per row (bulk readers). */
  chunks(): AsyncIterable<SourceRow[]>;
  /**
   * Reads the whole file with every check `chunks` makes (row and cell limits, bytes the encoding cannot
   * hold) and counts the data rows, reporting the count so far after each chunk; no cleaned row is built.
   */
  count(onChunk?: (rows: number) => Promise<void> | void): Promise<number>;
  /** Releases what reading needed (a workbook's spooled rows). */
  close(): Promise<void>;
}

/** A row whose cells hold nothing but spaces: skipped, never a data row. */
export const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** How many leading rows are searched for the header. */
export const headerSearchRows = 20;

/** How many known fields a row's cells name, each counted once: a header row names at least two. */
export const headerScore = (cells: readonly string[]) => scoreAbove(cells, -1);

/**
 * A row's header score where it exceeds `least`, else any number up to `least`: a row stops being
 * asked about once its cells left could not lift it past the best row so far. Under a header that
 * names its fields, each data row is asked about a cell or two instead of every one (matching a
 * name, an e-mail address or a number against every field's synonyms was most of the search).
 */
function scoreAbove(cells: readonly string[], least: number): number {
  const named = new Set<string>();
  for (let i = 0; i < cells.length; i++) {
    if (named.size + (cells.length - i) <= least) return named.size;
    const field = matchHeader(cleanCell(cells[i]!));
    if (field) named.add(field);
  }
  return named.size;
}

/**
 * The header is the row with the most cells that name a known field (at least two), so a title
 * block above it ("Leerlingenlijst 2026", an export date) is passed over; without such a row, the
 * first non-blank row.
 */
export function pickHeaderRow(records: SourceRow[]): SourceRow | undefined {
  const candidates = records.filter((r) => !isBlank(r.cells));
  let best: SourceRow | undefined;
  let bestScore = 1;
  for (const record of candidates) {
    const score = scoreAbove(record.cells, bestScore);
    if (score > bestScore) {
      best = record;
      bestScore = score;
    }
  }
  return best ?? candidates[0];
}

/** Header cells, with the empty columns a trailing delimiter or a formatted-but-empty column leaves. */
function cleanHeader(cells: string[]): string[] {
  // A header a program wrote as a formula nothing calculated is named by its formula, as Excel would show it.
  const header = cells.map((cell) => cleanCell(shownCell(cell)));
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  return header;
}

/** How far a row's cells hold something: the position after its last filled cell. */
export const filledWidth = (cells: readonly string[]) => {
  let width = cells.length;
  while (width > 0 && cells[width - 1]!.trim() === '') width--;
  return width;
};

/**
 * The header, widened by columns without a name that most of the first rows below it fill (notes typed
 * beside a table): such a column is the file's own, so a row filling it is no row with shifted cells.
 */
function withUnnamedColumns(header: string[], firstRows: readonly SourceRow[]): string[] {
  const rows = firstRows.filter((r) => !isBlank(r.cells));
  const wider = rows.map((r) => filledWidth(r.cells)).filter((width) => width > header.length);
  // Most, of at least three: one row in two, or a lone row, may as well hold a value with a delimiter in it.
  if (rows.length < 3 || wider.length * 2 <= rows.length) return header;
  return [...header, ...new Array<string>(Math.max(...wider) - header.length).fill('')];
}

/**
 * Turns a format's raw records into a table: finds the header row (or takes the one asked for), then
 * streams the data rows below it with blank rows skipped, cells cleaned and the limits enforced.
 */
export async function buildTable(
  format: Omit<DetectedFormat, 'headerRow'>,
  records: () => AsyncIterable<SourceRow[]>,
  limits: ReadLimits,
  options: Pick<FileOptions, 'headerRow'> = {},
  { close = async () => undefined, quickCount }: TableExtras = {},
): Promise<Table> {
  const head: SourceRow[] = [];
  reading: for await (const chunk of records()) {
    for (const record of chunk) {
      checkColumns(record, limits);
      if (options.headerRow !== undefined ? record.row >= options.headerRow : true) head.push(record);
      if (head.length >= (options.headerRow !== undefined ? 1 : headerSearchRows)) break reading;
    }
  }
  const headerRecord = options.headerRow !== undefined ? head.find((r) => r.row === options.headerRow) : pickHeaderRow(head);
  const header = headerRecord ? withUnnamedColumns(cleanHeader(headerRecord.cells), head.filter((r) => r.row > headerRecord.row)) : [];
  if (!headerRecord || header.length === 0) {
    throw new IntakeError('empty_file', options.headerRow ? `Row ${options.headerRow} holds no column headers.` : 'The file has no header row.', options.headerRow ? { row: options.headerRow } : {});
  }
  const headerRow = headerRecord.row;
  const columns = header.length;
  // A row as the person finds it: with its sheet, when a workbook's sheets are read together.
  const label = rowReference(sheetsReadOf(format));
  const tooLarge = (row: number, column: string | undefined) =>
    new IntakeError('cell_too_large', `Row ${label(row)}${column ? `, column "${column}"` : ''} holds a cell over ${limits.maxCellChars} characters.`, {
      row: label(row),
      ...(column ? { column } : {}),
      max: limits.maxCellChars,
    });

  // A byte sequence the encoding cannot hold decodes to U+FFFD: say where, rather than import it replaced.
  const encoding = 'encoding' in format ? format.encoding : null;
  const badBytes = (row: number, column: string | undefined) =>
    new IntakeError(
      'invalid_encoding',
      `Row ${label(row)}${column ? `, column "${column}"` : ''} holds bytes that are not ${encoding}: ${encoding === 'utf-8' ? 'choose the file\'s encoding ("file": { "encoding": "windows-1252" } for most Excel CSV files) or save it as UTF-8 again' : 'choose the encoding the file was saved in'}.`,
      { row: label(row), column: column ?? '', encoding: encoding ?? '' },
    );

  /**
   * A pass's check of each record: whether it is a data row, after refusing one over a limit or holding
   * bytes the encoding cannot. Each pass counts its own rows.
   */
  const dataRowCheck = () => {
    let dataRows = 0;
    return (record: SourceRow): boolean => {
      const { row, cells } = checkColumns(record, limits);
      if (row <= headerRow || isBlank(cells)) return false;
      if (++dataRows > limits.maxRows) throw new IntakeError('too_many_rows', `The file has more than ${limits.maxRows} data rows.`, { max: limits.maxRows });
      for (let i = 0; i < cells.length; i++) {
        const cell = cells[i] ?? '';
        if (cell.length > limits.maxCellChars) throw tooLarge(row, header[i]);
        if (encoding && i < columns && cell.includes('\uFFFD')) throw badBytes(row, header[i]);
      }
      return true;
    };
  };

  async function* chunks(): AsyncGenerator<SourceRow[]> {
    const isDataRow = dataRowCheck();
    for await (const chunk of records()) {
      const rows: SourceRow[] = [];
      for (const record of chunk) {
        if (!isDataRow(record)) continue;
        const values = new Array<string>(columns);
        for (let i = 0; i < columns; i++) values[i] = cleanCell(record.cells[i] ?? '');
        // Cells past the header stay with the row only when one holds something: in a delimited file
        // that is the sign of a value with an unquoted delimiter (validate.ts refuses the row as shifted).
        if (record.cells.length > columns) {
          const past = record.cells.slice(columns).map(cleanCell);
          if (filledWidth(past) > 0) values.push(...past);
        }
        rows.push({ row: record.row, cells: values });
      }
      if (rows.length > 0) yield rows;
    }
  }

  async function count(onChunk?: (rows: number) => Promise<void> | void): Promise<number> {
    // Plain lines are counted as lines (under half the parser's time, measured); the parser counts the rest.
    const quick = await quickCount?.(headerRow, limits);
    if (quick !== undefined && quick !== null) {
      await onChunk?.(quick);
      return quick;
    }
    const isDataRow = dataRowCheck();
    let rows = 0;
    for await (const chunk of records()) {
      for (const record of chunk) if (isDataRow(record)) rows++;
      await onChunk?.(rows);
    }
    return rows;
  }

  return {
    format: { ...format, headerRow } as DetectedFormat,
    header,
    close,
    chunks,
    count,
    async *rows() {
      for await (const chunk of chunks()) yield* chunk;
    },
  };
}
