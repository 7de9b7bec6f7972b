import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { user } from '../../db/host/index.js';
import { invites } from '../../db/plugin/schema.js';
import { drizzleOf } from '../host/database.js';

/** An invitation that still works: not used, not expired, its account not deleted. */
export async function findInvitation(pool: Pool, tokenHash: string): Promise<{ tokenHash: string; userId: number; username: string; lang: string } | null> {
  const [found] = await drizzleOf(pool)
    .select({ tokenHash: invites.tokenHash, userId: user.id, username: user.username, lang: user.lang })
    .from(invites)
    .innerJoin(user, eq(user.id, invites.userId))
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.usedAt), gt(invites.expiresAt, sql`NOW(3)`), eq(user.deleted, 0)));
  return found ?? null;
}

/** Marks an invitation used in the statement that checks it is unused: a link works exactly once. */
export async function useInvitation(conn: PoolConnection, tokenHash: string): Promise<boolean> {
  const [result] = await drizzleOf(conn)
    .update(invites)
    .set({ usedAt: sql`NOW(3)` })
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.usedAt)));
  return result.affectedRows === 1;
}
