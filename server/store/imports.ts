import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, count, desc, eq, inArray, isNotNull, like, ne, or, sql } from 'drizzle-orm';
import type { MySqlUpdateSetSource } from 'drizzle-orm/mysql-core';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { fileChunks, imports, type StoredFormat } from '../../db/plugin/schema.js';
import { requiredFields } from '../contract/required-fields.js';
import type { CountChange, Counts, ErrorBody, HostFollowUp, ImportStatusName, ImportSummary, Progress, Settings, StructureChanges } from '../contract/types.js';
import { errorBody, fileTooLarge, IntakeError } from '../core/errors.js';
import { maskSamples } from '../core/map/map-columns.js';
import type { ByteSource } from '../core/read/table.js';
import { piecesOf } from '../core/read/pieces.js';
import { containing, drizzleOf } from '../host/database.js';
import type { FileCipher } from './file-cipher.js';

/** Slices stay well below MariaDB's default 16 MB max_allowed_packet. */
const chunkBytes = 1024 * 1024;

export interface ImportRecord {
  id: number;
  publicId: string;
  source: string;
  createdBy: number;
  status: ImportStatusName;
  fileName: string;
  fileSize: number;
  /** What the upload step found: format, mapped columns with samples (purged with the file). */
  format: StoredFormat | null;
  settings: Settings | null;
  counts: Counts | null;
  /** Nodes and groups a preview would create (a commit: did create). */
  structure: StructureChanges | null;
  changedSincePreview: CountChange[] | null;
  error: ErrorBody['error'] | null;
  progress: Progress;
  /** An undo asked to put back this import's values over later imports' changes too. */
  undoOverLater: boolean;
  /** While it is undone: what the import was before (an undo that fails puts it back). */
  undoneFrom: ImportStatusName | null;
  /** Who asked for the undo (a host user id), once someone has. */
  undoneBy: number | null;
  /** After an undo on a host with Intake's plugin: whether Moodle took its follow-up at once. */
  undoFollowUp: HostFollowUp | null;
  createdAt: Date;
  finishedAt: Date | null;
}

type ImportRow = typeof imports.$inferSelect;

