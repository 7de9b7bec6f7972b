import fc from 'fast-check';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isIntakeError } from '../../server/core/errors.js';
import { openTable as openCsv } from '../../server/core/read/open-table.js';
import { readCsv } from '../../server/core/read/read-csv.js';
import { pieceBytes, piecesOf } from '../../server/core/read/pieces.js';
import { detectDelimiter, detectEncoding } from '../../server/core/read/sniff.js';
import { headerScore, isBlank, pickHeaderRow, type SourceRow } from '../../server/core/read/table.js';
import { bytesOf, utf16le, windows1252 } from '../support/files.js';

const limits = { maxRows: 1000, maxCellChars: 100, maxColumns: 50 };

async function read(content: string | Uint8Array, chunk = 7) {
  const table = await openCsv(bytesOf(content, chunk), limits);
  const rows: { row: number; cells: string[] }[] = [];
  for await (const row of table.rows()) rows.push(row);
  return { ...table, rows };
}

/** What refuses the file, read row by row and counted (the check before an import): the same both ways. */
async function rejection(content: string | Uint8Array, custom = limits) {
  const refusal = async (pass: (table: Awaited<ReturnType<typeof openCsv>>) => Promise<unknown>) => {
    try {
      await pass(await openCsv(bytesOf(content), custom));
    } catch (error) {
      if (isIntakeError(error)) return { code: error.code, params: error.params };
      throw error;
    }
    return null;
  };
  const reading = await refusal(async (table) => {
    for await (const _ of table.rows());
  });
  expect(await refusal((table) => table.count())).toEqual(reading);
  return reading;
}

