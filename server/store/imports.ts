import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../host/database.js';
import type { ColumnMapping, CountChange, Counts, DetectedFormat, ErrorBody, FileOptions, ImportStatusName, ImportSummary, Progress, Settings, StructureChanges } from '../contract/types.js';
import { IntakeError } from '../core/errors.js';
import { requiredFields } from '../contract/required-fields.js';
import type { ByteSource } from '../core/read/table.js';

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
  format: { detected: DetectedFormat; columns: ColumnMapping[]; options?: FileOptions; profileFields?: ImportSummary['profileFields'] } | null;
  settings: Settings | null;
  counts: Counts | null;
  /** Nodes and groups a preview would create. */
  structure: StructureChanges | null;
  changedSincePreview: CountChange[] | null;
  error: ErrorBody['error'] | null;
  progress: Progress;
  createdAt: Date;
  finishedAt: Date | null;
}


function toRecord(r: RowDataPacket): ImportRecord {
  // The counts column also keeps the names of nodes and groups to be created and, after a commit, what
  // differed from the preview.
  const stored = jsonColumn<Counts & { structure?: StructureChanges; changedSincePreview?: CountChange[] }>(r.counts);
  const { structure = null, changedSincePreview = null, ...counts } = stored ?? {};
  return {
    id: Number(r.id),
    publicId: r.public_id,
    source: r.source,
    createdBy: Number(r.created_by),
    status: r.status,
    fileName: r.file_name,
    fileSize: Number(r.file_size),
    format: jsonColumn(r.format),
    settings: jsonColumn(r.settings),
    counts: stored ? (counts as Counts) : null,
    structure,
    changedSincePreview,
    error: jsonColumn(r.error),
    progress: { phase: r.progress_phase, done: r.progress_done, total: r.progress_total },
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export async function createImport(pool: Pool, fileName: string, createdBy: number): Promise<ImportRecord> {
  const publicId = randomUUID();
  await pool.query('INSERT INTO intake_import (public_id, created_by, file_name) VALUES (?, ?, ?)', [publicId, createdBy, fileName.slice(0, 255)]);
  return (await findImport(pool, publicId))!;
}

export async function findImport(pool: Pool, publicId: string): Promise<ImportRecord | null> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM intake_import WHERE public_id = ?', [publicId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findImportById(pool: Pool, id: number): Promise<ImportRecord | null> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM intake_import WHERE id = ?', [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function listImports(pool: Pool, createdBy: number | null, limit = 50): Promise<ImportRecord[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT * FROM intake_import ${createdBy === null ? '' : 'WHERE created_by = ?'} ORDER BY id DESC LIMIT ?`,
    createdBy === null ? [limit] : [createdBy, limit],
  );
  return rows.map(toRecord);
}

/** Stores the upload in slices as it streams in; refuses it once it passes `maxBytes`. */
export async function storeFile(pool: Pool, importId: number, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await pool.query('INSERT INTO intake_file_chunk (import_id, seq, data) VALUES (?, ?, ?)', [importId, seq++, Buffer.concat(pending)]);
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      await purgeFile(pool, importId);
      throw new IntakeError('file_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, { max: maxBytes });
    }
    pending.push(Buffer.from(chunk));
    pendingBytes += chunk.length;
    if (pendingBytes >= chunkBytes) await flush();
  }
  await flush();
  await pool.query('UPDATE intake_import SET file_size = ? WHERE id = ?', [total, importId]);
  return total;
}

/** Streams a stored upload back, one slice at a time. */
export function storedFile(pool: Pool, importId: number): ByteSource {
  return () =>
    Readable.from(
      (async function* () {
        for (let seq = 0; ; seq++) {
          const [rows] = await pool.query<RowDataPacket[]>('SELECT data FROM intake_file_chunk WHERE import_id = ? AND seq = ?', [importId, seq]);
          if (!rows[0]) return;
          yield rows[0].data as Buffer;
        }
      })(),
    );
}

/** Deletes the uploaded bytes and the sample values shown at mapping: personal data kept no longer. */
export async function purgeFile(pool: Pool, importId: number): Promise<void> {
  await pool.query('DELETE FROM intake_file_chunk WHERE import_id = ?', [importId]);
  const record = await findImportById(pool, importId);
  if (!record?.format) return;
  const columns = record.format.columns.map((c) => ({ ...c, sample: [] }));
  await pool.query('UPDATE intake_import SET format = ? WHERE id = ?', [JSON.stringify({ ...record.format, columns }), importId]);
}

export async function hasFile(pool: Pool, importId: number): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT 1 FROM intake_file_chunk WHERE import_id = ? LIMIT 1', [importId]);
  return rows.length > 0;
}

export async function updateImport(
  pool: Pool,
  id: number,
  fields: Partial<{
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
  }>,
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`\`${column}\` = ?`);
    params.push(value);
  };
  if (fields.status) set('status', fields.status);
  if (fields.source !== undefined) set('source', fields.source);
  if (fields.format !== undefined) set('format', JSON.stringify(fields.format));
  if (fields.settings) set('settings', JSON.stringify(fields.settings));
  if (fields.counts !== undefined) set('counts', fields.counts === null ? null : JSON.stringify({ ...fields.counts, structure: fields.structure, changedSincePreview: fields.changedSincePreview }));
  if (fields.error !== undefined) set('error', fields.error === null ? null : JSON.stringify(fields.error));
  if (fields.started) sets.push('started_at = NOW(3)');
  if (fields.finished) sets.push('finished_at = NOW(3)');
  if (sets.length === 0) return;
  await pool.query<ResultSetHeader>(`UPDATE intake_import SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
}

export async function saveProgress(pool: Pool, id: number, progress: Progress): Promise<void> {
  await pool.query('UPDATE intake_import SET progress_phase = ?, progress_done = ?, progress_total = ?, heartbeat_at = NOW(3) WHERE id = ?', [
    progress.phase,
    progress.done,
    progress.total,
    id,
  ]);
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
    columns: record.format?.columns ?? [],
    requiredFields: settings ? requiredFields(settings) : [],
    settings,
    counts: record.counts,
    structure: record.structure,
    changedSincePreview: record.changedSincePreview,
    progress: record.progress,
    error: record.error,
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}
