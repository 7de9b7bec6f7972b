import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import * as z from 'zod';
import { uiLanguageOf } from '../contract/catalog.js';
import { reportDelimiterNamed, reportDelimiters } from '../contract/report-delimiter.js';
import { archiveHoldShare, archiveIsHeld, outcomes, restingStatuses, searchMaxLength, undoableStatuses, type FileOptions, type ImportStatusName } from '../contract/types.js';
import { fileOptionsSchema, settingsErrorMap, settingsIssues, settingsSchema } from '../engine/settings-schema.js';
import { inspectFile } from '../engine/inspect-file.js';
import { reportCells } from '../engine/report-cells.js';
import { errorBody, fileTooLarge, IntakeError } from '../core/errors.js';
import { assertMappingUsable, mapColumns } from '../core/map/map-columns.js';
import { settingsFittedToFile } from '../engine/resolve-settings.js';
import { holdBackColumnsNamingNobody } from '../engine/held-back-columns.js';
import { createImport, findImport, hasFile, saveProgress, listImports, storeFile, storedFile, tellingMoodle, toSummary, updateImport, moveImport, type ImportRecord } from '../store/imports.js';
import { errorReportLines } from '../store/error-report.js';
import { sheetsReadOf } from '../contract/row-label.js';
import { hasRowOutcome, loadRowPage } from '../store/rows.js';
import { loadProfileFields } from '../host/read/profile-fields.js';
import { loadSite } from '../host/read/site.js';
import { laterChangesTo } from '../host/read/change-log.js';
import { failedMailCounts, mailStatus, noDownloadError, takeDownload, waitingDownloads } from '../mail/outbox.js';
import { withDelimiter } from '../core/formats/csv-write.js';
import { loadMapping } from '../store/saved.js';
import { namesOf } from '../host/read/people.js';
import type { AppEnv } from './context.js';
import { incomingFile } from './upload.js';

const terminal: readonly ImportStatusName[] = restingStatuses;

/** A download's delimiter by the name a request gives it (`comma` when it gives none). */
function reportDelimiterOf(name = 'comma'): string {
  const delimiter = reportDelimiterNamed(name);
  if (delimiter === undefined) throw new IntakeError('invalid_request', `delimiter must be one of ${Object.keys(reportDelimiters).join(', ')}.`, { delimiter: name });
  return delimiter;
}

/** The import, if it exists and the actor may see it. */
async function loadImport(c: { var: AppEnv['Variables']; req: { param(name: 'id'): string } }): Promise<ImportRecord> {
  const record = await findImport(c.var.services.database.pool, c.req.param('id'));
  if (!record || (!c.var.actor.isSiteAdmin && record.createdBy !== c.var.actor.id)) throw new IntakeError('not_found', 'No such import.');
  return record;
}

/** Where a file may be read again or previewed: before any commit. */
const beforePreview: readonly ImportStatusName[] = ['uploaded', 'previewed'];
/** Where a preview's rows may be corrected, or the preview committed. */
const previewed: readonly ImportStatusName[] = ['previewed'];

function expectStatus(record: ImportRecord, allowed: readonly ImportStatusName[], action: string): void {
  if (!allowed.includes(record.status)) {
    throw new IntakeError('conflict', `Cannot ${action} an import that is ${record.status}.`, { status: record.status, allowed });
  }
}

const previewBody = z.object({ settings: settingsSchema });
/** `overLaterChanges`: put this import's values back even where later imports changed them again. */
const undoBody = z.object({ overLaterChanges: z.boolean().default(false) }).strict();
/** A row's cells corrected in the preview: column index → new value. */
const fixBody = z.object({ row: z.number().int().min(1), cells: z.record(z.string().regex(/^\d+$/), z.string()).refine((cells) => Object.keys(cells).length > 0, 'no cells') }).strict();
const commitBody = z.object({ confirmArchive: z.number().int().nonnegative().optional() });
const historyQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(searchMaxLength).optional(),
  written: z.enum(['0', '1']).optional(),
});

const rowQuerySchema = z.object({
  outcome: z.enum(outcomes).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Search over all rows: part of a username, a node or a group name. */
  q: z.string().trim().max(searchMaxLength).optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body, { error: settingsErrorMap });
  if (!parsed.success) {
    // Each setting that is wrong, by name, as the command says it: "settings.matchOn: …".
    const { issues, named } = settingsIssues(parsed.error);
    throw new IntakeError('invalid_settings', `The settings are not valid: ${named}.`, { issues });
  }
  return parsed.data;
}

/**
 * The request's JSON body. A body that is not JSON is refused as such (not as settings that are
 * missing); an empty one is `empty` where the body is optional.
 */
