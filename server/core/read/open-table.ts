import type { FileOptions } from '../../contract/types.js';
import { IntakeError } from '../errors.js';
import { readCsv } from './read-csv.js';
import { sniffBytes, sniffContainer } from './sniff.js';
import { buildTable, type ByteSource, type ReadLimits, type RowsRead, type Table } from './table.js';
import { assertWorkbook } from './zip.js';

async function readHead(open: ByteSource, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  const stream = open();
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/**
 * Opens any file an admin may send (close the table when done): the type is judged from the content, not the name (a workbook
 * saved as .csv, a CSV saved as .xlsx), then read as a workbook or as delimited text.
 */
export async function openTable(open: ByteSource, limits: ReadLimits, options: FileOptions = {}, onRowsRead?: RowsRead): Promise<Table> {
  // One byte past the sample tells whether the sample is the whole file.
  const head = await readHead(open, sniffBytes + 1);
  const sample = head.subarray(0, sniffBytes);
  if (sniffContainer(sample) === 'zip') {
    refuseOptionsOfTheOtherKind('workbook', options);
    const archive = await assertWorkbook(open);
    // ExcelJS loads only for a workbook: a CSV import starts without it.
    const { readXlsx } = await import('./read-xlsx.js');
    const xlsx = await readXlsx(open, archive, options, limits, onRowsRead);
    try {
      return await buildTable(xlsx.format, xlsx.records, limits, options, { close: xlsx.dispose, quickCount: xlsx.quickCount });
    } catch (error) {
      await xlsx.dispose();
      throw error;
    }
  }
  refuseOptionsOfTheOtherKind('csv', options);
  const csv = readCsv(open, sample, head.length > sniffBytes, options, limits);
  return buildTable(csv.format, csv.records, limits, options, { quickCount: csv.quickCount });
}

/**
 * A reading option the file's kind has nothing to apply to is refused, not ignored: a sheet names what
 * to import (settings kept for a feed's workbook, sent with its CSV, would read something else than they say).
 */
function refuseOptionsOfTheOtherKind(kind: 'csv' | 'workbook', options: FileOptions): void {
  if (kind === 'csv' && options.sheet !== undefined) {
    throw new IntakeError('invalid_settings', `The file is a CSV (text), not a workbook: it has no sheet ${JSON.stringify(String(options.sheet))}. Leave "file.sheet" out, or import the workbook.`, {
      setting: 'file.sheet',
      sheet: options.sheet,
    });
  }
  if (kind === 'workbook') {
    for (const option of ['delimiter', 'encoding'] as const) {
      if (options[option] === undefined) continue;
      throw new IntakeError('invalid_settings', `The file is a workbook (XLSX), not a CSV: it has no ${option}. Leave "file.${option}" out, or import the CSV.`, { setting: `file.${option}`, [option]: options[option] });
    }
  }
}
