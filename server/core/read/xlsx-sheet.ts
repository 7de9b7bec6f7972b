import type ExcelJS from 'exceljs';
import colCache from 'exceljs/lib/utils/col-cache.js';
import utils from 'exceljs/lib/utils/utils.js';
import { SaxesParser } from 'saxes';
import { textOfFormula } from './clean.js';
import { uncalculated } from './uncalculated.js';

/** A cell with a value, as exceljs' streaming reader would give it, with its number format. */
export interface SheetCell {
  column: number;
  value: ExcelJS.CellValue;
  numFmt: string | undefined;
}

export interface SheetRow {
  number: number;
  cells: SheetCell[];
}

/** What a sheet's cells are read with: the workbook parts exceljs has read (shared strings, styles, date system). */
export interface SheetContext {
  sharedStrings: { get(index: number): string | null | undefined };
  styles: { getStyleModel(id: number): { numFmt?: string } | undefined };
  properties?: { model?: { date1904?: boolean } };
}

/**
 * The rows of one worksheet's XML, each cell's value made exactly as exceljs 4.4's streaming
 * WorksheetReader makes it (lib/stream/xlsx/worksheet-reader.js: formulas with their cached result,
 * shared and inline strings, errors, booleans, numbers, dates by number format, a row's format for
 * cells without their own), without the Row and Cell objects it builds around every value: those took
 * most of a workbook's reading time. Reads the sheet's XML as text (utf8Text); yields the rows a chunk completes.
 */
