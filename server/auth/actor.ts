import { and, eq } from 'drizzle-orm';
import { user } from '../../db/host/index.js';
import type { Db } from '../db.js';
import { loadSite } from '../host/site.js';

/** The host user behind a request, with what they may do. */
export interface Actor {
  id: number;
  username: string;
  lang: string;
  isSiteAdmin: boolean;
}

/** Reads the user's rights from the host tables on every request: revoking there takes effect at once. */
export async function loadActor(db: Db, userId: number): Promise<Actor | null> {
  const [found] = await db
    .select({ id: user.id, username: user.username, lang: user.lang, suspended: user.suspended })
    .from(user)
    .where(and(eq(user.id, userId), eq(user.deleted, 0)));
  if (!found || found.suspended) return null;
  const site = await loadSite(db);
  return { id: found.id, username: found.username, lang: found.lang, isSiteAdmin: site.adminIds.has(found.id) };
}
