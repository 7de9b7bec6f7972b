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

/** What `withoutPrefix` also renames: the prefix of attributes in a namespace, to the one exceljs looks for. */
export interface AttributePrefix {
  namespace: string;
  /** The prefix exceljs' reader expects (without its colon): `r` of `r:id`. */
  as: string;
}

/** The relationship ids of `xl/workbook.xml` (`<sheet r:id="rId1">`), whose prefix exceljs reads as written. */
export const sheetRelationshipIds: AttributePrefix = { namespace: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships', as: 'r' };

/** The renames a part's root tag calls for: none for a part as Excel writes it. */
function renamesFor(root: string, namespace: string, attributes: AttributePrefix | undefined): [RegExp, string][] {
  const escaped = (prefix: string) => prefix.replace(/[.]/g, '\\.');
  const renames: [RegExp, string][] = [];
  const prefix = prefixBoundTo(root, namespace);
  if (prefix) renames.push([new RegExp(`<(/?)${escaped(prefix)}`, 'g'), '<$1']);
  const attributePrefix = attributes && prefixBoundTo(root, attributes.namespace);
  if (attributePrefix && attributePrefix !== `${attributes.as}:`) renames.push([new RegExp(`(\\s)${escaped(attributePrefix)}`, 'g'), `$1${attributes.as}:`]);
  return renames;
}

/**
 * The text of one XML part with the prefix its root binds to `namespace` dropped from element names
 * (`<x:row>` → `<row>`, `</x:row>` → `</row>`), and with `attributes`, the prefix of those attributes
 * renamed to the one exceljs reads (`<sheet rel:id=…>` → `<sheet r:id=…>`). A part that needs neither
 * passes through as it came.
 */
export async function* withoutPrefix(text: AsyncIterable<string>, namespace: string, attributes?: AttributePrefix): AsyncGenerator<string> {
  let pending = '';
  let renames: [RegExp, string][] | undefined;
  const renamed = (part: string) => renames!.reduce((done, [pattern, replacement]) => done.replace(pattern, replacement), part);
  for await (const chunk of text) {
    pending += chunk;
    if (renames === undefined) {
      const root = rootTag.exec(pending);
      // The root's start tag is not whole yet: wait for more (it is at the very start of any part).
      if (!root) continue;
      renames = renamesFor(root[0], namespace, attributes);
    }
    if (renames.length === 0) {
      yield pending;
      pending = '';
      continue;
    }
    // A tag cut by the chunk's end waits for the rest of it.
    const cut = pending.lastIndexOf('<');
    const whole = cut === -1 || pending.indexOf('>', cut) !== -1 ? pending.length : cut;
    yield renamed(pending.slice(0, whole));
    pending = pending.slice(whole);
  }
  if (pending) yield renames ? renamed(pending) : pending;
}