export async function* sheetRows(xml: AsyncIterable<string>, workbook: SheetContext): AsyncGenerator<SheetRow[]> {
  const { sharedStrings, styles, properties } = workbook;
  // As exceljs: a cell's style by a non-zero id; a row's by any `s` at all ("0" too).
  const cellStyleOf = (s: string | undefined) => {
    const id = parseInt(s ?? '', 10);
    return id ? styles.getStyleModel(id) : undefined;
  };
  const rowStyleOf = (s: string | undefined) => (s ? styles.getStyleModel(parseInt(s, 10)) : undefined);
  let inRows = false;
  let row: SheetRow | null = null;
  /** The row's own number format, for its cells without one. */
  let rowNumFmt: string | undefined;
  let cell: { ref: string; s: string | undefined; t: string | undefined; f?: { text: string }; v?: { text: string } } | null = null;
  let current: { text: string } | null = null;
  /** Inside a phonetic run of an inline string, whose text is not the cell's. */
  let phonetic = false;
  /** The rows the chunk being parsed completes. */
  let rows: SheetRow[] = [];
  // saxes' own handlers, not exceljs' parse-sax: that wraps every tag and text in an event object of its
  // own (some 2.7 million for 100,000 rows of five columns), a fifth of the parsing time with their garbage.
  const parser = new SaxesParser({ position: false });
  let failed: Error | null = null;
  parser.on('error', (error) => (failed ??= error));
  parser.on('opentag', (tag) => {
    const { name } = tag;
    // Without namespaces (saxes' default, as exceljs reads), every attribute is plain text.
    const attributes = tag.attributes as Record<string, string | undefined>;
    if (name === 'sheetData') inRows = true;
    else if (name === 'row') {
      if (inRows) {
        row = { number: parseInt(attributes.r ?? '', 10), cells: [] };
        rowNumFmt = rowStyleOf(attributes.s)?.numFmt;
      }
    } else if (name === 'c') {
      if (row) cell = { ref: attributes.r!, s: attributes.s, t: attributes.t };
    } else if (name === 'f') {
      if (cell) current = cell.f = { text: '' };
    } else if (name === 'v') {
      if (cell) current = cell.v = { text: '' };
    } else if (name === 'is') {
      // Its text is in the <t> elements within.
      if (cell) cell.v = { text: '' };
    } else if (name === 't') {
      // An inline string's text: all its runs (<r><t>Da</t></r><r><t>an</t></r> is "Daan"; exceljs kept
      // the last run only), but not the reading aid a phonetic run (<rPh>) carries.
      if (cell) current = phonetic ? null : (cell.v ??= { text: '' });
    } else if (name === 'rPh') phonetic = true;
  });
  parser.on('text', (text) => {
    if (current) current.text += text;
  });
  parser.on('closetag', ({ name }) => {
    // Text outside a value (the line breaks and indents of XML written for reading) is no part of it.
    if (name === 'v' || name === 't' || name === 'f') current = null;
    else if (name === 'rPh') phonetic = false;
    if (name === 'sheetData') inRows = false;
    else if (name === 'row' && row) {
      rows.push(row);
      row = null;
    } else if (name === 'c' && row && cell) {
      const column = colCache.decodeAddress(cell.ref).col;
      // A cell's own style replaces the row's; without one (or with style 0) it keeps the row's.
      const style = cellStyleOf(cell.s);
      const numFmt = style ? style.numFmt : rowNumFmt;
      const value = cellValue(cell, numFmt);
      // exceljs holds such a cell as empty (an empty shared string is null): no value, as it skips them.
      if (value !== undefined && value !== null) row.cells.push({ column, value, numFmt });
      cell = null;
    }
  });
  for await (const text of xml) {
    parser.write(text);
    if (failed) throw failed;
    if (rows.length > 0) {
      yield rows;
      rows = [];
    }
  }

  function cellValue(c: NonNullable<typeof cell>, numFmt: string | undefined): ExcelJS.CellValue | undefined {
    if (c.f) {
      // A formula with no result at all (no <v>, or openpyxl's empty <v></v> for a number: written by a
      // program, never calculated; an empty text result is t="str" with an empty <v>) is marked as such
      // (uncalculated.ts), but Excel's text formula (="0012345") is its text, calculated or not.
      if (!c.v || (c.v.text === '' && (c.t === undefined || c.t === 'n'))) return textOfFormula(c.f.text) ?? uncalculated(c.f.text);
      const formula: { formula: string; result?: ExcelJS.CellValue } = { formula: c.f.text };
      // A formula that failed keeps its error as its result (a VLOOKUP that found nothing: #N/A), not
      // NaN, which read as an empty cell: the row is then refused for it (spreadsheet_error), not imported without it.
      if (c.v) formula.result = c.t === 'str' ? utils.xmlDecode(c.v.text) : c.t === 'e' ? ({ error: c.v.text } as ExcelJS.CellValue) : parseFloat(c.v.text);
      // A cell holds a formula's parts only where they are truthy (FormulaValue._copyModel: a result of 0
      // reads as none); a formula without text (a shared formula's other cells) is held as it is.
      if (formula.formula && !formula.result) delete formula.result;
      return formula as ExcelJS.CellValue;
    }
    if (!c.v) return undefined;
    switch (c.t) {
      case 's':
        return sharedStrings.get(parseInt(c.v.text, 10));
      case 'inlineStr':
      case 'str':
        return utils.xmlDecode(c.v.text);
      case 'e':
        return { error: c.v.text } as ExcelJS.CellValue;
      case 'b':
        return parseInt(c.v.text, 10) !== 0;
      case 'd':
        // A date written as ISO 8601 text (Strict Open XML, and writers such as SheetJS), not a serial
        // number: exceljs read it as a number, NaN.
        return isoDate(c.v.text);
      default:
        return utils.isDateFmt(numFmt) ? utils.excelToDate(parseFloat(c.v.text), properties?.model?.date1904) : parseFloat(c.v.text);
    }
  }
}

/**
 * XML's bytes as text, a character split between two chunks joined again. exceljs decodes each chunk on
 * its own, so a name whose "ö" straddled two 16 KB chunks came out as "��" (8 of 30,000 rows of
 * European names, measured): its streaming decoder keeps the first bytes for the next chunk.
 */
export async function* utf8Text(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The date of a `t="d"` cell: an ISO 8601 date or date-time, without a zone as a sheet's clock shows it
 * (read as UTC, as serial dates are: cellText prints their UTC fields); text it cannot read stays text.
 */
export function isoDate(text: string): Date | string {
  const trimmed = text.trim();
  if (!/^\d{4}-\d\d-\d\d(?:$|T)/.test(trimmed)) return text;
  const zoned = /(?:[Zz]|[+-]\d\d:?\d\d)$/.test(trimmed) || !trimmed.includes('T');
  const date = new Date(zoned ? trimmed : `${trimmed}Z`);
  return Number.isNaN(date.getTime()) ? text : date;
}
