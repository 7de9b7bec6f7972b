import { isRoleWord } from '../../contract/role-words.js';
import type { SheetColumn } from '../../contract/types.js';

/** The names a spreadsheet gives a sheet nobody named ("Sheet2", "Blad1"): they say nothing of their rows. */
const givenNames = /^(sheet|blad|taulukko|tabelle|feuil|hoja|foglio|arkusz|planilha)\s*\d*$/i;
/** Words that make a name a school's, digits or not ("Skola 2"). */
const schoolWords = /skola|school|koulu|college|lyceum|gymnas|schule|école|ecole|campus/i;
/** A class's name is short and numbered: "7A", "Klass 7B", "groep 8", "H4a". */
const classLike = (name: string) => name.length <= 16 && /\d/.test(name) && !schoolWords.test(name);

/** What a sheet's name says of its rows: their role, their class, their school, or nothing. */
function sheetNameKind(name: string): SheetColumn | null {
  const trimmed = name.trim();
  if (trimmed === '' || givenNames.test(trimmed)) return null;
  if (isRoleWord(trimmed)) return 'role';
  return classLike(trimmed) ? 'class' : 'school';
}

/**
 * The field that the names of sheets read together give their rows, when every name says the same kind
 * of thing and no column of the header gives that field already: "Elever" and "Lärare" their role, "7A"
 * and "7B" their class, a municipality's "Engelbrektskolan" and "Sörgårdsskolan" their school. Null when
 * the names say nothing ("Blad1") or differ in kind, or a column already holds it.
 */
export function sheetColumnFor(names: readonly string[], headerFields: ReadonlySet<string>): SheetColumn | null {
  const kinds = new Set(names.map(sheetNameKind));
  const [kind] = kinds;
  if (kinds.size !== 1 || !kind) return null;
  const heldBy: Record<SheetColumn, string[]> = { role: ['role'], class: ['class'], school: ['school', 'nodePath'] };
  return heldBy[kind].some((field) => headerFields.has(field)) ? null : kind;
}

/**
 * A sheet that is another version of a list rather than another part of it: a year in its name
 * ("Leerlingen 2025" beside "Leerlingen 2026"), a word for a copy or an old list, or Excel's own name for
 * a copied sheet ("Leerlingen (2)"). Read with the current list, last year's pupils would be imported again.
 */
const versionLike = /\b(19|20)\d{2}\b|\(\d+\)|\b(copy|kopie|kopia|kopio|backup|old|oud|oude|vorig|vorige|archief|archive|arkiv|arkisto|gammal|vanha)\b/i;

/**
 * Whether two sheets may be read as one: neither a version of a list (versionLike), and named alike for
 * roles or not (a sheet of teachers is not one more school).
 */
export const namedAlike = (a: string, b: string): boolean => !versionLike.test(a) && !versionLike.test(b) && isRoleWord(a) === isRoleWord(b);
