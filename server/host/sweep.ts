import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { drizzleOf, inTransaction } from './database.js';
import { loadSite } from './read/site.js';
import { logOut, markUsersDirty, queueReplay, type HostEvent } from './write/moodle-follow-up.js';
import { askMoodleToReplay } from './replay-now.js';
import { supervisionComponent, T } from './tables.js';

export interface SweepResult {
  /** Accounts suspended because their validity ended. */
  expired: number;
  /** Accounts whose validity began, lifted from the suspension Intake put on them. */
  started: number;
  /** Group supervision assignments ended with the expired accounts. */
  supervisionEnded: number;
}

/**
 * Applies validity: suspends accounts whose `valid_until` has passed and ends their group
 * supervision (their supervisors no longer see them); activates accounts Intake held back until their
 * `valid_from`. Direct supervisor links stay. Safe to run from several processes: each step is one
 * transaction whose conditions exclude what another run already did.
 */
export async function sweep(pool: Pool, now = Math.floor(Date.now() / 1000)): Promise<SweepResult> {
  const site = await loadSite(drizzleOf(pool));
  const swept = await inTransaction(pool, async (conn) => {
    const events: HostEvent[] = [];
    const [expired] = await conn.query<RowDataPacket[]>(
      `SELECT v.user_id FROM intake_validity v JOIN ${T.user} u ON u.id = v.user_id
        WHERE v.valid_until IS NOT NULL AND v.valid_until < ? AND u.deleted = 0 AND (u.suspended = 0 OR v.suspended_by_intake = 0) FOR UPDATE`,
      [now],
    );
    const expiredIds = expired.map((r) => Number(r.user_id));
    let supervisionEnded = 0;
    if (expiredIds.length > 0) {
      await conn.query(`UPDATE ${T.user} SET suspended = 1, timemodified = ? WHERE id IN (?) AND suspended = 0`, [now, expiredIds]);
      await conn.query('UPDATE intake_validity SET suspended_by_intake = 1 WHERE user_id IN (?)', [expiredIds]);
      // Suspended is logged out, as Moodle's own code does when it suspends someone.
      await logOut(conn, expiredIds);
      const [ending] = await conn.query<RowDataPacket[]>(
        `SELECT ra.id, ra.roleid, ra.contextid, ra.userid, ra.component, ra.itemid FROM ${T.roleAssignments} ra
           JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = ? WHERE ra.component = ? AND x.instanceid IN (?) FOR UPDATE`,
        [CONTEXT_USER, supervisionComponent, expiredIds],
      );
      if (ending.length > 0) await conn.query(`DELETE FROM ${T.roleAssignments} WHERE id IN (?)`, [ending.map((r) => r.id)]);
      supervisionEnded = ending.length;
      // As role_unassign() does: the supervisors lose access at their next page, not at their next login.
      await markUsersDirty(conn, ending.map((r) => Number(r.userid)), site.sessionTimeout, now);
      for (const r of ending) {
        events.push({ e: 'role_unassigned', id: Number(r.id), roleid: Number(r.roleid), contextid: Number(r.contextid), userid: Number(r.userid), component: String(r.component), itemid: Number(r.itemid) });
      }
      for (const id of expiredIds) events.push({ e: 'user_updated', userid: id });
    }
    const [starting] = await conn.query<RowDataPacket[]>(
      `SELECT v.user_id FROM intake_validity v JOIN ${T.user} u ON u.id = v.user_id
        WHERE v.suspended_by_intake = 1 AND u.suspended = 1 AND u.deleted = 0
          AND (v.valid_from IS NULL OR v.valid_from <= ?) AND (v.valid_until IS NULL OR v.valid_until >= ?) FOR UPDATE`,
      [now, now],
    );
    const startingIds = starting.map((r) => Number(r.user_id));
    if (startingIds.length > 0) {
      await conn.query(`UPDATE ${T.user} SET suspended = 0, timemodified = ? WHERE id IN (?)`, [now, startingIds]);
      await conn.query('UPDATE intake_validity SET suspended_by_intake = 0 WHERE user_id IN (?)', [startingIds]);
      for (const id of startingIds) events.push({ e: 'user_updated', userid: id });
    }
    if (site.plugin) await queueReplay(conn, { events }, now);
    return { expired: expiredIds.length, started: startingIds.length, supervisionEnded };
  }, { claimsWork: true });
  if (site.plugin && swept.expired + swept.started > 0) await askMoodleToReplay(drizzleOf(pool));
  return swept;
}
