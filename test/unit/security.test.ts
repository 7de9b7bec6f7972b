import { describe, expect, it } from 'vitest';
import { hashingOf, readEnv } from '../../server/engine/env.js';
import { signToken, verifyToken } from '../../server/http/token.js';
import { csvLine, withDelimiter } from '../../server/core/formats/csv-write.js';
import Papa from 'papaparse';
import { hashBackend, hashPasswordSync, sha512Crypt, verifyPasswordSync } from '../../server/host/hashing/password-hash.js';
import { generatePassword } from '../../server/host/hashing/generate-password.js';
import { checkPasswordPolicy } from '../../server/core/validate/password-policy.js';

const policy = { minLength: 10, minDigits: 2, minLower: 1, minUpper: 1, minSpecial: 1 };

describe('tokens', () => {
  const secret = 'unit-secret-0123456789';
  it('accepts its own token and refuses forged, tampered and expired ones', async () => {
    const token = await signToken(secret, 7);
    expect(await verifyToken(secret, token)).toMatchObject({ ok: true, payload: { sub: 7 } });
    expect(await verifyToken('another-secret-0123456', token)).toEqual({ ok: false, reason: 'bad_signature' });
    const [header, payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 2 })).toString('base64url');
    expect(await verifyToken(secret, `${header}.${forged}.${mac}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await verifyToken(secret, await signToken(secret, 7, 60, Date.now() - 120_000))).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyToken(secret, 'garbage')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('passwords', () => {
  it("hashes in the host's formats and verifies", () => {
    const sha = hashPasswordSync('Geheim-123', { scheme: 'sha512', rounds: 5000 });
    expect(sha).toMatch(/^\$6\$rounds=5000\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(verifyPasswordSync('Geheim-123', sha)).toBe(true);
    expect(verifyPasswordSync('geheim-123', sha)).toBe(false);
    const bcrypt = hashPasswordSync('Geheim-123', { scheme: 'bcrypt', rounds: 4 });
    expect(bcrypt).toMatch(/^\$2y\$04\$/);
    expect(verifyPasswordSync('Geheim-123', bcrypt)).toBe(true);
  });

  it('matches glibc crypt(3) for a known SHA-512 vector', () => {
    // From the SHA-crypt specification (Drepper), test vector 2.
    expect(verifyPasswordSync('Hello world!', '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.')).toBe(true);
  });

  it('generates readable passwords that meet the policy', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword(12, policy);
      expect(password).toHaveLength(12);
      expect(password).not.toMatch(/[0O1lI]/);
      expect(password).not.toMatch(/^[=+\-@!#%?]/);
      expect(checkPasswordPolicy(password, policy)).toEqual([]);
    }
  });

  it('names each policy rule a password breaks', () => {
    expect(checkPasswordPolicy('abc', policy).map((p) => p.params?.rule)).toEqual(['length', 'digits', 'upper', 'special']);
    expect(checkPasswordPolicy('abc', null)).toEqual([]);
  });
});

describe('CSV output', () => {
  it('neutralises formulas and quotes what needs it', () => {
    expect(csvLine(['=HYPERLINK("x")'])).toBe('"\'=HYPERLINK(""x"")"\r\n');
    expect(csvLine(['+31 6', '@user', '-', '\tx'])).toBe(`"'+31 6","'@user","'-","'\tx"\r\n`);
    expect(csvLine(['a,b', 'plain', 'x;y'])).toBe('"a,b",plain,x;y\r\n');
    expect(csvLine(['a,b', 'x;y'], ';')).toBe('a,b;"x;y"\r\n');
    // A number is not a formula: -9 stays -9.
    expect(csvLine([-9, null, undefined, 0])).toBe('-9,,,0\r\n');
  });

  it('writes a comma-separated download again with another delimiter, every cell as it was', () => {
    const rows = [
      ['username', 'password'],
      ['jan', 'a;b,c"d'],
      ['=SUM(1)', 'two\r\nlines'],
      ['', '-9'],
    ];
    const csv = `\uFEFF${rows.map((r) => csvLine(r)).join('')}`;
    const semicolons = withDelimiter(csv, ';');
    const cells = (text: string, delimiter: string) => Papa.parse<string[]>(text.slice(1), { delimiter, newline: '\r\n', skipEmptyLines: true }).data;
    expect(cells(semicolons, ';')).toEqual(cells(`\uFEFF${rows.map((r) => csvLine(r, ';')).join('')}`, ';'));
    expect(cells(semicolons, ';')).toEqual(cells(csv, ','));
    expect(cells(semicolons, ';')[2]).toEqual(["'=SUM(1)", 'two\r\nlines']);
    expect(semicolons.split('\r\n')[0]).toBe('\uFEFFusername;password');
    expect(withDelimiter(csv, ',')).toBe(csv);
  });
});

describe('the hashing backend', () => {
  // Hashes as glibc's crypt(3) wrote them: both the native addon and the JavaScript fallback must match.
  it(`(${hashBackend}) hashes byte for byte as glibc's crypt(3) does`, () => {
    expect(sha512Crypt('Wachtwoord-1', '$6$rounds=5000$abcdefghijklmnop')).toBe(
      '$6$rounds=5000$abcdefghijklmnop$tZJ4h0pO4cG5W5qJLqxo.WEG/mYBwtYnyHpLhzpxM0s/L1zyDyZtyPXNjOFZCWS5jF9u7ovvo89Zz0ECC6gcf/',
    );
    expect(sha512Crypt('Zoë ümlaut', '$6$rounds=1000$saltsaltsaltsalt')).toBe(
      '$6$rounds=1000$saltsaltsaltsalt$IgQFhuV4GvYEP5kBriapNj1k.ycGAD3FL4QaEJN/.23kkMp2iVKoZFPD/j69rlwBhktpgHH0Klx0k.k/MvrVQ0',
    );
  });
});

