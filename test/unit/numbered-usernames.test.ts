import { describe, expect, it } from 'vitest';
import { askNumberedNames } from '../../server/host/read/numbered-usernames.js';
import { FileClaims } from '../../server/core/plan/users.js';
import { numberedName, usernameFromTemplate } from '../../server/core/validate/username-template.js';

/** A host's usernames, asked as the snapshot asks them: exact names in, the taken ones out. */
function host(taken: string[]) {
  const names = new Set(taken);
  const asked: string[][] = [];
  return { asked, lookUp: async (batch: string[]) => (asked.push(batch), batch.filter((n) => names.has(n))) };
}

describe('numbered usernames of a template', () => {
  it('asks as many names as the rows need past what the host holds, in a few round trips however many it holds', async () => {
    const site = host(['jjansen', ...Array.from({ length: 400 }, (_, i) => `jjansen${i + 2}`), 'pvos']);
    const through = await askNumberedNames(
      new Map([
        ['jjansen', { from: 1, need: 3 }],
        ['pvos', { from: 1, need: 1 }],
      ]),
      site.lookUp,
    );
    // jjansen … jjansen401 are taken: the three rows get jjansen402 to 404, all looked up.
    expect(through.get('jjansen')).toBeGreaterThanOrEqual(404);
    expect(through.get('pvos')).toBeGreaterThanOrEqual(2);
    // Each round asks twice the room of the one before: seven round trips, not a hundred.
    expect(site.asked.length).toBeLessThanOrEqual(8);
    // A base with room from the start is asked once, with a few names to spare, not thirty.
    expect(site.asked.flat().filter((n) => n.startsWith('pvos'))).toEqual(['pvos', 'pvos2', 'pvos3', 'pvos4', 'pvos5']);
  });

  it('numbers from where the file left off, never past what was looked up', async () => {
    const claims = new FileClaims();
    const taken = new Set(['avries', 'avries2']);
    const free = (name: string) => !taken.has(name) && !claims.has('username', name);
    const give = (through: number) => {
      const name = claims.numberedUsername('avries', through, free);
      if (name) claims.add('username', name);
      return name;
    };
    expect([give(10), give(10), give(10)]).toEqual(['avries3', 'avries4', 'avries5']);
    expect(claims.numberedFrom('avries')).toBe(5);
    // Past the last name looked up, nothing is guessed.
    expect(give(5)).toBeNull();
    expect(give(6)).toBe('avries6');
  });

  it('keeps every name within the 100 characters of Moodle\'s username, numbers included', () => {
    const base = usernameFromTemplate('{f}{lastname}', { firstname: 'Jan', lastname: `A${'b'.repeat(120)}` });
    expect(base).toHaveLength(100);
    expect(numberedName(base, 1)).toBe(base);
    expect(numberedName(base, 2)).toBe(`${base.slice(0, 99)}2`);
    expect(numberedName(base, 347)).toHaveLength(100);
    expect(numberedName(base, 347).endsWith('347')).toBe(true);
  });
});
