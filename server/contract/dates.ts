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

/**
 * A date as `yyyy-mm-dd` from `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yyyy` (day first, as in Europe),
 * `yyyy-mm-dd`, two-digit years, or an Excel serial number.
 */
export function parseDate(text: string): string | null {
  const value = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/.exec(value);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{2}|\d{4})$/.exec(value);
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

/** Which validity dates do not read as dates (the wizard flags them before the server would refuse). */
export const unreadableDates = (validity: { from?: string | undefined; until?: string | undefined } | undefined): ('from' | 'until')[] =>
  (['from', 'until'] as const).filter((end) => {
    const value = validity?.[end]?.trim();
    return !!value && parseDate(value) === null;
  });
