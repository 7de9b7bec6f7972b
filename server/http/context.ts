import type { Actor } from '../host/read/actor.js';
import type { ServerServices } from '../engine/import-options.js';

export type AppServices = ServerServices & {
  /** The HMAC secret shared with the host page. */
  secret: string;
};

/** What handlers find on the Hono context. */
export interface AppEnv {
  Variables: { actor: Actor; requestId: string; services: AppServices };
}
