import ExcelJS from 'exceljs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import unzipper from 'unzipper';
import iterateStream from 'exceljs/lib/utils/iterate-stream.js';
import { createInflateRaw } from 'node:zlib';
import type { FileOptions, XlsxFormat } from '../../contract/types.js';
import { IntakeError, isIntakeError } from '../errors.js';
import { makeSpoolDir, SealedSpool } from './spool.js';
import { inflatedChunkBytes, verifyArchive, type StoredEntry, type WorkbookArchive } from './zip.js';
import { piecesOf } from './pieces.js';
import { SharedStringTable } from './shared-strings.js';
import { sheetRows, utf8Text, type SheetContext, type SheetRow } from './xlsx-sheet.js';
import { relationshipsNamespace, sheetRelationshipIds, spreadsheetNamespace, withoutPrefix, type AttributePrefix } from './xml-prefix.js';
import { readSharedStrings } from './xlsx-strings.js';
import { filledWidth, headerScore, headerSearchRows, isBlank, pickHeaderRow, type ByteSource, type QuickCount, type ReadLimits, type RowsRead, type SourceRow } from './table.js';
import { cleanCell } from './clean.js';
import { maxSheetsTogether, sheetRowNumber } from '../../contract/row-label.js';
import { namedAlike, sheetColumnFor } from './sheet-names.js';
import { isRoleWord } from '../../contract/role-words.js';
import { matchHeader } from '../map/map-columns.js';

/** A damaged workbook can leave exceljs waiting forever: no new row or sheet for this long ends the read. */
const stallMs = 10_000;

/**
 * Iterates with a stall limit: a step the reader has not delivered `ms` after it was asked for ends the
 * read with a coded error. One watchdog a read, not a timer a row (a 100,000-row sheet set and cleared
 * 100,000 timers). Only the wait for the reader counts, never the consumer's time between steps.
 */
export async function* within<T>(iterable: AsyncIterable<T>, ms: number): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let waitingSince = 0;
  // The step being waited for, to be ended by the watchdog. Each step has its own promise: racing every
  // step against one long-lived promise would leave a reaction on it per row until the read ends.
  let giveUp: ((error: IntakeError) => void) | null = null;
  const watchdog = setInterval(() => {
    if (giveUp && Date.now() - waitingSince > ms) giveUp(new IntakeError('unreadable', `The workbook stopped making sense after ${ms / 1000} s of reading; it is damaged.`, { detected: 'xlsx' }));
  }, Math.min(ms, 1000));
  try {
    for (;;) {
      waitingSince = Date.now();
      const step = await new Promise<IteratorResult<T>>((resolve, reject) => {
        giveUp = reject;
        iterator.next().then(resolve, reject);
      });
      giveUp = null;
      if (step.done) return;
      yield step.value;
    }
  } finally {
    clearInterval(watchdog);
  }
}

type CellValue = ExcelJS.CellValue;

const pad = (n: number) => String(n).padStart(2, '0');

function dateText(date: Date): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const hasTime = date.getUTCHours() || date.getUTCMinutes();
  return hasTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : day;
}

/**
 * A cell as the text the admin sees in Excel: identifiers keep their leading zeros (a `0000000000`
 * number format pads them back), big numbers never turn into `1.2E+15`, fractions keep Excel's fifteen
 * significant digits, dates become `yyyy-mm-dd`.
 */
export function cellText(value: CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(value)) return String(value).padStart(numFmt.length, '0');
    // A fraction as Excel shows it, to fifteen significant digits: a sum stored as 0.30000000000000004 is 0.3.
    return Number.isInteger(value) ? BigInt(value).toString() : String(Number(value.toPrecision(15)));
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: CellValue }).result ?? null, numFmt);
  if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? '');
  // As Excel shows it (#N/A, #REF!): the row is refused for it (spreadsheet_error) rather than imported without the value.
  if ('error' in value) return String(value.error);
  return String(value);
}

/**
 * A row's cells as text, or the limit it breaks: checked while spooling, so a cell in column XFD or a
 * megabyte of text never reaches memory row after row.
 */
