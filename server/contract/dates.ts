/**
 * Dates as schools type them, read the same in the wizard (its date fields), the settings schema and
 * the file's date columns.
 */

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Excel counts days from 1899-12-30 (its 1900 leap-year bug included). */
function fromExcelSerial(serial: number): string {
  const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Languages whose month names a date may be written with (those Intake reads headers in). */
const monthLanguages = ['en', 'nl', 'sv', 'fi', 'de', 'fr'];
let monthNames: Map<string, number> | null = null;

/** A month's name or abbreviation (lower case, no accents, no dot) → its number, from the platform's CLDR data. */
function monthOf(name: string): number | null {
  if (!monthNames) {
    monthNames = new Map();
    for (const lang of monthLanguages) {
      for (const style of ['long', 'short'] as const) {
        const format = new Intl.DateTimeFormat(lang, { month: style, timeZone: 'UTC' });
        for (let month = 1; month <= 12; month++) monthNames.set(plainWord(format.format(new Date(Date.UTC(2001, month - 1, 15)))), month);
      }
      // Finnish writes a date's month in the partitive ("3. toukokuuta 2012"), not as the month alone.
      const inDate = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' });
      for (let month = 1; month <= 12; month++) {
        const part = inDate.formatToParts(new Date(Date.UTC(2001, month - 1, 15))).find((p) => p.type === 'month');
        if (part) monthNames.set(plainWord(part.value), month);
      }
    }
  }
  return monthNames.get(plainWord(name)) ?? null;
}

const plainWord = (word: string) =>
  word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\.$/, '');

/**
 * A date as `yyyy-mm-dd` from `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yyyy` (day first, as in Europe),
 * `yyyy-mm-dd` (or with `/` or `.`), `yyyymmdd`, two-digit years, a month by name in one of the languages
 * ("3 mei 2012", "3. Mai 2012", "May 3, 2012"), or an Excel serial number; a time after a date is dropped.
 */
export function parseDate(text: string): string | null {
  const value = text.trim();
  let m = /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?:[ T].*)?$/.exec(value);
  if (m) return isoDate(Number(m[1]), Number(m[3]), Number(m[4]));
  m = /^(19\d\d|20\d\d)(\d{2})(\d{2})$/.exec(value);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.?\s+([^\d\s,]+)\s+(\d{4})$/.exec(value);
  if (m) {
    const month = monthOf(m[2]!);
    return month === null ? null : isoDate(Number(m[3]), month, Number(m[1]));
  }
  m = /^([^\d\s,]+)\s+(\d{1,2}),?\s+(\d{4})$/.exec(value);
  if (m) {
    const month = monthOf(m[1]!);
    return month === null ? null : isoDate(Number(m[3]), month, Number(m[2]));
  }
  // A time after the date (Excel writes a date-and-time cell's midnight, "03-05-2012 0:00:00") is dropped.
  m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{2}|\d{4})(?:,?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$/.exec(value);
  if (m) {
    let year = Number(m[3]);
    // Two-digit years: the nearest century that does not put the date far in the future.
    if (m[3]!.length === 2) year += year > (new Date().getUTCFullYear() % 100) + 10 ? 1900 : 2000;
    return isoDate(year, Number(m[2]), Number(m[1]));
  }
  if (/^\d{4,5}(\.\d+)?$/.test(value)) {
    const serial = Math.floor(Number(value));
    if (serial >= 1 && serial < 2_958_466) return fromExcelSerial(serial);
  }
  return null;
}

/**
 * Whether a validity's end comes before its start, both given and readable: a period no one is ever
 * valid in, refused with the settings rather than on every row it would reach.
 */
export const reversedPeriod = (validity: { from?: string | undefined; until?: string | undefined } | undefined): boolean => {
  const from = validity?.from?.trim() ? parseDate(validity.from) : null;
  const until = validity?.until?.trim() ? parseDate(validity.until) : null;
  return from !== null && until !== null && until < from;
};

/** Which validity dates do not read as dates (the wizard flags them before the server would refuse). */
export const unreadableDates = (validity: { from?: string | undefined; until?: string | undefined } | undefined): ('from' | 'until')[] =>
  (['from', 'until'] as const).filter((end) => {
    const value = validity?.[end]?.trim();
    return !!value && parseDate(value) === null;
  });
