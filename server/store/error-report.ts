import type { Pool } from 'mysql2/promise';
import type { UiLanguage } from '../contract/catalog.js';
import type { RowOutcome } from '../contract/types.js';
import { csvLine } from '../core/formats/csv-write.js';
import { problemText, skipText } from '../contract/messages.js';
import { problemRows } from './rows.js';
import { errorReportColumns } from '../contract/error-report-columns.js';
import { rowLabel } from '../contract/row-label.js';
import { shownCell } from '../core/read/uncalculated.js';
import type { SourceRow } from '../core/read/table.js';

/** The file's own rows, while the upload is still stored: the report repeats each problem row's cells. */
export interface ReportCells {
  header: string[];
  /** Columns never repeated (passwords). */
  masked: ReadonlySet<number>;
  rows: AsyncIterable<SourceRow>;
}

/** How a report is written: the rows' own cells beside them, its delimiter (`,` by default), the sheets read together. */
export interface ReportOptions {
  cells?: ReportCells;
  delimiter?: string;
  /** A workbook's sheets read as one table: each row is named with its sheet (rowLabel). */
  sheetsRead?: readonly string[];
}

/**
 * The error report of an import as CSV lines (BOM and header first): one line per row with problems
 * (each of them in it, ` | ` between) or skipped (with its reason), in the reader's language; with
 * `cells`, each line also carries the row's own cells under the file's headers, so the report can be
 * fixed and imported as it is (once per row, its own columns left out of the mapping). Streamed: the
 * problems and the file are both in row order and are read side by side, never held in memory.
 */
export async function* errorReportLines(pool: Pool, importId: number, lang: UiLanguage, { cells, delimiter = ',', sheetsRead }: ReportOptions = {}): AsyncGenerator<string> {
  // The BOM lets Excel open the UTF-8 report with accents intact.
  yield `\uFEFF${csvLine([...errorReportColumns, ...(cells?.header ?? [])], delimiter)}`;
  const file = cells?.rows[Symbol.asyncIterator]();
  let current: SourceRow | undefined;
  const cellsOf = async (line: number): Promise<string[]> => {
    if (!file || !cells) return [];
    while (!current || current.row < line) {
      const next = await file.next();
      if (next.done) return [];
      current = next.value;
    }
    return current.row === line ? cells.header.map((_, i) => (cells.masked.has(i) ? '' : shownCell(current!.cells[i] ?? ''))) : [];
  };
  for await (const row of problemRows(pool, importId)) {
    const own = await cellsOf(row.row);
    const said = rowMessages(row, lang);
    if (said.length === 0) continue;
    const all = (part: (message: RowMessage) => string) => said.map(part).join(' | ');
    yield csvLine([rowLabel(row.row, sheetsRead), row.outcome, row.username, all((m) => m.field), all((m) => m.code), all((m) => m.text), ...own], delimiter);
  }
}

/** One thing a report says about a row: the field it is about, its code and its words in the reader's language. */
export interface RowMessage {
  field: string;
  code: string;
  text: string;
}

/** What the report says about a problem row: why it was skipped, or each of its problems. */
export function rowMessages(row: RowOutcome, lang: UiLanguage): RowMessage[] {
  // A person's row joined into their first row is nothing to fix: its groups were taken there.
  if (row.reason === 'same_person') return [];
  if (row.outcome === 'skip' && row.reason) return [{ field: '', code: row.reason, text: skipText(row.reason, lang) }];
  return row.problems.map((p) => ({ field: p.field ?? '', code: p.code, text: problemText(p, lang) }));
}

export async function errorReportCsv(pool: Pool, importId: number, lang: UiLanguage, options: Omit<ReportOptions, 'cells'> = {}): Promise<string> {
  let csv = '';
  for await (const line of errorReportLines(pool, importId, lang, options)) csv += line;
  return csv;
}
