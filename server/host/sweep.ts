import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import { inTransaction } from './database.js';
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
  return inTransaction(pool, async (conn) => {
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
      const [ended] = await conn.query<import('mysql2').ResultSetHeader>(
        `DELETE ra FROM ${T.roleAssignments} ra JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = ? WHERE ra.component = ? AND x.instanceid IN (?)`,
        [CONTEXT_USER, supervisionComponent, expiredIds],
      );
      supervisionEnded = ended.affectedRows;
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
    }
    return { expired: expiredIds.length, started: startingIds.length, supervisionEnded };
  });
}