describe('reading delimited text', () => {
  it('detects semicolons even when names hold commas', () => {
    expect(detectDelimiter('naam;klas\n"Aartsen, Dae";2A\n"Bos, Eva";2B\n').delimiter).toBe(';');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n').delimiter).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n').delimiter).toBe('|');
  });

  it('reads Windows-1252 (Magister) without mojibake', async () => {
    const { format, header, rows } = await read(windows1252('Roepnaam;Achternaam\r\nChloé;Müller\r\nZoë;Ærø\r\n'));
    expect(format).toMatchObject({ type: 'csv', encoding: 'windows-1252', delimiter: ';', headerRow: 1 });
    expect(header).toEqual(['Roepnaam', 'Achternaam']);
    expect(rows.map((r) => r.cells)).toEqual([
      ['Chloé', 'Müller'],
      ['Zoë', 'Ærø'],
    ]);
  });

  it('reads UTF-8 with a BOM split across chunks, and UTF-16 LE tab-separated text', async () => {
    const bom = await read('\uFEFFnaam,e-mail\nZoë,z@x.nl\n', 1);
    expect(bom.header).toEqual(['naam', 'e-mail']);
    expect(bom.rows[0]!.cells).toEqual(['Zoë', 'z@x.nl']);
    const unicode = await read(utf16le('naam\tklas\r\nZoë\t2A\r\n'), 3);
    expect(unicode.format).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(unicode.rows[0]!.cells).toEqual(['Zoë', '2A']);
  });

  it("honours Excel's sep= line, quoted delimiters and newlines, blank lines and a trailing delimiter", async () => {
    const { header, rows } = await read('sep=;\r\nnaam;opmerking;\r\n"Bos; Eva";"regel 1\r\nregel 2";\r\n\r\n;;\r\nJan;ok;\r\n');
    expect(header).toEqual(['naam', 'opmerking']);
    expect(rows).toEqual([
      { row: 3, cells: ['Bos; Eva', 'regel 1\r\nregel 2'] },
      { row: 6, cells: ['Jan', 'ok'] },
    ]);
  });

  it('keeps the cells past the header with their row only when one holds something (a value with an unquoted delimiter)', async () => {
    const { rows } = await read('naam,klas\nJansen, Jr.,2A\nBos,2B,,\n');
    expect(rows).toEqual([
      { row: 2, cells: ['Jansen', 'Jr.', '2A'] },
      { row: 3, cells: ['Bos', '2B'] },
    ]);
  });

  it('counts a column without a name that most rows fill as a column of the file, not as shifted cells', async () => {
    const { header, rows } = await read('naam,klas\nJansen,2A,mentor: Bos\nBos,2B,\nDekker,2C,zie dossier\n');
    expect(header).toEqual(['naam', 'klas', '']);
    expect(rows[0]).toEqual({ row: 2, cells: ['Jansen', '2A', 'mentor: Bos'] });
  });

  it('cleans non-breaking and zero-width spaces', async () => {
    const { header, rows } = await read('\u200Bnaam\u00A0,klas\n\u00A0Eva\u200B , 2A \n');
    expect(header).toEqual(['naam', 'klas']);
    expect(rows[0]!.cells).toEqual(['Eva', '2A']);
  });

  it("reads Excel's text formula (=\"0012345\") as the text Excel shows, leading zeros kept", async () => {
    const { rows } = await read('Stamnummer;Naam;Opmerking\n="0012345";"=""Jan""";="a"&"b"\n"=""007""";="say ""hi""";=1+1\n');
    expect(rows.map((r) => r.cells)).toEqual([
      ['0012345', 'Jan', '="a"&"b"'],
      ['007', 'say "hi"', '=1+1'],
    ]);
  });

  it('reads a lone dash as the empty cell it stands for', async () => {
    const { rows } = await read('naam;email;telefoon\nEva;-;–\nBo;bo@school.nl;—\nJo-Ann;-jo;06-123\n');
    expect(rows.map((r) => r.cells)).toEqual([
      ['Eva', '', ''],
      ['Bo', 'bo@school.nl', ''],
      ['Jo-Ann', '-jo', '06-123'],
    ]);
  });

  it('refuses what is not a CSV, with a code naming what it is', async () => {
    expect(await rejection('')).toMatchObject({ code: 'empty_file' });
    expect(await rejection('%PDF-1.7\n%âãÏÓ')).toMatchObject({ code: 'not_csv', params: { detected: 'pdf' } });
    expect(await rejection(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({ code: 'unreadable', params: { detected: 'zip' } });
    expect(await rejection(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toMatchObject({ code: 'unsupported_format', params: { detected: 'xls' } });
    expect(await rejection(Uint8Array.from([0x61, 0x00, 0x62, 0x00, 0x00, 0x01, 0x02]))).not.toBeNull();
  });

  it('refuses reading options that are for a workbook, rather than ignoring them: a sheet names what to import', async () => {
    const refused = await openCsv(bytesOf('a;b\n1;2\n'), limits, { sheet: 'Leerlingen' }).then(
      () => null,
      (error: unknown) => (isIntakeError(error) ? { code: error.code, message: error.message, params: error.params } : error),
    );
    expect(refused).toEqual({ code: 'invalid_settings', message: 'The file is a CSV (text), not a workbook: it has no sheet "Leerlingen". Leave "file.sheet" out, or import the workbook.', params: { setting: 'file.sheet', sheet: 'Leerlingen' } });
  });

  it('refuses a cell over the limit and a file over the row limit', async () => {
    expect(await rejection(`a,b\n1,${'x'.repeat(101)}\n`)).toMatchObject({ code: 'cell_too_large', params: { row: 2, column: 'b', max: 100 } });
    expect(await rejection('a\n1\n2\n3\n', { maxRows: 2, maxCellChars: 100, maxColumns: 50 })).toMatchObject({ code: 'too_many_rows', params: { max: 2 } });
  });

  it('reads a long row whole however its bytes arrive: cells, quoted line breaks and CRLF split across pieces', async () => {
    const cells = Array.from({ length: 500 }, (_, i) => `${i}é`.padEnd(1000, 'x'));
    const text = `${cells.map((_, i) => `c${i}`).join(',')}\r\n${cells.join(',')}\r\n"two\r\nlines",${cells.slice(1).join(',')}\r\n`;
    for (const piece of [7, 65_536, 1_000_000]) {
      const table = await openCsv(bytesOf(text, piece), { maxRows: 10, maxCellChars: 1000, maxColumns: 500 });
      const rows: string[][] = [];
      for await (const row of table.rows()) rows.push(row.cells);
      expect(rows).toEqual([cells, ['two\r\nlines', ...cells.slice(1)]]);
    }
  });

  it('refuses a cell far over the limit as the text streams past, before the parser holds it, quoted over lines or not', async () => {
    // Past four bytes a character (quotes left out) it cannot be a cell: refused by its row, at once.
    expect(await rejection(`a,b\n1,${'x'.repeat(401)}\n`)).toMatchObject({ code: 'cell_too_large', params: { row: 2, max: 100 } });
    expect(await rejection(`a,b\n1,"${'x\n'.repeat(300)}"\n2,3\n`)).toMatchObject({ code: 'cell_too_large', params: { row: 2, max: 100 } });
    // A 20 MB cell with no delimiter or line break in it (papaparse re-read it with every piece: 29 s).
    expect(await rejection(`a,b\n1,2\n3,${'y'.repeat(20_000_000)}\n`, { maxRows: 1000, maxCellChars: 10_000, maxColumns: 50 })).toMatchObject({ code: 'cell_too_large', params: { row: 3, max: 10_000 } });
    // Doubled quotes and long quoted cells within the limit pass the guard; the cells come back whole.
    const quoted = `a,b\n1,"${'""'.repeat(100)}"\n2,"${'é'.repeat(100)}"\n`;
    expect(await rejection(quoted)).toBeNull();
  });

  it('refuses a quote that opens a cell and never closes, naming its row, rather than reading the rest of the file as that cell', async () => {
    expect(await rejection('username,firstname\nanna,Anna\n"bram,Bram\ncas,Cas\n')).toMatchObject({ code: 'unclosed_quote', params: { row: 3 } });
    // In a file large enough to be parsed in several pieces, the row is still the file's own.
    const many = `username,firstname\n${Array.from({ length: 5000 }, (_, i) => `u${i},Jansen`).join('\n')}\n"late,Late\nend,End\n`;
    expect(await rejection(many, { ...limits, maxRows: 10_000 })).toMatchObject({ code: 'unclosed_quote', params: { row: 5002 } });
    // A quote inside a cell (an inch mark) and a quoted cell over two lines are no such thing.
    expect(await rejection('a,b\n12" screen,x\n"two\nlines",y\n')).toBeNull();
  });

  it('refuses a row with more columns than the limit, in the header or below it, before anything maps it', async () => {
    const wide = Array.from({ length: 51 }, (_, i) => `c${i}`).join(',');
    expect(await rejection(`${wide}\n1\n`)).toMatchObject({ code: 'too_many_columns', params: { row: 1, max: 50 } });
    expect(await rejection(`a,b\n1,2\n${wide}\n`)).toMatchObject({ code: 'too_many_columns', params: { row: 3, max: 50 } });
    // Lines ending in CRLF, split between the CR and the LF wherever the pieces fall: still row 3.
    for (const piece of [1, 2, 3, 5, 7]) {
      const pieces = await openCsv(bytesOf(`a,b\r\n1,2\r\n${wide}\r\n`, piece), limits).then(
        () => null,
        (error: unknown) => (isIntakeError(error) ? error.params : error),
      );
      expect({ piece, refused: pieces }).toEqual({ piece, refused: { row: 3, max: 50 } });
    }
    // A million columns in a 2 MB line: refused with a code, not a heap exhausted.
    expect(await rejection(`${';'.repeat(1_000_000)}\n`, { maxRows: 1000, maxCellChars: 100, maxColumns: 1000 })).toMatchObject({ code: 'too_many_columns', params: { max: 1000 } });
  });

  it('parses a stored upload (1 MB chunks) a few thousand rows at a time, not a chunk at a time', async () => {
    const text = `username,lastname\n${Array.from({ length: 60_000 }, (_, i) => `u${i},Jansen`).join('\n')}\n`;
    const table = await openCsv(bytesOf(text, 1024 * 1024), { ...limits, maxRows: 100_000 });
    const sizes: number[] = [];
    for await (const chunk of table.chunks()) sizes.push(chunk.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(60_000);
    // 64 KiB of text is some 5,000 of these short rows; a whole megabyte was 80,000.
    expect(Math.max(...sizes)).toBeLessThan(6_000);
  });

  it('hands a large buffer on in pieces of a file read (64 KiB), views of it and not copies, the whole of it in order', () => {
    const buffer = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    const pieces = [...piecesOf(buffer)];
    expect(pieces.map((piece) => piece.length)).toEqual([pieceBytes, pieceBytes, pieceBytes, 200_000 - 3 * pieceBytes]);
    expect(pieces.every((piece) => piece.buffer === buffer.buffer)).toBe(true);
    expect(Buffer.concat(pieces).equals(buffer)).toBe(true);
    expect([...piecesOf(Buffer.alloc(0))]).toEqual([]);
  });

  it('reports bytes that are not UTF-8 by row and column, instead of importing them replaced', async () => {
    // The sample detection sees valid UTF-8; a Windows-1252 "ë" far below it is not.
    const head = `username,lastname\n${Array.from({ length: 9000 }, (_, i) => `u${i},Jansen`).join('\n')}\n`;
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from('zoe,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]);
    expect(await rejection(bytes, { ...limits, maxRows: 10_000 })).toMatchObject({ code: 'invalid_encoding', params: { row: 9002, column: 'lastname', encoding: 'utf-8' } });
  });

  it('tells UTF-8 from Windows-1252 by the bytes', () => {
    expect(detectEncoding(Buffer.from('Zoë', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(windows1252('Zoë'))).toBe('windows-1252');
    // Windows-1252 throughout, accented letters and symbols side by side ("Ç©" is not a UTF-8 "é" in disguise).
    expect(detectEncoding(windows1252('naam;opmerking\nFrançois;Çé ©2026 «ok» – Zoë\n'))).toBe('windows-1252');
  });

  it('reads a UTF-8 file with a row of other bytes as UTF-8, and refuses that row, rather than garbling every other row', async () => {
    const mixed = Buffer.concat([Buffer.from('username,firstname\nrene,René\njose,José\nzoe,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]);
    expect(detectEncoding(mixed)).toBe('utf-8');
    expect(await rejection(mixed)).toMatchObject({ code: 'invalid_encoding', params: { row: 4, column: 'firstname', encoding: 'utf-8' } });
  });

  it('counts a file of plain lines line by line, as the parser reads it, and leaves anything else to the parser', async () => {
    const lines = ['Leerlingenlijst 2026', '', 'username;firstname;lastname', 'anna;Anna;Aarts', ';;', '  ;\t; ', 'bram;Bram;Bos', '\u200B;;', '', 'cas;Cas;Claes'];
    for (const newline of ['\n', '\r\n', '\r']) {
      for (const ending of ['', newline]) {
        const text = lines.join(newline) + ending;
        for (const chunk of [1, 7, 4096]) {
          const table = await openCsv(bytesOf(text, chunk), limits);
          let rows = 0;
          for await (const _ of table.rows()) rows++;
          // anna, bram, cas and the row of a zero-width space (not blank to the parser either).
          expect({ newline, ending, chunk, rows, counted: await table.count() }).toEqual({ newline, ending, chunk, rows: 4, counted: 4 });
        }
      }
    }
    const quickly = (text: string, custom = limits) => readCsv(bytesOf(text), Buffer.from(text), false, {}, custom).quickCount(3, custom);
    expect(await quickly(lines.join('\n'))).toBe(4);
    // A quote may join lines into one row, and a long line may hold too much: the parser counts those.
    expect(await quickly([...lines, '"dirk";"Dirk\nDe";Vries'].join('\n'))).toBeNull();
    expect(await quickly(lines.join('\n'), { ...limits, maxColumns: 10 })).toBeNull();
    expect(await quickly(lines.join('\n'), { ...limits, maxRows: 3 })).toBeNull();
    // One endless line is not carried from piece to piece to its end: the count gives up at once.
    const endless = `username;firstname\n${'x'.repeat(100_000)}`;
    let pieces = 0;
    const counted = (): Readable => bytesOf(endless, 7)().on('data', () => pieces++);
    expect(await readCsv(counted, Buffer.from(endless), false, {}, limits).quickCount(1, limits)).toBeNull();
    expect(pieces).toBeLessThan(20);
  });

  it('picks as header the row naming the most fields, as scoring every cell of every row would', () => {
    // Headers, near misses, title words and data: the search stops asking about a row that cannot win.
    const cell = fc.constantFrom('Roepnaam', 'Achternaam', 'E-mailadres', 'Gebruikersnaam', 'Klas', 'Emial', 'Leerlingenlijst 2026', 'anna@school.example', 'Anna', '100123', '', 'Stamnr', 'Roepnaam');
    const rows = fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 20 });
    fc.assert(
      fc.property(rows, (cellsOfRows) => {
        const records: SourceRow[] = cellsOfRows.map((cells, i) => ({ row: i + 1, cells }));
        const candidates = records.filter((r) => !isBlank(r.cells));
        const scores = candidates.map((r) => headerScore(r.cells));
        const most = Math.max(1, ...scores);
        const expected = most >= 2 ? candidates[scores.indexOf(most)] : candidates[0];
        expect(pickHeaderRow(records)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('turns arbitrary bytes into rows or a coded error, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const outcome = async (pass: (table: Awaited<ReturnType<typeof openCsv>>) => Promise<number>) => {
          try {
            return { rows: await pass(await openCsv(bytesOf(bytes, 13), limits)) };
          } catch (error) {
            expect(isIntakeError(error)).toBe(true);
            return { code: (error as { code: string }).code };
          }
        };
        const read = await outcome(async (table) => {
          let rows = 0;
          for await (const row of table.rows()) {
            // As wide as the header, or wider where a cell past it holds something (a sign of shifted cells).
            const past = row.cells.slice(table.header.length);
            expect(row.cells.length >= table.header.length && (past.length === 0 || past.some((cell) => cell.trim() !== ''))).toBe(true);
            rows++;
          }
          return rows;
        });
        // The count before an import sees what the import will read: the same rows, or the same refusal.
        expect(await outcome((table) => table.count())).toEqual(read);
      }),
      { numRuns: 300 },
    );
  });
});
