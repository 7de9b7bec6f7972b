import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdSet } from '../../server/core/plan/id-set.js';

describe('IdSet', () => {
  it('behaves as a Set<number> through adds, deletes and growth', () => {
    const operation = fc.tuple(fc.constantFrom('add', 'delete'), fc.integer({ min: -50, max: 2 ** 40 }));
    fc.assert(
      fc.property(fc.array(fc.oneof(operation, fc.tuple(fc.constantFrom('add', 'delete'), fc.integer({ min: -20, max: 20 }))), { maxLength: 400 }), (operations) => {
        const ids = new IdSet(2);
        const reference = new Set<number>();
        for (const [op, id] of operations) {
          if (op === 'add') {
            ids.add(id);
            reference.add(id);
          } else {
            expect(ids.delete(id)).toBe(reference.delete(id));
          }
        }
        expect(ids.size).toBe(reference.size);
        expect([...ids].sort((a, b) => a - b)).toEqual([...reference].sort((a, b) => a - b));
        for (const id of reference) expect(ids.has(id)).toBe(true);
        expect(ids.has(2 ** 41)).toBe(false);
      }),
    );
  });

  it('moves a million new accounts from their rows to their ids, as confirmCreated does', () => {
    const ids = new IdSet();
    for (let row = 2; row < 1_000_002; row++) ids.add(-row);
    for (let row = 2; row < 1_000_002; row++) {
      ids.delete(-row);
      ids.add(500_000 + row);
    }
    expect(ids.size).toBe(1_000_000);
    expect(ids.has(-2)).toBe(false);
    expect(ids.has(500_002)).toBe(true);
  });
});