function toRecord(r: ImportRow): ImportRecord {
  // The counts column also keeps the names of nodes and groups and, after a commit, what differed from the preview.
  const { structure = null, changedSincePreview = null, undoFollowUp = null, ...counts } = r.counts ?? {};
  return {
    id: r.id,
    publicId: r.publicId,
    source: r.source,
    createdBy: r.createdBy,
    status: r.status,
    fileName: r.fileName,
    fileSize: r.fileSize,
    format: r.format,
    settings: r.settings,
    counts: r.counts ? (counts as Counts) : null,
    structure,
    changedSincePreview,
    error: r.error,
    progress: { phase: r.progressPhase, done: r.progressDone, total: r.progressTotal },
    undoOverLater: r.undoOverLater === 1,
    undoneFrom: r.undoneFrom,
    undoneBy: r.undoneBy,
    undoFollowUp,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

export async function createImport(pool: Pool, fileName: string, createdBy: number): Promise<ImportRecord> {
  const publicId = randomUUID();
  await drizzleOf(pool).insert(imports).values({ publicId, createdBy, fileName: fileName.slice(0, 255) });
  return (await findImport(pool, publicId))!;
}

export async function findImport(pool: Pool, publicId: string): Promise<ImportRecord | null> {
  const [row] = await drizzleOf(pool).select().from(imports).where(eq(imports.publicId, publicId));
  return row ? toRecord(row) : null;
}

export async function findImportById(pool: Pool, id: number): Promise<ImportRecord | null> {
  const [row] = await drizzleOf(pool).select().from(imports).where(eq(imports.id, id));
  return row ? toRecord(row) : null;
}

/** Statuses of imports that wrote (or are writing) something: what history lists, uploads and previews apart. */
const writtenStatuses = ['queued', 'running', 'done', 'failed', 'interrupted', 'undoing', 'undone'] as const;

export interface ImportListQuery {
  offset?: number;
  limit?: number;
  /** Part of a file name or feed. */
  q?: string | undefined;
  /** Only imports that wrote something (history), not uploads and previews. */
  written?: boolean;
}

/** Imports newest first, paged, with how many match in all. */
export async function listImports(pool: Pool, createdBy: number | null, query: ImportListQuery = {}): Promise<{ records: ImportRecord[]; total: number }> {
  const pattern = query.q ? containing(query.q) : null;
  const where = and(
    createdBy === null ? undefined : eq(imports.createdBy, createdBy),
    // A failed import that never started writing is an upload its file was refused at (or cut off
    // during): said at the upload, nothing to look back on or undo.
    query.written ? and(inArray(imports.status, [...writtenStatuses]), or(ne(imports.status, 'failed'), isNotNull(imports.startedAt))) : undefined,
    pattern ? or(like(imports.fileName, pattern), like(imports.source, pattern)) : undefined,
  );
  const db = drizzleOf(pool);
  const [rows, [counted]] = await Promise.all([
    db.select().from(imports).where(where).orderBy(desc(imports.id)).limit(query.limit ?? 50).offset(query.offset ?? 0),
    db.select({ n: count() }).from(imports).where(where),
  ]);
  return { records: rows.map(toRecord), total: counted?.n ?? 0 };
}

/** Who ran the last completed import of a feed: its saved choices are theirs. */
export async function lastImporterOf(pool: Pool, source: string): Promise<number | null> {
  const [row] = await drizzleOf(pool)
    .select({ createdBy: imports.createdBy })
    .from(imports)
    .where(and(eq(imports.source, source), eq(imports.status, 'done')))
    .orderBy(desc(imports.id))
    .limit(1);
  return row?.createdBy ?? null;
}

/** Stores the upload in sealed slices as it streams in; refuses it once it passes `maxBytes`. */
export async function storeFile(pool: Pool, importId: number, body: AsyncIterable<Uint8Array>, maxBytes: number, cipher: FileCipher): Promise<number> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    // A prepared statement sends the sealed bytes as they are; the query builder would spell each
    // megabyte of binary out as escaped SQL text first (a 55 MB upload: 1.6 s instead of 2.7 s, measured).
    await pool.execute('INSERT INTO intake_file_chunk (import_id, seq, data) VALUES (?, ?, ?)', [importId, seq++, cipher.seal(Buffer.concat(pending))]);
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      await purgeFile(pool, importId);
      throw fileTooLarge(maxBytes);
    }
    pending.push(Buffer.from(chunk));
    pendingBytes += chunk.length;
    if (pendingBytes >= chunkBytes) await flush();
  }
  await flush();
  await drizzleOf(pool).update(imports).set({ fileSize: total }).where(eq(imports.id, importId));
  return total;
}

/**
 * Streams a stored upload back, one slice at a time, with the next slice read while this one is used:
 * Readable.from would otherwise read sixteen slices (16 MB) ahead of a reader slower than the database.
 * Each slice goes on in the pieces a file read gives (piecesOf): a workbook's 1 MB slices, unpacked whole,
 * were the server's highest moments (a million-row workbook through it peaked at 194 to 213 MB).
 */
export function storedFile(pool: Pool, importId: number, cipher: FileCipher): ByteSource {
  return () =>
    Readable.from(
      (async function* () {
        for (let seq = 0; ; seq++) {
          const [chunk] = await drizzleOf(pool).select({ data: fileChunks.data }).from(fileChunks).where(and(eq(fileChunks.importId, importId), eq(fileChunks.seq, seq)));
          if (!chunk) return;
          yield* piecesOf(cipher.open(chunk.data));
        }
      })(),
      { highWaterMark: 1 },
    );
}

/** Deletes the uploaded bytes and the sample values shown at mapping: personal data kept no longer. */
export const purgeFile = (pool: Pool, importId: number): Promise<void> => updateImport(pool, importId, { purge: true });

