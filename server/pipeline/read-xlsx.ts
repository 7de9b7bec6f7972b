import ExcelJS from 'exceljs';
import type { FileOptions, XlsxFormat } from '../contract.js';
import { IntakeError } from '../errors.js';
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

function workbookReader(open: ByteSource) {
  return new ExcelJS.stream.xlsx.WorkbookReader(open(), {
    sharedStrings: 'cache',
    // Styles give dates as dates and number formats; without them dates would be serial numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  } as ExcelJS.stream.xlsx.WorkbookStreamReaderOptions);
}

interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

async function sheetNames(open: ByteSource): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const sheet of workbookReader(open) as unknown as AsyncIterable<SheetReader>) names.push(sheet.name);
  } catch (error) {
    throw new IntakeError('unreadable', `The workbook could not be read: ${(error as Error).message}`, { detected: 'xlsx' });
  }
  return names;
}

export interface XlsxReading {
  format: Omit<XlsxFormat, 'headerRow'>;
  records: () => AsyncIterable<SourceRow>;
}

/** Reads one worksheet of a workbook with exceljs' streaming reader: the first, or the one asked for. */
export async function readXlsx(open: ByteSource, options: FileOptions = {}): Promise<XlsxReading> {
  const sheets = await sheetNames(open);
  if (sheets.length === 0) throw new IntakeError('empty_file', 'The workbook has no worksheets.');
  const wanted = options.sheet ?? 1;
  const sheet = typeof wanted === 'number' ? sheets[wanted - 1] : sheets.find((s) => s.toLowerCase() === wanted.toLowerCase());
  if (!sheet) throw new IntakeError('invalid_settings', `The workbook has no sheet ${JSON.stringify(wanted)}; it has: ${sheets.join(', ')}.`, { sheet: wanted, sheets });
  return {
    format: { type: 'xlsx', sheet, sheets },
    async *records() {
      for await (const reader of workbookReader(open) as unknown as AsyncIterable<SheetReader>) {
        if (reader.name !== sheet) continue;
        for await (const row of reader) {
          const cells: string[] = [];
          row.eachCell({ includeEmpty: false }, (cell, column) => {
            cells[column - 1] = cellText(cell.value, cell.numFmt);
          });
          yield { row: row.number, cells: Array.from(cells, (c) => c ?? '') };
        }
        return;
      }
    },
  };
}
