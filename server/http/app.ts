import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { sql } from 'drizzle-orm';
import type { ErrorBody, Me } from '../contract/types.js';
import { offeredAuthMethods } from '../contract/auth-methods.js';
import { errorBody, IntakeError, isIntakeError } from '../core/errors.js';
import { lastImporterOf } from '../store/imports.js';
import { loadSourceSettings } from '../store/saved.js';
import { requireImporter } from './auth-middleware.js';
import type { AppEnv, AppServices } from './context.js';
import { directoryRouter } from './directory-router.js';
import { filesRouter } from './files-router.js';
import { importsRouter } from './imports-router.js';
import { verifyToken } from './token.js';
import { loadSite } from '../host/read/site.js';
import { intakeVersion } from '../core/package-root.js';

/** The API under `/api`. Thin handlers; the pipeline and the stores do the work. */
export function createApp({ services, log = (msg: string) => console.error(msg) }: { services: AppServices; log?: (msg: string) => void }) {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    c.set('requestId', c.req.header('x-request-id') ?? randomUUID());
    c.set('services', services);
    await next();
  });

  app.onError((error, c) => {
    const requestId = c.var.requestId ?? 'unknown';
    if (!isIntakeError(error)) log(`[${requestId}] ${error.stack ?? error.message}`);
    const status = isIntakeError(error) ? error.status : 500;
    return c.json({ error: errorBody(error, requestId) } satisfies ErrorBody, status as 400);
  });

  app.notFound((c) => {
    const body: ErrorBody = { error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}.`, requestId: c.var.requestId } };
    return c.json(body, 404);
  });

  // The host's pages call the API from their own origin with a bearer token (no cookies): INTAKE_SITE_URL,
  // when set, is the one origin allowed; without it any origin may ask, and the token still decides.
  const siteOrigin = services.env.INTAKE_SITE_URL ? new URL(services.env.INTAKE_SITE_URL).origin : '*';
  app.use('/api/*', cors({ origin: siteOrigin, allowHeaders: ['authorization', 'content-type', 'x-request-id'], maxAge: 600 }));

  // For the host plugin's health check: the server answers, its database too, and the token's secret matches.
  app.get('/health', async (c) => {
    const header = c.req.header('authorization');
    const check = header?.startsWith('Bearer ') ? await verifyToken(services.secret, header.slice(7)) : null;
    if (!check?.ok) throw new IntakeError('unauthenticated', check ? `The token is ${check.reason.replace('_', ' ')}.` : 'No token was sent.');
    await services.database.db.execute(sql`SELECT 1`);
    return c.json({ ok: true, version: intakeVersion });
  });

  const api = new Hono<AppEnv>();
  api.use('*', requireImporter);
  api.route('/imports', importsRouter());
  api.route('/', filesRouter());
  api.get('/me', async (c) => {
    const { id, username, lang, isSiteAdmin, mayUndo, scope } = c.var.actor;
    const site = await loadSite(services.database.db);
    const me: Me = {
      id,
      username,
      lang,
      isSiteAdmin,
      mayUndo,
      scope: scope.kind === 'site' ? { kind: 'site' } : { kind: 'categories', roots: scope.roots },
      siteLang: site.lang,
      languages: site.languages ? [...site.languages].sort() : null,
      authMethods: offeredAuthMethods(site.enabledAuth),
    };
    return c.json(me);
  });
  api.get('/sources/:source/settings', async (c) => {
    const source = c.req.param('source');
    // A feed's choices (its report address among them) are its importers': a coordinator sees only their own.
    if (c.var.actor.scope.kind !== 'site' && (await lastImporterOf(services.database.pool, source)) !== c.var.actor.id) {
      throw new IntakeError('not_found', 'There are no saved choices of yours for this feed.', { source });
    }
    return c.json({ settings: await loadSourceSettings(services.database.pool, source) });
  });
  api.route('/', directoryRouter());
  app.route('/api', api);
  return app;
}