function rowCells(row: SheetRow, limits: ReadLimits): string[] | IntakeError {
  const cells: string[] = [];
  for (const { column, value, numFmt } of row.cells) {
    if (column > limits.maxColumns) return new IntakeError('too_many_columns', `Row ${row.number} has more than ${limits.maxColumns} columns.`, { row: row.number, max: limits.maxColumns });
    const text = cellText(value, numFmt);
    if (text.length > limits.maxCellChars) return new IntakeError('cell_too_large', `Row ${row.number} holds a cell over ${limits.maxCellChars} characters.`, { row: row.number, max: limits.maxCellChars });
    cells[column - 1] = text;
  }
  return cells;
}

/** A worksheet as the workbook reader hands it over: its name, then its rows a chunk at a time. */
interface SheetReader extends AsyncIterable<SheetRow[]> {
  name: string;
  /**
   * Set once nothing more of the sheet is wanted: the rest of its XML streams past unparsed (the archive
   * is one stream, so it is read either way; parsing is most of the time a sheet takes).
   */
  skipRest: boolean;
}

/** The chunks of a sheet's XML up to the moment `skipped` says so; the rest is read and let go. */
async function* unlessSkipped<T>(chunks: AsyncIterable<T>, skipped: () => boolean): AsyncGenerator<T> {
  for await (const chunk of chunks) if (!skipped()) yield chunk;
}

/** The parts of exceljs' streaming workbook reader that read a workbook's own entries (exceljs 4.4). */
interface WorkbookParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  /** Its pass over the archive: the sheets, as the reader's iterator hands them over. */
  parse(): AsyncGenerator<{ eventType: 'worksheet'; value: SheetReader }>;
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; name: string; state?: string }[] };
  styles: SheetContext['styles'];
  properties?: SheetContext['properties'];
}

/** Shared strings of a larger XML (some 200,000 names and addresses) wait on disk (ReadLimits.sharedStringsInMemory). */
const sharedStringsInMemory = 8 * 1024 * 1024;

/** The entries of a workbook that its sheets are read with. */
const workbookEntries = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'] as const;

/**
 * exceljs parses a sheet as it streams past only once it has seen the workbook's relationships and
 * shared strings. Excel (and exceljs' own writer) stores the sheets first, so exceljs would park each
 * sheet whole in a plaintext temporary file of its own (names, e-mail addresses, passwords) until the
 * end of the archive, and leave it behind if the read failed or the process died. These entries are
 * read first, as verifyArchive kept them while it checked the archive (zip.ts), and the pass over the
 * archive is Intake's own (readSheetsWith): every sheet is parsed as it streams past and nothing is
 * written anywhere.
 */
async function readWorkbookEntries(reader: ExcelJS.stream.xlsx.WorkbookReader, input: Readable, entries: Map<string, StoredEntry>, spill: SharedStringSpill, sheet: FileOptions['sheet']): Promise<SharedStringTable> {
  const sharedStrings = await readEntries(reader as unknown as WorkbookParts, entries, spill);
  readSheetsWith(reader, input, sharedStrings, typeof sheet === 'string' ? sheet : undefined);
  return sharedStrings;
}

/**
 * A stored entry's content as a stream of text, unpacked and decoded as it is read: as text, because
 * exceljs' parser decodes each chunk of bytes on its own and garbles a character split between two
 * (a shared string "Öberg" read as "��berg"); the stream's decoder joins it again.
 */
const contentOf = (entry: StoredEntry, namespace: string, attributes?: AttributePrefix): Readable => {
  // In pieces: handed to the inflater whole, the shared strings of a million rows (7 MB) came out at once.
  const stored = Readable.from(piecesOf(entry.bytes));
  const text = (entry.deflated ? stored.pipe(createInflateRaw({ chunkSize: inflatedChunkBytes })) : stored).setEncoding('utf8') as AsyncIterable<string>;
  return Readable.from(withoutPrefix(text, namespace, attributes));
};

/** Parses the workbook's own entries into its parts; returns its shared strings. */
/** Where a large table of shared strings waits, and from what size of its XML. */
interface SharedStringSpill {
  dir: string;
  fromBytes: number;
}

