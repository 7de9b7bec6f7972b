import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FileOptions, XlsxFormat } from '../../contract/types.js';
import { IntakeError, isIntakeError } from '../errors.js';
import type { ByteSource, SourceRow } from './table.js';

type CellValue = ExcelJS.CellValue;

const pad = (n: number) => String(n).padStart(2, '0');

function dateText(date: Date): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const hasTime = date.getUTCHours() || date.getUTCMinutes();
  return hasTime ? `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` : day;
}

/**
 * A cell as the text the admin sees in Excel: identifiers keep their leading zeros (a `0000000000`
 * number format pads them back), big numbers never turn into `1.2E+15`, dates become `yyyy-mm-dd`.
 */
export function cellText(value: CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(value)) return String(value).padStart(numFmt.length, '0');
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: CellValue }).result ?? null, numFmt);
  if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? '');
  if ('error' in value) return '';
  return String(value);
}

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

export interface XlsxReading {
  format: Omit<XlsxFormat, 'headerRow'>;
  records: () => AsyncIterable<SourceRow>;
  /** Deletes the spooled rows. */
  dispose: () => Promise<void>;
}

/**
 * Reads one worksheet of a workbook with exceljs' streaming reader, in a single pass, into a private
 * spool file (one JSON array per row) that later passes read quickly. Every sheet is read to its end:
 * exceljs parks sheets in temporary files when a workbook has no shared strings, and a sheet left
 * unread races its own clean-up. The spool is removed by `dispose`.
 */
export async function readXlsx(open: ByteSource, options: FileOptions = {}): Promise<XlsxReading> {
  const dir = await mkdtemp(join(tmpdir(), 'intake-xlsx-'));
  const spool = join(dir, 'rows.jsonl');
  const dispose = () => rm(dir, { recursive: true, force: true });
  const out = createWriteStream(spool, { mode: 0o600 });
  const sheets: string[] = [];
  let sheet: string | undefined;
  const wanted = options.sheet ?? 1;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(open(), {
      sharedStrings: 'cache',
      // Styles give dates as dates and number formats; without them dates would be serial numbers.
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    } as ExcelJS.stream.xlsx.WorkbookStreamReaderOptions);
    for await (const worksheet of reader as unknown as AsyncIterable<SheetReader>) {
      sheets.push(worksheet.name);
      const isWanted = sheet === undefined && (typeof wanted === 'number' ? sheets.length === wanted : worksheet.name.toLowerCase() === wanted.toLowerCase());
      if (isWanted) sheet = worksheet.name;
      for await (const row of worksheet) {
        if (!isWanted) continue;
        const cells: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          cells[column - 1] = cellText(cell.value, cell.numFmt);
        });
        if (!out.write(`${JSON.stringify([row.number, ...Array.from(cells, (c) => c ?? '')])}\n`)) await once(out, 'drain');
      }
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    await dispose();
    if (isIntakeError(error)) throw error;
    throw new IntakeError('unreadable', `The workbook could not be read: ${(error as Error).message}`, { detected: 'xlsx' });
  }
  if (sheets.length === 0) {
    await dispose();
    throw new IntakeError('empty_file', 'The workbook has no worksheets.');
  }
  if (!sheet) {
    await dispose();
    throw new IntakeError('invalid_settings', `The workbook has no sheet ${JSON.stringify(wanted)}; it has: ${sheets.join(', ')}.`, { sheet: wanted, sheets });
  }
  return {
    format: { type: 'xlsx', sheet, sheets },
    dispose,
    async *records() {
      const lines = createInterface({ input: createReadStream(spool), crlfDelay: Infinity });
      try {
        for await (const line of lines) {
          const [row, ...cells] = JSON.parse(line) as [number, ...string[]];
          yield { row, cells };
        }
      } finally {
        lines.close();
      }
    },
  };
}
