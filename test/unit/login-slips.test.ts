import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { credentialSlips } from '../../server/mail/pdf.js';

/** The PDF's streams, inflated where they are compressed: its text and font maps, to read as text. */
function streamsOf(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const found: string[] = [];
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    try {
      found.push(inflateSync(raw).toString('latin1'));
    } catch {
      found.push(raw.toString('latin1'));
    }
  }
  return found.join('\n');
}

describe('login slips', () => {
  const person = { userId: 1, username: 'ayilmaz', password: 'Il1O0-pw', firstname: 'Ayşe', lastname: 'Yılmaz', email: 'ayse@school.example', lang: 'sv' };

  it('print every letter of a name, with the fonts embedded, not the standard ones that hold Windows-1252 alone', async () => {
    const pdf = await credentialSlips([person, { ...person, userId: 2, firstname: 'Łukasz', lastname: 'Wójcik-Ørsted' }], { name: 'Borås Stad', url: 'https://lms.example' }, 'sv');
    const text = pdf.toString('latin1');
    expect(text).toContain('/FontFile2');
    expect(text).not.toMatch(/\/BaseFont \/(Helvetica|Courier)/);
    // The text's map back to Unicode holds ş (U+015F), ı (U+0131), Ł (U+0141) and Ø (U+00D8): they are drawn as themselves.
    const maps = streamsOf(pdf).toLowerCase();
    for (const code of ['015f', '0131', '0141', '00d8']) expect(maps, code).toContain(`<${code}>`);
  });
});
