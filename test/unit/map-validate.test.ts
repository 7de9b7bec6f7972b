import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../server/contract.js';
import { assertMappingUsable, mapColumns, matchHeader, normalizeHeader, requiredFields } from '../../server/pipeline/map.js';
import { createValidator } from '../../server/pipeline/validate.js';

const settings = settingsSchema.parse({ source: 's' });

describe('mapping headers to fields', () => {
  it('normalises case, accents, punctuation and [Required] suffixes', () => {
    expect(normalizeHeader('E-mailadres [Required] *')).toBe('emailadres');
    expect(matchHeader('PRÉNOM')).toBe('firstname');
    expect(matchHeader('Stamnr.')).toBe('idnumber');
    expect(matchHeader('Användarnamn')).toBe('username');
    expect(matchHeader('Sähköposti')).toBe('email');
    expect(matchHeader('Klas')).toBeNull();
  });

  it("keeps the admin's choice over the automatic one and leaves a second claim on a field unmapped", () => {
    const columns = mapColumns(['Voornaam', 'Roepnaam', 'Naam'], { Naam: 'lastname' });
    expect(columns.map((c) => [c.field, c.how])).toEqual([
      ['firstname', 'auto'],
      [null, 'none'],
      ['lastname', 'manual'],
    ]);
  });

  it('requires the match field and, for new accounts, names and e-mail', () => {
    expect(requiredFields(settings)).toEqual(['username', 'firstname', 'lastname', 'email']);
    expect(requiredFields(settingsSchema.parse({ source: 's', matchOn: 'email' }))).toEqual(['firstname', 'lastname', 'email']);
    expect(requiredFields(settingsSchema.parse({ source: 's', actions: { add: false, update: true }, matchOn: 'idnumber' }))).toEqual(['idnumber']);
    expect(requiredFields(settingsSchema.parse({ source: 's', password: { mode: 'file' } }))).toContain('password');
  });

  it('rejects a missing required column and a field mapped twice', () => {
    expect(() => assertMappingUsable(mapColumns(['username', 'firstname']), settings)).toThrowError(/lastname, email/);
    const twice = mapColumns(['username', 'login', 'firstname', 'lastname', 'email'], { login: 'username', username: 'username' });
    expect(() => assertMappingUsable(twice, settings)).toThrowError(/both mapped/);
  });
});

describe('validating rows', () => {
  const columns = mapColumns(['username', 'email', 'country', 'firstname']);
  const validate = createValidator(columns, settings);

  it('normalises values: usernames and e-mails lower case, countries upper case', () => {
    expect(validate({ row: 2, cells: ['Anna.B', 'Anna@School.NL', 'nl', 'Anna'] })).toEqual({
      row: 2,
      values: { username: 'anna.b', email: 'anna@school.nl', country: 'NL', firstname: 'Anna' },
      problems: [],
    });
  });

  it('reports each bad cell with a code and its field', () => {
    const result = validate({ row: 3, cells: ['an na', 'nope', 'XX', 'x'.repeat(101)] });
    expect(result.problems).toEqual([
      { code: 'invalid_username', field: 'username' },
      { code: 'invalid_email', field: 'email' },
      { code: 'invalid_country', field: 'country' },
      { code: 'too_long', field: 'firstname', params: { max: 100 } },
    ]);
  });

  it('requires the match key on every row', () => {
    expect(validate({ row: 4, cells: ['', 'a@b.nl', '', ''] }).problems).toEqual([{ code: 'required', field: 'username' }]);
  });
});
