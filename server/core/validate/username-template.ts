import { fieldCatalog, type FieldKey } from '../../contract/catalog.js';
import type { TemplateToken } from '../../contract/username-template-rules.js';

const tokens: Record<TemplateToken, (v: Partial<Record<FieldKey, string>>) => string> = {
  firstname: (v) => v.firstname ?? '',
  lastname: (v) => v.lastname ?? '',
  f: (v) => (v.firstname ?? '').slice(0, 1),
  l: (v) => (v.lastname ?? '').slice(0, 1),
  idnumber: (v) => v.idnumber ?? '',
  email: (v) => (v.email ?? '').split('@')[0] ?? '',
};

/** Moodle's user.username holds 100 characters: a longer name would fail the whole batch's insert. */
const usernameMax = fieldCatalog.username.maxLength;

/**
 * The template's name number `n` of a base: `jjansen`, `jjansen2`, `jjansen3`…, the base cut short where
 * the number would not fit in a username.
 */
export const numberedName = (base: string, n: number) => {
  const suffix = n === 1 ? '' : String(n);
  return `${base.slice(0, usernameMax - suffix.length)}${suffix}`;
};

/** Each letter of `letters` as the spelling at its place in `spellings` (space-separated; `-`: not written). */
const spelled = (letters: string, spellings: string): [string, string][] => {
  const words = spellings.split(' ');
  return [...letters].map((letter, i) => [letter, words[i] === '-' ? '' : words[i]!]);
};

/**
 * Letters with no accent to drop but a plain Latin spelling, in lower case: transliterated, never dropped.
 * Latin letters of their own (the Turkish ı, the Danish ø, the Polish ł), and the Cyrillic and Greek
 * alphabets as ICAO Doc 9303 spells them in passports (Иван Петров → ipetrov, Ευάγγελος → evangelos), the
 * spelling a pupil's documents most likely carry: a name in either script gave an empty username.
 * Accents are dropped first, so that й is и and ά is α.
 */
const transliterations = new Map<string, string>([
  ...spelled('ıøæœßðđłþĳ', 'i o ae oe ss d d l th ij'),
  // Russian, Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian Cyrillic (й ї ё ў ѓ ќ are и і е у г к by then).
  ...spelled('абвгґдеєжзиіклмнопрстуфхцчшщъыьэюяђјљњћџѕ', 'a b v g g d e ie zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia d j lj nj c dz dz'),
  // Greek, final sigma too, and the pairs spelled as one sound (matched before their letters).
  ...spelled('αβγδεζηθικλμνξοπρσςτυφχψω', 'a v g d e z i th i k l m n x o p r s s t y f ch ps o'),
  ['ου', 'ou'],
  ['αυ', 'av'],
  ['ευ', 'ev'],
  ['γγ', 'ng'],
]);
const pairs = [...transliterations.keys()].filter((key) => key.length > 1);
const transliterated = new RegExp(`${pairs.join('|')}|[${[...transliterations.keys()].filter((key) => key.length === 1).join('')}]`, 'g');

/**
 * The username a template gives for a row, made acceptable to Moodle: accents dropped, letters such as
 * the Turkish ı, the Danish ø or Cyrillic ones transliterated, lower case, only `a-z 0-9 _ - . @`.
 * "{f}{lastname}" for Chloé de Vries gives "cdevries", for Ayşe Yılmaz "ayilmaz".
 */
export function usernameFromTemplate(template: string, values: Partial<Record<FieldKey, string>>): string {
  return template
    .replace(/\{([a-z]+)\}/g, (_, token: string) => (token in tokens ? tokens[token as TemplateToken](values) : ''))
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(transliterated, (letters) => transliterations.get(letters) ?? letters)
    .replace(/[^a-z0-9_.@-]+/g, '')
    .slice(0, usernameMax);
}
