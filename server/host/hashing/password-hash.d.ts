export interface HashOptions {
  scheme: 'sha512' | 'bcrypt';
  /** crypt rounds for SHA-512, the cost for bcrypt. */
  rounds: number;
}
export const hashBackend: 'native' | 'javascript';
export function sha512Crypt(plaintext: string, setting: string): string;
export function hashPasswordSync(plaintext: string, options: HashOptions): string;
export function verifyPasswordSync(plaintext: string, hash: string): boolean;
export function hashPassword(plaintext: string, options: HashOptions): Promise<string>;
/** What the hashing pool's threads are given: a slice of passwords and how to hash them. */
export interface HashTask {
  passwords: string[];
  options: HashOptions;
}
export default function hashTask(task: HashTask): string[];
