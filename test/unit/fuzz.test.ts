/**
 * A fuzz corpus of more than 10,000 generated files, CSV and XLSX, mutated at the level of bytes and of
 * structure, read and mapped and validated the way an import does. Every file either reads, or is refused
 * with one of Intake's codes and a message of its own, within seconds: no crash, no hang, no raw
 * JavaScript message ("Cannot read properties of undefined") on its way to a person.
 * PROPERTY_SEED reproduces a run; the corpus is the same for the same seed.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rejectionCodes } from '../../server/contract/types.js';
import { isIntakeError } from '../../server/core/errors.js';
import { mapColumns } from '../../server/core/map/map-columns.js';
import { openTable } from '../../server/core/read/open-table.js';
import { createValidator } from '../../server/core/validate/validate.js';
import { settingsSchema } from '../../server/engine/settings-schema.js';
import { utf16le, windows1252 } from '../support/files.js';

const limits = { maxRows: 2000, maxCellChars: 2000, maxColumns: 200 };
const settings = settingsSchema.parse({ source: 'fuzz', matchOn: 'email' });
const perFileMs = 5000;
const seed = Number(process.env.PROPERTY_SEED ?? 20261129);
const rawJavaScript = /Cannot read propert|undefined is not|is not a function|is not iterable|Maximum call stack|Unexpected token|\bTypeError\b|\bRangeError\b/;
const knownCodes = new Set<string>(rejectionCodes);

/** Reads, maps and validates a file as an import would; returns what became of it. */
async function importOutcome(bytes: Uint8Array): Promise<string> {
  const buffer = Buffer.from(bytes);
  const work = (async () => {
    try {
      // Small chunks, as uploads arrive: chunk edges fall inside characters, quotes and rows.
      const table = await openTable(() => Readable.from(chunks(buffer, 4096)), limits, {});
      try {
        const samples: string[][] = [];
        const validate = createValidator(mapColumns(table.header, {}, [], []), settings, []);
        for await (const row of table.rows()) {
          if (samples.length < 20) samples.push(row.cells);
          validate(row);
        }
        mapColumns(table.header, {}, samples, []);
        return 'read';
      } finally {
        await table.close();
      }
    } catch (error) {
      if (!isIntakeError(error)) return `crash: ${(error as Error)?.stack ?? String(error)}`;
      if (!knownCodes.has(error.code)) return `unknown code ${error.code}`;
      if (rawJavaScript.test(error.message)) return `raw message: ${error.message}`;
      return `refused: ${error.code}`;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hang'), perFileMs)));
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function* chunks(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

const acceptable = (outcome: string) => outcome === 'read' || outcome.startsWith('refused: ');

/** Byte-level mutations: flips, insertions, deletions, truncation, a repeated stretch. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 512 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(base: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Buffer.from(base);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'flip' && bytes.length > 0) bytes[at] = m.byte;
    if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
    if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
    if (m.kind === 'repeat') bytes = Buffer.concat([bytes.subarray(0, at + m.length), bytes.subarray(at)]);
  }
  return bytes;
}

const sisExport = [
  'Stamnr;Roepnaam;Tussenvoegsel;Achternaam;E-mailadres;Klas;Geboortedatum',
  '1001;Chloé;;Peeters;chloe@school.example;2A;03-05-2012',
  '1002;Daan;de;Vries;daan@school.example;2A;14-11-2011',
  '1003;"Zoë ""Z""";van der;Berg;zoe@school.example;2B;01-01-2012',
].join('\r\n');
const commaExport = 'username,firstname,lastname,email,cohort1\nanna,Anna,Smit,anna@x.nl,"Klas 2A, 2026"\nbram,Bram,Bos,bram@x.nl,\n';
const csvBases = [Buffer.from(sisExport), Buffer.from(commaExport), windows1252(sisExport), utf16le(sisExport.replaceAll(';', '\t'))];

/** Cells made of what breaks readers: delimiters, quotes, line ends, NUL, BOMs, replacement and wide characters. */
const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ';', ',', '\t', '|', '"', '\r', '\n', '\0', 'é', '€', 'ı', '\uFEFF', '\uFFFD', '𝒳', '=', '@', 'x'), maxLength: 24 });
const csvStructure = fc.record({
  rows: fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 40 }),
  delimiter: fc.constantFrom(';', ',', '\t', '|'),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'windows-1252'),
  header: fc.boolean(),
});

type CsvShape = typeof csvStructure extends fc.Arbitrary<infer T> ? T : never;

