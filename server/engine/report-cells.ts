import type { ReportCells } from '../store/error-report.js';
import type { ImportRecord } from '../store/imports.js';
import type { CellFixes, ColumnMapping, FileOptions } from '../contract/types.js';
import { openTable } from '../core/read/open-table.js';
import type { ByteSource } from '../core/read/table.js';
import { isIntakeError } from '../core/errors.js';
import { rowsWithFixes } from '../core/read/cell-fixes.js';
import type { Env } from './env.js';

type OpenReportCells = ReportCells & { close(): Promise<void> };

/**
 * A file's own rows for the error report, read again as the import read them (its reading overrides and
 * the cells fixed in the preview); the columns mapped to the password are never repeated.
 */
export async function fileCells(env: Env, bytes: ByteSource, options: FileOptions, columns: Pick<ColumnMapping, 'index' | 'field'>[], fixes?: CellFixes): Promise<OpenReportCells> {
  const table = await openTable(bytes, { maxRows: env.INTAKE_MAX_ROWS, maxCellChars: env.INTAKE_MAX_CELL_CHARS, maxColumns: env.INTAKE_MAX_COLUMNS }, options);
  const masked = new Set(columns.filter((c) => c.field === 'password').map((c) => c.index));
  return { header: table.header, masked, rows: rowsWithFixes(table.rows(), fixes), close: () => table.close() };
}

/** The upload's own rows for the error report while the file is still stored; null once it was purged. */
export async function reportCells(env: Env, bytes: ByteSource, record: ImportRecord): Promise<OpenReportCells | null> {
  const format = record.format;
  if (!format) return null;
  const mapping = record.settings?.mapping ?? {};
  // A column is a password column when the admin mapped it so or the automatic match did: either way it stays out.
  const columns = format.columns.map((c) => ({ index: c.index, field: mapping[c.header] === 'password' ? ('password' as const) : c.field }));
  try {
    return await fileCells(env, bytes, record.settings?.file ?? format.options ?? {}, columns, format.fixes);
  } catch (error) {
    // Purged (nothing left to read) or unreadable now: the report goes without the cells.
    if (isIntakeError(error)) return null;
    throw error;
  }
}
