import { SaxesParser } from 'saxes';

/**
 * Hands `add` the texts of a workbook's shared-strings part (`xl/sharedStrings.xml`), in order, as the
 * parser meets them (a million rows have three million: no promise or array for each): each entry's text
 * with all its runs (`<si><r><t>Da</t></r><r><t>an</t></r></si>` is "Daan"), and null for a plain entry
 * without text (as exceljs holds it: a cell pointing at one is empty). Read with saxes' own handlers, not
 * exceljs' reader of the part: that keeps the phonetic reading Japanese Excel adds (`<rPh><t>…</t></rPh>`)
 * in place of the text, and the line breaks of XML written with indents in it.
 */
export async function readSharedStrings(xml: AsyncIterable<string>, add: (text: string | null) => void): Promise<void> {
  const parser = new SaxesParser({ position: false });
  let failed: Error | null = null;
  parser.on('error', (error) => (failed ??= error));
  /** The entry being read: its text so far (null: none yet), and the run of text being read, if any. */
  let entry: string | null = null;
  let inEntry = false;
  /** Whether the entry is rich text (runs): a cell of it holds text, even an empty one, as in exceljs. */
  let runs = false;
  let inText = false;
  let phonetic = false;
  parser.on('opentag', ({ name }) => {
    if (name === 'si') {
      inEntry = true;
      entry = null;
      runs = false;
    } else if (name === 't') inText = inEntry && !phonetic;
    else if (name === 'r') runs ||= inEntry && !phonetic;
    else if (name === 'rPh') phonetic = true;
  });
  parser.on('text', (text) => {
    if (inText) entry = entry === null ? text : entry + text;
  });
  parser.on('closetag', ({ name }) => {
    if (name === 't') inText = false;
    else if (name === 'rPh') phonetic = false;
    else if (name === 'si') {
      inEntry = false;
      add(runs ? (entry ?? '') : entry);
    }
  });
  for await (const text of xml) {
    parser.write(text);
    if (failed) throw failed;
  }
}
