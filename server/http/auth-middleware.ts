import { createMiddleware } from 'hono/factory';
import { loadActor } from '../host/read/actor.js';
import { verifyToken } from './token.js';
import { IntakeError } from '../core/errors.js';
import type { AppEnv } from './context.js';

/**
 * Every API request carries a host-signed token: `Authorization: Bearer …`, or `?token=` where the
 * browser cannot set headers (EventSource, download links). Site admins and coordinators pass; what a
 * coordinator may reach is checked where it is used (their scope).
 */
export const requireImporter = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const token = header?.startsWith('Bearer ') ? header.slice(7) : c.req.query('token');
  if (!token) throw new IntakeError('unauthenticated', 'No token was sent.');
  const check = await verifyToken(c.var.services.secret, token);
  if (!check.ok) throw new IntakeError('unauthenticated', `The token is ${check.reason.replace('_', ' ')}.`, { reason: check.reason });
  const { database, env } = c.var.services;
  const actor = await loadActor(database.db, database.pool, check.payload.sub, env.INTAKE_COORDINATOR_ROLE);
  if (!actor) throw new IntakeError('unauthenticated', 'The token names no active user.');
  if (!actor.scope) throw new IntakeError('forbidden', 'Only site administrators and test coordinators may import users.');
  c.set('actor', { ...actor, scope: actor.scope });
  await next();
});
