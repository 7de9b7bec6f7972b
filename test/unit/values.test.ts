import { describe, expect, it } from 'vitest';
import { parseDate, parseYesNo, splitFullName } from '../../server/core/validate/values.js';

describe('value parsers', () => {
  it('reads yes and no in six languages', () => {
    for (const y of ['ja', 'Ja', 'kyllä', 'oui', 'X', '1', 'yes', 'waar']) expect(parseYesNo(y)).toBe('1');
    for (const n of ['nee', 'nej', 'ei', 'nein', 'non', '0', 'no']) expect(parseYesNo(n)).toBe('0');
    expect(parseYesNo('misschien')).toBeNull();
  });

  it('reads European dates, ISO dates and Excel serials, and refuses impossible ones', () => {
    expect(parseDate('03-05-2012')).toBe('2012-05-03');
    expect(parseDate('3.5.2012')).toBe('2012-05-03');
    expect(parseDate('2012-05-03')).toBe('2012-05-03');
    expect(parseDate('31/07/2027')).toBe('2027-07-31');
    expect(parseDate('45000')).toBe('2023-03-15');
    expect(parseDate('31-02-2026')).toBeNull();
    expect(parseDate('morgen')).toBeNull();
  });

  it('splits combined names', () => {
    expect(splitFullName('Aartsen, Dae')).toEqual({ firstname: 'Dae', lastname: 'Aartsen' });
    expect(splitFullName('Dae  van Aartsen')).toEqual({ firstname: 'Dae', lastname: 'van Aartsen' });
  });
});
