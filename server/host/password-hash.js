// @ts-check
/**
 * Password hashing in the host's formats. Plain JavaScript on purpose: the same file runs as a worker
 * thread (see password-pool.ts), and workers cannot load TypeScript without a loader hook.
 */
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { isMainThread, parentPort } from 'node:worker_threads';
import { encrypt, verify } from 'unixcrypt';

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
    // bcryptjs writes $2b$; PHP (and so Moodle) writes $2y$ for the same algorithm.
    return bcrypt.hashSync(plaintext, options.rounds).replace(/^\$2b\$/, '$2y$');
  }
  return encrypt(plaintext, `$6$rounds=${options.rounds}$${cryptSalt()}`);
}

/** @param {string} plaintext @param {string} hash */
export function verifyPasswordSync(plaintext, hash) {
  if (/^\$2[aby]\$/.test(hash)) return bcrypt.compareSync(plaintext, hash.replace(/^\$2y\$/, '$2b$'));
  if (hash.startsWith('$6$') || hash.startsWith('$5$')) return verify(plaintext, hash);
  return false;
}

/** @param {string} plaintext @param {{ scheme: 'sha512' | 'bcrypt', rounds: number }} options */
export async function hashPassword(plaintext, options) {
  return hashPasswordSync(plaintext, options);
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (/** @type {{ id: number, passwords: string[], options: { scheme: 'sha512' | 'bcrypt', rounds: number } }} */ job) => {
    const hashes = job.passwords.map((p) => hashPasswordSync(p, job.options));
    port.postMessage({ id: job.id, hashes });
  });
}
