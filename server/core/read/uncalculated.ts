/**
 * A workbook's formula that no spreadsheet ever calculated (a program such as Python's openpyxl wrote it
 * without its result) is no value: its cell is read as this mark and the formula, so the row can be refused
 * for it (`uncalculated_formula`) rather than holding an empty cell, while a text that merely starts with
 * "=" (a name typed so, or Intake's own export of one) stays a value. The mark is a private-use character
 * no spreadsheet writes; a person sees the cell without it (`shownCell`).
 */
const mark = '\uE000';

export const uncalculated = (formula: string): string => `${mark}=${formula}`;

const markCode = mark.charCodeAt(0);

export const isUncalculated = (cell: string): boolean => cell.charCodeAt(0) === markCode;

/** A cell as a person reads it: an uncalculated formula as its formula (=CONCAT(A2,"@school.nl")). */
export const shownCell = (cell: string): string => (isUncalculated(cell) ? cell.slice(1) : cell);
