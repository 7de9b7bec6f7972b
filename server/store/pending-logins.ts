import { and, eq, lt, sql } from 'drizzle-orm';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { pendingLogins } from '../../db/plugin/schema.js';
import { drizzleOf } from '../host/database.js';

export type PendingLoginKind = (typeof pendingLogins.$inferSelect)['kind'];

export interface SealedLogin {
  userId: number;
  kind: PendingLoginKind;
  sealed: Buffer;
}

/** Rows per statement: each sealed login is a few hundred bytes, far below max_allowed_packet. */
const perStatement = 500;

/** Keeps new logins sealed, in the caller's transaction (the one that creates their accounts). */
export async function holdLogins(conn: PoolConnection, importId: number, logins: SealedLogin[]): Promise<void> {
  for (let i = 0; i < logins.length; i += perStatement) {
    await drizzleOf(conn)
      .insert(pendingLogins)
      .values(logins.slice(i, i + perStatement).map((l) => ({ importId, userId: l.userId, kind: l.kind, sealed: l.sealed })));
  }
}

/** Every login an import (any attempt of it) still holds. */
export async function heldLogins(conn: PoolConnection | Pool, importId: number): Promise<SealedLogin[]> {
  return drizzleOf(conn).select({ userId: pendingLogins.userId, kind: pendingLogins.kind, sealed: pendingLogins.sealed }).from(pendingLogins).where(eq(pendingLogins.importId, importId));
}

/** Forgets an import's held logins: once they are sealed into messages, or when the import is undone. */
export async function releaseLogins(conn: PoolConnection | Pool, importId: number, kind?: PendingLoginKind): Promise<void> {
  await drizzleOf(conn)
    .delete(pendingLogins)
    .where(and(eq(pendingLogins.importId, importId), kind ? eq(pendingLogins.kind, kind) : undefined));
}

/**
 * Logins held longer than mail waits for a working server (an import killed and never resumed or
 * undone): wiped, as undelivered mail is.
 */
export async function forgetStaleLogins(pool: Pool, hours: number): Promise<number> {
  const [result] = await drizzleOf(pool).delete(pendingLogins).where(lt(pendingLogins.createdAt, sql`NOW(3) - INTERVAL ${hours} HOUR`));
  return result.affectedRows;
}
