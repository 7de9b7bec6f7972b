import { SealingKey } from '../core/sealing.js';

/**
 * Seals what waits in the outbox (messages, held logins) as JSON. The key is derived from the
 * configuration (`INTAKE_OUTBOX_KEY`, else `INTAKE_SECRET`) for the outbox alone.
 */
export class Sealer {
  private readonly key: SealingKey;

  constructor(secret: string) {
    this.key = new SealingKey(secret, 'outbox');
  }

  seal(value: unknown): Buffer {
    return this.key.seal(Buffer.from(JSON.stringify(value), 'utf8'));
  }

  open<T>(sealed: Buffer): T {
    return JSON.parse(this.key.open(sealed).toString('utf8')) as T;
  }
}
