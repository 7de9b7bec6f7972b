import type { Problem } from '../../contract/types.js';

/** The host's password policy (Moodle's `passwordpolicy` and `minpassword*` settings). */
export interface PasswordPolicy {
  minLength: number;
  minDigits: number;
  minLower: number;
  minUpper: number;
  minSpecial: number;
}

const count = (value: string, pattern: RegExp) => value.match(pattern)?.length ?? 0;

/** Problems of a password taken from the file; none when the host has no policy. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy | null): Problem[] {
  if (!policy) return [];
  const rules: [rule: string, actual: number, min: number][] = [
    ['length', [...password].length, policy.minLength],
    ['digits', count(password, /\d/g), policy.minDigits],
    ['lower', count(password, /\p{Ll}/gu), policy.minLower],
    ['upper', count(password, /\p{Lu}/gu), policy.minUpper],
    ['special', count(password, /[^\p{L}\p{N}]/gu), policy.minSpecial],
  ];
  return rules.filter(([, actual, min]) => actual < min).map(([rule, , min]) => ({ code: 'password_policy', field: 'password', params: { rule, min } }));
}