async function readEntries(parts: WorkbookParts, entries: Map<string, StoredEntry>, spill: SharedStringSpill): Promise<SharedStringTable> {
  const entry = (name: (typeof workbookEntries)[number]) => {
    const found = entries.get(name);
    // Each is parsed once: its bytes go with it.
    entries.delete(name);
    if (!found) return null;
    if (name === 'xl/_rels/workbook.xml.rels') return contentOf(found, relationshipsNamespace);
    return contentOf(found, spreadsheetNamespace, name === 'xl/workbook.xml' ? sheetRelationshipIds : undefined);
  };
  const rels = entry('xl/_rels/workbook.xml.rels');
  if (rels) await parts._parseRels(rels);
  const workbook = entry('xl/workbook.xml');
  if (workbook) await parts._parseWorkbook(workbook);
  const styles = entry('xl/styles.xml');
  if (styles) await parts._parseStyles(styles);
  const size = entries.get('xl/sharedStrings.xml')?.size ?? 0;
  const strings = entry('xl/sharedStrings.xml');
  // A large table's text waits on disk, sealed: in memory, a million rows' three million strings held
  // some 40 MB through the whole read, and took a server's upload, preview and commit past 200 MB.
  const sharedStrings = new SharedStringTable(size, size > spill.fromBytes ? join(spill.dir, 'shared-strings') : undefined);
  try {
    if (strings) await readSharedStrings(strings as AsyncIterable<string>, (text) => sharedStrings.add(text));
  } catch (error) {
    sharedStrings.close();
    throw error;
  }
  return sharedStrings;
}

/**
 * The part a relationship of the workbook (`xl/workbook.xml`) points to, as the archive names it: its
 * target is relative to `xl/` (Excel: `worksheets/sheet1.xml`) or absolute (openpyxl and Microsoft's Open
 * XML SDK: `/xl/worksheets/sheet1.xml`). exceljs knew only the first, and named every sheet of a
 * workbook written by Python "Sheet1", "Sheet2", so a municipality's sheets lost their schools' names.
 */
export function partOfTarget(target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const parts: string[] = [];
  for (const step of path.split('/')) {
    if (step === '..') parts.pop();
    else if (step !== '.' && step !== '') parts.push(step);
  }
  return parts.join('/');
}

/** Every part the workbook names as a worksheet, by its path in the archive, with the sheet's name. */
function worksheetParts(parts: WorkbookParts): Map<string, { name: string; hidden: boolean }> {
  const rels = new Map((parts.workbookRels ?? []).map((r) => [r.Id, partOfTarget(r.Target)]));
  const named = new Map<string, { name: string; hidden: boolean }>();
  for (const sheet of parts.model?.sheets ?? []) {
    const part = rels.get(sheet.rId);
    if (part) named.set(part, { name: sheet.name, hidden: sheet.state === 'hidden' || sheet.state === 'veryHidden' });
  }
  return named;
}

/** A sheet part that no relationship names (a damaged workbook) is read as exceljs reads it: by its number. */
const numberedSheetPart = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * Makes the reader's pass over the archive hand over its sheets, each read with the shared strings.
 * Apart from the entries' reading on purpose: a closure made there would keep the archive (through its
 * zip reader) alive for the whole read, tens of megabytes for a large workbook. `namedInSettings`: the
 * sheet the settings name, read even when hidden.
 */
function readSheetsWith(reader: ExcelJS.stream.xlsx.WorkbookReader, input: Readable, sharedStrings: SharedStringTable, namedInSettings: string | undefined): void {
  const parts = reader as unknown as WorkbookParts;
  const sheetParts = worksheetParts(parts);
  // exceljs' own pass over the archive finds sheets by the names Excel gives their parts
  // (xl/worksheets/sheet1.xml) and parses the workbook's entries met on the way. The workbook's entries
  // are read already (readEntries); sheets are the parts its relationships name, whatever their names
  // (the Open XML SDK named the first `sheet.xml`), each parsed by sheetRows (xlsx-sheet.ts) as it streams past.
  parts.parse = async function* () {
    const zip = unzipper.Parse({ forceStream: true });
    input.pipe(zip);
    for await (const entry of iterateStream(zip) as AsyncIterable<unzipper.Entry>) {
      const numbered = numberedSheetPart.exec(entry.path);
      const part = sheetParts.get(entry.path) ?? (numbered ? { name: `Sheet${numbered[1]}`, hidden: false } : undefined);
      // A hidden sheet (a template's lists for its drop-downs, say) is no one's data: read only when named.
      const name = part && (!part.hidden || part.name.toLowerCase() === namedInSettings?.toLowerCase()) ? part.name : undefined;
      if (name !== undefined) {
        const sheet: SheetReader = {
          name,
          skipRest: false,
          [Symbol.asyncIterator]: () =>
            sheetRows(withoutPrefix(utf8Text(unlessSkipped(iterateStream(entry), () => sheet.skipRest)), spreadsheetNamespace), { sharedStrings, styles: parts.styles, properties: parts.properties }),
        };
        yield { eventType: 'worksheet', value: sheet };
      }
      entry.autodrain();
    }
  };
}

