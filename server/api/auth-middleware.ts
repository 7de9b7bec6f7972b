import { createMiddleware } from 'hono/factory';
import { loadActor } from '../auth/actor.js';
import { verifyToken } from '../auth/token.js';
import { IntakeError } from '../errors.js';
import type { AppEnv } from './context.js';

/**
 * Every API request carries a host-signed token: `Authorization: Bearer …`, or `?token=` where the
 * browser cannot set headers (EventSource, download links). Only site admins pass.
 */
export const requireSiteAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const token = header?.startsWith('Bearer ') ? header.slice(7) : c.req.query('token');
  if (!token) throw new IntakeError('unauthenticated', 'No token was sent.');
  const check = verifyToken(c.var.services.secret, token);
  if (!check.ok) throw new IntakeError('unauthenticated', `The token is ${check.reason.replace('_', ' ')}.`, { reason: check.reason });
  const actor = await loadActor(c.var.services.database.db, check.payload.sub);
  if (!actor) throw new IntakeError('unauthenticated', 'The token names no active user.');
  if (!actor.isSiteAdmin) throw new IntakeError('forbidden', 'Only site administrators may import users.');
  c.set('actor', actor);
  await next();
});
