import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeySet } from '../../server/core/plan/key-set.js';

describe('KeySet', () => {
  it('behaves as a Map<string, number> that keeps first values, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 300 }), (entries) => {
        const set = new KeySet(4);
        const map = new Map<string, number>();
        for (const [key, value] of entries) {
          set.set(key, value);
          if (!map.has(key)) map.set(key, value);
        }
        expect(set.size).toBe(map.size);
        for (const [key, value] of map) expect(set.get(key)).toBe(value);
        expect(set.has('\u0000never-added\u0000')).toBe(map.has('\u0000never-added\u0000'));
      }),
    );
  });

  it('behaves as a Map<string, number> with put, mixed with set, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 300 }), (entries) => {
        const set = new KeySet(4);
        const map = new Map<string, number>();
        for (const [overwrite, key, value] of entries) {
          if (overwrite) {
            set.put(key, value);
            map.set(key, value);
          } else {
            set.set(key, value);
            if (!map.has(key)) map.set(key, value);
          }
        }
        expect(set.size).toBe(map.size);
        for (const [key, value] of map) expect(set.get(key)).toBe(value);
      }),
    );
  });

  it('tells a hundred thousand similar keys apart', () => {
    const set = new KeySet();
    for (let i = 0; i < 100_000; i++) set.set(`s${i}@school.example`, i);
    expect(set.size).toBe(100_000);
    expect(set.get('s99999@school.example')).toBe(99_999);
    expect(set.has('s100000@school.example')).toBe(false);
  });

  it('keeps a million keys in under 16 bytes each', () => {
    const set = new KeySet();
    for (let i = 0; i < 1_000_000; i++) set.add(`s${i}@school.example`);
    expect(set.size).toBe(1_000_000);
    expect(set.bytes / set.size).toBeLessThan(16);
  });
});
