import type { Pool, RowDataPacket } from 'mysql2/promise';
import { profileFieldPrefix, type ProfileField } from './catalog.js';
import type { ColumnMapping, Counts, DetectedFormat, Progress, Settings } from './contract.js';
import type { Database } from './db.js';
import type { Env } from './env.js';
import { IntakeError } from './errors.js';
import { applyBatch, archiveUsers, hasConsecutiveIds, inTransaction, logGroupCreated, type ApplyContext } from './host/apply.js';
import { createGroup, resolveGroup, type GroupTarget } from './host/groups.js';
import { loadArchiveScope, loadBatchSnapshot } from './host/lookup.js';
import type { PasswordPool } from './host/password-pool.js';
import { loadProfileFields } from './host/profile-fields.js';
import { loadSite, protectedUserIds, type Site } from './host/site.js';
import { T } from './host/tables.js';
import { generatePassword } from './pipeline/generate-password.js';
import { assertMappingUsable, mapColumns, requiredFields } from './pipeline/map.js';
import { FileClaims, markDuplicates, planArchive, planBatch, type PlanContext, type PlannedRow } from './pipeline/plan.js';
import { openTable } from './pipeline/open-table.js';
import type { ByteSource, SourceRow, Table } from './pipeline/table.js';
import { createValidator } from './pipeline/validate.js';
import { saveRowOutcomes } from './store/rows.js';

export interface EngineServices {
  database: Database;
  env: Env;
  passwords: PasswordPool;
}

export interface RunOptions {
  importId: number;
  bytes: ByteSource;
  settings: Settings;
  mode: 'preview' | 'commit';
  actorId: number;
  onProgress?: (progress: Progress) => void | Promise<void>;
}

export interface RunResult {
  format: DetectedFormat;
  columns: ColumnMapping[];
  counts: Counts;
}

const batchSize = 1000;

const limitsOf = (env: Env) => ({ maxRows: env.INTAKE_MAX_ROWS, maxCellChars: env.INTAKE_MAX_CELL_CHARS });

export const emptyCounts = (): Counts => ({ rows: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0, archived: 0, groupsCreated: 0, memberships: 0 });

const countKey = { create: 'created', update: 'updated', unchanged: 'unchanged', skip: 'skipped', error: 'errors' } as const;

