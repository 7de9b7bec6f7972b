// @ts-check
/**
 * Password hashing in the host's formats. Plain JavaScript on purpose: the same file is the task of
 * the hashing pool's worker threads (password-pool.ts, Piscina), and workers cannot load TypeScript
 * without a loader hook.
 */
import bcrypt from 'bcryptjs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { encrypt, verify } from 'unixcrypt';

/**
 * The system's crypt(3) through a small addon (server/native, built by `npm install`), several times
 * faster than JavaScript; the JavaScript implementations stand in when it could not be built.
 * @type {{ crypt(phrase: string, setting: string): string } | null}
 */
const native = (() => {
  // INTAKE_HASH_BACKEND=javascript forces the fallback (the tests run it, so it is never untried).
  if (process.env.INTAKE_HASH_BACKEND === 'javascript') return null;
  // From server/host/hashing/ when run as TypeScript, from dist/cli/ when bundled (plugin/scripts/bundle-cli.mjs).
  for (const path of ['../../native/build/Release/crypt.node', '../../server/native/build/Release/crypt.node']) {
    try {
      return createRequire(import.meta.url)(path);
    } catch {
      // try the next place
    }
  }
  return null;
})();

/** Which implementation hashes: `native` (crypt(3)) or `javascript`. */
export const hashBackend = native ? 'native' : 'javascript';

/**
 * SHA-512 crypt with a given setting (`$6$rounds=N$salt`), through the active backend.
 * @param {string} plaintext @param {string} setting
 */
export function sha512Crypt(plaintext, setting) {
  return native ? native.crypt(plaintext, setting) : encrypt(plaintext, setting);
}

const saltAlphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 16-character crypt(3) salt, as PHP's crypt() and Moodle use. */
function cryptSalt() {
  const bytes = randomBytes(16);
  let salt = '';
  for (const byte of bytes) salt += saltAlphabet[byte & 63];
  return salt;
}

/**
 * @param {string} plaintext
 * @param {{ scheme: 'sha512' | 'bcrypt', rounds: number }} options rounds = crypt rounds, or bcrypt cost
 * @returns {string}
 */
export function hashPasswordSync(plaintext, options) {
  if (options.scheme === 'bcrypt') {
    // bcrypt salts as bcryptjs makes them; PHP (and so Moodle) writes $2y$ where bcryptjs writes $2b$.
    const setting = bcrypt.genSaltSync(options.rounds).replace(/^\$2b\$/, '$2y$');
    return native ? native.crypt(plaintext, setting) : bcrypt.hashSync(plaintext, setting.replace(/^\$2y\$/, '$2b$')).replace(/^\$2b\$/, '$2y$');
  }
  return sha512Crypt(plaintext, `$6$rounds=${options.rounds}$${cryptSalt()}`);
}

/** @param {string} plaintext @param {string} hash */
export function verifyPasswordSync(plaintext, hash) {
  if (native && /^\$(6|5|2[aby])\$/.test(hash)) {
    const computed = Buffer.from(native.crypt(plaintext, hash));
    const stored = Buffer.from(hash);
    return computed.length === stored.length && timingSafeEqual(computed, stored);
  }
  if (/^\$2[aby]\$/.test(hash)) return bcrypt.compareSync(plaintext, hash.replace(/^\$2y\$/, '$2b$'));
  if (hash.startsWith('$6$') || hash.startsWith('$5$')) return verify(plaintext, hash);
  return false;
}

/** @param {string} plaintext @param {{ scheme: 'sha512' | 'bcrypt', rounds: number }} options */
export async function hashPassword(plaintext, options) {
  return hashPasswordSync(plaintext, options);
}

/**
 * The pool's task (Piscina calls a worker file's default export): a slice of passwords, hashed in order.
 * @param {{ passwords: string[], options: { scheme: 'sha512' | 'bcrypt', rounds: number } }} task
 * @returns {string[]}
 */
export default function hashTask(task) {
  return task.passwords.map((p) => hashPasswordSync(p, task.options));
}
