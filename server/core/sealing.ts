import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) with a key derived from a configured secret for one purpose
 * only: what Intake keeps for a while (queued mail, uploads) reveals nothing from a database dump alone.
 * A sealed value is `iv (12) · tag (16) · ciphertext`.
 */
export class SealingKey {
  private readonly key: Buffer;

  /** `purpose` names the use (`outbox`, `upload`): each gets its own key from the same secret. */
  constructor(secret: string, purpose: string) {
    if (secret.length < 16) throw new Error(`The ${purpose} key must be at least 16 characters.`);
    this.key = Buffer.from(hkdfSync('sha256', secret, `intake-${purpose}`, `intake ${purpose} v1`, 32));
  }

  seal(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  }
}