async function jsonBody(request: { text(): Promise<string> }, empty?: unknown): Promise<unknown> {
  const text = await request.text();
  if (empty !== undefined && text.trim() === '') return empty;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IntakeError('invalid_request', `The request body is not JSON: ${(error as Error).message}.`);
  }
}

const inspectBody = z.object({ file: fileOptionsSchema });

/** A job's progress while it waits for a worker. */
const queuedProgress = { phase: 'queued', done: 0, total: 0 };

/** Reads the stored upload's header and first rows (with any reading overrides) and keeps what it found. */
async function inspectStored(services: AppEnv['Variables']['services'], record: ImportRecord, file: FileOptions = {}): Promise<void> {
  const pool = services.database.pool;
  const profileFields = await loadProfileFields(pool);
  const first = await inspectFile(services.env, storedFile(pool, record.id, services.files), { ...inspectionDefaults, file }, profileFields);
  const saved = await loadMapping(pool, first.columns.map((col) => col.header));
  const mapped = saved ? mapColumns(first.columns.map((col) => col.header), saved, first.samples, profileFields) : first.columns;
  const columns = await holdBackColumnsNamingNobody(pool, await loadSite(services.database.db), mapped);
  await updateImport(pool, record.id, {
    format: { detected: first.format, columns, options: file, profileFields: profileFields.map((f) => ({ shortname: f.shortname, name: f.name })) },
  });
}

/** Until settings are chosen, columns are judged as for a plain add/update by username. */
const inspectionDefaults = { matchOn: 'username', actions: { add: true, update: true, archive: false }, password: { mode: 'generate', length: 12 }, auth: 'manual' } as const;


