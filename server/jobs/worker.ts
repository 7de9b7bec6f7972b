import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'mysql2/promise';
import type { Progress } from '../contract/types.js';
import type { ServerServices } from '../engine/import-options.js';
import { runImport } from '../engine/run-import.js';
import { loadActor } from '../host/read/actor.js';
import { errorBody, IntakeError, isIntakeError } from '../core/errors.js';
import { countsChanged } from '../core/plan/counts.js';
import { sweep } from '../host/sweep.js';
import { deliverDue, type Transport } from '../mail/deliver.js';
import { undoImport } from '../host/undo.js';
import { isPassingFailure } from '../host/database.js';
import { saveMapping, saveSourceSettings } from '../store/saved.js';
import { forgetStaleLogins } from '../store/pending-logins.js';
import { lifetimeHours } from '../mail/outbox.js';
import { abandonedUploads, activeJobCount, claimNextJob, markInterrupted, releaseJob, staleAfterSeconds } from '../store/jobs.js';
import { removeAbandonedSpools } from '../core/read/spool.js';
import { findImportById, markUndoFailed, markUndone, purgeFile, saveProgress, saveUndoFollowUp, storedFile, updateImport, type ImportRecord } from '../store/imports.js';

/** Uploads nobody previewed or committed are purged after a day. */
const abandonedAfterHours = 24;
/** How often validity is applied (also available as `intake sweep` for cron). */
const sweepEveryMs = 5 * 60 * 1000;

/** Saves progress at most a few times a second; the last word (`done`) always. */
function progressSaver(pool: Pool, id: number) {
  let last = 0;
  return async (progress: Progress) => {
    const now = Date.now();
    if (progress.phase !== 'done' && now - last < 250) return;
    last = now;
    await saveProgress(pool, id, progress);
  };
}