/** The format with the file's sample cells gone (they are the file's data). */
const withoutSamples = (format: NonNullable<ImportRecord['format']>) => ({ ...format, columns: format.columns.map((c) => ({ ...c, sample: [] })), fixes: undefined });

export async function hasFile(pool: Pool, importId: number): Promise<boolean> {
  const rows = await drizzleOf(pool).select({ seq: fileChunks.seq }).from(fileChunks).where(eq(fileChunks.importId, importId)).limit(1);
  return rows.length > 0;
}

/** What a change of an import's record may set. */
type ImportFields = Partial<{
  status: ImportStatusName;
  source: string;
  format: ImportRecord['format'];
  settings: Settings;
  counts: Counts | null;
  structure: StructureChanges;
  changedSincePreview: CountChange[];
  error: ErrorBody['error'] | null;
  finished: boolean;
  started: boolean;
  undoOverLater: boolean;
  undoneFrom: ImportStatusName | null;
  undoneBy: number;
  /**
   * The upload goes in the same transaction (its bytes and sample cells): nobody ever sees a finished
   * import whose file is still there, and a crash never leaves a running import without its file.
   */
  purge: boolean;
}>;

/** The columns a change of an import's record sets. */
function columnsOf(fields: ImportFields): MySqlUpdateSetSource<typeof imports> {
  return {
    ...(fields.status ? { status: fields.status } : {}),
    ...(fields.undoOverLater !== undefined ? { undoOverLater: fields.undoOverLater ? 1 : 0 } : {}),
    ...(fields.undoneFrom !== undefined ? { undoneFrom: fields.undoneFrom } : {}),
    ...(fields.undoneBy !== undefined ? { undoneBy: fields.undoneBy } : {}),
    ...(fields.source !== undefined ? { source: fields.source } : {}),
    ...(fields.format !== undefined ? { format: fields.format } : {}),
    ...(fields.settings ? { settings: fields.settings } : {}),
    ...(fields.counts !== undefined ? { counts: fields.counts && { ...fields.counts, structure: fields.structure, changedSincePreview: fields.changedSincePreview } } : {}),
    ...(fields.error !== undefined ? { error: fields.error } : {}),
    ...(fields.started ? { startedAt: sql`NOW(3)` } : {}),
    ...(fields.finished ? { finishedAt: sql`NOW(3)` } : {}),
  };
}

/** Changes an import's record, whatever its status (the worker's own steps; a request's go through moveImport). */
export async function updateImport(pool: Pool, id: number, fields: ImportFields): Promise<void> {
  const set = columnsOf(fields);
  if (fields.purge) {
    await drizzleOf(pool).transaction(async (tx) => {
      await tx.delete(fileChunks).where(eq(fileChunks.importId, id));
      const [row] = await tx.select({ format: imports.format }).from(imports).where(eq(imports.id, id));
      const values = { ...set, ...(row?.format ? { format: withoutSamples(row.format) } : {}) };
      if (Object.keys(values).length > 0) await tx.update(imports).set(values).where(eq(imports.id, id));
    });
    return;
  }
  if (Object.keys(set).length === 0) return;
  await drizzleOf(pool).update(imports).set(set).where(eq(imports.id, id));
}

/**
 * A request's change of an import, taken only while the import is still in one of the statuses the
 * request was checked against: of two requests at once (a preview and a commit from two tabs), the later
 * finds the import moved on and is refused, rather than committing settings nobody previewed.
 */
export async function moveImport(pool: Pool, id: number, from: readonly ImportStatusName[], fields: ImportFields & { status: ImportStatusName }, action: string): Promise<void> {
  const [result] = await drizzleOf(pool).update(imports).set(columnsOf(fields)).where(and(eq(imports.id, id), inArray(imports.status, [...from])));
  // Rows matched, changed or not (mysql2 connects with FOUND_ROWS): re-reading an upload stays "uploaded".
  if (result.affectedRows > 0) return;
  const [now] = await drizzleOf(pool).select({ status: imports.status }).from(imports).where(eq(imports.id, id));
  throw new IntakeError('conflict', `Cannot ${action} this import: it changed meanwhile and is ${now?.status ?? 'gone'} now.`, { status: now?.status ?? null, allowed: [...from] });
}

