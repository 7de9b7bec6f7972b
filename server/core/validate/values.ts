/**
 * Value parsers for what schools type into spreadsheets, per language: each returns the normalised
 * value or `null` when the text is not one.
 */

// With each language's words for TRUE and FALSE as its Excel writes a logical cell into a CSV (a
// Finnish workbook saves TOSI and EPÄTOSI), and the ticks of a checklist.
const yes = new Set(['1', 'x', 'yes', 'y', 'true', 'ja', 'j', 'waar', 'kyllä', 'k', 'tosi', 'oui', 'o', 'vrai', 'sant', 'wahr', 'on', '✓', '✔', '☑']);
const no = new Set(['0', 'no', 'n', 'false', 'nee', 'nej', 'ei', 'epätosi', 'nein', 'non', 'onwaar', 'falskt', 'falsch', 'faux', 'off', '-', '✗', '✘', '☐']);

/** yes/no in English, Dutch, Swedish, Finnish, German and French, `x`, ticks, 1/0 → `1` or `0`. */
export function parseYesNo(text: string): '1' | '0' | null {
  const value = text.trim().toLowerCase();
  if (yes.has(value)) return '1';
  if (no.has(value)) return '0';
  return null;
}

export { parseDate } from '../../contract/dates.js';

/**
 * The words of a surname's prefix (tussenvoegsel) as Dutch, Flemish and German names have them, lower
 * case as a list sorted by surname writes them after the first name ("Vries, Jan de", "Berg, Zoë van den").
 */
const surnamePrefixWords = new Set(['van', 'de', 'der', 'den', 'het', "'t", 'te', 'ten', 'ter', 'op', 'in', 'uit', 'aan', 'bij', 'onder', 'voor', 'la', 'le', 'du', 'da', 'di', 'dos', 'das', 'del', "d'", "l'", 'von', 'vom', 'zu', 'zum', 'zur']);

/**
 * Splits a combined name column: "Aartsen, Dae" (last, first) or "Dae Aartsen" (first, rest; from the
 * surname prefix on where there is one: "Jan Peter de Vries"). In the sorted form the prefix after the
 * first name goes back before the surname, as Dutch lists write a name for sorting ("Vries, Jan de" is
 * Jan de Vries); a first name keeps at least one word.
 */
export function splitFullName(text: string): { firstname: string; lastname: string } {
  const value = text.trim().replace(/\s+/g, ' ');
  const comma = value.indexOf(',');
  if (comma !== -1) {
    const lastname = value.slice(0, comma).trim();
    const words = value.slice(comma + 1).trim().split(' ');
    let first = words.length;
    while (lastname && first > 1 && surnamePrefixWords.has(words[first - 1]!)) first--;
    const prefix = words.slice(first).join(' ');
    return { lastname: prefix ? `${prefix} ${lastname}` : lastname, firstname: words.slice(0, first).join(' ') };
  }
  const words = value.split(' ');
  if (words.length === 1) return { firstname: value, lastname: '' };
  // "Jan Peter de Vries": a surname that starts with its prefix starts there; else at the second word.
  const prefixAt = words.findIndex((word, i) => i > 0 && i < words.length - 1 && surnamePrefixWords.has(word));
  const split = prefixAt === -1 ? 1 : prefixAt;
  return { firstname: words.slice(0, split).join(' '), lastname: words.slice(split).join(' ') };
}

/**
 * Answers of the conversions below, by what is asked, its zone and the value. Asking the runtime's time
 * zone data costs some 16 µs; an import's every row with a validity asks two or three times, nearly
 * always about the same few dates (a school's birthdays, an exam's period), so the answers are kept, a
 * few thousand per zone and question at most. Looked up by zone, then by value: a key built of strings
 * for each question cost more than its answer (measured).
 */
interface ZoneAnswers {
  day: Map<number, string>;
  midnight: Map<string, number>;
  lastSecond: Map<string, number>;
}
const answersByZone = new Map<string, ZoneAnswers>();
const answersIn = (timeZone: string): ZoneAnswers => {
  let answers = answersByZone.get(timeZone);
  if (!answers) answersByZone.set(timeZone, (answers = { day: new Map(), midnight: new Map(), lastSecond: new Map() }));
  return answers;
};
function remember<K, V>(answers: Map<K, V>, value: K, work: () => V): V {
  const known = answers.get(value);
  if (known !== undefined) return known;
  const answer = work();
  if (answers.size >= 4096) answers.clear();
  answers.set(value, answer);
  return answer;
}

/** The day (ISO) an instant falls on in a zone. */
export const dayIn = (seconds: number, timeZone: string): string =>
  remember(answersIn(timeZone).day, seconds, () => {
    const { year, month, day } = wallClockIn(seconds * 1000, timeZone);
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  });

/**
 * Seconds since the epoch of midnight at the start of an ISO date in an IANA time zone: what Moodle's
 * make_timestamp(y, m, d) returns in that zone (a date of birth 01-05-2010 stays 1 May wherever it is read).
 */
export const midnightIn = (iso: string, timeZone: string): number =>
  remember(answersIn(timeZone).midnight, iso, () => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    const utc = Date.UTC(y, m - 1, d);
    // The zone's offset at that instant, then again at the corrected one (a DST change near midnight).
    let guess = utc - offsetOf(utc, timeZone);
    guess = utc - offsetOf(guess, timeZone);
    return Math.floor(guess / 1000);
  });

/** The last second of an ISO date in a zone: before the next day's midnight (a day with a daylight-saving change is not 86,400 seconds long). */
export const lastSecondOf = (iso: string, timeZone: string): number =>
  remember(answersIn(timeZone).lastSecond, iso, () => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    return midnightIn(new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10), timeZone) - 1;
  });

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** A zone's wall clock at an instant (milliseconds since the epoch): its date and time of day, as numbers. */
function wallClockIn(instant: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far a zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetOf(instant: number, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallClockIn(instant, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(instant / 1000) * 1000;
}

/**
 * An IANA time zone's name in its own spelling ("europe/amsterdam" is Europe/Amsterdam; an alias keeps
 * its name, as PHP's list of zones does), or undefined for a name the runtime does not know.
 */
export function timeZoneName(name: string): string | undefined {
  if (zoneNames.has(name)) return zoneNames.get(name);
  let found: string | undefined;
  try {
    found = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    found = undefined;
  }
  // A file names a handful of zones, row after row: each is looked up once (a hostile file's thousands are not kept).
  if (zoneNames.size < 1000) zoneNames.set(name, found);
  return found;
}
const zoneNames = new Map<string, string | undefined>();

/** Whether the runtime knows this IANA time zone. */
export const isTimeZone = (name: string): boolean => timeZoneName(name) !== undefined;

/**
 * Moodle's PARAM_NOTAGS and PARAM_TEXT as they apply to names and places: strip_tags(), which removes
 * comments and anything from `<` followed by a letter, `/`, `!` or `?` up to the next `>` (or the end).
 */
export function stripTags(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, '').replace(/<[a-zA-Z/!?][^>]*(?:>|$)/g, '');
}
