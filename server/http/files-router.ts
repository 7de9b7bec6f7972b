import { Hono } from 'hono';
import { PassThrough } from 'node:stream';
import { Readable } from 'node:stream';
import * as z from 'zod';
import { uiLanguages, type UiLanguage } from '../contract/catalog.js';
import { IntakeError } from '../core/errors.js';
import { exportRows, groupVisible } from '../host/read/export-users.js';
import { loadSite } from '../host/read/site.js';
import { layouts, writeExport, writeTemplate, type Layout } from '../core/formats/layouts.js';
import type { AppEnv } from './context.js';

const query = z.object({
  layout: z.enum(layouts).default('csv-semicolon'),
  lang: z.enum(uiLanguages).default('en'),
  group: z.coerce.number().int().positive().optional(),
});

const contentType = (layout: Layout) => (layout === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8');
const extension = (layout: Layout) => (layout === 'xlsx' ? 'xlsx' : 'csv');

function download(name: string, layout: Layout, write: (out: PassThrough) => Promise<void>): Response {
  const out = new PassThrough();
  write(out).catch((error: Error) => out.destroy(error));
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: { 'content-type': contentType(layout), 'content-disposition': `attachment; filename="${name}.${extension(layout)}"` },
  });
}

function parseQuery(raw: Record<string, string>) {
  const parsed = query.safeParse(raw);
  if (!parsed.success) throw new IntakeError('invalid_request', 'Unknown layout, language or group.', { issues: parsed.error.issues.map((i) => i.message) });
  return parsed.data;
}

/** What an example file is called when it is saved, in the admin's language. */
const templateNames: Record<UiLanguage, string> = { en: 'intake-template', nl: 'intake-voorbeeld', sv: 'intake-mall', fi: 'intake-malli' };

/** Example files generated from the catalog, and exports of users in the same layout. */
export function filesRouter() {
  const app = new Hono<AppEnv>();

  app.get('/template', (c) => {
    const { layout, lang } = parseQuery(c.req.query());
    return download(templateNames[lang], layout, (out) => writeTemplate(out, layout, lang));
  });

  app.get('/export', async (c) => {
    const { layout, lang, group } = parseQuery(c.req.query());
    const pool = c.var.services.database.pool;
    const scope = c.var.actor.scope;
    // A coordinator exports only their own groups' members and the people in their nodes.
    if (group !== undefined && !(await groupVisible(pool, group, scope))) throw new IntakeError('not_found', 'There is no such group among yours.', { group });
    const site = await loadSite(c.var.services.database.db);
    return download(group ? `users-group-${group}` : 'users', layout, (out) => writeExport(out, layout, lang, exportRows(pool, site, group ?? null, scope)));
  });

  return app;
}
