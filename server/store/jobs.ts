import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { fileChunks, imports } from '../../db/plugin/schema.js';
import type { ImportStatusName } from '../contract/types.js';
import { drizzleOf, inTransaction } from '../host/database.js';

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
      .where(and(inArray(imports.status, workStatuses), or(isNull(imports.claimedBy), lt(imports.heartbeatAt, sql`NOW(3) - INTERVAL ${staleAfterSeconds} SECOND`))))
      .orderBy(imports.id)
      .limit(1)
      .for('update', { skipLocked: true });
    if (!next) return null;
    await db
      .update(imports)
      .set({ claimedBy: workerId, heartbeatAt: sql`NOW(3)`, status: sql`IF(${imports.status} = 'queued', 'running', ${imports.status})` })
      .where(eq(imports.id, next.id));
    return next.id;
  });
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
