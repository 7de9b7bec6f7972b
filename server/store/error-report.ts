import type { Pool } from 'mysql2/promise';
import type { UiLanguage } from '../contract/catalog.js';
import { csvLine } from '../core/formats/csv-write.js';
import { problemText, skipText } from '../contract/messages.js';
import { problemRows } from './rows.js';

/**
 * The error report of an import as CSV lines (BOM and header first): one line per problem, and one per
 * skipped row with its reason, in the reader's language. Streamed: a large report never sits in memory.
 */
export async function* errorReportLines(pool: Pool, importId: number, lang: UiLanguage): AsyncGenerator<string> {
  // The BOM lets Excel open the UTF-8 report with accents intact.
  yield `\uFEFF${csvLine(['row', 'outcome', 'username', 'field', 'code', 'message'])}`;
  for await (const row of problemRows(pool, importId)) {
    if (row.outcome === 'skip' && row.reason) yield csvLine([row.row, 'skip', row.username, '', row.reason, skipText(row.reason, lang)]);
    for (const problem of row.problems) yield csvLine([row.row, row.outcome, row.username, problem.field ?? '', problem.code, problemText(problem, lang)]);
  }
}

export async function errorReportCsv(pool: Pool, importId: number, lang: UiLanguage): Promise<string> {
  let csv = '';
  for await (const line of errorReportLines(pool, importId, lang)) csv += line;
  return csv;
}
