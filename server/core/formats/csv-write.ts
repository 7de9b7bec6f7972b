import Papa from 'papaparse';

type Cell = string | number | null | undefined;

/**
 * CSV as Excel reads it safely, written by papaparse (the reader's own library): quoted where needed, and
 * a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return neutralised with an apostrophe
 * (its `escapeFormulae`), so that a downloaded file never runs a formula; a number stays a number.
 * Lines end in CRLF, as Excel writes them.
 */
const unparseOptions = (delimiter: string): Papa.UnparseConfig => ({ delimiter, newline: '\r\n', escapeFormulae: true });

/** One row as a CSV line ending in CRLF. */
export const csvLine = (cells: Cell[], delimiter = ','): string => `${Papa.unparse([cells], unparseOptions(delimiter))}\r\n`;

/**
 * A comma-separated text written by csvLine (with its byte order mark), written again with another
 * delimiter: the same cells, as a reader of either reads them.
 */
export function withDelimiter(csv: string, delimiter: string): string {
  if (delimiter === ',') return csv;
  const body = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  const { data } = Papa.parse<string[]>(body, { delimiter: ',', newline: '\r\n', skipEmptyLines: true });
  // Cells read back are already neutralised (a leading apostrophe): written as they are, not escaped twice.
  return `${csv.startsWith('\uFEFF') ? '\uFEFF' : ''}${data.length === 0 ? '' : `${Papa.unparse(data, { delimiter, newline: '\r\n' })}\r\n`}`;
}