describe('hashing configuration', () => {
  it('gives bcrypt its own cost (INTAKE_BCRYPT_COST, 4–31, default 10), apart from the SHA-512 rounds', () => {
    expect(hashingOf(readEnv({ INTAKE_HASH_SCHEME: 'bcrypt', INTAKE_HASH_ROUNDS: '5000' }))).toEqual({ scheme: 'bcrypt', rounds: 10 });
    expect(hashingOf(readEnv({ INTAKE_HASH_SCHEME: 'bcrypt', INTAKE_BCRYPT_COST: '12' }))).toEqual({ scheme: 'bcrypt', rounds: 12 });
    expect(hashingOf(readEnv({}))).toEqual({ scheme: 'sha512', rounds: 5000 });
    expect(() => readEnv({ INTAKE_HASH_SCHEME: 'bcrypt', INTAKE_BCRYPT_COST: '32' })).toThrow('INTAKE_BCRYPT_COST must be at most 31 (it is "32")');
    expect(() => readEnv({ INTAKE_HASH_ROUNDS: '10' })).toThrow(/INTAKE_HASH_ROUNDS/);
  });
});

describe('configuration', () => {
  it('says what each wrong variable must be and what it is, never repeating a secret or an address that may hold a password', () => {
    const refusal = (env: NodeJS.ProcessEnv) => {
      try {
        readEnv(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal({ INTAKE_HASH_ROUNDS: 'abc' })).toContain('INTAKE_HASH_ROUNDS must be a whole number (it is "abc")');
    expect(refusal({ INTAKE_MAX_COLUMNS: '-5', INTAKE_HASH_SCHEME: 'md5' })).toMatch(/INTAKE_MAX_COLUMNS must be more than 0 \(it is "-5"\)\n {2}INTAKE_HASH_SCHEME must be one of sha512, bcrypt \(it is "md5"\)/);
    const database = refusal({ DATABASE_URL: 'postgres://intake:hunter2@db/intake' });
    expect(database).toContain('DATABASE_URL must be a MariaDB or MySQL address');
    expect(database).not.toContain('hunter2');
    const secret = refusal({ INTAKE_SECRET: 'short-hunter' });
    expect(secret).toContain('INTAKE_SECRET must be at least 16 characters long');
    expect(secret).not.toContain('hunter');
  });
});
