import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../server/core/package-root.js';

const componentsDir = join(packageRoot, 'components');
const localesDir = join(componentsDir, 'locales');

/** Every message id the components use, with how many placeholders its English text has. */
function messageIds(): Map<string, number> {
  const ids = new Map<string, number>();
  for (const file of readdirSync(componentsDir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(componentsDir, file), 'utf8');
    // msg('text', { id }) and msg(str`text ${x}`, { id }): the id closes every call. A call this cannot
    // read fails the test rather than going unchecked.
    const calls = [...source.matchAll(/\bmsg\(/g)].length;
    let read = 0;
    for (const call of source.matchAll(/msg\(\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,\s*\{\s*id:\s*'([^']+)'\s*\},?\s*\)/gs)) {
      const placeholders = (call[1]!.match(/\$\{/g) ?? []).length;
      const known = ids.get(call[2]!);
      if (known !== undefined && known !== placeholders) throw new Error(`${call[2]} is used with ${known} and ${placeholders} placeholders`);
      ids.set(call[2]!, placeholders);
      read++;
    }
    if (read !== calls) throw new Error(`${file}: ${calls - read} msg() calls without a literal text and id`);
  }
  return ids;
}

/** A locale module's keys and each template's placeholder count, read from its source. */
function localeEntries(file: string): Map<string, number> {
  const source = readFileSync(join(localesDir, file), 'utf8');
  const entries = new Map<string, number>();
  for (const entry of source.matchAll(/^\s*'([^']+)':\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),?\s*$/gm)) {
    entries.set(entry[1]!, (entry[2]!.match(/\$\{/g) ?? []).length);
  }
  return entries;
}

const locales = readdirSync(localesDir).filter((f) => f.endsWith('.ts'));

describe('the interface is translated whole', () => {
  const ids = messageIds();

  it('finds the messages it checks', () => {
    expect(ids.size).toBeGreaterThan(150);
    expect(locales.length).toBeGreaterThanOrEqual(1);
  });

  for (const file of locales) {
    it(`${file} has every message, no stale one, and the same placeholders`, () => {
      const entries = localeEntries(file);
      expect([...ids.keys()].filter((id) => !entries.has(id)), 'missing').toEqual([]);
      expect([...entries.keys()].filter((id) => !ids.has(id)), 'stale').toEqual([]);
      const mismatched = [...ids].filter(([id, n]) => entries.has(id) && entries.get(id) !== n).map(([id]) => id);
      expect(mismatched, 'placeholders differ').toEqual([]);
    });
  }
});
