import { randomInt } from 'node:crypto';
import type { PasswordPolicy } from '../../core/validate/password-policy.js';

/** No 0/O, 1/l/I: slips are read aloud and typed by children. */
const lower = 'abcdefghijkmnopqrstuvwxyz';
const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const digits = '23456789';
const special = '!#%+-=?@';

const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;

/**
 * A cryptographically random password that a person can read, meeting the host's policy: one of
 * each required class first, the rest from all classes, then shuffled.
 */
export function generatePassword(length: number, policy: PasswordPolicy | null): string {
  const required = [
    ...Array.from({ length: Math.max(1, policy?.minLower ?? 1) }, () => pick(lower)),
    ...Array.from({ length: Math.max(1, policy?.minUpper ?? 1) }, () => pick(upper)),
    ...Array.from({ length: Math.max(1, policy?.minDigits ?? 1) }, () => pick(digits)),
    ...Array.from({ length: Math.max(1, policy?.minSpecial ?? 1) }, () => pick(special)),
  ];
  const all = lower + upper + digits + special;
  const target = Math.max(length, policy?.minLength ?? 0, required.length);
  const chars = [...required];
  while (chars.length < target) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  // Never a symbol first: spreadsheets read a leading = + - @ as a formula, and CSV exports guard
  // against that by prefixing the cell, which would change the password on the slip.
  const first = chars.findIndex((c) => !special.includes(c));
  [chars[0], chars[first]] = [chars[first]!, chars[0]!];
  return chars.join('');
}
