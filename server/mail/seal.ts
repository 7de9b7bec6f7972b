import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption for what waits in the outbox (AES-256-GCM). The key is derived from the
 * configuration (`INTAKE_OUTBOX_KEY`, else `INTAKE_SECRET`), so a database dump alone reveals nothing.
 */
export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('The outbox key must be at least 16 characters.');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'intake-outbox', 'intake outbox v1', 32));
  }

  seal(value: unknown): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  open<T>(sealed: Buffer): T {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')) as T;
  }
}
