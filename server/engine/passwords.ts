import { passwordLength, type Settings } from '../contract/types.js';
import type { PlannedRow } from '../core/plan/users.js';
import { generatePassword } from '../host/hashing/generate-password.js';
import type { PasswordPool } from '../host/hashing/password-pool.js';
import type { Site } from '../host/read/site.js';

/**
 * Passwords for the created rows: the stored form (a hash for manual accounts, `not cached` for single
 * sign-on and every other method, as Moodle's upload stores AUTH_PASSWORD_NOT_CACHED for them) and the
 * plaintext, which lives only in memory until it is sealed into the outbox.
 */
export async function newPasswords(rows: PlannedRow[], settings: Settings, site: Site, passwords: PasswordPool, onHashed?: (done: number) => void): Promise<{ stored: string[]; plain: (string | null)[] }> {
  // Kept passwords: an unknowable one, long, never told to anyone. A file's empty cells (generateMissing):
  // one of the default length, told as the file's are.
  const { password } = settings;
  const length = password.mode === 'generate' ? password.length : password.mode === 'file' ? passwordLength.default : 32;
  const plain = rows.map((r) => (r.create!.auth === 'manual' ? (r.create!.password ?? generatePassword(length, site.passwordPolicy)) : null));
  const hashed = await passwords.hashAll(
    plain.filter((p): p is string => p !== null),
    onHashed,
  );
  let next = 0;
  return { stored: plain.map((p) => (p === null ? 'not cached' : hashed[next++]!)), plain };
}
