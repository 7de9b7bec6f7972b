import Papa from 'papaparse';

/**
 * One CSV cell as Excel reads it safely: quoted when needed, and a leading `=`, `+`, `-` or `@`
 * neutralised with an apostrophe so a downloaded file never runs a formula.
 */
export function csvCell(value: string | number | null | undefined, delimiter = ','): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: (string | number | null | undefined)[], delimiter = ',') => `${cells.map((c) => csvCell(c, delimiter)).join(delimiter)}\r\n`;

/**
 * A comma-separated text written by csvLine (with its byte order mark), written again with another
 * delimiter: the same cells, each as csvCell writes it for that delimiter.
 */
export function withDelimiter(csv: string, delimiter: string): string {
  if (delimiter === ',') return csv;
  const body = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  const { data } = Papa.parse<string[]>(body, { delimiter: ',', newline: '\r\n', skipEmptyLines: true });
  return `${csv.startsWith('\uFEFF') ? '\uFEFF' : ''}${data.map((cells) => csvLine(cells, delimiter)).join('')}`;
}
