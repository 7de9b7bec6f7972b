import type { ReportCells } from '../store/error-report.js';
import type { ImportRecord } from '../store/imports.js';
import { openTable } from '../core/read/open-table.js';
import type { ByteSource } from '../core/read/table.js';
import { isIntakeError } from '../core/errors.js';
import { rowsWithFixes } from '../core/read/cell-fixes.js';
import type { Env } from './env.js';

/**
 * The upload's own rows for the error report, read again as the import read them (its reading
 * overrides), while the file is still stored; null once it was purged. Password columns are never repeated.
 */
export async function reportCells(env: Env, bytes: ByteSource, record: ImportRecord): Promise<(ReportCells & { close(): Promise<void> }) | null> {
  if (!record.format) return null;
  const options = record.settings?.file ?? record.format.options ?? {};
  try {
    const table = await openTable(bytes, { maxRows: env.INTAKE_MAX_ROWS, maxCellChars: env.INTAKE_MAX_CELL_CHARS, maxColumns: env.INTAKE_MAX_COLUMNS }, options);
    const mapping = record.settings?.mapping ?? {};
    const masked = new Set(
      table.header.flatMap((header, i) => (mapping[header] === 'password' || record.format!.columns.find((c) => c.index === i)?.field === 'password' ? [i] : [])),
    );
    return { header: table.header, masked, rows: rowsWithFixes(table.rows(), record.format.fixes), close: () => table.close() };
  } catch (error) {
    // Purged (nothing left to read) or unreadable now: the report goes without the cells.
    if (isIntakeError(error)) return null;
    throw error;
  }
}
