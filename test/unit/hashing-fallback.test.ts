/**
 * The JavaScript implementations that stand in when the crypt(3) addon could not be built: forced with
 * INTAKE_HASH_BACKEND=javascript in a process of their own (the backend is chosen when the module loads),
 * they must write what glibc's crypt(3) writes and verify what it wrote.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const module = fileURLToPath(new URL('../../server/host/hashing/password-hash.js', import.meta.url));

/** Runs the hashing module under the JavaScript backend and returns what it computed. */
function underJavaScript(): Record<string, unknown> {
  const script = `
    const m = await import(${JSON.stringify(module)});
    const bcrypt = m.hashPasswordSync('Wachtwoord-1', { scheme: 'bcrypt', rounds: 4 });
    const sha = m.hashPasswordSync('Wachtwoord-1', { scheme: 'sha512', rounds: 1000 });
    console.log(JSON.stringify({
      backend: m.hashBackend,
      sha512: m.sha512Crypt('Wachtwoord-1', '$6$rounds=5000$abcdefghijklmnop'),
      // A hash glibc's crypt(3) wrote for this password ($2y$, as PHP and Moodle write bcrypt).
      verifiesGlibcBcrypt: m.verifyPasswordSync('Wachtwoord-1', '$2y$05$abcdefghijklmnopqrstuuW6Hxe4r31eZ45AvNyCpvku6TIY9OAUa'),
      rejectsWrongBcrypt: !m.verifyPasswordSync('Wachtwoord-2', '$2y$05$abcdefghijklmnopqrstuuW6Hxe4r31eZ45AvNyCpvku6TIY9OAUa'),
      bcrypt, bcryptVerifies: m.verifyPasswordSync('Wachtwoord-1', bcrypt),
      sha, shaVerifies: m.verifyPasswordSync('Wachtwoord-1', sha),
    }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, INTAKE_HASH_BACKEND: 'javascript' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('the JavaScript hashing fallback', () => {
  it('is used when forced, and hashes and verifies as crypt(3) does', () => {
    const out = underJavaScript();
    expect(out.backend).toBe('javascript');
    expect(out.sha512).toBe('$6$rounds=5000$abcdefghijklmnop$tZJ4h0pO4cG5W5qJLqxo.WEG/mYBwtYnyHpLhzpxM0s/L1zyDyZtyPXNjOFZCWS5jF9u7ovvo89Zz0ECC6gcf/');
    expect(out).toMatchObject({ verifiesGlibcBcrypt: true, rejectsWrongBcrypt: true, bcryptVerifies: true, shaVerifies: true });
    expect(out.bcrypt).toMatch(/^\$2y\$04\$/);
    expect(out.sha).toMatch(/^\$6\$rounds=1000\$[./0-9A-Za-z]{16}\$/);
  });
});

describe('the bundled intake command', () => {
  it('finds the crypt(3) addon from dist/cli as the sources do (it once fell back to JavaScript unnoticed)', async () => {
    const sources = await import('../../server/host/hashing/password-hash.js');
    // Built by `npm run build`, which `npm test` runs first.
    const bundled = (await import(new URL('../../dist/cli/password-hash.js', import.meta.url).href)) as { hashBackend: string };
    expect(bundled.hashBackend).toBe(sources.hashBackend);
  });
});