export interface XlsxReading {
  format: Omit<XlsxFormat, 'headerRow'>;
  records: () => AsyncIterable<SourceRow[]>;
  quickCount: QuickCount;
  /** Deletes the spooled rows. */
  dispose: () => Promise<void>;
}

/** A sheet whose rows are being spooled. */
interface SpooledSheet {
  name: string;
  spool: SealedSpool;
  rows: number;
  /** The rows spooled that hold something (a blank row is no data row). */
  filled: number;
  /** Of the first `countedLeadingRows` rows spooled, the numbers of those that hold something. */
  leadingFilled: number[];
  /** The number of the last of those first rows (Infinity while fewer are spooled). */
  leadingThrough: number;
  /** A limit the sheet broke: raised only if this turns out to be a sheet read. */
  error: IntakeError | null;
}

/**
 * How many of a sheet's first rows are noted one by one while it is spooled, so that its data rows can
 * be counted without reading the spool again: the header is among the first twenty (headerSearchRows),
 * and a header row set by hand is at most row 1,000.
 */
const countedLeadingRows = 1000;

/** A sheet read after the first, for the same header row: its rows below that header are the data. */
interface AddedSheet {
  sheet: SpooledSheet;
  headerRow: number;
  /** For each of the first sheet's columns, where this sheet has it (null: in the same places). */
  order: ColumnOrder | null;
}

/** The chosen sheet's header row, as the sheets read with it are judged and their rows given what their names say. */
interface ChosenHeader {
  /** Its cells, as later sheets are compared with them (columnOrder). */
  cells: string[];
  row: number;
  /** Up to its last filled cell: where the column of the sheets' names goes (sheetColumnFor). */
  width: number;
  /** The fields its columns hold. */
  fields: Set<string>;
}

/** A header row's cells as compared between sheets: as the table cleans them, case aside, trailing blanks gone. */
const headerCells = (cells: readonly string[]): string[] => {
  const cleaned = cells.map((c) => cleanCell(c).toLowerCase());
  while (cleaned.length > 0 && cleaned[cleaned.length - 1] === '') cleaned.pop();
  return cleaned;
};

/**
 * Where a sheet has each of the first sheet's columns, when it names the same columns in another order
 * (each school filled the template its own way): null when it has them in the same places, undefined
 * when it does not have the same columns, or a blank or repeated header leaves a place unclear. With
 * `fewer`, the sheet may leave out some of the first one's columns (-1: its rows hold nothing there),
 * as long as it has two of them and none of its own: a sheet of teachers without the pupils' class.
 */
function columnOrder(first: readonly string[], other: readonly string[], fewer: boolean): number[] | null | undefined {
  const a = headerCells(first);
  const b = headerCells(other);
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  const named = (cells: string[]) => cells.every((c) => c !== '') && new Set(cells).size === cells.length;
  if (!named(a) || !named(b)) return undefined;
  if (a.length !== b.length && !(fewer && b.length >= 2 && b.length < a.length)) return undefined;
  if (!b.every((cell) => a.includes(cell))) return undefined;
  return a.map((cell) => b.indexOf(cell));
}