/** The import is undone: written in the undo's own transaction (see undoImport's `finish`). */
export async function markUndone(conn: PoolConnection, id: number): Promise<void> {
  await drizzleOf(conn).update(imports).set({ status: 'undone', finishedAt: sql`NOW(3)`, claimedBy: null }).where(eq(imports.id, id));
}

/**
 * After the undo's transaction: whether Moodle took its follow-up at once (null: a host without the
 * plugin). Its progress ends here: until then the undo is still telling Moodle (see `tellingMoodle`).
 */
export async function saveUndoFollowUp(pool: Pool, id: number, followUp: HostFollowUp | null): Promise<void> {
  await drizzleOf(pool)
    .update(imports)
    .set({ progressPhase: 'done', ...(followUp ? { counts: sql`JSON_SET(COALESCE(${imports.counts}, '{}'), '$.undoFollowUp', ${followUp})` } : {}) })
    .where(eq(imports.id, id));
}

/** An undone import whose worker is still asking Moodle to follow it up (its progress has not ended). */
export const tellingMoodle = (record: ImportRecord) => record.status === 'undone' && record.progress.phase === 'undoing';

/**
 * An undo that failed for good (rolled back whole: nothing was undone) puts the import back to what it
 * was before the undo, with the reason, to be undone again once the cause is fixed.
 */
export async function markUndoFailed(pool: Pool, id: number, error: unknown, requestId: string): Promise<ErrorBody['error']> {
  const reason = error instanceof Error ? error.message : String(error);
  const body = errorBody(new IntakeError('undo_failed', `The undo stopped and changed nothing: ${reason}. The import can be undone again.`, { reason }), requestId);
  await drizzleOf(pool)
    .update(imports)
    .set({
      // One statement: MariaDB sets columns in the order Drizzle names them (the table's), so the status
      // reads undone_from before undone_from is cleared (and with SIMULTANEOUS_ASSIGNMENT, the old one anyway).
      status: sql`COALESCE(${imports.undoneFrom}, 'failed')`,
      undoneFrom: null,
      // The undo's own count ends with it: the import rests again.
      progressPhase: 'done',
      error: body,
    })
    .where(eq(imports.id, id));
  return body;
}

export async function saveProgress(pool: Pool, id: number, progress: Progress): Promise<void> {
  await drizzleOf(pool)
    .update(imports)
    .set({ progressPhase: progress.phase, progressDone: progress.done, progressTotal: progress.total, heartbeatAt: sql`NOW(3)` })
    .where(eq(imports.id, id));
}

export function toSummary(record: ImportRecord): ImportSummary {
  const settings = record.settings;
  return {
    id: record.publicId,
    status: record.status,
    source: record.source,
    fileName: record.fileName,
    format: record.format?.detected ?? null,
    fileOptions: record.format?.options ?? {},
    profileFields: record.format?.profileFields ?? [],
    // Masked again here: a column the admin mapped to passwords after the upload had its samples stored before.
    columns: (record.format?.columns ?? []).map((c) => (settings?.mapping?.[c.header] === 'password' ? maskSamples(c) : c)),
    requiredFields: settings ? requiredFields(settings) : [],
    settings,
    counts: record.counts,
    structure: record.structure,
    changedSincePreview: record.changedSincePreview,
    ...(record.undoFollowUp ? { undoFollowUp: record.undoFollowUp } : {}),
    // While an undo runs, the commit's finished progress would read as done: the undo's own is shown
    // (a bar without an end until it has counted what it reverses).
    progress: record.status === 'undoing' && record.progress.phase !== 'undoing' ? { phase: 'undoing', done: 0, total: 0 } : record.progress,
    error: record.error,
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
