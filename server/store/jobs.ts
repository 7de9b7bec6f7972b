import { and, count, eq, inArray, isNull, like, lt, notLike, or, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { fileChunks, imports } from '../../db/plugin/schema.js';
import { isUndoable, type ImportStatusName } from '../contract/types.js';
import { drizzleOf, inTransaction } from '../host/database.js';

/**
 * A claim without a heartbeat for this long belongs to a process that died (a worker or a command):
 * another takes it over, and a command's import is marked interrupted. Heartbeats come every few seconds.
 */
export const staleAfterSeconds = 60;

/** The states in which an import waits for, or is held by, a worker. */
const workStatuses: ImportStatusName[] = ['previewing', 'queued', 'running', 'undoing'];

/**
 * Claims the next job with a row lock that other workers skip, so any number of processes can run side
 * by side against one database. A claim whose heartbeat is older than `staleAfterSeconds` is taken over.
 */
export async function claimNextJob(pool: Pool, workerId: string, staleAfterSeconds: number): Promise<number | null> {
  return inTransaction(pool, async (conn) => {
    const db = drizzleOf(conn);
    const [next] = await db
      .select({ id: imports.id })
      .from(imports)
      .where(
        and(
          inArray(imports.status, workStatuses),
          // An `intake import` command runs its own import from a file on its disk: never a worker's to take.
          // An undo needs no file: one whose command died is finished by whichever worker comes first.
          or(isNull(imports.claimedBy), notLike(imports.claimedBy, `${commandPrefix}%`), eq(imports.status, 'undoing')),
          or(isNull(imports.claimedBy), lt(imports.heartbeatAt, sql`NOW(3) - INTERVAL ${staleAfterSeconds} SECOND`)),
        ),
      )
      .orderBy(imports.id)
      .limit(1)
      .for('update', { skipLocked: true });
    if (!next) return null;
    await db
      .update(imports)
      .set({ claimedBy: workerId, heartbeatAt: sql`NOW(3)`, status: sql`IF(${imports.status} = 'queued', 'running', ${imports.status})` })
      .where(eq(imports.id, next.id));
    return next.id;
  }, { claimsWork: true });
}

/** Claims by `intake import` commands start with this. */
const commandPrefix = 'cli:';

/**
 * An `intake import` command holds its import while it runs and proves it is alive every few seconds;
 * `stop()` releases it. A command killed mid-way stops beating, and `markInterrupted` tells the truth.
 */
export async function holdForCommand(pool: Pool, importId: number, owner: string, everyMs = 5000): Promise<{ stop(): Promise<void> }> {
  const claim = `${commandPrefix}${owner}`.slice(0, 64);
  const beat = () => drizzleOf(pool).update(imports).set({ claimedBy: claim, heartbeatAt: sql`NOW(3)` }).where(eq(imports.id, importId));
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await releaseJob(pool, importId);
    },
  };
}

/**
 * `intake undo` takes the import for itself: one that may be undone, or an undo nobody runs (waiting for a
 * worker, or its command died). False when it may not be undone or someone else is undoing it now.
 */
export async function claimUndoForCommand(pool: Pool, importId: number, owner: string, undo: { overLater: boolean; by: number }, staleAfterSeconds: number): Promise<boolean> {
  return inTransaction(pool, async (conn) => {
    const db = drizzleOf(conn);
    const [found] = await db
      .select({ status: imports.status, claimedBy: imports.claimedBy, stale: sql<number>`${imports.heartbeatAt} IS NULL OR ${imports.heartbeatAt} < NOW(3) - INTERVAL ${staleAfterSeconds} SECOND` })
      .from(imports)
      .where(eq(imports.id, importId))
      .for('update');
    if (!found) return false;
    const unclaimedUndo = found.status === 'undoing' && (found.claimedBy === null || Number(found.stale) === 1);
    if (!isUndoable(found.status) && !unclaimedUndo) return false;
    await db
      .update(imports)
      .set({
        status: 'undoing',
        // Taking over an undo keeps what the import was before it.
        ...(found.status === 'undoing' ? {} : { undoneFrom: found.status }),
        undoOverLater: undo.overLater ? 1 : 0,
        undoneBy: undo.by,
        claimedBy: `${commandPrefix}${owner}`.slice(0, 64),
        heartbeatAt: sql`NOW(3)`,
        error: null,
      })
      .where(eq(imports.id, importId));
    return true;
  });
}

/** Imports whose command stopped beating (killed, or its machine gone) are `interrupted`: undo or resume them. */
export async function markInterrupted(pool: Pool, staleAfterSeconds: number): Promise<number> {
  const [result] = await drizzleOf(pool)
    .update(imports)
    .set({ status: 'interrupted', claimedBy: null, finishedAt: sql`NOW(3)` })
    .where(and(inArray(imports.status, ['previewing', 'running']), like(imports.claimedBy, `${commandPrefix}%`), lt(imports.heartbeatAt, sql`NOW(3) - INTERVAL ${staleAfterSeconds} SECOND`)));
  return result.affectedRows;
}

export async function releaseJob(pool: Pool, importId: number): Promise<void> {
  await drizzleOf(pool).update(imports).set({ claimedBy: null }).where(eq(imports.id, importId));
}

/** How many imports wait for or occupy a worker. */
export async function activeJobCount(pool: Pool): Promise<number> {
  const [row] = await drizzleOf(pool).select({ n: count() }).from(imports).where(inArray(imports.status, workStatuses));
  return row?.n ?? 0;
}

/** Imports whose upload still lies stored though nobody came back to them within `hours`. */
export async function abandonedUploads(pool: Pool, hours: number): Promise<number[]> {
  const rows = await drizzleOf(pool)
    .selectDistinct({ id: fileChunks.importId })
    .from(fileChunks)
    .innerJoin(imports, eq(imports.id, fileChunks.importId))
    .where(and(inArray(imports.status, ['uploaded', 'previewed', 'failed']), lt(imports.createdAt, sql`NOW() - INTERVAL ${hours} HOUR`)));
  return rows.map((r) => r.id);
}
