/** Zero-width characters and the BOM that spreadsheets leave inside cells. */
const invisible = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Non-breaking and other unusual spaces that look like spaces to the admin. */
const oddSpace = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
/** Either of the above: most cells hold neither, and are only trimmed (one test instead of two replaces). */
const unusual = /[\u00A0\u2000-\u200D\u202F\u205F\u2060\u3000\uFEFF]/;

/** The apostrophe Intake's exports put before a leading = + - @ (formula neutralising) comes off again. */
const neutralised = /^'(?=[=+\-@])/;

/** The value of a cell as a person would read it: invisible characters gone, spaces trimmed. */
export function cleanCell(value: string): string {
  const visible = unusual.test(value) ? value.replace(invisible, '').replace(oddSpace, ' ') : value;
  const trimmed = visible.trim();
  return trimmed.charCodeAt(0) === 0x27 ? trimmed.replace(neutralised, '') : trimmed;
}
