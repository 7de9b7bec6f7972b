/** Zero-width characters and the BOM that spreadsheets leave inside cells. */
const invisible = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Non-breaking and other unusual spaces that look like spaces to the admin. */
const oddSpace = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;

/** The apostrophe Intake's exports put before a leading = + - @ (formula neutralising) comes off again. */
const neutralised = /^'(?=[=+\-@])/;

/** The value of a cell as a person would read it: invisible characters gone, spaces trimmed. */
export function cleanCell(value: string): string {
  return value.replace(invisible, '').replace(oddSpace, ' ').trim().replace(neutralised, '');
}
