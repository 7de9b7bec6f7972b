/**
 * Workbooks whose XML names its elements with a prefix (`<x:worksheet xmlns:x="…/spreadsheetml/2006/main">`
 * `<x:row>` `<x:c>`), as Microsoft's Open XML SDK writes them and so the .NET systems that export with it.
 * That is the same XML as Excel's own unprefixed `<row>` `<c>`; exceljs compares names as written and
 * finds neither sheets nor rows in it (exceljs issue 1437), so Intake said "The file has no header row".
 * Here the prefix a part binds to its namespace is dropped from its element names as the text streams past.
 */

/** The namespace of a workbook's own parts: its sheets, shared strings, styles and the workbook. */
export const spreadsheetNamespace = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
/** The namespace of a part's relationships (`xl/_rels/workbook.xml.rels`). */
export const relationshipsNamespace = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The prefix (with its colon) a root element's start tag binds to the namespace; '' when none is bound. */
export function prefixBoundTo(startTag: string, namespace: string): string {
  for (const match of startTag.matchAll(/\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*(["'])(.*?)\2/g)) if (match[3] === namespace) return `${match[1]}:`;
  return '';
}

/** A root element's start tag: the first tag that is neither a declaration (`<?xml`) nor a comment or DOCTYPE. */
const rootTag = /<[A-Za-z_][^>]*>/;

/**
 * The text of one XML part with the prefix its root binds to `namespace` dropped from element names
 * (`<x:row>` → `<row>`, `</x:row>` → `</row>`). A part without such a prefix passes through as it came.
 */
export async function* withoutPrefix(text: AsyncIterable<string>, namespace: string): AsyncGenerator<string> {
  let pending = '';
  let names: RegExp | null | undefined;
  for await (const chunk of text) {
    pending += chunk;
    if (names === undefined) {
      const root = rootTag.exec(pending);
      // The root's start tag is not whole yet: wait for more (it is at the very start of any part).
      if (!root) continue;
      const prefix = prefixBoundTo(root[0], namespace);
      names = prefix ? new RegExp(`<(/?)${prefix.replace(/[.]/g, '\\.')}`, 'g') : null;
    }
    if (names === null) {
      yield pending;
      pending = '';
      continue;
    }
    // A tag cut by the chunk's end waits for the rest of its name.
    const cut = pending.lastIndexOf('<');
    const whole = cut === -1 || pending.indexOf('>', cut) !== -1 ? pending.length : cut;
    yield pending.slice(0, whole).replace(names, '<$1');
    pending = pending.slice(whole);
  }
  if (pending) yield names ? pending.replace(names, '<$1') : pending;
}
