import { isRoleWord } from '../../contract/role-words.js';
import type { SheetColumn } from '../../contract/types.js';

/** The names a spreadsheet gives a sheet nobody named ("Sheet2", "Blad1"): they say nothing of their rows. */
const givenNames = /^(sheet|blad|taulukko|tabelle|feuil|hoja|foglio|arkusz|planilha)\s*\d*$/i;
/** Words that make a name a school's ("Engelbrektskolan", "Het Baken College", "Koulu 2"). */
const schoolWords = /skola|school|koulu|college|lyceum|gymnas|schule|école|ecole|campus|academie|akademi/i;
/** A class's name as schools write it: "7A", "Klass 7B", "groep 8", "Groep 5-6" (a sheet's name cannot hold "/"), "4 HAVO", "H4a" (not "Deel 2"). */
const classCode = /^((klas|klass|class|groep|grupp|luokka|form|year|grade|stamgroep)\s*)?([a-z]{0,2}\s*\d{1,2}\s*[a-z]{0,4}|([1-9]|1[0-2])\s*[-/]\s*([1-9]|1[0-2])\s*[a-z]{0,2}|\d{1,2}\s*(havo|vwo|vmbo|mavo|gym|atheneum)\s*[a-z0-9]?)$/i;

/** Words that name a part of a list or of a workbook, not a place: "Lijst A", "Deel B", "Export", "Overzicht". */
const partWords = /^(lijst|list|lista|luettelo|deel|del|part|osa|page|pagina|sida|tabel|table|tabell|taulukko|data|export|import|overzicht|översikt|yhteenveto|summary|totaal|totalt|instructie|instructies|instructions|instruktioner|ohjeet|uitleg|info)\b/i;
/** A name as people name places: letters and spaces, apostrophes and hyphens, no digits ("Het Baken", "De Regenboog"). */
const placeName = /^[\p{L}][\p{L}'’\- .]*$/u;

type NameKind = SheetColumn | 'name';

/**
 * What a sheet's name says of its rows: their role ("Elever"), their class ("7A"), their school (a name
 * with a word for school in it), a name that could be a school's ("Het Baken"), or nothing: a name that
 * may be anything ("Deel 2", "Lijst A", "Blad1") is never made into a class or a school.
 */
function sheetNameKind(name: string): NameKind | null {
  const trimmed = name.trim();
  if (trimmed === '' || givenNames.test(trimmed) || partWords.test(trimmed)) return null;
  if (isRoleWord(trimmed)) return 'role';
  if (schoolWords.test(trimmed)) return 'school';
  if (classCode.test(trimmed)) return 'class';
  return placeName.test(trimmed) ? 'name' : null;
}

/**
 * The kind the names of sheets read together share: the same for all of them, or school when at least
 * half of them name a school and the others could be schools' names too: a municipality's "Vasaskolan",
 * "Engelbrektskolan" and "Het Baken" (many schools' names hold no word for school). Names alone ("Het
 * Baken", "De Regenboog") are not taken for schools: they could be anything.
 */
function sharedKind(names: readonly string[]): SheetColumn | null {
  const kinds = names.map(sheetNameKind);
  const distinct = new Set(kinds);
  const [kind] = distinct;
  if (distinct.size === 1) return kind === 'name' || !kind ? null : kind;
  const schools = kinds.filter((k) => k === 'school').length;
  return distinct.size === 2 && distinct.has('school') && distinct.has('name') && schools * 2 >= kinds.length ? 'school' : null;
}

/**
 * The field that the names of sheets read together give their rows, when the names say the same kind of
 * thing (sharedKind) and no column of the header gives that field already: "Elever" and "Lärare" their
 * role, "7A" and "7B" their class, a municipality's "Engelbrektskolan" and "Sörgårdsskolan" their school.
 * Null when a name says nothing sure ("Blad1", "Deel 2") or the names differ in kind, or a column already
 * holds it.
 */
export function sheetColumnFor(names: readonly string[], headerFields: ReadonlySet<string>): SheetColumn | null {
  const kind = sharedKind(names);
  if (!kind) return null;
  const heldBy: Record<SheetColumn, string[]> = { role: ['role'], class: ['class'], school: ['school', 'nodePath'] };
  return heldBy[kind].some((field) => headerFields.has(field)) ? null : kind;
}

/**
 * A sheet that is another version of a list rather than another part of it: a year in its name
 * ("Leerlingen 2025" beside "Leerlingen 2026", a school year "24-25"), a word for a copy or an old list, or Excel's own name for
 * a copied sheet ("Leerlingen (2)"). Read with the current list, last year's pupils would be imported again.
 */
const versionLike = /\b(19|20)\d{2}\b|\b(1[3-9]|[2-9]\d)\s*[-/]\s*(1[3-9]|[2-9]\d)\b|\(\d+\)|\b(copy|kopie|kopia|kopio|backup|old|oud|oude|vorig|vorige|archief|archive|arkiv|arkisto|gammal|vanha)\b/i;

/**
 * A sheet that gathers the others' rows ("Alla elever" after a sheet per school, "Overzicht", "Totaal"):
 * read with them, every person would be there twice.
 */
const gatheringLike = /(^|[^\p{L}])(alle|all|alla|kaikki|overzicht|totaal|samenvatting|summary|total|totals|totalt|översikt|sammanställning|yhteenveto|gesamt)([^\p{L}]|$)/iu;

/**
 * Whether two sheets may be read as one: neither a version of a list (versionLike) nor one gathering
 * the others (gatheringLike), and named alike for roles or not (a sheet of teachers is not one more
 * school).
 */
export const namedAlike = (a: string, b: string): boolean =>
  ![a, b].some((name) => versionLike.test(name) || gatheringLike.test(name)) && isRoleWord(a) === isRoleWord(b);