/**
 * Reads a workbook with exceljs' streaming reader, in a single pass, into sealed spools (spool.ts) that
 * later passes read quickly; `dispose` removes them. Every sheet is read to its end (the archive is one
 * stream; the wanted sheet may be the last). Without `options.sheet` the sheet read is the first whose
 * leading rows hold a header naming known fields (a workbook that opens with an instructions sheet, as
 * templates do), else the first sheet; and every later sheet whose header row names the same columns
 * (in any order: a municipality's workbook with a sheet per school) is read with it, as one
 * table, its rows numbered apart (row-label.ts) and its own title block and header left out. While a
 * sheet is judged it is spooled (the first sheet is kept in case no other qualifies). Every other sheet
 * whose leading rows hold a header is named in the format (`otherDataSheets`): data this run leaves out,
 * to be imported in a run of its own. A sheet named in the settings, or a header row chosen by hand, is
 * read alone. Where no column holds what the names of the sheets read together say (their school,
 * class or role: sheet-names.ts), a column of their names is added after the header's last.
 */
export async function readXlsx(open: ByteSource, archive: WorkbookArchive, options: FileOptions, limits: ReadLimits, onRowsRead?: RowsRead): Promise<XlsxReading> {
  // Checked whole before any parser sees it; its own entries come back as stored (7 MB of a 40 MB workbook).
  const entries = await verifyArchive(open, archive, workbookEntries);
  const dir = await makeSpoolDir();
  const dispose = () => rm(dir, { recursive: true, force: true });
  const sheets: string[] = [];
  const withHeader: string[] = [];
  const wanted = options.sheet;
  // Sheets are read together only when the reading was left to Intake.
  const mayAdd = wanted === undefined && options.headerRow === undefined;
  let chosen: SpooledSheet | null = null;
  // The header row of the chosen sheet, as later sheets must repeat it to be read with it.
  // (Typed with `as`: set in the judge's closure, which the compiler's narrowing does not follow.)
  let chosenHeader = null as ChosenHeader | null;
  const added: AddedSheet[] = [];
  // The first sheet, spooled in case no sheet turns out to have a header.
  let fallback: SpooledSheet | null = null;
  const input = open();
  // Rows past the limit (with room for a title block above the header) are not spooled at all.
  const maxSpooled = limits.maxRows + 1000;
  const spooled: SpooledSheet[] = [];
  let sharedStrings: SharedStringTable | null = null;
  const spoolOf = (name: string): SpooledSheet => {
    const sheet: SpooledSheet = { name, spool: new SealedSpool(join(dir, `sheet-${sheets.length}.jsonl`)), rows: 0, filled: 0, leadingFilled: [], leadingThrough: Infinity, error: null };
    spooled.push(sheet);
    return sheet;
  };
  let rowsSpooled = 0;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      // Handed over one by one into a compact table (shared-strings.ts), not cached by exceljs in an array.
      sharedStrings: 'emit',
      // Styles give dates as dates and number formats; without them dates would be serial numbers.
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    } as ExcelJS.stream.xlsx.WorkbookStreamReaderOptions);
    sharedStrings = await readWorkbookEntries(reader, input, entries, { dir, fromBytes: limits.sharedStringsInMemory ?? sharedStringsInMemory }, options.sheet);
    for await (const worksheet of within(reader as unknown as AsyncIterable<SheetReader>, stallMs)) {
      sheets.push(worksheet.name);
      // Every sheet's leading rows are judged, read or not: a sheet of data left out is named.
      const leading: SourceRow[] = [];
      const headerOf = () => {
        const header = pickHeaderRow(leading);
        return header && headerScore(header.cells) >= 2 ? header : undefined;
      };
      // A limit reached mid-sheet is raised after the reader has finished: stopping exceljs half-way
      // leaves its inner streams writing into closed ones, and their errors have no listener.
      let target: SpooledSheet | null = null;
      let judging = false;
      if (wanted !== undefined) {
        const isWanted = chosen === null && (typeof wanted === 'number' ? sheets.length === wanted : worksheet.name.toLowerCase() === wanted.toLowerCase());
        if (isWanted) target = chosen = spoolOf(worksheet.name);
      } else if (chosen === null || (mayAdd && chosenHeader !== null)) {
        target = spoolOf(worksheet.name);
        judging = true;
      }
      // Judged on its leading rows: a header makes it the sheet (or, after the sheet, one read with it
      // when it is the same header); the first sheet stays as the fallback.
      const judge = async (sheet: SpooledSheet) => {
        judging = false;
        const header = headerOf();
        // Where a later sheet has the chosen sheet's columns (undefined: it has other columns). A sheet of
        // one role beside another's may have fewer: teachers have no class, pupils no subject.
        const fewer = chosen !== null && isRoleWord(sheet.name) && isRoleWord(chosen.name);
        const order = chosenHeader && header ? columnOrder(chosenHeader.cells, header.cells, fewer) : undefined;
        if (chosen === null && header) {
          chosen = sheet;
          chosenHeader = {
            cells: header.cells,
            row: header.row,
            width: filledWidth(header.cells),
            fields: new Set(header.cells.map((cell) => matchHeader(cleanCell(cell))).filter((field): field is NonNullable<typeof field> => field !== null)),
          };
          if (fallback && fallback !== sheet) await fallback.spool.discard();
          fallback = null;
        } else if (chosen !== null && header && order !== undefined && namedAlike(sheet.name, chosen.name) && added.length + 1 < maxSheetsTogether) {
          // The same columns, and named alike (for roles, or not: a sheet of teachers is not read as one more school).
          added.push({ sheet, headerRow: header.row, order: columnOrderOf(order) });
        } else if (sheets.length === 1) {
          fallback = sheet;
        } else {
          await sheet.spool.discard();
          target = null;
        }
      };
      for await (const rows of within(worksheet, stallMs)) {
        for (const row of rows) {
          const judged = leading.length < headerSearchRows;
          if (!judged && (!target || target.error || (limits.leadingRows !== undefined && target.rows >= limits.leadingRows))) {
            // Judged, and none of the rest is wanted: a sheet not read, past its limit, or past the rows asked for.
            worksheet.skipRest = true;
            break;
          }
          const cells = rowCells(row, limits);
          const texts = cells instanceof IntakeError ? [] : Array.from(cells, (c) => c ?? '');
          if (judged) leading.push({ row: row.number, cells: texts });
          if (!target || target.error) continue;
          if (++target.rows > maxSpooled) {
            target.error = new IntakeError('too_many_rows', `The sheet has more than ${limits.maxRows} data rows.`, { max: limits.maxRows });
            continue;
          }
          if (cells instanceof IntakeError) {
            target.error = cells;
            continue;
          }
          if (!isBlank(texts)) {
            target.filled++;
            if (target.rows <= countedLeadingRows) target.leadingFilled.push(row.number);
          }
          if (target.rows === countedLeadingRows) target.leadingThrough = row.number;
          const drained = target.spool.write(spoolLine(row.number, texts));
          if (drained) await drained;
          if (onRowsRead && ++rowsSpooled % 10_000 === 0) await onRowsRead(rowsSpooled);
          if (judging && leading.length >= headerSearchRows) await judge(target);
        }
      }
      if (judging && target) await judge(target);
      if (headerOf()) withHeader.push(worksheet.name);
    }
  } catch (error) {
    sharedStrings?.close();
    await Promise.all(spooled.map((sheet) => sheet.spool.discard()));
    await dispose();
    if (isIntakeError(error)) throw error;
    // The parser's own message ("Cannot read properties of undefined…") means nothing to the person who sent the file.
    throw new IntakeError('unreadable', 'The workbook could not be read: its content is damaged or not what Excel writes. Save it again from Excel, or as CSV.', { detected: 'xlsx' });
  }
  // Every row is spooled with its text: the strings are not needed again.
  sharedStrings?.close();
  const read: SpooledSheet | null = chosen ?? fallback;
  const together = read ? [read, ...added.map((a) => a.sheet)] : [];
  try {
    if (sheets.length === 0) throw new IntakeError('empty_file', 'The workbook has no worksheets.');
    if (!read) throw new IntakeError('invalid_settings', `The workbook has no sheet ${JSON.stringify(wanted)}; it has: ${sheets.join(', ')}.`, { sheet: wanted, sheets });
    for (const sheet of together) {
      await sheet.spool.finish();
      // With several sheets read, the limit is said with the sheet that broke it.
      if (sheet.error) throw together.length > 1 ? new IntakeError(sheet.error.code, `Sheet "${sheet.name}": ${sheet.error.message}`, { ...sheet.error.params, sheet: sheet.name }) : sheet.error;
    }
  } catch (error) {
    await Promise.all(together.map((sheet) => sheet.spool.discard()));
    await dispose();
    throw error;
  }
  const names = together.map((sheet) => sheet.name);
  // Sheets read together give each row what their names say (its role, class or school), where no column does.
  const sheetColumn = added.length > 0 && chosenHeader ? sheetColumnFor(names, chosenHeader.fields) : null;
  const named = sheetColumn && chosenHeader;
  return {
    format: {
      type: 'xlsx',
      sheet: read.name,
      sheets,
      ...(names.length > 1 ? { sheetsRead: names } : {}),
      ...(sheetColumn ? { sheetColumn } : {}),
      otherDataSheets: withHeader.filter((name) => !names.includes(name)),
    },
    dispose,
    /**
     * The data rows, counted while the sheets were spooled (the limits of a cell and of a row's columns
     * were checked then too): the rows that hold something below each sheet's header. Null where only a
     * pass over the rows can tell: a header row below the rows noted one by one, more rows than the
     * limit (the pass says so), or a column of the sheets' names added (it widens every row by one).
     */
    quickCount: async (headerRow: number, limits: ReadLimits) => {
      if (named) return null;
      const parts: AddedSheet[] = [{ sheet: read, headerRow, order: null }, ...added];
      let rows = 0;
      for (const { sheet, headerRow: below } of parts) {
        if (below > sheet.leadingThrough) return null;
        rows += sheet.filled - sheet.leadingFilled.filter((row) => row <= below).length;
      }
      return rows > limits.maxRows ? null : rows;
    },
    async *records() {
      // The sheets in workbook order; a later sheet's rows below its own header, each numbered with its sheet.
      const parts: AddedSheet[] = [{ sheet: read, headerRow: 0, order: null }, ...added];
      for (const [i, { sheet, headerRow, order }] of parts.entries()) {
        for await (const lines of sheet.spool.lines()) {
          const rows: SourceRow[] = [];
          for (const line of lines) {
            const row = spooledRow(line, headerRow, order);
            if (!row) continue;
            // The first sheet's header row heads the column; its data rows and every later sheet's (all
            // data: their own headers are left out) hold their sheet's name, but a blank row stays blank.
            if (named && (i > 0 || row.row >= named.row) && row.cells.some((cell) => cell.trim() !== '')) withCell(row.cells, named.width, i === 0 && row.row === named.row ? sheetColumn : sheet.name);
            rows.push({ row: sheetRowNumber(i, row.row), cells: row.cells });
          }
          if (rows.length > 0) yield rows;
        }
      }
    },
  };
}

