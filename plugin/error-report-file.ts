import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'mysql2/promise';
import type { UiLanguage } from '../server/contract/catalog.js';
import type { ColumnMapping, Counts, DetectedFormat, FileOptions, Outcome, RowPerson } from '../server/contract/types.js';
import { countsSaid } from '../server/contract/count-labels.js';
import { rowReference, sheetsReadOf } from '../server/contract/row-label.js';
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

/** A row with problems as the JSON report lists it: where it is, who it is, and what is wrong, coded and in words. */
export interface ReportedRow {
  /** Its number as the spreadsheet shows it; with several sheets read together, that number and its sheet ("12 (Skola B)"). */
  row: number | string;
  outcome: Outcome;
  username: string;
  person?: RowPerson;
  problems: { code: string; field?: string; message: string }[];
}

/**
 * The first `most` rows with problems (errors, skips, warnings), for the JSON report's `problems`: a
 * script doing a trial run sees which rows fail and why without a second file (`--errors` has them all,
 * with their cells).
 */
export async function problemList(pool: Pool, importId: number, lang: UiLanguage, most: number, format: DetectedFormat): Promise<ReportedRow[]> {
  const referenceOf = rowReference(sheetsReadOf(format));
  const rows: ReportedRow[] = [];
  for await (const row of problemRows(pool, importId)) {
    const said = rowMessages(row, lang);
    if (said.length === 0) continue;
    if (rows.length === most) break;
    rows.push({
      row: referenceOf(row.row),
      outcome: row.outcome,
      username: row.username,
      ...(row.person ? { person: row.person } : {}),
      problems: said.map(({ code, field, text }) => ({ code, ...(field ? { field } : {}), message: text })),
    });
  }
  return rows;
}

/** The words of a problem line, in each language `--lang` takes: its messages are in that language too. */
const lineWords: Record<UiLanguage, { row: string; error: string; skip: string; warning: string }> = {
  en: { row: 'row', error: 'error', skip: 'skipped', warning: 'warning' },
  nl: { row: 'rij', error: 'fout', skip: 'overgeslagen', warning: 'waarschuwing' },
  sv: { row: 'rad', error: 'fel', skip: 'överhoppad', warning: 'varning' },
  fi: { row: 'rivi', error: 'virhe', skip: 'ohitettu', warning: 'varoitus' },
};

/**
 * The first `most` problems of those rows as lines a person reads on the terminal, in `lang`: row, who,
 * what is wrong ("rij 3 (ayilmaz), fout: …"); a row that is still imported has warnings. "…" when there are more.
 */
export function problemLines(rows: readonly ReportedRow[], most: number, lang: UiLanguage): string[] {
  const words = lineWords[lang];
  const lines = rows.flatMap((row) => {
    const kind = row.outcome === 'error' ? words.error : row.outcome === 'skip' ? words.skip : words.warning;
    return row.problems.map(({ message }) => `${words.row} ${row.row}${row.username ? ` (${row.username})` : ''}, ${kind}: ${message}`);
  });
  return lines.length > most ? [...lines.slice(0, most), '…'] : lines;
}

/** An import's counts as one line in `lang`, as the wizard's tiles and the report mail say them ("Rijen: 5, Nieuwe accounts: 2, …"). */
export function countsLine(counts: Counts, lang: UiLanguage, joinedRows: number): string {
  const line = countsSaid(counts, lang).join(', ');
  return joinedRows > 0 ? `${line} (${lineJoined[lang](joinedRows)})` : line;
}

/** Rows skipped as listing a person again for another group (`same_person`), said beside the counts. */
const lineJoined: Record<UiLanguage, (n: number) => string> = {
  en: (n) => `${n} listing a person again for another group`,
  nl: (n) => `${n} met een persoon opnieuw voor een andere groep`,
  sv: (n) => `${n} med en person igen för en annan grupp`,
  fi: (n) => `${n} samaa henkilöä uudelleen toiseen ryhmään`,
};