export function importsRouter() {
  const app = new Hono<AppEnv>();

  /**
   * History: imports newest first, paged and searchable (`offset`, `limit`, `q`; `written=1`: only imports
   * that wrote something), each with its undelivered messages and whether its credentials wait for the asker.
   */
  app.get('/', async (c) => {
    const pool = c.var.services.database.pool;
    const query = historyQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new IntakeError('invalid_request', 'Bad history query.', { issues: query.error.issues.map((i) => i.message) });
    const { records, total } = await listImports(pool, c.var.actor.isSiteAdmin ? null : c.var.actor.id, { ...query.data, written: query.data.written === '1' });
    const ids = records.map((r) => r.id);
    const people = records.flatMap((r) => [r.createdBy, r.undoneBy ?? 0]);
    const [failed, downloads, names] = await Promise.all([failedMailCounts(pool, ids), waitingDownloads(pool, ids, c.var.actor.id), namesOf(pool, people)]);
    return c.json({
      total,
      imports: records.map((r) => {
        const mine = r.createdBy === c.var.actor.id;
        const ranBy = mine ? undefined : names.get(r.createdBy);
        const undoneBy = r.status === 'undone' && r.undoneBy ? names.get(r.undoneBy) : undefined;
        return { ...toSummary(r), mailFailed: failed.get(r.id) ?? 0, mine, downloadWaiting: downloads.has(r.id), ...(ranBy ? { ranBy } : {}), ...(undoneBy ? { undoneBy } : {}) };
      }),
    });
  });

  app.post('/', async (c) => {
    const { services, actor } = c.var;
    const pool = services.database.pool;
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > services.env.INTAKE_MAX_UPLOAD_BYTES + 64 * 1024) {
      throw fileTooLarge(services.env.INTAKE_MAX_UPLOAD_BYTES);
    }
    const file = await incomingFile(c.req.raw);
    const record = await createImport(pool, file.name, actor.id);
    try {
      await storeFile(pool, record.id, file.stream, services.env.INTAKE_MAX_UPLOAD_BYTES, services.files);
      await inspectStored(services, record);
    } catch (error) {
      // Whatever stopped it, nothing of the file stays (an unexpected error is `internal` here, in full in the log).
      await updateImport(pool, record.id, { status: 'failed', error: errorBody(error, c.var.requestId), purge: true });
      throw error;
    }
    return c.json(toSummary((await findImport(pool, record.publicId))!), 201);
  });

  app.get('/:id', async (c) => c.json(toSummary(await loadImport(c))));

  /** Reads the file again with the admin's choice of encoding, delimiter, sheet or header row. */
  app.post('/:id/inspect', async (c) => {
    const record = await loadImport(c);
    expectStatus(record, beforePreview, 're-read');
    const { file } = parseBody(inspectBody, await jsonBody(c.req));
    const pool = c.var.services.database.pool;
    if (!(await hasFile(pool, record.id))) throw new IntakeError('conflict', 'The uploaded file is no longer available; upload it again.');
    await inspectStored(c.var.services, record, file);
    await moveImport(pool, record.id, beforePreview, { status: 'uploaded', error: null }, 're-read');
    return c.json(toSummary((await findImport(pool, record.publicId))!));
  });

  app.post('/:id/preview', async (c) => {
    const record = await loadImport(c);
    expectStatus(record, beforePreview, 'preview');
    const parsed = parseBody(previewBody, await jsonBody(c.req));
    // The file is read the way the mapping step last read it, unless the request says otherwise.
    const settings = { ...parsed.settings, file: parsed.settings.file ?? record.format?.options };
    const pool = c.var.services.database.pool;
    if (!(await hasFile(pool, record.id))) throw new IntakeError('conflict', 'The uploaded file is no longer available; upload it again.');
    // Column checks answer at once; the row-by-row work runs as a job.
    const profileFields = await loadProfileFields(pool);
    const stored = record.format?.columns ?? [];
    // The kept samples, as rows: ambiguous headers ("Groep") are judged by them as at upload.
    const samples = [0, 1, 2].map((r) => stored.map((col) => col.sample[r] ?? ''));
    const { database } = c.var.services;
    const site = await loadSite(database.db);
    const remapped = mapColumns(stored.map((col) => col.header), settings.mapping, samples, profileFields).map((col, i) => ({ ...col, sample: stored[i]?.sample ?? [] }));
    const columns = await holdBackColumnsNamingNobody(pool, site, remapped);
    // Checked as the job will run it: settings left out are first decided by the file (the job decides
    // them again, the same way, and reports why).
    const fitted = await settingsFittedToFile(database, site, settings, new Set(columns.map((col) => col.field)), c.var.services.notifications !== undefined);
    assertMappingUsable(columns, fitted.settings, profileFields);
    await moveImport(pool, record.id, beforePreview, { status: 'previewing', source: settings.source, settings, counts: null, error: null, format: record.format && { ...record.format, columns } }, 'preview');
    await saveProgress(pool, record.id, queuedProgress);
    return c.json(toSummary((await findImport(pool, record.publicId))!), 202);
  });

  /**
   * Fix in place: corrected cells of a row are laid over the file's (stored with it, purged with it) and
   * the whole file is previewed again with the same settings, so the row is checked as the commit will
   * read it. Password cells are never taken this way: they are masked everywhere.
   */
  app.post('/:id/fixes', async (c) => {
    const record = await loadImport(c);
    expectStatus(record, previewed, 'correct');
    const pool = c.var.services.database.pool;
    if (!record.format || !record.settings || !(await hasFile(pool, record.id))) throw new IntakeError('conflict', 'The uploaded file is no longer available; upload it again.');
    const { row, cells } = parseBody(fixBody, await jsonBody(c.req));
    if (!(await hasRowOutcome(pool, record.id, row))) throw new IntakeError('invalid_request', `The file has no row ${row}.`, { row });
    const maxChars = c.var.services.env.INTAKE_MAX_CELL_CHARS;
    for (const [index, value] of Object.entries(cells)) {
      // The stored columns carry the mapping the last preview used (the preview route stores them so).
      const column = record.format.columns.find((col) => col.index === Number(index));
      if (!column) throw new IntakeError('invalid_request', `The file has no column ${index}.`);
      if (column.field === 'password') throw new IntakeError('invalid_request', 'Password cells cannot be corrected here: correct them in the file.');
      if (value.length > maxChars) throw new IntakeError('cell_too_large', `The value for "${column.header}" is longer than ${maxChars} characters.`, { row, max: maxChars });
    }
    const fixes = { ...record.format.fixes, [row]: { ...record.format.fixes?.[row], ...cells } };
    await moveImport(pool, record.id, previewed, { status: 'previewing', counts: null, error: null, format: { ...record.format, fixes } }, 'correct');
    await saveProgress(pool, record.id, queuedProgress);
    return c.json(toSummary((await findImport(pool, record.publicId))!), 202);
  });

  app.post('/:id/commit', async (c) => {
    const record = await loadImport(c);
    expectStatus(record, previewed, 'commit');
    // A large archive waits for the admin to confirm how many it suspends (the number, not a yes).
    const counts = record.counts;
    if (counts && archiveIsHeld(counts)) {
      const body = commitBody.safeParse(await jsonBody(c.req, {}));
      if (!body.success || body.data.confirmArchive !== counts.archived) {
        throw new IntakeError('archive_held', `This import would suspend ${counts.archived} accounts, more than ${archiveHoldShare * 100}% of the file.`, { archived: counts.archived, share: archiveHoldShare * 100 });
      }
    }
    const pool = c.var.services.database.pool;
    await moveImport(pool, record.id, previewed, { status: 'queued', error: null }, 'commit');
    await saveProgress(pool, record.id, { ...queuedProgress, total: record.counts?.rows ?? 0 });
    return c.json(toSummary((await findImport(pool, record.publicId))!), 202);
  });

  app.post('/:id/undo', async (c) => {
    const record = await loadImport(c);
    if (!c.var.actor.mayUndo) throw new IntakeError('forbidden', 'Undoing imports needs the capability local/intake:undo.');
    // No body is the default: what later imports changed again keeps their values.
    const { overLaterChanges } = parseBody(undoBody, await jsonBody(c.req, {}));
    expectStatus(record, [...undoableStatuses], 'undo');
    const pool = c.var.services.database.pool;
    await moveImport(pool, record.id, [record.status], { status: 'undoing', undoOverLater: overLaterChanges, undoneFrom: record.status, undoneBy: c.var.actor.id, error: null }, 'undo');
    return c.json(toSummary((await findImport(pool, record.publicId))!), 202);
  });

  /** Before undo: what later imports changed of the same people. */
  app.get('/:id/later-changes', async (c) => {
    const record = await loadImport(c);
    return c.json(await laterChangesTo(c.var.services.database.pool, record.id));
  });

  /** The one-time download of new credentials: handed out once to who ran the import, then wiped. */
  app.get('/:id/credentials', async (c) => {
    const record = await loadImport(c);
    // Written with the delimiter asked for (the wizard asks for its file's own), as the error report is;
    // a request it cannot answer is refused before the one-time download is taken.
    const delimiter = reportDelimiterOf(c.req.query('delimiter'));
    const notifications = c.var.services.notifications;
    const taken = notifications ? await takeDownload(c.var.services.database.pool, notifications.sealer, record.id, c.var.actor.id) : null;
    if (!taken) throw await noDownloadError(c.var.services.database.pool, record, c.var.actor.id);
    return new Response(withDelimiter(taken.text, delimiter), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="credentials.csv"', 'cache-control': 'no-store' },
    });
  });

  app.get('/:id/mail', async (c) => {
    const record = await loadImport(c);
    return c.json(await mailStatus(c.var.services.database.pool, record.id));
  });

  app.get('/:id/rows', async (c) => {
    const record = await loadImport(c);
    const query = rowQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new IntakeError('invalid_request', 'Bad row query.', { issues: query.error.issues.map((i) => i.message) });
    return c.json(await loadRowPage(c.var.services.database.pool, record.id, query.data));
  });

  app.get('/:id/errors.csv', async (c) => {
    const record = await loadImport(c);
    const lang = uiLanguageOf(c.req.query('lang') ?? c.var.actor.lang);
    // Written with the delimiter asked for (the wizard asks for its file's own): a spreadsheet opens it in columns.
    const delimiter = reportDelimiterOf(c.req.query('delimiter'));
    const pool = c.var.services.database.pool;
    // While the upload is stored, each line carries the row's own cells: fix them and import the report as it is.
    const cells = (await hasFile(pool, record.id)) ? await reportCells(c.var.services.env, storedFile(pool, record.id, c.var.services.files), record) : null;
    const lines = errorReportLines(pool, record.id, lang, { cells: cells ?? undefined, delimiter, sheetsRead: sheetsReadOf(record.format?.detected) });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) {
          await cells?.close();
          controller.close();
        } else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await cells?.close();
      },
    });
    const name = record.fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
    return new Response(body, {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}-errors.csv"` },
    });
  });

  /** Progress as server-sent events, read from the database so any worker process can do the work. */
  app.get('/:id/events', async (c) => {
    const record = await loadImport(c);
    const pool = c.var.services.database.pool;
    return streamSSE(c, async (stream) => {
      let aborted = false;
      stream.onAbort(() => {
        aborted = true;
      });
      let last = '';
      let current: ImportRecord | null = record;
      // An undo is told once Moodle's follow-up is known (a few seconds at most: its request's timeout);
      // a worker that died before telling it leaves the result as it stands.
      let waitsForMoodle = 40;
      while (!aborted && current) {
        const waiting = tellingMoodle(current) && waitsForMoodle-- > 0;
        const payload = JSON.stringify(toSummary(current));
        if (payload !== last && !waiting) {
          last = payload;
          await stream.writeSSE({ event: 'progress', data: payload });
        }
        if (terminal.includes(current.status) && !waiting) break;
        await stream.sleep(250);
        current = await findImport(pool, record.publicId);
      }
    });
  });

  return app;
}
