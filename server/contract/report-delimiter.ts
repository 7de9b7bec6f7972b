import type { UiLanguage } from './catalog.js';
import type { DetectedFormat } from './types.js';

/** The delimiters a downloaded report can be written with, by the name a request gives them. */
export const reportDelimiters = { comma: ',', semicolon: ';', tab: '\t' } as const;
export type ReportDelimiterName = keyof typeof reportDelimiters;

/** The delimiter a request or a command names, or undefined for a name that is none of them. */
export const reportDelimiterNamed = (name: string): string | undefined => (Object.hasOwn(reportDelimiters, name) ? reportDelimiters[name as ReportDelimiterName] : undefined);

/** Languages whose spreadsheets separate a CSV's cells with `;` (their decimal separator is the comma). */
const semicolonLanguages: ReadonlySet<UiLanguage> = new Set(['nl', 'sv', 'fi']);

/**
 * How a report the admin downloads is written, so that their spreadsheet opens it in columns: as the
 * uploaded file was (a Magister export's `;`), else (a workbook, or a file with `|`) as Excel expects in
 * the reader's language: `;` in Dutch, Swedish and Finnish, `,` in English.
 */
export function reportDelimiterFor(format: Pick<DetectedFormat, 'type'> & { delimiter?: string } | null, lang: UiLanguage): ReportDelimiterName {
  if (format?.type === 'csv') {
    const own = (Object.keys(reportDelimiters) as ReportDelimiterName[]).find((name) => reportDelimiters[name] === format.delimiter);
    if (own) return own;
  }
  return semicolonLanguages.has(lang) ? 'semicolon' : 'comma';
}
