import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../server/core/package-root.js';
import { fieldCatalog, fieldKeys, uiLanguages } from '../../server/contract/catalog.js';
import { mapColumns } from '../../server/core/map/map-columns.js';
import { credentialsMail, inviteMail, reportMail, updatedMail } from '../../server/mail/compose.js';
import { countsLine, problemLines } from '../../plugin/error-report-file.js';

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

  it('finds the messages it checks, and a locale file for every language but the source', () => {
    expect(ids.size).toBeGreaterThan(150);
    expect(locales.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(uiLanguages.filter((l) => l !== 'en').sort());
  });

  // Templates and exports use the labels as headers: each must come back to its own field when re-imported.
  for (const lang of uiLanguages) {
    it(`matches every field label in ${lang} back to its field`, () => {
      const headers = fieldKeys.map((key) => fieldCatalog[key].label[lang]);
      // A site with the profile fields two catalog fields are stored in.
      const profileFields = [
        { id: 1, shortname: 'extratime', name: 'Extra time', datatype: 'text', options: [] },
        { id: 2, shortname: 'dateofbirth', name: 'Date of birth', datatype: 'datetime', options: [], years: { start: 1900, end: 2050 } },
      ];
      expect(mapColumns(headers, {}, [], profileFields).map((c) => c.field)).toEqual(fieldKeys);
    });
  }

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

describe('mails speak the recipient\'s language', () => {
  const site = { name: 'Borås Stad', url: 'https://lms.example/login' };
  const person = { userId: 1, username: 'ayilmaz', password: 'Secret-123', firstname: 'Ayşe', lastname: 'Yılmaz', email: 'ayse@school.example' };

  it.each([
    ['sv_se', 'Ditt konto på Borås Stad', 'Användarnamn: ayilmaz'],
    ['fi', 'Tilisi palvelussa Borås Stad', 'Käyttäjätunnus: ayilmaz'],
    ['nl', 'Je account bij Borås Stad', 'Gebruikersnaam: ayilmaz'],
    ['de', 'Your account at Borås Stad', 'Username: ayilmaz'],
  ])('a new account whose language is %s', (lang, subject, line) => {
    const mail = credentialsMail({ ...person, lang }, site);
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(line);
  });

  it('reports an import with the counts named and written as the wizard shows them, in the reader\'s language', () => {
    const counts = { rows: 20001, created: 20000, updated: 0, unchanged: 0, skipped: 0, errors: 1, archived: 0, groupsCreated: 1, memberships: 20000, nodesCreated: 0, membershipsRemoved: 0, rolesAssigned: 0, enrolments: 0, supervisorLinks: 0, supervisionEnded: 0 };
    const mail = reportMail('office@x.example', { file: 'leerlingen.csv', actor: 'Ayşe', seconds: 12.34, counts, errorsCsv: '' }, site, 'nl');
    expect(mail.subject).toBe('Import "leerlingen.csv": 20.000 nieuw, 0 bijgewerkt, 1 met fouten — Borås Stad');
    expect(mail.text).toContain('Rijen: 20.001\nNieuwe accounts: 20.000\n');
    expect(mail.text).toContain('Aan een groep toegevoegd: 20.000');
    expect(mail.text).toContain('na 12,3 s (sommige rijen hebben fouten)');
    // Counts the import did nothing of are left out, as on the wizard's tiles; no key names in a mail.
    expect(mail.text).not.toMatch(/supervision|Begeleiding|membershipsRemoved|groupsCreated/);
    expect(mail.text).toContain('Rijen met problemen staan in het bijgevoegde rapport.');
    expect(mail.attachments?.map((a) => a.filename)).toEqual(['errors.csv']);
    // Nothing refused or skipped: no empty report attached, and the mail says so.
    const clean = reportMail('office@x.example', { file: 'leerlingen.csv', actor: 'Ayşe', seconds: 2, counts: { ...counts, errors: 0 }, errorsCsv: '' }, site, 'nl');
    expect(clean.text).toContain('(geen rij heeft fouten)');
    expect(clean.text).toContain('Geen rij is geweigerd of overgeslagen.');
    expect(clean.attachments).toEqual([]);
  });

  it('names changed fields in the reader\'s language', () => {
    expect(updatedMail({ email: 'a@x.example', firstname: 'Ayşe', lang: 'sv' }, ['lastname', 'suspended'], site).text).toContain('efternamn, status');
    expect(updatedMail({ email: 'a@x.example', firstname: 'Ayşe', lang: 'fi' }, ['lastname'], site).text).toContain('sukunimi');
    // A new supervisor as a change reads, not as the column's label says what it may hold.
    expect(updatedMail({ email: 'a@x.example', firstname: 'Ayşe', lang: 'nl' }, ['supervisor'], site).text).toContain('bijgewerkt: begeleider.');
    // New groups and courses are named beside what they are.
    const enrolled = updatedMail({ email: 'a@x.example', firstname: 'Ayşe', lang: 'nl' }, ['course', 'group'], site, { course: 'math102', group: 'math102 / Section 1' });
    expect(enrolled.text).toContain('bijgewerkt: cursussen (math102), groep(en) (math102 / Section 1).');
  });

  it("dates an invitation's end as a day where the site is", () => {
    const user = { email: 'a@x.example', firstname: 'Ayşe', username: 'ayilmaz', lang: 'en' };
    // 23:30 in Greenwich on 7 December is half past midnight on the 8th in Borås, and still the 7th where the site's zone is not known.
    const expires = new Date(Date.UTC(2026, 11, 7, 23, 30));
    expect(inviteMail(user, 'https://x.example/i/t', expires, { ...site, timeZone: 'Europe/Stockholm' }).text).toContain('2026-12-08');
    expect(inviteMail(user, 'https://x.example/i/t', expires, site).text).toContain('2026-12-07');
  });
});

describe('the Moodle plugin speaks every language too', () => {
  const langDir = join(packageRoot, 'plugin', 'moodle', 'lang');
  const keysOf = (lang: string) => [...readFileSync(join(langDir, lang, 'local_intake.php'), 'utf8').matchAll(/^\$string\['([^']+)'\]/gm)].map((m) => m[1]).sort();

  it('has a string file for each language, with the same strings as English', () => {
    expect(readdirSync(langDir).sort()).toEqual([...uiLanguages].sort());
    const english = keysOf('en');
    expect(english.length).toBeGreaterThan(20);
    for (const lang of uiLanguages) expect(keysOf(lang), lang).toEqual(english);
  });
});

describe("the command's lines on stderr, in --lang", () => {
  const rows = [
    { row: 3, outcome: 'error' as const, username: '', problems: [{ code: 'invalid_email', field: 'email', message: 'E-mailadres "x" is geen geldig e-mailadres' }] },
    { row: 4, outcome: 'skip' as const, username: 'bbos', problems: [{ code: 'note_row', message: 'Een regel tekst' }] },
    { row: 5, outcome: 'create' as const, username: 'ccees', problems: [{ code: 'weak_password', field: 'password', message: 'Zwak wachtwoord' }] },
  ];
  const counts = { rows: 5, created: 1, updated: 0, unchanged: 0, skipped: 1, errors: 1, archived: 0, groupsCreated: 0, memberships: 0, nodesCreated: 0, membershipsRemoved: 2, rolesAssigned: 0, enrolments: 0, supervisorLinks: 0, supervisionEnded: 0 };

  it('name each row, what became of it and what is wrong in the same language as the messages', () => {
    expect(problemLines(rows, 20, 'nl')).toEqual(['rij 3, fout: E-mailadres "x" is geen geldig e-mailadres', 'rij 4 (bbos), overgeslagen: Een regel tekst', 'rij 5 (ccees), waarschuwing: Zwak wachtwoord']);
    expect(problemLines(rows, 2, 'en')).toEqual(['row 3, error: E-mailadres "x" is geen geldig e-mailadres', 'row 4 (bbos), skipped: Een regel tekst', '…']);
  });

  it('count as the wizard names its tiles, and the counts only some imports have when they have them', () => {
    expect(countsLine(counts, 'nl', 0)).toBe('Rijen: 5, Nieuwe accounts: 1, Bijgewerkt: 0, Ongewijzigd: 0, Overgeslagen: 1, Fouten: 1, Gearchiveerd: 0, Groepen aangemaakt: 0, Aan een groep toegevoegd: 0, Uit een groep gehaald: 2');
    for (const lang of uiLanguages) expect(countsLine(counts, lang, 2)).toMatch(/^\S.*: 5, .*\(2 /);
    // Numbers as the language writes them, as the report mail writes them.
    expect(countsLine({ ...counts, rows: 20_000 }, 'nl', 0)).toMatch(/^Rijen: 20\.000, /);
    expect(countsLine({ ...counts, rows: 20_000 }, 'en', 0)).toMatch(/^Rows: 20,000, /);
  });
});
