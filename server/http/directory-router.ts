import { Hono } from 'hono';
import * as z from 'zod';
import { groupOptions, nodeOptions, personOptions, roleOptions } from '../host/read/directory.js';
import { loadSite } from '../host/read/site.js';
import { usableLoginIssuers } from '../host/read/sso.js';
import type { AppEnv } from './context.js';
import { IntakeError } from '../core/errors.js';
import { searchMaxLength } from '../contract/types.js';

const searchSchema = z.string().trim().max(searchMaxLength).default('');

/** The `q` of a search: longer than a name can be is refused, not taken as no search (which listed everyone). */
function searchOf(q: string | undefined): string {
  const parsed = searchSchema.safeParse(q);
  if (!parsed.success) throw new IntakeError('invalid_request', `A search is at most ${searchMaxLength} characters.`, { max: searchMaxLength });
  return parsed.data;
}

/**
 * What the wizard offers to choose from, limited to what the user may use: nodes (categories),
 * groups, people to pick as supervisors, roles, and the single sign-on services a file's SSO IDs may
 * belong to (names only: nothing of their configuration; none while OAuth 2 logins are disabled).
 */
export function directoryRouter() {
  const app = new Hono<AppEnv>();
  app.get('/nodes', async (c) => c.json({ nodes: await nodeOptions(c.var.services.database.pool, c.var.actor.scope) }));
  app.get('/groups', async (c) => c.json({ groups: await groupOptions(c.var.services.database.pool, c.var.actor.scope, searchOf(c.req.query('q'))) }));
  app.get('/people', async (c) => c.json({ people: await personOptions(c.var.services.database.pool, c.var.actor.scope, searchOf(c.req.query('q'))) }));
  app.get('/roles', async (c) => c.json({ roles: await roleOptions(c.var.services.database.pool, c.var.actor.scope) }));
  app.get('/sso-issuers', async (c) => {
    const { database } = c.var.services;
    return c.json({ issuers: await usableLoginIssuers(database.pool, await loadSite(database.db)) });
  });
  return app;
}
