import type { DetectedFormat } from './types.js';

/**
 * Rows of a workbook whose sheets are read together are numbered apart: the k-th sheet read (from 0)
 * numbers its rows from k × sheetRowSpan, so every row of the import has a number of its own, in file
 * order, and still tells its sheet and its row as the spreadsheet shows them. (Excel's sheets end at
 * row 1,048,576; the first sheet's rows keep their own numbers.)
 */
export const sheetRowSpan = 10_000_000;

/** At most this many sheets are read together: their numbers stay within a signed 32-bit integer (2^31 > 200 × 10^7). */
export const maxSheetsTogether = 200;

/** The number a row of the `sheetIndex`-th sheet read is known by in an import. */
export const sheetRowNumber = (sheetIndex: number, row: number): number => sheetIndex * sheetRowSpan + row;

/**
 * A row as a person finds it in the file: its number as the spreadsheet shows it, and, when several
 * sheets were read together, its sheet ("12 (Skola B)").
 */
export function rowLabel(row: number, sheetsRead: readonly string[] | undefined): string {
  if (!sheetsRead || sheetsRead.length < 2) return String(row);
  const sheet = sheetsRead[Math.floor(row / sheetRowSpan)];
  return sheet === undefined ? String(row) : `${row % sheetRowSpan} (${sheet})`;
}

/**
 * How rows are named where a plain row number was always given (a problem's params, an error's message):
 * the number itself for a single table, its label with its sheet when several sheets were read together.
 */
export const rowReference =
  (sheetsRead: readonly string[] | undefined) =>
  (row: number): string | number =>
    sheetsRead && sheetsRead.length > 1 ? rowLabel(row, sheetsRead) : row;

/** The sheets a format read together, if it read several (a workbook's; a CSV has one table). */
export const sheetsReadOf = (format: Pick<DetectedFormat, 'type'> | null | undefined): string[] | undefined =>
  format?.type === 'xlsx' ? (format as Extract<DetectedFormat, { type: 'xlsx' }>).sheetsRead : undefined;
