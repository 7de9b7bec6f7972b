import { and, eq } from 'drizzle-orm';
import { user } from '../../../db/host/index.js';
import type { Db } from '../database.js';
import type { Pool } from 'mysql2/promise';
import { loadSite } from './site.js';
import { siteScope, type Scope } from '../../core/scope.js';
import { holdsSiteImport, holdsUndo, loadCoordinatorScope } from './scope.js';

/** The host user behind a request, with what they may do. */
export interface Actor {
  id: number;
  username: string;
  lang: string;
  isSiteAdmin: boolean;
  /** Whether they may undo their imports (local/intake:undo). */
  mayUndo: boolean;
  /** Where they may import: the site, or their categories (a coordinator). */
  scope: Scope;
}

/**
 * Reads the user's rights from the host tables on every request: revoking there takes effect at once.
 * Null for an unknown or suspended user; a user who is neither admin nor coordinator gets no scope.
 */
export async function loadActor(db: Db, pool: Pool, userId: number, coordinatorRole: string): Promise<(Omit<Actor, 'scope'> & { scope: Scope | null }) | null> {
  const [found] = await db
    .select({ id: user.id, username: user.username, lang: user.lang, suspended: user.suspended })
    .from(user)
    .where(and(eq(user.id, userId), eq(user.deleted, 0)));
  if (!found || found.suspended) return null;
  const site = await loadSite(db);
  const isSiteAdmin = site.adminIds.has(found.id);
  // Site admins, and whoever holds local/intake:import at the system context (managers), import site-wide.
  const siteWide = isSiteAdmin || (await holdsSiteImport(pool, found.id, coordinatorRole, site.systemContext.id));
  const scope = siteWide ? siteScope : await loadCoordinatorScope(pool, found.id, coordinatorRole, site.systemContext.id);
  const mayUndo = scope !== null && (isSiteAdmin || (await holdsUndo(pool, found.id, coordinatorRole, site.systemContext.id)));
  return { id: found.id, username: found.username, lang: found.lang, isSiteAdmin, mayUndo, scope };
}
