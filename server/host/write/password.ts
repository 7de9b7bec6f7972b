import { and, eq, sql } from 'drizzle-orm';
import type { PoolConnection } from 'mysql2/promise';
import { user, userPreferences } from '../../../db/host/index.js';
import { drizzleOf } from '../database.js';

/**
 * Sets a chosen password as Moodle's change-password page does: the new hash (update_internal_user_password())
 * and the forced change lifted (unset_user_preference('auth_forcepasswordchange')).
 */
export async function setPassword(conn: PoolConnection, userId: number, hash: string): Promise<void> {
  const db = drizzleOf(conn);
  await db.update(user).set({ password: hash, timemodified: sql`UNIX_TIMESTAMP()` }).where(eq(user.id, userId));
  await db.delete(userPreferences).where(and(eq(userPreferences.userid, userId), eq(userPreferences.name, 'auth_forcepasswordchange')));
}
