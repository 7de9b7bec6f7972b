import { and, eq, inArray } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { configPlugins } from '../../db/host/index.js';
import type { HostFollowUp } from '../contract/types.js';
import type { Db } from './database.js';

/** The audience replay.php accepts (plugin/moodle/classes/replay_now.php): a wizard's token is not one. */
const audience = 'local_intake/replay';

/** How long Moodle has to take the request; it answers before it runs anything. */
const answerWithinMs = 5000;

/**
 * Asks Moodle's plugin to run the replay this process just queued (queueReplay) now rather than at its
 * next cron run, so Reports → Logs and Moodle's observers (cohort sync enrolment) see an import, undo or
 * sweep within seconds. Addressed and signed with what the plugin keeps in Moodle's config (its site's
 * address and the shared secret), so the command line can ask as well as the server. Whether Moodle
 * answers changes nothing that was written: cron runs the queued task otherwise. Says which of the two
 * it is: `started` when Moodle took the request, `at_next_cron` when it could not be asked.
 */
export async function askMoodleToReplay(db: Db): Promise<HostFollowUp> {
  const rows = await db
    .select({ name: configPlugins.name, value: configPlugins.value })
    .from(configPlugins)
    .where(and(eq(configPlugins.plugin, 'local_intake'), inArray(configPlugins.name, ['wwwroot', 'secret'])));
  const config = new Map(rows.map((r) => [r.name, r.value]));
  const wwwroot = config.get('wwwroot');
  const secret = config.get('secret');
  if (!wwwroot || !secret) return 'at_next_cron';
  // No "issued at": php-jwt refuses a token issued after its own clock's now, and Moodle's clock may be
  // behind this one. Minutes to live, for the same reason; all a replayed token could do is run early what is queued.
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setAudience(audience).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
  try {
    const answer = await fetch(`${wwwroot.replace(/\/+$/, '')}/local/intake/replay.php`, {
      method: 'POST',
      body: new URLSearchParams({ token }),
      signal: AbortSignal.timeout(answerWithinMs),
    });
    await answer.body?.cancel();
    return answer.status === 202 ? 'started' : 'at_next_cron';
  } catch {
    return 'at_next_cron';
  }
}
