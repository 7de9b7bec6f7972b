import { describe, expect, it } from 'vitest';
import { parseDate, parseYesNo, splitFullName } from '../../server/core/validate/values.js';

describe('value parsers', () => {
  it('reads yes and no in six languages', () => {
    for (const y of ['ja', 'Ja', 'kyllä', 'oui', 'X', '1', 'yes', 'waar']) expect(parseYesNo(y)).toBe('1');
    for (const n of ['nee', 'nej', 'ei', 'nein', 'non', '0', 'no']) expect(parseYesNo(n)).toBe('0');
    expect(parseYesNo('misschien')).toBeNull();
  });

  it("reads a logical cell as each language's Excel writes it into a CSV, and a checklist's ticks", () => {
    for (const y of ['TRUE', 'WAAR', 'SANT', 'TOSI', 'WAHR', 'VRAI', '✓', '✔']) expect(parseYesNo(y), y).toBe('1');
    for (const n of ['FALSE', 'ONWAAR', 'FALSKT', 'EPÄTOSI', 'FALSCH', 'FAUX', '✗']) expect(parseYesNo(n), n).toBe('0');
  });

  it('reads European dates, ISO dates and Excel serials, and refuses impossible ones', () => {
    expect(parseDate('03-05-2012')).toBe('2012-05-03');
    expect(parseDate('3.5.2012')).toBe('2012-05-03');
    expect(parseDate('2012-05-03')).toBe('2012-05-03');
    expect(parseDate('31/07/2027')).toBe('2027-07-31');
    expect(parseDate('45000')).toBe('2023-03-15');
    expect(parseDate('31-02-2026')).toBeNull();
    expect(parseDate('morgen')).toBeNull();
    // A date-and-time cell as Excel writes it to CSV: the day counts, the time is dropped.
    expect(parseDate('03-05-2012 0:00:00')).toBe('2012-05-03');
    expect(parseDate('3-5-2012 00:00')).toBe('2012-05-03');
    expect(parseDate('03-05-2012 morgen')).toBeNull();
  });

  it('reads dates with slashes or dots year first, yyyymmdd, and months by name in the languages Intake reads', () => {
    for (const written of ['2012/05/03', '2012.05.03', '20120503', '3 mei 2012', '3. Mai 2012', '3 May 2012', 'May 3, 2012', '3 maj 2012', '3. toukokuuta 2012', '3 mai 2012']) {
      expect(parseDate(written), written).toBe('2012-05-03');
    }
    expect(parseDate('3 déc. 2012')).toBe('2012-12-03');
    expect(parseDate('31 februari 2012')).toBeNull();
    expect(parseDate('2012/13/01')).toBeNull();
    // Eight digits are a date only when they read as one in a plausible year.
    expect(parseDate('12345678')).toBeNull();
    expect(parseDate('3 Blah 2012')).toBeNull();
  });

  it('splits combined names', () => {
    // [as written, first name, surname]
    const names: [string, string, string][] = [
      ['Aartsen, Dae', 'Dae', 'Aartsen'],
      ['Dae  van Aartsen', 'Dae', 'van Aartsen'],
      // Sorted as Dutch lists write names, the prefix after the first name goes back before the surname.
      ['Vries, Jan de', 'Jan', 'de Vries'],
      ['Berg, Zoë van den', 'Zoë', 'van den Berg'],
      ["Heuvel, Piet in 't", 'Piet', "in 't Heuvel"],
      ['Goethe, Johann Wolfgang von', 'Johann Wolfgang', 'von Goethe'],
      // A first name keeps a word; capitalised words are names; without a surname nothing moves.
      ['Berg, de', 'de', 'Berg'],
      ['Mol, Anna De', 'Anna De', 'Mol'],
      [', Jan de', 'Jan de', ''],
      // Written first name first, the surname starts at its prefix: two first names stay first names.
      ['Jan Peter de Vries', 'Jan Peter', 'de Vries'],
      ['Anna Svensson', 'Anna', 'Svensson'],
      ['Dae', 'Dae', ''],
      // The last word is the surname's, even one spelt like a prefix.
      ['Ruud van', 'Ruud', 'van'],
    ];
    for (const [written, firstname, lastname] of names) expect(splitFullName(written), written).toEqual({ firstname, lastname });
  });
});
