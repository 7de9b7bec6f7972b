import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIntakeError } from '../../server/core/errors.js';
import { openTable } from '../../server/core/read/open-table.js';
import { assertWorkbook, readTail, tailBytes } from '../../server/core/read/zip.js';
import { cellText, partOfTarget, readXlsx, within } from '../../server/core/read/read-xlsx.js';
import { SharedStringTable } from '../../server/core/read/shared-strings.js';
import { uncalculated } from '../../server/core/read/uncalculated.js';
import { prefixBoundTo, withoutPrefix } from '../../server/core/read/xml-prefix.js';
import { rowLabel } from '../../server/contract/row-label.js';
import { makeSpoolDir, removeAbandonedSpools } from '../../server/core/read/spool.js';
import { Readable } from 'node:stream';
import { bytesOf, craftedZip } from '../support/files.js';
import yauzl from 'yauzl';
import yazl from 'yazl';

const limits = { maxRows: 1000, maxCellChars: 1000, maxColumns: 50 };

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function read(bytes: Uint8Array, options = {}) {
  const table = await openTable(bytesOf(bytes, 4096), limits, options);
  const rows: { row: number; cells: string[] }[] = [];
  try {
    for await (const row of table.rows()) rows.push(row);
  } finally {
    await table.close();
  }
  return { ...table, rows };
}

/** The workbook with one of its entries edited: its other entries as they were. */
async function withEntry(bytes: Uint8Array, name: string, edit: (text: string) => string, options: { compress?: boolean; renameTo?: string } = {}): Promise<Uint8Array> {
  const entries = await new Promise<{ name: string; data: Buffer }[]>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const found: { name: string; data: Buffer }[] = [];
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, async (e, stream) => {
          if (e || !stream) return reject(e);
          found.push({ name: entry.fileName, data: Buffer.concat(await stream.toArray()) });
          zip.readEntry();
        }),
      );
      zip.on('end', () => resolve(found));
      zip.readEntry();
    }),
  );
  const out = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) out.addEmptyDirectory(entry.name);
    else out.addBuffer(entry.name === name ? Buffer.from(edit(entry.data.toString('utf8'))) : entry.data, entry.name === name ? (options.renameTo ?? name) : entry.name, { compress: options.compress ?? true });
  }
  out.end();
  return new Uint8Array(Buffer.concat(await Readable.from(out.outputStream).toArray()));
}

/**
 * A one-sheet workbook ("Leerlingen") of `header` and the row `pim, 1, 2, 3`, its cells named in `cells`
 * (by reference: "B2") written as the given XML instead, as other programs write them.
 */
async function workbookWithCells(header: string[], cells: Record<string, string>): Promise<Uint8Array> {
  const bytes = await workbook((wb) => {
    const ws = wb.addWorksheet('Leerlingen');
    ws.addRow(header);
    ws.addRow(['pim', 1, 2, 3]);
  });
  return withEntry(bytes, 'xl/worksheets/sheet1.xml', (xml) =>
    Object.entries(cells).reduce((edited, [ref, cell]) => {
      const written = new RegExp(`<c r="${ref}"[^>]*><v>[^<]*</v></c>`);
      if (!written.test(edited)) throw new Error(`no cell ${ref} to replace`);
      return edited.replace(written, cell);
    }, xml),
  );
}

async function rejection(bytes: Uint8Array) {
  try {
    await read(bytes);
  } catch (error) {
    if (isIntakeError(error)) return { code: error.code, params: error.params };
    throw error;
  }
  return null;
}