async function* batches(table: Table): AsyncGenerator<SourceRow[]> {
  let batch: SourceRow[] = [];
  for await (const row of table.rows()) {
    batch.push(row);
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Reads the header and first rows: what the mapping step shows before any setting is chosen. */
export async function inspectFile(env: Env, bytes: ByteSource, settings: Pick<Settings, 'mapping' | 'matchOn' | 'actions' | 'password' | 'auth' | 'file'>, profileFields: ProfileField[] = []) {
  const table = await openTable(bytes, limitsOf(env), settings.file);
  const samples: string[][] = [];
  for await (const row of table.rows()) {
    samples.push(row.cells);
    if (samples.length === 5) break;
  }
  return { format: table.format, columns: mapColumns(table.header, settings.mapping, samples, profileFields), requiredFields: requiredFields(settings), samples };
}

/** A surname prefix bound for a profile field needs that field on the site. */
function assertSurnamePrefixTarget(settings: Settings, profileFields: ProfileField[]): void {
  if (settings.surnamePrefix === 'lastname') return;
  const wanted = settings.surnamePrefix.profileField;
  if (!profileFields.some((f) => f.shortname === wanted)) {
    throw new IntakeError('invalid_settings', `The site has no profile field "${wanted}" for surname prefixes.`, { field: wanted });
  }
}

function assertSettingsFitSite(settings: Settings, site: Site): void {
  if (!site.enabledAuth.has(settings.auth)) {
    throw new IntakeError('auth_not_enabled', `The authentication method "${settings.auth}" is not enabled on this site.`, {
      auth: settings.auth,
      enabled: [...site.enabledAuth],
    });
  }
}

/** Reads the whole file once without writing, so a file over a limit is refused before any change. */
async function countRows(table: Table, onProgress: RunOptions['onProgress']): Promise<number> {
  let rows = 0;
  for await (const _ of table.rows()) {
    if (++rows % 10_000 === 0) await onProgress?.({ phase: 'checking', done: rows, total: 0 });
  }
  if (rows === 0) throw new IntakeError('no_data_rows', 'The file has a header but no data rows.');
  return rows;
}

/** Stored passwords for the created rows: hashes for manual accounts, `not cached` for single sign-on. */
async function storedPasswords(rows: PlannedRow[], settings: Settings, site: Site, passwords: PasswordPool): Promise<string[]> {
  if (settings.auth !== 'manual') return rows.map(() => 'not cached');
  const plain = rows.map((r) => r.create!.password ?? generatePassword(settings.password.mode === 'generate' ? settings.password.length : 12, site.passwordPolicy));
  return passwords.hashAll(plain);
}

async function countNewMembers(pool: Pool, group: GroupTarget | null, rows: PlannedRow[]): Promise<number> {
  if (!group) return 0;
  const members = rows.filter((r) => r.member);
  const existingIds = members.map((r) => r.userId).filter((id): id is number => id !== null);
  if (group.id === null || existingIds.length === 0) return members.length;
  const [present] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${T.cohortMembers} WHERE cohortid = ? AND userid IN (?)`, [group.id, existingIds]);
  return members.length - Number(present[0]?.n ?? 0);
}

/**
 * One import, start to end: read → map → validate → plan → (commit only) apply. A preview writes
 * nothing to the host; a commit recomputes the plan against the host as it is now. Every data row ends
 * in exactly one outcome, recorded in `intake_row`.
 */
export async function runImport(services: EngineServices, options: RunOptions): Promise<RunResult> {
  const { database, env, passwords } = services;
  const { settings, mode, onProgress } = options;
  const pool = database.pool;
  const table = await openTable(options.bytes, limitsOf(env), settings.file);
  const profileFields = await loadProfileFields(pool);
  const columns = mapColumns(table.header, settings.mapping, [], profileFields);
  assertMappingUsable(columns, settings, profileFields);
  assertSurnamePrefixTarget(settings, profileFields);
  const site = await loadSite(database.db);
  assertSettingsFitSite(settings, site);
  const group = await resolveGroup(pool, settings.group);
  const total = await countRows(table, onProgress);

  const ctx: PlanContext = {
    settings,
    protectedUserIds: protectedUserIds(site),
    allowSameEmail: site.allowSameEmail,
    passwordPolicy: site.passwordPolicy,
    profileFields: new Map(profileFields.map((f) => [f.shortname, f])),
  };
  const mappedProfileIds = profileFields.filter((f) => columns.some((c) => c.field === `${profileFieldPrefix}${f.shortname}`) || (settings.surnamePrefix !== 'lastname' && settings.surnamePrefix.profileField === f.shortname)).map((f) => f.id);
  const counts = emptyCounts();
  const now = Math.floor(Date.now() / 1000);
  const apply: ApplyContext = { pool, site, settings, importId: options.importId, actorId: options.actorId, groupId: group?.id ?? null, now, consecutiveIds: await hasConsecutiveIds(pool) };

  if (mode === 'commit' && group?.toCreate) {
    apply.groupId = await inTransaction(pool, async (conn) => {
      const id = await createGroup(conn, site, group.name, now);
      await logGroupCreated(conn, options.importId, id);
      return id;
    });
    counts.groupsCreated = 1;
  } else if (group?.toCreate) {
    counts.groupsCreated = 1;
  }

  await pool.query('DELETE FROM intake_row WHERE import_id = ?', [options.importId]);
  const validate = createValidator(columns, settings, profileFields);
  const seen = new Map<string, number>();
  const claims = new FileClaims();
  const phase = mode === 'commit' ? 'writing' : 'planning';
  await onProgress?.({ phase, done: 0, total });

  /** Writes (or, in a preview, counts) one planned batch and records its outcomes. */
  const finish = async (planned: PlannedRow[]) => {
    if (mode === 'commit') {
      const stored = await storedPasswords(planned.filter((r) => r.outcome === 'create'), settings, site, passwords);
      counts.memberships += await inTransaction(pool, (conn) => applyBatch(conn, planned, stored, apply));
    } else {
      counts.memberships += await countNewMembers(pool, group, planned);
    }
    await saveRowOutcomes(pool, options.importId, planned);
    for (const row of planned) counts[countKey[row.outcome]]++;
    counts.rows += planned.length;
    await onProgress?.({ phase, done: counts.rows, total });
  };

  // The next batch is read, looked up and planned while the previous one is written, on another
  // connection: one batch in flight keeps the order and puts both cores to work.
  let inFlight: Promise<void> = Promise.resolve();
  for await (const batch of batches(table)) {
    const candidates = batch.map(validate);
    markDuplicates(candidates, settings.matchOn, seen);
    const snapshot = await loadBatchSnapshot(pool, site, settings.matchOn, candidates, mappedProfileIds);
    const planned = planBatch(candidates, snapshot, ctx, claims);
    await inFlight;
    if (mode === 'commit') claims.advance();
    inFlight = finish(planned);
    // Handled when awaited above or below; this keeps a failure from counting as unhandled meanwhile.
    inFlight.catch(() => undefined);
  }
  await inFlight;

  if (settings.actions.archive) {
    await onProgress?.({ phase: 'archiving', done: counts.rows, total });
    const scope = await loadArchiveScope(pool, site, settings.source, apply.groupId);
    const leaving = planArchive(scope, settings.matchOn, seen, ctx.protectedUserIds);
    if (mode === 'commit') await inTransaction(pool, (conn) => archiveUsers(conn, leaving, apply));
    counts.archived = leaving.length;
  }
  await onProgress?.({ phase: 'done', done: counts.rows, total });
  return { format: table.format, columns, counts };
}
