import type { ProfileField } from '../contract/catalog.js';
import { requiredFields } from '../contract/required-fields.js';
import type { Settings } from '../contract/types.js';
import { mapColumns } from '../core/map/map-columns.js';
import { openTable } from '../core/read/open-table.js';
import { headerSearchRows, type ByteSource, type Table } from '../core/read/table.js';
import { shownCell } from '../core/read/uncalculated.js';
import type { Env } from './env.js';

/** Rows shown at mapping, and read to tell ambiguous headers apart. */
const sampleRows = 20;

/** The reading limits of the configuration. */
export const limitsOf = (env: Env) => ({ maxRows: env.INTAKE_MAX_ROWS, maxCellChars: env.INTAKE_MAX_CELL_CHARS, maxColumns: env.INTAKE_MAX_COLUMNS });

/** The first data rows: shown at mapping, and used to tell ambiguous headers apart (a class or a group). */
export async function samplesOf(table: Table): Promise<string[][]> {
  const samples: string[][] = [];
  for await (const row of table.rows()) {
    // As the admin sees them: a formula nothing calculated shows as its formula.
    samples.push(row.cells.map(shownCell));
    if (samples.length === sampleRows) break;
  }
  return samples;
}

/** Reads the header and first rows: what the mapping step shows before any setting is chosen. */
export async function inspectFile(env: Env, bytes: ByteSource, settings: Pick<Settings, 'mapping' | 'matchOn' | 'actions' | 'password' | 'auth' | 'file'>, profileFields: ProfileField[] = []) {
  // The header (searched for, or where the settings put it) and the samples after it: a workbook of a
  // hundred thousand rows is not parsed whole to show its first twenty.
  const leadingRows = Math.max(headerSearchRows, settings.file?.headerRow ?? 0) + sampleRows;
  const table = await openTable(bytes, { ...limitsOf(env), leadingRows }, settings.file);
  try {
    const samples = await samplesOf(table);
    return { format: table.format, columns: mapColumns(table.header, settings.mapping, samples, profileFields), requiredFields: requiredFields(settings), samples: samples.slice(0, 5) };
  } finally {
    await table.close();
  }
}

