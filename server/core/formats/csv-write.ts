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
