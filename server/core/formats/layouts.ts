import type { Writable } from 'node:stream';
import { fieldCatalog, fieldDefinition, fieldKeys, type FieldKey, type UiLanguage } from '../../contract/catalog.js';
import { csvLine } from './csv-write.js';

import type { Layout } from '../../contract/layout-names.js';

export { layouts, type Layout } from '../../contract/layout-names.js';

/**
 * The columns of templates and exports, straight from the catalog: every field that is a `user`
 * column, but the preferences only Moodle's upload files carry. A template also offers the password and the surname prefix (tussenvoegsel) as their own
 * columns; an export holds no password and writes the last name as stored, prefix included.
 */
export function layoutFields(kind: 'template' | 'export'): FieldKey[] {
  return fieldKeys.filter((key) => {
    if (key === 'password' || key === 'lastnamePrefix') return kind === 'template';
    const { column, uploadOnly } = fieldDefinition(key);
    return column !== undefined && !uploadOnly;
  });
}

/** Headers in the admin's language: they are catalog labels, so a re-import matches them again. */
export const layoutHeaders = (fields: FieldKey[], lang: UiLanguage) => fields.map((f) => fieldCatalog[f].label[lang]);

const explanation: Record<UiLanguage, { users: string; sheet: string; headers: string[]; required: string; optional: string; kinds: Record<string, string> }> = {
  en: {
    users: 'Users',
    sheet: 'Explanation',
    headers: ['Column', 'Required for new accounts', 'Example', 'What to enter'],
    required: 'yes',
    optional: 'no',
    kinds: {
      username: 'Lower-case letters, digits and _ - . @',
      email: 'An e-mail address',
      text: 'Text',
      password: 'Only when passwords come from the file; the site policy applies',
      country: 'Two-letter country code, e.g. NL',
      lang: 'Language code, e.g. nl or en',
      yesno: 'yes/no, ja/nee, x, 1/0',
    },
  },
  nl: {
    users: 'Gebruikers',
    sheet: 'Uitleg',
    headers: ['Kolom', 'Verplicht voor nieuwe accounts', 'Voorbeeld', 'Wat vul je in'],
    required: 'ja',
    optional: 'nee',
    kinds: {
      username: 'Kleine letters, cijfers en _ - . @',
      email: 'Een e-mailadres',
      text: 'Tekst',
      password: 'Alleen als wachtwoorden uit het bestand komen; het wachtwoordbeleid geldt',
      country: 'Landcode van twee letters, bijv. NL',
      lang: 'Taalcode, bijv. nl of en',
      yesno: 'ja/nee, x, 1/0',
    },
  },
  sv: {
    users: 'Användare',
    sheet: 'Förklaring',
    headers: ['Kolumn', 'Obligatorisk för nya konton', 'Exempel', 'Vad du fyller i'],
    required: 'ja',
    optional: 'nej',
    kinds: {
      username: 'Små bokstäver, siffror och _ - . @',
      email: 'En e-postadress',
      text: 'Text',
      password: 'Bara när lösenorden kommer från filen; webbplatsens lösenordsregler gäller',
      country: 'Landskod med två bokstäver, t.ex. SE',
      lang: 'Språkkod, t.ex. sv eller en',
      yesno: 'ja/nej, x, 1/0',
    },
  },
  fi: {
    users: 'Käyttäjät',
    sheet: 'Ohje',
    headers: ['Sarake', 'Pakollinen uusille tileille', 'Esimerkki', 'Mitä kirjoitetaan'],
    required: 'kyllä',
    optional: 'ei',
    kinds: {
      username: 'Pienet kirjaimet, numerot ja _ - . @',
      email: 'Sähköpostiosoite',
      text: 'Teksti',
      password: 'Vain kun salasanat tulevat tiedostosta; sivuston salasanasäännöt pätevät',
      country: 'Kaksikirjaiminen maakoodi, esim. FI',
      lang: 'Kielikoodi, esim. fi tai en',
      yesno: 'kyllä/ei, x, 1/0',
    },
  },
};

/**
 * exceljs loads when a workbook is written, not with the server: it holds some 20 MB once loaded, and
 * most servers never write one.
 */
const workbookWriter = async () => (await import('exceljs')).default.stream.xlsx.WorkbookWriter;

/** Neutralised as the CSV writer's cells are (csv-write.ts), for workbook cells: a leading = + - @ never reads as a formula. */
const safeText = (value: string) => (/^[=+\-@]/.test(value) ? `'${value}` : value);

/** An example file: header row, one example row, and (workbooks) a sheet explaining each column. */
export async function writeTemplate(out: Writable, layout: Layout, lang: UiLanguage): Promise<void> {
  const fields = layoutFields('template');
  const headers = layoutHeaders(fields, lang);
  const example = fields.map((f) => fieldCatalog[f].example);
  if (layout !== 'xlsx') {
    const delimiter = layout === 'csv-semicolon' ? ';' : ',';
    out.end(`\uFEFF${csvLine(headers, delimiter)}${csvLine(example, delimiter)}`);
    return;
  }
  const workbook = new (await workbookWriter())({ stream: out, useSharedStrings: false });
  const sheet = workbook.addWorksheet(explanation[lang].users);
  sheet.addRow(headers).commit();
  sheet.addRow(example.map(safeText)).commit();
  const help = workbook.addWorksheet(explanation[lang].sheet);
  help.addRow(explanation[lang].headers).commit();
  fields.forEach((f, i) => {
    const def = fieldDefinition(f);
    help.addRow([headers[i], def.required === 'create' ? explanation[lang].required : explanation[lang].optional, def.example, explanation[lang].kinds[def.kind] ?? '']).commit();
  });
  await workbook.commit();
}

/** Writes rows of an export in a layout; `rows` yields one array of cell values per user. */
export async function writeExport(out: Writable, layout: Layout, lang: UiLanguage, rows: AsyncIterable<string[]>): Promise<void> {
  const headers = layoutHeaders(layoutFields('export'), lang);
  if (layout !== 'xlsx') {
    const delimiter = layout === 'csv-semicolon' ? ';' : ',';
    out.write(`\uFEFF${csvLine(headers, delimiter)}`);
    for await (const row of rows) if (!out.write(csvLine(row, delimiter))) await new Promise((r) => out.once('drain', r));
    out.end();
    return;
  }
  const workbook = new (await workbookWriter())({ stream: out, useSharedStrings: false });
  const sheet = workbook.addWorksheet(explanation[lang].users);
  sheet.addRow(headers).commit();
  // Every cell is text: identifiers keep their leading zeros when the file comes back.
  for await (const row of rows) sheet.addRow(row.map(safeText)).commit();
  await workbook.commit();
}
