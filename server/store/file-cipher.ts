import { SealingKey } from '../core/sealing.js';

/**
 * Seals uploaded files at rest, one sealed slice per stored chunk: a file may hold passwords, and it
 * waits in the database between upload and commit. Its key comes from INTAKE_SECRET for this use alone.
 */
export class FileCipher extends SealingKey {
  constructor(secret: string) {
    super(secret, 'upload');
  }
}
