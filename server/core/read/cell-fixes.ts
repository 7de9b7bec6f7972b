import type { CellFixes } from '../../contract/types.js';
import type { SourceRow } from './table.js';

/**
 * The file's rows with the admin's corrections from the preview laid over them: the preview, the commit
 * and the error report all read the file this way, so what was checked is what is written.
 */
export function withFixes(row: SourceRow, fixes: CellFixes | undefined): SourceRow {
  const fix = fixes?.[row.row];
  if (!fix) return row;
  const cells = [...row.cells];
  for (const [column, value] of Object.entries(fix)) cells[Number(column)] = value;
  return { row: row.row, cells };
}

export async function* rowsWithFixes(rows: AsyncIterable<SourceRow>, fixes: CellFixes | undefined): AsyncGenerator<SourceRow> {
  for await (const row of rows) yield withFixes(row, fixes);
}
