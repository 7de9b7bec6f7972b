import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts uploaded files at rest (AES-256-GCM, one sealed slice per stored chunk): a file may hold
 * passwords, and it waits in the database between upload and commit. The key is derived from
 * INTAKE_SECRET for this purpose alone.
 */
export class FileCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('The upload key must be at least 16 characters.');
    this.key = Buffer.from(hkdfSync('sha256', secret, 'intake-upload', 'intake upload v1', 32));
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
