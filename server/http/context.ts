import type { Actor } from '../host/read/actor.js';
import type { EngineServices } from '../engine/run-import.js';

export interface AppServices extends EngineServices {
  /** The HMAC secret shared with the host page. */
  secret: string;
}

/** What handlers find on the Hono context. */
export interface AppEnv {
  Variables: { actor: Actor; requestId: string; services: AppServices };
}
