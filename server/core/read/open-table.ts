import type { FileOptions } from '../../contract/types.js';
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
  const csv = readCsv(open, sample, head.length > sniffBytes, options, limits);
  return buildTable(csv.format, csv.records, limits, options, { quickCount: csv.quickCount });
}
