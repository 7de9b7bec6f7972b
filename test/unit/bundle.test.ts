/**
 * The browser bundle (dist/intake.js, built by `npm run build` before the tests) carries the
 * browser-safe contract only: no zod, no server code. dependency-cruiser checks the imports; this
 * checks what was built from them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bundle = new URL('../../dist/intake.js', import.meta.url);

describe('the browser bundle', () => {
  it('holds no zod, no mysql2 and no node: module, and stays small', () => {
    expect(existsSync(bundle), 'run `npm run build` first (npm test does)').toBe(true);
    const code = readFileSync(bundle, 'utf8');
    // Nor the headers that match fields (server/core/map/header-synonyms.ts): the browser never matches them.
    for (const marker of ['ZodError', '$ZodType', 'mysql2', 'drizzle', 'roepnaam leerling', 'numéro d']) expect(code, marker).not.toContain(marker);
    // Minified: an import of a node: module, static or dynamic, with or without spaces and in any quotes.
    expect(code).not.toMatch(/(?:from|import)\s*\(?\s*["'`]node:/);
    // The wizard with the whole browser-safe contract: every field's labels, every message in four
    // languages (146 kB before Moodle's course columns joined the catalog, 151 kB after, 161 kB with its
    // preference, name, auth, theme, system role, deleted and oldusername columns; 174.8 kB with what to
    // say of a server out of reach, of Moodle's follow-up left to its cron, of what an e-mail address may
    // hold and of a formula's error; 165.5 kB once the header synonyms of six languages left it; 170.0 kB
    // with an upload's progress and cancel, and what to say of an upload cut off and of a number Excel
    // shortened; 171.5 kB with what to say of a quote never closed; 172.4 kB once a taken username, e-mail
    // address or ID number says it may be an earlier row's of the same file, as siblings' shared address is;
    // 172.6 kB once a supervisor column that names nobody on the site says why it is held back; 173.1 kB
    // once a preview names the supervisors a file was to make and did not).
    expect(code.length).toBeLessThan(173_500);
  });
});
