import { describe, expect, it } from 'vitest';
import { hostDefaultTest } from '../../server/host/read/column-defaults.js';

const defaults = new Map<string, string | null>([
  ['confirmed', '0'],
  ['calendartype', 'gregorian'],
  ['idnumber', ''],
  ['lastip', null],
  ['odd', '05'],
]);

describe("the host's column defaults", () => {
  it('tell a value the host writes by itself from one that must be sent', () => {
    const test = (column: string) => hostDefaultTest(defaults, column);
    expect([0, -0, 1, '0', null].map(test('confirmed'))).toEqual([true, true, false, true, false]);
    expect(['gregorian', 'hijri', null].map(test('calendartype'))).toEqual([true, false, false]);
    expect(['', 'x', 0, null].map(test('idnumber'))).toEqual([true, false, false, false]);
    expect([null, '', 0].map(test('lastip'))).toEqual([true, false, false]);
    // Only the number whose text the default is: 5 is written as '5', not '05'.
    expect([5, '05'].map(test('odd'))).toEqual([false, true]);
    // A column without a default is always sent.
    expect(['', null, 0].map(test('firstname'))).toEqual([false, false, false]);
  });
});