describe('reading Excel workbooks', () => {
  it('refuses reading options that are for a CSV, rather than ignoring them: a workbook has no delimiter or encoding', async () => {
    const bytes = await workbook((wb) => wb.addWorksheet('Leerlingen').addRows([['username', 'email'], ['a', 'a@x.nl']]));
    for (const [option, setting] of [[{ delimiter: ';' }, 'file.delimiter'], [{ encoding: 'windows-1252' }, 'file.encoding']] as const) {
      await expect(read(bytes, option)).rejects.toMatchObject({ code: 'invalid_settings', params: { setting } });
    }
    await expect(read(bytes, { delimiter: ';' })).rejects.toThrow('The file is a workbook (XLSX), not a CSV: it has no delimiter. Leave "file.delimiter" out, or import the CSV.');
  });

  it('keeps identifiers as text, dates as dates, and finds the header under a title block', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Leerlingenlijst 2026 — Het Baken']);
      ws.mergeCells('A1:D1');
      ws.addRow(['Export: 21-11-2026']);
      ws.addRow([]);
      ws.addRow(['Stamnr', 'Roepnaam', 'Achternaam', 'Geboortedatum', 'Telefoon', 'Pasnummer']);
      const row = ws.addRow([12345, 'Zoë', 'de Vries', new Date(Date.UTC(2012, 4, 3)), 612345678, 1234567890123456]);
      row.getCell(5).numFmt = '0000000000';
      row.getCell(4).numFmt = 'dd-mm-yyyy';
      ws.addRow([{ formula: 'A5+1', result: 12346 }, { richText: [{ text: 'Da' }, { text: 'an' }] }, 'Bos', null, '0687654321', null]);
      ws.addRow([]);
      ws.addRow([]);
    });
    const { format, header, rows } = await read(bytes);
    expect(format).toMatchObject({ type: 'xlsx', sheet: 'Leerlingen', headerRow: 4 });
    expect(header).toEqual(['Stamnr', 'Roepnaam', 'Achternaam', 'Geboortedatum', 'Telefoon', 'Pasnummer']);
    expect(rows).toEqual([
      { row: 5, cells: ['12345', 'Zoë', 'de Vries', '2012-05-03', '0612345678', '1234567890123456'] },
      { row: 6, cells: ['12346', 'Daan', 'Bos', '', '0687654321', ''] },
    ]);
  });

  it('gives back through its sealed spool every cell as it was read: quotes, backslashes, tabs, line breaks, any script', async () => {
    const awkward = ['Zoë "Zo" \\ O\'Neil', 'line one\nline two', 'a\tb', '[1,"x"]', '𝒜 名前 Ωμέγα', '12\t34'];
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Roepnaam', 'Opmerking', 'Code', 'Json', 'Schrift', 'Nummer']);
      ws.addRow(awkward);
    });
    const { rows } = await read(bytes);
    expect(rows).toEqual([{ row: 2, cells: awkward }]);
  });

  it('reads a workbook whose entries are stored as they are, not deflated, as it reads a deflated one', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Elever');
      ws.addRow(['Förnamn', 'Efternamn', 'E-post']);
      ws.addRow(['Åsa', 'Öberg', 'asa@skola.se']);
      ws.addRow(['Ayşe', 'Yılmaz', 'ayse@skola.se']);
    });
    const stored = await withEntry(bytes, '', (text) => text, { compress: false });
    expect(stored.length).toBeGreaterThan(bytes.length);
    const expected = [
      { row: 2, cells: ['Åsa', 'Öberg', 'asa@skola.se'] },
      { row: 3, cells: ['Ayşe', 'Yılmaz', 'ayse@skola.se'] },
    ];
    expect((await read(bytes)).rows).toEqual(expected);
    expect((await read(stored)).rows).toEqual(expected);
  });

  it('keeps every letter of names whose bytes the archive splits between two chunks, as shared and as inline strings', async () => {
    // Two-byte letters only: each 16 KB chunk of unpacked XML ends inside one half of the time, and the
    // tens of chunks here leave no chance that none does (exceljs decoded each chunk alone: "Ö" became "��").
    // Each its own shared string (a table of some 400 KB), not a few repeated.
    const names = Array.from({ length: 3000 }, (_, i) => `${'ÅÄÖåäöÜüß'.repeat(2 + (i % 5))}${i}${'é'.repeat(1 + (i % 3))}`);
    const header = ['Förnamn', 'Efternamn'];
    const expected = names.map((name, i) => ({ row: i + 2, cells: [name, `${name}ø`] }));
    const shared = await workbook((wb) => {
      const ws = wb.addWorksheet('Elever');
      ws.addRow(header);
      for (const { cells } of expected) ws.addRow(cells);
    });
    const inline = await withEntry(shared, 'xl/worksheets/sheet1.xml', (xml) =>
      xml.replace(/<c r="([A-Z]+\d+)"( s="\d+")? t="s"><v>(\d+)<\/v><\/c>/g, (_, ref: string, style: string | undefined, index: string) => {
        const text = Number(index) < header.length ? header[Number(index)]! : '';
        return `<c r="${ref}"${style ?? ''} t="inlineStr"><is><t>${text || cellAt(ref)}</t></is></c>`;
      }),
    );
    function cellAt(ref: string): string {
      const [, column, row] = /^([A-Z]+)(\d+)$/.exec(ref)!;
      return expected[Number(row) - 2]!.cells[column === 'A' ? 0 : 1]!;
    }
    expect(Buffer.from(inline).length).not.toBe(Buffer.from(shared).length);
    const limitsOfTest = { ...limits, maxRows: 10_000 };
    for (const bytes of [shared, inline]) {
      const table = await openTable(bytesOf(bytes, 4096), limitsOfTest);
      const rows: { row: number; cells: string[] }[] = [];
      for await (const row of table.rows()) rows.push(row);
      await table.close();
      expect(rows.filter((r) => r.cells.some((c) => c.includes('\uFFFD')))).toEqual([]);
      expect(rows).toEqual(expected);
    }
  });

  it("reads a workbook whose XML names its elements with a prefix (Microsoft's Open XML SDK: <x:row>) as the same workbook without", async () => {
    const plain = await workbook((wb) => {
      wb.addWorksheet('Uitleg').addRow(['Vul het tabblad Leerlingen in']);
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam', 'Geboortedatum']);
      ws.addRow(['zvries', 'Zoë', 'de Vries', new Date(Date.UTC(2012, 4, 3))]).getCell(4).numFmt = 'dd-mm-yyyy';
      ws.addRow(['jbos', 'Jan', 'Bos', null]);
    });
    /** Every element of the part in the namespace its root declares as default, named with `prefix` instead. */
    const prefixed = (prefix: string, namespace: string) => (xml: string) =>
      xml.replace(/<(\/?)([A-Za-z][\w.-]*)(?=[\s/>])/g, `<$1${prefix}:$2`).replace(`xmlns="${namespace}"`, `xmlns:${prefix}="${namespace}"`);
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    let bytes = plain;
    for (const part of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/styles.xml']) bytes = await withEntry(bytes, part, prefixed('x', main));
    // The sheets' relationship ids with a prefix of their own (`relationships:id`, not Excel's `r:id`).
    bytes = await withEntry(bytes, 'xl/workbook.xml', (xml) => xml.replace('xmlns:r=', 'xmlns:relationships=').replaceAll(' r:id=', ' relationships:id='));
    // As Python's ElementTree writes them: ns0.
    bytes = await withEntry(bytes, 'xl/_rels/workbook.xml.rels', prefixed('ns0', 'http://schemas.openxmlformats.org/package/2006/relationships'));
    const sheet = await withEntry(bytes, '', (text) => text, { compress: false });
    expect(new TextDecoder().decode(sheet)).toContain('<x:row r="2"');
    expect(new TextDecoder().decode(sheet)).toContain(' relationships:id="rId');
    const expected = await read(plain);
    expect(expected.rows).toEqual([
      { row: 2, cells: ['zvries', 'Zoë', 'de Vries', '2012-05-03'] },
      { row: 3, cells: ['jbos', 'Jan', 'Bos', ''] },
    ]);
    const got = await read(bytes);
    expect({ format: got.format, header: got.header, rows: got.rows }).toEqual({ format: expected.format, header: expected.header, rows: expected.rows });
    expect(got.format).toMatchObject({ sheet: 'Leerlingen', sheets: ['Uitleg', 'Leerlingen'] });
  });

  it('reads all runs of an inline rich text, without its phonetic reading, and no indent of XML written for reading', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam', 'Stamnr']);
      ws.addRow(['daan', 'placeholder', 'placeholder', 'placeholder']);
    });
    const inline = await withEntry(bytes, 'xl/worksheets/sheet1.xml', (xml) =>
      xml.replace(
        /<row r="2"(.*?)>.*<\/row>/,
        `<row r="2"$1><c r="A2" t="inlineStr"><is><t>daan</t></is></c>` +
          // Runs as an editor writes a name it formatted in part; a reading aid as Japanese Excel adds one.
          `<c r="B2" t="inlineStr"><is><r><t>Da</t></r><r><rPr><b/></rPr><t>an</t></r><rPh sb="0" eb="1"><t>ダーン</t></rPh></is></c>` +
          `<c r="C2" t="inlineStr">\n      <is>\n        <t>de Vries</t>\n      </is>\n    </c>` +
          `<c r="D2">\n      <v>12345</v>\n    </c></row>`,
      ),
    );
    expect((await read(inline)).rows).toEqual([{ row: 2, cells: ['daan', 'Daan', 'de Vries', '12345'] }]);
  });

  it('reads shared strings as their text: all runs, no phonetic reading, no indent of XML written for reading', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam']);
      ws.addRow(['eerste', 'tweede', 'derde']);
    });
    const edited = await withEntry(bytes, 'xl/sharedStrings.xml', (xml) =>
      xml
        .replace('<si><t>eerste</t></si>', '<si>\n    <t>yamada</t>\n  </si>')
        .replace('<si><t>tweede</t></si>', '<si><t>太郎</t><rPh sb="0" eb="2"><t>タロウ</t></rPh><phoneticPr fontId="1"/></si>')
        .replace('<si><t>derde</t></si>', '<si>\n  <r><t>Ya</t></r>\n  <r><rPr><b/></rPr><t xml:space="preserve">mada </t></r>\n</si>'),
    );
    expect(new TextDecoder().decode(await withEntry(edited, '', (t) => t, { compress: false }))).toContain('タロウ');
    expect((await read(edited)).rows).toEqual([{ row: 2, cells: ['yamada', '太郎', 'Yamada'] }]);
  });

  it("reads a formula's error (a VLOOKUP that found nothing) and an error cell as Excel shows them, not as empty cells", async () => {
    const failed = await workbookWithCells(['Gebruikersnaam', 'E-mailadres', 'Achternaam', 'Klas'], {
      B2: '<c r="B2" t="e"><f>VLOOKUP(A2,Adressen!A:B,2,FALSE)</f><v>#N/A</v></c>',
      C2: '<c r="C2" t="e"><v>#REF!</v></c>',
      D2: '<c r="D2" t="str"><f>"1"&amp;"A"</f><v>1A</v></c>',
    });
    expect(new TextDecoder().decode(await withEntry(failed, '', (t) => t, { compress: false }))).toContain('<v>#N/A</v>');
    expect((await read(failed)).rows).toEqual([{ row: 2, cells: ['pim', '#N/A', '#REF!', '1A'] }]);
  });

  it('reads a formula a program wrote without its result (nothing calculated it) as such, not as an empty cell', async () => {
    const written = await workbookWithCells(['Gebruikersnaam', 'E-mailadres', 'Code', 'Klas'], {
      B2: '<c r="B2"><f>CONCAT(A2,"@school.nl")</f></c>',
      // openpyxl writes an empty value beside a formula it cannot calculate.
      C2: '<c r="C2"><f t="shared" si="0"/><v></v></c>',
      // Excel's text formula keeps its text, calculated or not.
      D2: '<c r="D2"><f>"1A"</f></c>',
      // A header made so is named by its formula, as Excel's formula bar shows it.
      C1: '<c r="C1"><f>UPPER("code")</f></c>',
    });
    const table = await read(written);
    expect(table.rows).toEqual([{ row: 2, cells: ['pim', uncalculated('CONCAT(A2,"@school.nl")'), uncalculated(''), '1A'] }]);
    expect(table.header).toEqual(['Gebruikersnaam', 'E-mailadres', '=UPPER("code")', 'Klas']);
  });

  it("names each sheet by the workbook's relationship to its part, absolute as Python's openpyxl writes it or relative as Excel does", async () => {
    const bytes = await workbook((wb) => {
      for (const school of ['Sörgårdsskolan', 'Engelbrektskolan']) {
        const ws = wb.addWorksheet(school);
        ws.addRow(['Förnamn', 'Efternamn', 'E-post', 'Klass']);
        ws.addRow(['Åsa', school.slice(0, 4), `${school.slice(0, 4).toLowerCase()}@skola.se`, '1A']);
      }
    });
    const absolute = await withEntry(bytes, 'xl/_rels/workbook.xml.rels', (xml) => xml.replaceAll('Target="worksheets/', 'Target="/xl/worksheets/'));
    expect(new TextDecoder().decode(await withEntry(absolute, '', (t) => t, { compress: false }))).toContain('Target="/xl/worksheets/sheet2.xml"');
    for (const file of [bytes, absolute]) {
      const { format, rows } = await read(file);
      expect(format).toMatchObject({ sheets: ['Sörgårdsskolan', 'Engelbrektskolan'], sheetsRead: ['Sörgårdsskolan', 'Engelbrektskolan'], sheetColumn: 'school' });
      expect(rows.map((r) => r.cells[4])).toEqual(['Sörgårdsskolan', 'Engelbrektskolan']);
    }
    expect(['worksheets/sheet1.xml', '/xl/worksheets/sheet1.xml', './worksheets/sheet1.xml', '../xl/worksheets/sheet1.xml'].map(partOfTarget)).toEqual(Array(4).fill('xl/worksheets/sheet1.xml'));
  });

  it('reads a date written as ISO 8601 text (t="d", Strict Open XML and SheetJS) as the date it names', async () => {
    const dated = await workbookWithCells(['Gebruikersnaam', 'Geboortedatum', 'Ingang', 'Opmerking'], {
      B2: '<c r="B2" t="d"><v>2010-05-01</v></c>',
      C2: '<c r="C2" t="d"><v>2026-08-15T08:30:00</v></c>',
      D2: '<c r="D2" t="d"><v>volgend jaar</v></c>',
    });
    expect(new TextDecoder().decode(await withEntry(dated, '', (t) => t, { compress: false }))).toContain('t="d"><v>2010-05-01');
    expect((await read(dated)).rows).toEqual([{ row: 2, cells: ['pim', '2010-05-01', '2026-08-15 08:30', 'volgend jaar'] }]);
  });

  it("reads the sheets the workbook's relationships name, whatever their parts are called (the Open XML SDK's first is sheet.xml)", async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('Uitleg').addRow(['Vul het tabblad Leerlingen in']);
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam']);
      ws.addRow(['pim', 'Pim', 'Janssen']);
    });
    let renamed = await withEntry(bytes, 'xl/worksheets/sheet1.xml', (xml) => xml, { renameTo: 'xl/worksheets/sheet.xml' });
    renamed = await withEntry(renamed, 'xl/worksheets/sheet2.xml', (xml) => xml, { renameTo: 'xl/worksheets/Leerlingen.xml' });
    renamed = await withEntry(renamed, 'xl/_rels/workbook.xml.rels', (xml) => xml.replace('Target="worksheets/sheet1.xml"', 'Target="/xl/worksheets/sheet.xml"').replace('Target="worksheets/sheet2.xml"', 'Target="worksheets/Leerlingen.xml"'));
    const { format, rows } = await read(renamed);
    expect(format).toMatchObject({ sheet: 'Leerlingen', sheets: ['Uitleg', 'Leerlingen'] });
    expect(rows).toEqual([{ row: 2, cells: ['pim', 'Pim', 'Janssen'] }]);
  });

  it("passes over a hidden sheet (a template's lists for its drop-downs), unless the settings name it", async () => {
    const bytes = await workbook((wb) => {
      const lists = wb.addWorksheet('Lijsten');
      lists.state = 'hidden';
      lists.addRow(['Klas', 'Rol']);
      lists.addRow(['1A', 'leerling']);
      lists.addRow(['1B', 'docent']);
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'Achternaam', 'Klas']);
      ws.addRow(['pim', 'Janssen', '1A']);
    });
    const { format, rows } = await read(bytes);
    expect(format).toMatchObject({ sheet: 'Leerlingen', sheets: ['Leerlingen'], otherDataSheets: [] });
    expect(rows).toEqual([{ row: 2, cells: ['pim', 'Janssen', '1A'] }]);
    expect((await read(bytes, { sheet: 'lijsten' })).rows).toEqual([
      { row: 2, cells: ['1A', 'leerling'] },
      { row: 3, cells: ['1B', 'docent'] },
    ]);
  });

  it('drops a prefix from element names however the text is cut into chunks, and leaves unprefixed XML and other namespaces as they are', async () => {
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const xml = `<?xml version="1.0"?><x:sst xmlns:x="${ns}" xmlns:mc="urn:mc"><x:si><x:t>a &lt; b</x:t></x:si><mc:x:no/><x:si><x:t xml:space="preserve"> c </x:t></x:si></x:sst>`;
    const unprefixed = `<?xml version="1.0"?><sst xmlns:x="${ns}" xmlns:mc="urn:mc"><si><t>a &lt; b</t></si><mc:x:no/><si><t xml:space="preserve"> c </t></si></sst>`;
    const cutInto = (text: string, size: number) => Readable.from(Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size)));
    const joined = async (chunks: AsyncIterable<string>) => {
      let text = '';
      for await (const chunk of chunks) text += chunk;
      return text;
    };
    for (const size of [1, 2, 3, 5, 8, 13, 1000]) {
      expect(await joined(withoutPrefix(cutInto(xml, size), ns)), `chunks of ${size}`).toBe(unprefixed);
      expect(await joined(withoutPrefix(cutInto(unprefixed.replace('xmlns:x=', 'xmlns='), size), ns))).toBe(unprefixed.replace('xmlns:x=', 'xmlns='));
    }
    expect(prefixBoundTo(`<ns0:Relationships xmlns:ns0='urn:other' xmlns:r="${ns}">`, ns)).toBe('r:');
    expect(prefixBoundTo(`<worksheet xmlns="${ns}">`, ns)).toBe('');
  });

  it("keeps a workbook's shared strings compactly, each given back as it went in", () => {
    const table = new SharedStringTable();
    const strings = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `Zoë ${i} Yılmaz 🎓` : i % 3 === 1 ? `s${i}@school.example` : ''));
    strings.forEach((text) => table.add(text));
    table.add(null);
    expect(table.size).toBe(20_001);
    expect(strings.every((text, i) => table.get(i) === text)).toBe(true);
    // An entry without text is no text at all (exceljs: no cell); an index past the table is nothing.
    expect(table.get(20_000)).toBeNull();
    expect([table.get(20_001), table.get(-1), table.get(Number.NaN)]).toEqual([undefined, undefined, undefined]);
  });

  it("keeps a large table's text on disk, sealed, and gives each string back in any order", async () => {
    const dir = await makeSpoolDir();
    try {
      const path = join(dir, 'shared-strings');
      const table = new SharedStringTable(0, path);
      // Some longer than a block read at once, some crossing the blocks' edges.
      const strings = Array.from({ length: 30_000 }, (_, i) => (i % 1000 === 7 ? `Zoë Yılmaz 🎓 `.repeat(2000) + i : i % 3 === 0 ? `Zoë ${i} Yılmaz 🎓` : i % 3 === 1 ? `s${i}@school.example` : ''));
      strings.forEach((text) => table.add(text));
      table.add(null);
      const onDisk = readFileSync(path);
      expect(onDisk.length).toBeGreaterThan(500_000);
      expect(onDisk.includes(Buffer.from('@school.example'))).toBe(false);
      expect(strings.every((text, i) => table.get(i) === text)).toBe(true);
      const shuffled = strings.map((_, i) => (i * 7919) % strings.length);
      expect(shuffled.every((i) => table.get(i) === strings[i])).toBe(true);
      expect([table.get(30_000), table.get(30_001)]).toEqual([null, undefined]);
      table.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells how many rows it has read as it reads a large sheet (a workbook is read whole as it opens)', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'E-mailadres']);
      for (let i = 0; i < 25_000; i++) ws.addRow([`u${i}`, `u${i}@school.nl`]);
    });
    const told: number[] = [];
    const table = await openTable(bytesOf(bytes, 65536), { ...limits, maxRows: 30_000 }, {}, (rows) => void told.push(rows));
    await table.close();
    expect(told).toEqual([10_000, 20_000]);
  });

  it('writes a fraction as Excel shows it, to fifteen significant digits', () => {
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(1.5)).toBe('1.5');
    expect(cellText(41000.25)).toBe('41000.25');
  });

  it('reads another sheet by name or position, and names the sheets when one is missing', async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('Uitleg').addRow(['Dit tabblad legt uit']);
      const ws = wb.addWorksheet('Docenten');
      ws.addRow(['Gebruikersnaam', 'E-mailadres']);
      ws.addRow(['jbos', 'j.bos@school.nl']);
    });
    expect((await read(bytes, { sheet: 'docenten' })).rows[0]!.cells).toEqual(['jbos', 'j.bos@school.nl']);
    expect((await read(bytes, { sheet: 2 })).format).toMatchObject({ sheet: 'Docenten', sheets: ['Uitleg', 'Docenten'] });
    await expect(read(bytes, { sheet: 'Leerlingen' })).rejects.toMatchObject({ code: 'invalid_settings', params: { sheets: ['Uitleg', 'Docenten'] } });
  });

  it('reads, unless told which, the first sheet with a header: past an instructions sheet, else the first', async () => {
    const template = await workbook((wb) => {
      const help = wb.addWorksheet('Instructies');
      help.addRow(['Vul het tabblad Leerlingen in']);
      help.addRow(['Roepnaam', 'de naam waarmee de leerling wordt aangesproken']);
      // A limit broken on a sheet that is passed over does not refuse the file.
      help.addRow(['x'.repeat(limits.maxCellChars + 1)]);
      const pupils = wb.addWorksheet('Leerlingen');
      pupils.addRow(['Lijst 2026']);
      pupils.addRow(['Roepnaam', 'Achternaam', 'E-mailadres']);
      pupils.addRow(['Zoë', 'Bos', 'zoe@school.nl']);
      // Other columns than the pupils': not read with them (sheetsRead below).
      const teachers = wb.addWorksheet('Docenten');
      teachers.addRow(['Roepnaam', 'Achternaam', 'E-mailadres', 'Vak']);
      teachers.addRow(['Jan', 'Dekker', 'jan@school.nl', 'Engels']);
    });
    const found = await read(template);
    // The teachers' sheet holds data too: named, so that nobody thinks they were imported.
    expect(found.format).toEqual({ type: 'xlsx', sheet: 'Leerlingen', sheets: ['Instructies', 'Leerlingen', 'Docenten'], otherDataSheets: ['Docenten'], headerRow: 2 });
    expect(found.rows).toEqual([{ row: 3, cells: ['Zoë', 'Bos', 'zoe@school.nl'] }]);
    // Told, it reads what it was told, even the sheet it would pass over (and then its limits hold).
    const teachers = await read(template, { sheet: 'Docenten' });
    expect(teachers.rows).toEqual([{ row: 2, cells: ['Jan', 'Dekker', 'jan@school.nl', 'Engels'] }]);
    expect(teachers.format).toMatchObject({ otherDataSheets: ['Leerlingen'] });
    await expect(read(template, { sheet: 1 })).rejects.toMatchObject({ code: 'cell_too_large' });
    const noHeaders = await workbook((wb) => {
      wb.addWorksheet('Blad1').addRow(['kolom a', 'kolom b']);
      wb.addWorksheet('Blad2').addRow(['kolom c']);
    });
    expect((await read(noHeaders)).format).toMatchObject({ sheet: 'Blad1', otherDataSheets: [] });
  });

  it("reads with the first sheet of data the sheets after it that repeat its header (a municipality's sheet per school), each row numbered with its sheet", async () => {
    const municipality = await workbook((wb) => {
      wb.addWorksheet('Instruktioner').addRow(['Fyll i ett blad per skola']);
      const first = wb.addWorksheet('Engelbrektskolan');
      first.addRows([['Elevlista 2026'], ['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Astrid', 'Lind', 'astrid@skola.example', '7A'], ['Nils', 'Holm', 'nils@skola.example', '7B']]);
      // Its own title block is gone, and its header written in other capitals: the same columns.
      const second = wb.addWorksheet('Sörgårdsskolan');
      second.addRows([['förnamn', 'efternamn', 'e-post', 'klass'], ['Greta', 'Berg', 'greta@skola.example', '8A'], [], ['Olle', 'Ek', 'olle@skola.example', '8B']]);
      // The same columns on a sheet named for a role: teachers, not one more school.
      wb.addWorksheet('Lärare').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Karin', 'Ek', 'karin@skola.example', '']]);
      // Other columns: left for a run of its own.
      wb.addWorksheet('Vårdnadshavare').addRows([['Förnamn', 'Efternamn', 'E-post'], ['Per', 'Lind', 'per@hem.example']]);
    });
    const found = await read(municipality);
    expect(found.format).toEqual({
      type: 'xlsx',
      sheet: 'Engelbrektskolan',
      sheets: ['Instruktioner', 'Engelbrektskolan', 'Sörgårdsskolan', 'Lärare', 'Vårdnadshavare'],
      sheetsRead: ['Engelbrektskolan', 'Sörgårdsskolan'],
      sheetColumn: 'school',
      otherDataSheets: ['Lärare', 'Vårdnadshavare'],
      headerRow: 2,
    });
    // No column names the school: each sheet's name does, in a column of its own.
    expect(found.header).toEqual(['Förnamn', 'Efternamn', 'E-post', 'Klass', 'school']);
    expect(found.rows.map((r) => [rowLabel(r.row, found.format.type === 'xlsx' ? found.format.sheetsRead : undefined), r.cells[0], r.cells[4]])).toEqual([
      ['3 (Engelbrektskolan)', 'Astrid', 'Engelbrektskolan'],
      ['4 (Engelbrektskolan)', 'Nils', 'Engelbrektskolan'],
      ['2 (Sörgårdsskolan)', 'Greta', 'Sörgårdsskolan'],
      ['4 (Sörgårdsskolan)', 'Olle', 'Sörgårdsskolan'],
    ]);
    // Numbered apart, in file order: every row of the import has a number of its own.
    expect(found.rows.map((r) => r.row)).toEqual([3, 4, 10_000_002, 10_000_004]);
    // A limit broken on a sheet read with the first is said with its sheet.
    const overlong = await workbook((wb) => {
      wb.addWorksheet('Engelbrektskolan').addRows([['Förnamn', 'Efternamn'], ['Astrid', 'Lind']]);
      wb.addWorksheet('Sörgårdsskolan').addRows([['Förnamn', 'Efternamn'], ['Greta', 'x'.repeat(limits.maxCellChars + 1)]]);
    });
    await expect(read(overlong)).rejects.toMatchObject({ code: 'cell_too_large', message: expect.stringContaining('Sheet "Sörgårdsskolan": Row 2'), params: { row: 2, sheet: 'Sörgårdsskolan' } });
    // A sheet chosen by name, or a header row chosen by hand, is read alone.
    expect((await read(municipality, { sheet: 'Sörgårdsskolan' })).rows.map((r) => r.row)).toEqual([2, 4]);
    expect((await read(municipality, { headerRow: 2 })).format).toMatchObject({ sheet: 'Engelbrektskolan', otherDataSheets: ['Sörgårdsskolan', 'Lärare', 'Vårdnadshavare'] });
    expect((await read(municipality, { headerRow: 2 })).format).not.toHaveProperty('sheetsRead');
  });

  it('reads sheets named for roles together, each row holding its sheet as its role, unless a column names the role', async () => {
    const school = await workbook((wb) => {
      wb.addWorksheet('Elever').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Elsa', 'Berg', 'elsa@skola.example', '7A'], []]);
      wb.addWorksheet('Lärare').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Karin', 'Ek', 'karin@skola.example']]);
    });
    const found = await read(school);
    expect(found.format).toMatchObject({ sheet: 'Elever', sheetsRead: ['Elever', 'Lärare'], sheetColumn: 'role', otherDataSheets: [] });
    expect(found.header).toEqual(['Förnamn', 'Efternamn', 'E-post', 'Klass', 'role']);
    expect(found.rows).toEqual([
      { row: 2, cells: ['Elsa', 'Berg', 'elsa@skola.example', '7A', 'Elever'] },
      { row: 10_000_002, cells: ['Karin', 'Ek', 'karin@skola.example', '', 'Lärare'] },
    ]);
    // A sheet of teachers without the pupils' class column (and its columns in another order): read with
    // them, nothing in that column; a sheet with a column of its own is read apart.
    const fewer = await workbook((wb) => {
      wb.addWorksheet('Elever').addRows([['Förnamn', 'Efternamn', 'E-post', 'Klass'], ['Elsa', 'Berg', 'elsa@skola.example', '7A']]);
      wb.addWorksheet('Lärare').addRows([['E-post', 'Förnamn', 'Efternamn'], ['karin@skola.example', 'Karin', 'Ek', 'a note']]);
      wb.addWorksheet('Kandidater').addRows([['Förnamn', 'Efternamn', 'Ämne'], ['Per', 'Lind', 'Svenska']]);
    });
    const both = await read(fewer);
    expect(both.format).toMatchObject({ sheetsRead: ['Elever', 'Lärare'], sheetColumn: 'role', otherDataSheets: ['Kandidater'] });
    expect(both.rows.map((r) => r.cells)).toEqual([
      ['Elsa', 'Berg', 'elsa@skola.example', '7A', 'Elever'],
      ['Karin', 'Ek', 'karin@skola.example', '', 'Lärare', 'a note'],
    ]);
    // Schools' sheets must have every column: a sheet of fewer is another list (guardians, say).
    const schools = await workbook((wb) => {
      wb.addWorksheet('Vasaskolan').addRows([['Förnamn', 'Efternamn', 'E-post'], ['Elsa', 'Berg', 'elsa@skola.example']]);
      wb.addWorksheet('Norrskolan').addRows([['Förnamn', 'Efternamn'], ['Karin', 'Ek']]);
    });
    expect((await read(schools)).format).toMatchObject({ sheet: 'Vasaskolan', otherDataSheets: ['Norrskolan'] });
    // A role column of their own: the sheets are read together, each row's role its own.
    const withRoles = await workbook((wb) => {
      wb.addWorksheet('Elever').addRows([['Förnamn', 'Efternamn', 'Roll'], ['Elsa', 'Berg', 'elev']]);
      wb.addWorksheet('Lärare').addRows([['Förnamn', 'Efternamn', 'Roll'], ['Karin', 'Ek', 'mentor']]);
    });
    const own = await read(withRoles);
    expect(own.format).toMatchObject({ sheetsRead: ['Elever', 'Lärare'] });
    expect(own.format).not.toHaveProperty('sheetColumn');
    expect(own.rows.map((r) => r.cells)).toEqual([
      ['Elsa', 'Berg', 'elev'],
      ['Karin', 'Ek', 'mentor'],
    ]);
  });

  it("takes a municipality's sheets for schools when most of them name a school and the others are names of places", async () => {
    const municipality = await workbook((wb) => {
      wb.addWorksheet('Vasaskolan').addRows([['Förnamn', 'Efternamn'], ['Astrid', 'Lind']]);
      wb.addWorksheet('Het Baken').addRows([['Förnamn', 'Efternamn'], ['Greta', 'Berg']]);
      wb.addWorksheet('Engelbrektskolan').addRows([['Förnamn', 'Efternamn'], ['Olle', 'Ek']]);
    });
    const found = await read(municipality);
    expect(found.format).toMatchObject({ sheetsRead: ['Vasaskolan', 'Het Baken', 'Engelbrektskolan'], sheetColumn: 'school' });
    expect(found.rows.map((r) => r.cells[2])).toEqual(['Vasaskolan', 'Het Baken', 'Engelbrektskolan']);
    // Most of them plain names: nothing sure enough to make schools of.
    const mostlyNames = await workbook((wb) => {
      for (const name of ['Vasaskolan', 'Het Baken', 'De Regenboog']) wb.addWorksheet(name).addRows([['Förnamn', 'Efternamn'], ['Astrid', 'Lind']]);
    });
    expect((await read(mostlyNames)).format).not.toHaveProperty('sheetColumn');
  });

  it('reads a sheet that names the same columns in another order with the first, its cells put in the first one\'s order', async () => {
    const schools = await workbook((wb) => {
      wb.addWorksheet('Engelbrektskolan').addRows([['Förnamn', 'Efternamn', 'E-post'], ['Astrid', 'Lind', 'astrid@skola.example']]);
      wb.addWorksheet('Sörgårdsskolan').addRows([['E-post', 'förnamn', 'Efternamn'], ['greta@skola.example', 'Greta', 'Berg']]);
      // A repeated header leaves unclear which column is which: read apart.
      wb.addWorksheet('Norrskolan').addRows([['E-post', 'Förnamn', 'Förnamn'], ['olle@skola.example', 'Olle', 'Ek']]);
    });
    const found = await read(schools);
    expect(found.format).toMatchObject({ sheetsRead: ['Engelbrektskolan', 'Sörgårdsskolan'], sheetColumn: 'school', otherDataSheets: ['Norrskolan'] });
    expect(found.rows.map((r) => r.cells)).toEqual([
      ['Astrid', 'Lind', 'astrid@skola.example', 'Engelbrektskolan'],
      ['Greta', 'Berg', 'greta@skola.example', 'Sörgårdsskolan'],
    ]);
  });

  it("never reads another version of a list with it (last year's sheet, a copy, an old list), nor a sheet gathering the others", async () => {
    for (const [current, other] of [
      ['Leerlingen 2026', 'Leerlingen 2025'],
      ['Leerlingen', 'Leerlingen (2)'],
      ['Leerlingen 25-26', 'Leerlingen 24-25'],
      ['Leerlingen', 'Oud'],
      ['Elever', 'Elever kopia'],
      // A sheet that gathers the others: every person would come twice.
      ['Vasaskolan', 'Alla elever'],
      ['Overzicht', 'Het Baken'],
      ['Norrskolan', 'Översikt'],
    ]) {
      const versions = await workbook((wb) => {
        wb.addWorksheet(current!).addRows([['Roepnaam', 'Achternaam'], ['Zoë', 'Bos']]);
        wb.addWorksheet(other!).addRows([['Roepnaam', 'Achternaam'], ['Jan', 'Dekker']]);
      });
      const found = await read(versions);
      expect(found.format, `${current} beside ${other}`).toMatchObject({ sheet: current, otherDataSheets: [other] });
      expect(found.format).not.toHaveProperty('sheetsRead');
      expect(found.rows).toHaveLength(1);
    }
  });

  it('gives rows the class their sheets name, and nothing from names a spreadsheet made up', async () => {
    const perClass = await workbook((wb) => {
      wb.addWorksheet('7A').addRows([['Roepnaam', 'Achternaam'], ['Zoë', 'Bos']]);
      wb.addWorksheet('Klas 7B').addRows([['Roepnaam', 'Achternaam'], ['Jan', 'Dekker']]);
    });
    const classes = await read(perClass);
    expect(classes.format).toMatchObject({ sheetsRead: ['7A', 'Klas 7B'], sheetColumn: 'class' });
    // A primary school's combined groups ("Groep 5/6": Excel allows no "/" in a sheet's name).
    const combined = await workbook((wb) => {
      wb.addWorksheet('Groep 5-6').addRows([['Roepnaam', 'Achternaam'], ['Zoë', 'Bos']]);
      wb.addWorksheet('Groep 7-8').addRows([['Roepnaam', 'Achternaam'], ['Jan', 'Dekker']]);
    });
    expect((await read(combined)).format).toMatchObject({ sheetsRead: ['Groep 5-6', 'Groep 7-8'], sheetColumn: 'class' });
    expect(classes.rows.map((r) => r.cells)).toEqual([
      ['Zoë', 'Bos', '7A'],
      ['Jan', 'Dekker', 'Klas 7B'],
    ]);
    // Names that may be anything make nothing: a list in parts, a spreadsheet's own names.
    for (const names of [['Blad1', 'Blad2'], ['Deel 1', 'Deel 2'], ['Lijst A', 'Lijst B'], ['Het Baken', 'De Regenboog'], ['Basisschool De Linde', 'Lijst A']]) {
      const unnamed = await workbook((wb) => {
        wb.addWorksheet(names[0]!).addRows([['Roepnaam', 'Achternaam'], ['Zoë', 'Bos']]);
        wb.addWorksheet(names[1]!).addRows([['Roepnaam', 'Achternaam'], ['Jan', 'Dekker']]);
      });
      const plain = await read(unnamed);
      expect(plain.format).toMatchObject({ sheetsRead: names });
      expect(plain.format, names.join(' + ')).not.toHaveProperty('sheetColumn');
      expect(plain.header).toEqual(['Roepnaam', 'Achternaam']);
    }
  });

  it('parses a sheet only as far as it is wanted: a passed-over sheet to its header, an inspected one to its first rows', async () => {
    const bytes = await workbook((wb) => {
      const pupils = wb.addWorksheet('Leerlingen');
      pupils.addRow(['Roepnaam', 'Achternaam', 'E-mailadres']);
      for (let i = 0; i < 200; i++) pupils.addRow([`Kind${i}`, 'Bos', `kind${i}@school.nl`]);
      const teachers = wb.addWorksheet('Docenten');
      teachers.addRow(['Roepnaam', 'Achternaam', 'E-mailadres', 'Vak']);
      for (let i = 0; i < 990; i++) teachers.addRow([`Docent${i}`, 'Dekker', `docent${i}@school.nl`, 'Engels']);
    });
    // The teachers' sheet broken far past its first rows (beyond the first chunks of its XML), as no XML parser would take it.
    const damaged = await withEntry(bytes, 'xl/worksheets/sheet2.xml', (xml) => xml.replace('<row r="900"', '<row r="900"><<<'));
    const found = await read(damaged);
    expect(found.rows).toHaveLength(200);
    expect(found.format).toMatchObject({ sheet: 'Leerlingen', otherDataSheets: ['Docenten'] });
    // Read, it is refused for what it is.
    await expect(read(damaged, { sheet: 'Docenten' })).rejects.toMatchObject({ code: 'unreadable' });
    // Inspected (the header and the first rows the mapping shows), the sheet read is not parsed whole either.
    const table = await openTable(bytesOf(damaged, 4096), { ...limits, leadingRows: 25 }, { sheet: 'Docenten' });
    try {
      const rows: string[][] = [];
      for await (const row of table.rows()) rows.push(row.cells);
      expect(table.header).toEqual(['Roepnaam', 'Achternaam', 'E-mailadres', 'Vak']);
      expect(rows).toHaveLength(24);
      expect(rows[0]).toEqual(['Docent0', 'Dekker', 'docent0@school.nl', 'Engels']);
    } finally {
      await table.close();
    }
  });

  it('takes the header row the admin names', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Blad1');
      ws.addRow(['a', 'b']);
      ws.addRow(['kolom 1', 'kolom 2']);
      ws.addRow(['x', 'y']);
    });
    const { header, rows } = await read(bytes, { headerRow: 2 });
    expect(header).toEqual(['kolom 1', 'kolom 2']);
    expect(rows).toEqual([{ row: 3, cells: ['x', 'y'] }]);
  });

  it('leaves no spooled rows behind', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('intake-xlsx-')).length;
    const bytes = await workbook((wb) => {
      wb.addWorksheet('Uitleg').addRow(['Dit tabblad legt uit']);
      wb.addWorksheet('A').addRow(['Gebruikersnaam', 'E-mailadres']);
      wb.addWorksheet('B').addRow(['Gebruikersnaam', 'E-mailadres']);
    });
    await read(bytes);
    await expect(read(bytes, { sheet: 'C' })).rejects.toMatchObject({ code: 'invalid_settings' });
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('intake-xlsx-')).length).toBe(before);
  });

  it('writes no cell in plaintext anywhere as it reads: no sheet parked by exceljs, its own spool sealed', async () => {
    // exceljs' writer stores the sheet before the shared strings, as Excel does: the order in which
    // exceljs parks a sheet in a temporary file of its own.
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Leerlingen');
      ws.addRow(['Gebruikersnaam', 'Wachtwoord', 'E-mailadres']);
      for (let i = 0; i < 200; i++) ws.addRow([`leerling${i}`, `Geheim-${i}-wachtwoord`, `l${i}@school.example`]);
    });
    const created: string[] = [];
    const watcher = watch(tmpdir(), (_event, name) => {
      if (name) created.push(name);
    });
    try {
      const table = await openTable(bytesOf(bytes, 4096), limits);
      try {
        const spools = [...new Set(created.filter((name) => name.startsWith('intake-xlsx-')))].flatMap((dir) => {
          try {
            return readdirSync(join(tmpdir(), dir)).map((spool) => readFileSync(join(tmpdir(), dir, spool)));
          } catch {
            return []; // another test file's read, finished meanwhile
          }
        });
        expect(spools.length).toBeGreaterThan(0);
        for (const spool of spools) expect(spool.includes('Geheim-7-wachtwoord') || spool.includes('leerling7')).toBe(false);
        const rows: string[][] = [];
        for await (const row of table.rows()) rows.push(row.cells);
        expect(rows[7]).toEqual(['leerling7', 'Geheim-7-wachtwoord', 'l7@school.example']);
      } finally {
        await table.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      watcher.close();
    }
    expect(created.filter((name) => name.startsWith(`tmp-${process.pid}-`))).toEqual([]);
  });

  it('removes the spools of reads whose process died once they are a day old, and nothing else', async () => {
    const old = await makeSpoolDir();
    writeFileSync(join(old, 'rows.jsonl'), 'sealed');
    const dayAgo = (Date.now() - 25 * 60 * 60 * 1000) / 1000;
    utimesSync(old, dayAgo, dayAgo);
    const fresh = await makeSpoolDir();
    const other = mkdtempSync(join(tmpdir(), 'not-intake-'));
    utimesSync(other, dayAgo, dayAgo);
    try {
      expect(await removeAbandonedSpools()).toBeGreaterThanOrEqual(1);
      expect([existsSync(old), existsSync(fresh), existsSync(other)]).toEqual([false, true, true]);
    } finally {
      for (const dir of [old, fresh, other]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads every cell as exceljs\' own streaming reader does, without its Row and Cell objects', async () => {
    /** The sheet's rows as exceljs' WorksheetReader gives them, each cell as the text Intake makes of it. */
    async function byExcelJs(bytes: Uint8Array, sheet: number) {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' } as ExcelJS.stream.xlsx.WorkbookStreamReaderOptions);
      const rows: { row: number; cells: string[] }[] = [];
      let n = 0;
      for await (const worksheet of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
        n++;
        for await (const row of worksheet) {
          if (n !== sheet) continue;
          const cells: string[] = [];
          row.eachCell({ includeEmpty: false }, (cell, column) => (cells[column - 1] = cellText(cell.value, cell.numFmt)));
          rows.push({ row: row.number, cells: Array.from(cells, (c) => c ?? '') });
        }
      }
      return rows;
    }
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a & b', '<tag>', '"quoted"', 'Zoë Yılmaz', '  spaced  ', '0012'));
    const value = fc.oneof(
      text,
      fc.integer({ min: -1e9, max: 1e12 }),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.boolean(),
      fc.date({ min: new Date(Date.UTC(1950, 0, 1)), max: new Date(Date.UTC(2080, 0, 1)), noInvalidDate: true }),
      fc.record({ formula: fc.constant('A1'), result: fc.oneof(fc.integer(), text) }, { noNullPrototype: true }),
      fc.record({ richText: fc.array(fc.record({ text }, { noNullPrototype: true }), { minLength: 1, maxLength: 3 }) }, { noNullPrototype: true }),
      fc.constant({ error: '#N/A' }),
      fc.constant(null),
    );
    const numFmt = fc.constantFrom(undefined, '0000000000', 'dd-mm-yyyy', 'yyyy-mm-dd hh:mm', '0.00', '@');
    const sheetOf = fc.array(fc.record({ cells: fc.array(fc.record({ value, numFmt }), { maxLength: 6 }), rowFmt: numFmt }), { maxLength: 12 });
    await fc.assert(
      // `onDisk`: the shared strings wait on disk, sealed, as a large workbook's do.
      fc.asyncProperty(fc.array(sheetOf, { minLength: 1, maxLength: 2 }), fc.boolean(), fc.boolean(), async (sheets, sharedStrings, onDisk) => {
        const wb = new ExcelJS.Workbook();
        sheets.forEach((rows, s) => {
          const ws = wb.addWorksheet(`Blad ${s + 1}`);
          rows.forEach(({ cells, rowFmt }, r) => {
            const row = ws.getRow(r + 1);
            if (rowFmt) row.numFmt = rowFmt;
            cells.forEach(({ value: v, numFmt: f }, c) => {
              const cell = row.getCell(c + 1);
              cell.value = v as ExcelJS.CellValue;
              if (f) cell.numFmt = f;
            });
            row.commit();
          });
        });
        // exceljs' writer orders the archive's entries as its promises settle, and its own streaming reader
        // fails on some orders (a sheet before workbook.xml without shared strings: "reading 'sheets'"), the
        // very order Intake reads the workbook entries first for. The reference is taken from bytes exceljs
        // can read, written again until it can; Intake reads those same bytes.
        const written = async () => new Uint8Array(await wb.xlsx.writeBuffer({ useSharedStrings: sharedStrings } as ExcelJS.XlsxWriteOptions));
        let bytes = await written();
        const expected: { row: number; cells: string[] }[][] = [];
        for (let attempt = 1; expected.length < sheets.length; attempt++) {
          try {
            for (let sheet = expected.length + 1; sheet <= sheets.length; sheet++) expected.push(await byExcelJs(bytes, sheet));
          } catch (error) {
            if (attempt >= 20 || !String(error).includes("reading 'sheets'")) throw error;
            expected.length = 0;
            bytes = await written();
          }
        }
        for (let sheet = 1; sheet <= sheets.length; sheet++) {
          const reading = await readXlsx(bytesOf(bytes, 997), await assertWorkbook(bytesOf(bytes, 997)), { sheet }, { ...limits, ...(onDisk ? { sharedStringsInMemory: 0 } : {}) });
          try {
            const ours: { row: number; cells: string[] }[] = [];
            for await (const chunk of reading.records()) ours.push(...chunk);
            expect(ours).toEqual(expected[sheet - 1]);
          } finally {
            await reading.dispose();
          }
        }
      }),
      { numRuns: 60 },
    );
    // Sixty random workbooks, each written and read by exceljs and by Intake: 2 s alone, past the unit
    // tests' 5 s when the integration files run beside it.
  }, 30_000);

  it('reads a CSV saved with an .xlsx name by its content', async () => {
    const { format } = await read(Buffer.from('naam;klas\nEva;2A\n'));
    expect(format.type).toBe('csv');
  });

  it('refuses a zip bomb, a Word document, an OpenDocument spreadsheet and a damaged archive before unpacking anything', async () => {
    expect(await rejection(craftedZip([{ name: 'xl/workbook.xml', uncompressed: 500 }, { name: 'xl/worksheets/sheet1.xml', uncompressed: 3_000_000_000, compressed: 3_000_000 }]))).toMatchObject({ code: 'zip_bomb' });
    expect(await rejection(craftedZip([{ name: 'word/document.xml', uncompressed: 500 }]))).toMatchObject({ code: 'unsupported_format', params: { detected: 'docx' } });
    const ods = craftedZip([{ name: 'mimetype', uncompressed: 46 }, { name: 'content.xml', uncompressed: 500 }]);
    expect(await rejection(ods)).toMatchObject({ code: 'unsupported_format', params: { detected: 'ods' } });
    expect((await read(ods).catch((error: Error) => error)) as Error).toHaveProperty('message', 'This is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV first.');
    expect(await rejection(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))).toMatchObject({ code: 'unreadable' });
  });

  it('checks every entry against the central directory in one pass: where it sits, its size, its checksum', async () => {
    const bytes = Buffer.from(await workbook((wb) => wb.addWorksheet('Leerlingen').addRows([['Voornaam', 'Achternaam'], ['Eva', 'Jansen']])));
    expect((await read(bytes)).rows.map((r) => r.cells)).toEqual([['Eva', 'Jansen']]);
    const why = async (edited: Buffer) => {
      const refusal = await rejection(edited);
      expect(refusal).toMatchObject({ code: 'unreadable', params: { detected: 'xlsx' } });
      return (await read(edited).catch((error: Error) => error)) as Error;
    };
    const sheet = 'xl/worksheets/sheet1.xml';
    // A checksum that is not the entry's own.
    expect((await why(withCentral(bytes, sheet, (record) => record.writeUInt32LE((record.readUInt32LE(16) ^ 1) >>> 0, 16)))).message).toContain(`${sheet} fails its checksum`);
    // An entry that unpacks to more than it says: stopped there, not unpacked to its end.
    expect((await why(withCentral(bytes, sheet, (record) => record.writeUInt32LE(10, 24)))).message).toContain(`${sheet} unpacks to more than its directory says`);
    // Two entries said to start at the same place (how a zip bomb of overlapping entries is made).
    const first = centralRecords(bytes)[0]!.readUInt32LE(42);
    expect((await why(withCentral(bytes, sheet, (record) => record.writeUInt32LE(first, 42)))).message).toContain('overlap');
    // An entry that is not where the directory says.
    expect((await why(withCentral(bytes, sheet, (record) => record.writeUInt32LE(record.readUInt32LE(42) + 3, 42)))).message).toContain('is not where its directory says');
    // A packing method no spreadsheet uses.
    expect((await why(withCentral(bytes, sheet, (record) => record.writeUInt16LE(12, 10)))).message).toContain('packed in a way spreadsheets are not');
  });
  it('counts the data rows of the sheets it reads as it spools them, as a pass over the rows counts them', async () => {
    const sheetShape = fc.record({
      title: fc.array(fc.constantFrom(['Leerlingenlijst 2026'], [''], ['Export', '01-09-2026']), { maxLength: 3 }),
      rows: fc.array(fc.oneof(fc.constant(['', '  ', '']), fc.tuple(fc.constantFrom('Anna', 'Bram', ' '), fc.constantFrom('Bos', '', 'de Vries'))), { maxLength: 40 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(sheetShape, { minLength: 1, maxLength: 3 }), fc.constantFrom('Leerlingen', 'Leerlingen 1A'), fc.boolean(), async (shapes, name, byHand) => {
        const bytes = await workbook((wb) =>
          shapes.forEach((shape, i) => {
            const sheet = wb.addWorksheet(i === 0 ? name : `${name.split(' ')[0]} ${i + 1}B`);
            for (const line of shape.title) sheet.addRow(line);
            sheet.addRow(['Roepnaam', 'Achternaam']);
            for (const line of shape.rows) sheet.addRow(line);
          }),
        );
        // A header row chosen by hand reads the first sheet alone, from that row.
        const options = byHand ? { headerRow: shapes[0]!.title.length + 1 } : {};
        const table = await openTable(bytesOf(bytes, 4096), limits, options);
        try {
          let rows = 0;
          for await (const chunk of table.chunks()) rows += chunk.length;
          expect(await table.count()).toBe(rows);
          // And the count came from the spooling, not from a pass the table fell back on: unless a column
          // of the sheets' names widens every row, the spooled count is there and is the same.
          const reading = await readXlsx(bytesOf(bytes, 4096), await assertWorkbook(bytesOf(bytes, 4096)), options, limits);
          try {
            const named = table.format.type === 'xlsx' && table.format.sheetColumn !== undefined;
            expect(await reading.quickCount(table.format.headerRow, limits)).toBe(named ? null : rows);
          } finally {
            await reading.dispose();
          }
        } finally {
          await table.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('leaves the count of more rows than the limit to a pass over them, which says so', async () => {
    const bytes = await workbook((wb) => {
      const sheet = wb.addWorksheet('Leerlingen');
      sheet.addRow(['Roepnaam', 'Achternaam']);
      for (let i = 0; i < 12; i++) sheet.addRow([`Kind${i}`, 'Bos']);
    });
    const table = await openTable(bytesOf(bytes, 4096), { ...limits, maxRows: 10 });
    try {
      await expect(table.count()).rejects.toMatchObject({ code: 'too_many_rows' });
    } finally {
      await table.close();
    }
  });
});

/** The central directory's records of a zip (views into it: writing to one edits the zip). */
function centralRecords(zip: Buffer): Buffer[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const records: Buffer[] = [];
  for (let at = zip.readUInt32LE(end + 16), i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const length = 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    records.push(zip.subarray(at, at + length));
    at += length;
  }
  return records;
}

/** A copy of the zip with one entry's central directory record edited. */
function withCentral(zip: Buffer, name: string, edit: (record: Buffer) => void): Buffer {
  const copy = Buffer.from(zip);
  const record = centralRecords(copy).find((r) => r.toString('utf8', 46, 46 + r.readUInt16LE(28)) === name);
  if (!record) throw new Error(`no entry ${name}`);
  edit(record);
  return copy;
}

describe("a zip's tail", () => {
  it('is the last 4 MB of the file, whatever the chunks it streams in', async () => {
    // 10 MB in uneven chunks, each byte telling its place.
    const total = 10 * 1024 * 1024 + 123;
    const bytes = Buffer.alloc(total);
    for (let i = 0; i < total; i++) bytes[i] = (i * 7) & 0xff;
    const sizes = [1, 65_536, 3_000_001, 17, 5_000_000];
    const chunks: Buffer[] = [];
    for (let at = 0, i = 0; at < total; i++) {
      const size = Math.min(sizes[i % sizes.length]!, total - at);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const { tail, size } = await readTail(() => Readable.from(chunks));
    expect(size).toBe(total);
    expect(tail.length).toBe(tailBytes);
    expect(tail.equals(bytes.subarray(total - tailBytes))).toBe(true);
    // A file shorter than that is its own tail.
    expect((await readTail(() => Readable.from([bytes.subarray(0, 10), bytes.subarray(10, 20)]))).tail.equals(bytes.subarray(0, 20))).toBe(true);
  });

  it('ends a read whose reader stops delivering, and never counts the time spent between steps', async () => {
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // A reader that delivers two steps and then waits forever, as exceljs did on two damaged workbooks.
    async function* stuck() {
      yield 1;
      yield 2;
      await new Promise(() => undefined);
    }
    const seen: number[] = [];
    const started = Date.now();
    let refusal: unknown = null;
    try {
      for await (const step of within(stuck(), 150)) {
        seen.push(step);
        // Slower than the limit between steps: the consumer's time, not a stall.
        await pause(400);
      }
    } catch (error) {
      refusal = error;
    }
    expect(seen).toEqual([1, 2]);
    expect(isIntakeError(refusal) && refusal.code).toBe('unreadable');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

