import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'mysql2/promise';
import type { UiLanguage } from '../server/contract/catalog.js';
import type { ColumnMapping, DetectedFormat, FileOptions } from '../server/contract/types.js';
import { rowLabel, sheetsReadOf } from '../server/contract/row-label.js';
import type { Env } from '../server/engine/env.js';
import { fileCells } from '../server/engine/report-cells.js';
import { errorReportLines, rowMessages } from '../server/store/error-report.js';
import { problemRows } from '../server/store/rows.js';

/**
 * `--errors <file>`: the import's error report written where the command was told, the same CSV the
 * wizard offers (a line per problem and per skipped row, with the row's own cells beside it, passwords
 * left out), so a script can fix the rows and import the report as it is.
 */
export async function writeErrorReport(
  env: Env,
  pool: Pool,
  importId: number,
  source: { file: string; options: FileOptions; columns: Pick<ColumnMapping, 'index' | 'field'>[]; format: DetectedFormat },
  to: string,
  lang: UiLanguage,
): Promise<void> {
  const cells = await fileCells(env, () => createReadStream(source.file), source.options, source.columns);
  try {
    // Streamed line by line as the problems are read, however many there are.
    await pipeline(Readable.from(errorReportLines(pool, importId, lang, { cells, sheetsRead: sheetsReadOf(source.format) })), createWriteStream(to));
  } finally {
    await cells.close();
  }
}

/** The first problems of an import as lines a person reads on the terminal: row, who, what is wrong. */
export async function problemSummary(pool: Pool, importId: number, lang: UiLanguage, most: number, format: DetectedFormat): Promise<string[]> {
  const sheetsRead = sheetsReadOf(format);
  const lines: string[] = [];
  for await (const row of problemRows(pool, importId)) {
    const who = row.username ? ` (${row.username})` : '';
    for (const { text } of rowMessages(row, lang)) {
      if (lines.length === most) return [...lines, '…'];
      lines.push(`row ${rowLabel(row.row, sheetsRead)}${who}, ${row.outcome}: ${text}`);
    }
  }
  return lines;
}
