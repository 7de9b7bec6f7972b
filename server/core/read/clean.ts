/** Zero-width characters and the BOM that spreadsheets leave inside cells. */
const invisible = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Non-breaking and other unusual spaces that look like spaces to the admin. */
const oddSpace = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
/** Either of the above: most cells hold neither, and are only trimmed (one test instead of two replaces). */
const unusual = /[\u00A0\u2000-\u200D\u202F\u205F\u2060\u3000\uFEFF]/;

/** The apostrophe Intake's exports put before a leading = + - @ (formula neutralising) comes off again. */
const neutralised = /^'(?=[=+\-@])/;

/**
 * Excel's way of keeping a value as text (`="0012345"`, student numbers with their leading zeros, as SIS
 * exports write them into a CSV and a workbook's cell may hold it): a formula that is nothing but one
 * string, its quotes doubled inside. Excel shows the string; so does Intake. Anything more (`="a"&"b"`)
 * is no text formula.
 */
const stringOnly = /^"((?:[^"]|"")*)"$/s;

/** The string a formula (without its `=`) is nothing but, or null for any other formula. */
export function textOfFormula(formula: string): string | null {
  const text = stringOnly.exec(formula);
  return text ? text[1]!.replace(/""/g, '"') : null;
}

/** A dash alone: how exports and people fill a cell that has no value ("-", "–", "—"). */
const placeholderDash = /^[-\u2013\u2014]$/;

/**
 * The value of a cell as a person would read it: invisible characters gone, spaces trimmed, Excel's text
 * formula unwrapped, a lone dash empty.
 */
export function cleanCell(value: string): string {
  const visible = unusual.test(value) ? value.replace(invisible, '').replace(oddSpace, ' ') : value;
  const trimmed = visible.trim();
  if (trimmed.length === 1 && placeholderDash.test(trimmed)) return '';
  const first = trimmed.charCodeAt(0);
  if (first === 0x27) return trimmed.replace(neutralised, '');
  if (first === 0x3d && trimmed.charCodeAt(1) === 0x22) {
    const text = textOfFormula(trimmed.slice(1));
    if (text !== null) return text.trim();
  }
  return trimmed;
}