function csvFrom(shape: CsvShape): Uint8Array {
  const rows = shape.header ? [['username', 'firstname', 'lastname', 'email'], ...shape.rows] : shape.rows;
  const text = rows.map((r) => r.join(shape.delimiter)).join(shape.newline);
  if (shape.encoding === 'utf-16le') return utf16le(text);
  if (shape.encoding === 'windows-1252') return windows1252(text);
  return Buffer.from(shape.encoding === 'utf-8-bom' ? `\uFEFF${text}` : text, 'utf8');
}

/** fast-check builds records without a prototype; exceljs expects ordinary objects. */
function plain(value: unknown): unknown {
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

async function workbook(build: (book: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  build(book);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const xlsxCell = fc.oneof(
  cell,
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.date({ min: new Date('1899-12-30'), max: new Date('2100-01-01'), noInvalidDate: true }),
  fc.record({ formula: fc.constantFrom('1/0', 'A1+1', 'NOW()', 'HYPERLINK("x")'), result: fc.oneof(fc.integer(), cell) }),
  fc.record({ richText: fc.array(fc.record({ text: cell }), { maxLength: 3 }) }),
  fc.record({ text: cell, hyperlink: fc.constantFrom('https://x.example', 'javascript:alert(1)') }),
);
const xlsxStructure = fc.record({
  sheets: fc.array(
    fc.record({
      name: fc.string({ unit: fc.constantFrom('a', 'B', ' ', 'é', '1', '-'), minLength: 1, maxLength: 12 }),
      cells: fc.array(fc.record({ row: fc.integer({ min: 1, max: 60 }), column: fc.integer({ min: 1, max: 400 }), value: xlsxCell }), { maxLength: 60 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

describe('a fuzz corpus of generated files', () => {
  const run = async <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, toBytes: (value: T) => Promise<Uint8Array> | Uint8Array) => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        const outcome = await importOutcome(await toBytes(value));
        const key = outcome.startsWith('crash') ? 'crash' : outcome;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        expect(acceptable(outcome), outcome).toBe(true);
      }),
      { numRuns, seed, endOnFailure: true },
    );
    return outcomes;
  };

  it('CSV, structure-level: 5,000 files of hostile cells, delimiters, line ends and encodings', async () => {
    const outcomes = await run(csvStructure, 5000, csvFrom);
    // The corpus exercises both ends: files that read and files that are refused.
    expect(outcomes.get('read')).toBeGreaterThan(500);
  }, 240_000);

  it('CSV, byte-level: 3,000 mutations of real-shaped exports', async () => {
    const outcomes = await run(fc.tuple(fc.constantFrom(...csvBases), fc.array(mutation, { minLength: 1, maxLength: 6 })), 3000, ([base, mutations]) => mutate(base, mutations));
    expect(outcomes.get('read')).toBeGreaterThan(300);
  }, 240_000);

  it('XLSX, byte-level: 1,600 mutations of workbooks', async () => {
    const bases = await Promise.all([
      workbook((book) => {
        const sheet = book.addWorksheet('Leerlingen');
        sheet.addRow(['Leerlingenlijst 2026']);
        sheet.addRow(['Stamnr', 'Roepnaam', 'Achternaam', 'E-mailadres', 'Klas', 'Geboortedatum']);
        for (let i = 0; i < 40; i++) sheet.addRow([String(1000 + i).padStart(6, '0'), 'Anna', `de Vries ${i}`, `a${i}@school.example`, '2A', new Date(Date.UTC(2012, 4, 3))]);
      }),
      workbook((book) => {
        book.addWorksheet('Info').addRow(['x']);
        const sheet = book.addWorksheet('Users');
        sheet.addRow(['username', 'firstname', 'lastname', 'email']);
        sheet.addRow(['bram', { richText: [{ text: 'Br' }, { text: 'am' }] }, { formula: '"Bos"', result: 'Bos' }, { text: 'bram@x.nl', hyperlink: 'mailto:bram@x.nl' }]);
      }),
    ]);
    const outcomes = await run(fc.tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 })), 1600, ([base, mutations]) => mutate(base, mutations));
    expect(outcomes.get('refused: unreadable')).toBeGreaterThan(100);
  }, 240_000);

  it('XLSX, structure-level: 500 workbooks with odd cells, far columns and several sheets', async () => {
    const outcomes = await run(xlsxStructure, 500, (shape) =>
      workbook((book) => {
        shape.sheets.forEach((s, i) => {
          const sheet = book.addWorksheet(`${s.name}${i}`);
          for (const c of s.cells) sheet.getCell(c.row, c.column).value = plain(c.value) as ExcelJS.CellValue;
        });
      }),
    );
    expect(outcomes.get('read')).toBeGreaterThan(20);
  }, 240_000);
});
