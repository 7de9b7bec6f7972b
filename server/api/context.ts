import type { Actor } from '../auth/actor.js';
import type { EngineServices } from '../engine.js';

export interface AppServices extends EngineServices {
  /** The HMAC secret shared with the host page. */
  secret: string;
}

/** What handlers find on the Hono context. */
export interface AppEnv {
  Variables: { actor: Actor; requestId: string; services: AppServices };
}