/** Puts a cell at `at`, the cells from there moving one on (a row shorter than that is filled up to it). */
function withCell(cells: string[], at: number, value: string): void {
  while (cells.length < at) cells.push('');
  cells.splice(at, 0, value);
}

/**
 * A row as the spool keeps it: its number, a tab and its cells as JSON (which writes a tab inside a cell
 * as `\t`), so that neither writing nor reading it copies the cells into a second array for the number.
 */
const spoolLine = (row: number, cells: string[]) => `${row}\t${JSON.stringify(cells)}`;

/**
 * A spooled row as the sheet numbers it, its cells in the first sheet's column order; null for its rows
 * down to `headerRow` (a later sheet's own title and header).
 */
function spooledRow(line: string, headerRow: number, order: ColumnOrder | null): SourceRow | null {
  const tab = line.indexOf('\t');
  const row = Number(line.slice(0, tab));
  const cells = JSON.parse(line.slice(tab + 1)) as string[];
  if (row <= headerRow) return null;
  if (!order) return { row, cells };
  // Cells past its header (a value that moved, a note) stay after the first's, as they were.
  return { row, cells: [...order.places.map((at) => (at < 0 ? '' : (cells[at] ?? ''))), ...cells.slice(order.width)] };
}

/** Where a later sheet has each of the first one's columns (-1: nowhere), and how wide its own header is. */
interface ColumnOrder {
  places: number[];
  width: number;
}

const columnOrderOf = (places: number[] | null): ColumnOrder | null => (places ? { places, width: Math.max(...places) + 1 } : null);