export async function runJob(services: ServerServices, record: ImportRecord, log: (msg: string) => void): Promise<void> {
  const pool = services.database.pool;
  const onProgress = progressSaver(pool, record.id);
  const jobId = `job-${record.id}`;
  if (record.status === 'undoing') {
    try {
      const { hostFollowUp } = await undoImport(pool, record.id, {
        overLater: record.undoOverLater,
        runAs: record.undoneBy,
        finish: (conn) => markUndone(conn, record.id),
        onProgress: (done, total) => onProgress({ phase: 'undoing', done, total }),
      });
      await saveUndoFollowUp(pool, record.id, hostFollowUp);
    } catch (error) {
      // One transaction: nothing was undone. A lost connection or a deadlock is tried again at the next
      // poll; anything else would fail the same way every time, so the import goes back to what it was,
      // with the reason, to be undone again once the cause is fixed.
      if (isPassingFailure(error)) throw error;
      log(`${jobId}: undo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await markUndoFailed(pool, record.id, error, jobId);
    } finally {
      await releaseJob(pool, record.id);
    }
    return;
  }
  const mode = record.status === 'previewing' ? 'preview' : 'commit';
  try {
    if (!record.settings) throw new Error('job without settings');
    if (mode === 'commit') await updateImport(pool, record.id, { started: true });
    // Rights are read again for every run: a coordinator who lost a category cannot commit into it.
    const actor = await loadActor(services.database.db, pool, record.createdBy, services.env.INTAKE_COORDINATOR_ROLE);
    if (!actor?.scope) throw new IntakeError('forbidden', 'The user who started this import may no longer import users.');
    const result = await runImport(services, { importId: record.id, bytes: storedFile(pool, record.id, services.files), settings: record.settings, mode, actor: { id: actor.id, scope: actor.scope }, fileName: record.fileName, fixes: record.format?.fixes, onProgress });
    if (mode === 'preview') {
      await updateImport(pool, record.id, { status: 'previewed', counts: result.counts, structure: result.structure, error: null });
    } else {
      // The commit planned again against the host as it is now; say what differs from the preview.
      const changedSincePreview = record.counts ? countsChanged(record.counts, result.counts) : [];
      await updateImport(pool, record.id, { status: 'done', counts: result.counts, structure: result.structure, changedSincePreview, error: null, finished: true, purge: true });
      // Remembering choices is a convenience: its failure must not mark a written import as failed.
      await Promise.all([saveSourceSettings(pool, record.settings), saveMapping(pool, result.columns)]).catch((e: Error) => log(`${jobId}: could not save choices: ${e.message}`));
    }
  } catch (error) {
    if (!isIntakeError(error)) log(`${jobId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // A rejected preview leaves the upload in place so the admin can fix the mapping and try again.
    const status = mode === 'preview' ? 'uploaded' : 'failed';
    await updateImport(pool, record.id, { status, error: errorBody(error, jobId), finished: mode === 'commit', purge: mode === 'commit' });
  } finally {
    await releaseJob(pool, record.id);
  }
}

async function purgeAbandoned(pool: Pool): Promise<void> {
  for (const id of await abandonedUploads(pool, abandonedAfterHours)) await purgeFile(pool, id);
  await forgetStaleLogins(pool, lifetimeHours.credentials);
  await removeAbandonedSpools();
}

/**
 * A full collection before each job and when the jobs run out, where the server runs with V8's `gc`
 * exposed (plugin/bin/intake.js). A preview of a million rows leaves its tables of keys (tens of megabytes of typed arrays) to a
 * collection that an idle server never runs; the commit after it then held both, and the server
 * peaked at its start (a million-row workbook's commit: 198 to 204 MB, 189 MB with this). Some 50 ms a job.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface Worker {
  stop(): Promise<void>;
  /** Resolves when no job is waiting; for tests and the CLI. */
  idle(): Promise<void>;
}

/** Polls for jobs and runs them one at a time; delivers due mail between jobs when a transport is set. */
export function startWorker(services: ServerServices, options: { pollMs?: number; log?: (msg: string) => void; transport?: Transport } = {}): Worker {
  const pool = services.database.pool;
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = options.log ?? ((msg: string) => console.error(msg));
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let lastPurge = 0;
  let lastSweep = 0;
  let lastInterruptCheck = 0;
  let timer: NodeJS.Timeout | undefined;

  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (Date.now() - lastPurge > 60 * 60 * 1000) {
        lastPurge = Date.now();
        await purgeAbandoned(pool);
      }
      if (Date.now() - lastSweep > sweepEveryMs) {
        lastSweep = Date.now();
        const swept = await sweep(pool);
        if (swept.expired + swept.started > 0) log(`sweep: ${swept.expired} expired, ${swept.started} started, ${swept.supervisionEnded} supervision links ended`);
      }
      if (Date.now() - lastInterruptCheck > 30_000) {
        lastInterruptCheck = Date.now();
        const interrupted = await markInterrupted(pool, staleAfterSeconds);
        if (interrupted > 0) log(`${interrupted} import(s) whose command stopped are marked interrupted`);
      }
      let id: number | null;
      let ran = false;
      while (!stopped && (id = await claimNextJob(pool, workerId, staleAfterSeconds)) !== null) {
        const record = await findImportById(pool, id);
        // Once between two jobs, and once more as the worker goes idle.
        collectGarbage();
        if (record) await runJob(services, record, log);
        ran = true;
      }
      if (ran) collectGarbage();
      if (options.transport && services.notifications && !stopped) {
        const delivered = await deliverDue(pool, services.notifications.sealer, options.transport, workerId);
        if (delivered.retried + delivered.failed > 0) log(`mail: ${delivered.sent} sent, ${delivered.retried} to retry, ${delivered.failed} failed`);
      }
    } catch (error) {
      if (!stopped) log(`worker: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), options.pollMs ?? 300);
  };
  running = tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async idle() {
      for (;;) {
        if ((await activeJobCount(pool)) === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
