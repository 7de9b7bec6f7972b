/**
 * What a chaos run checks at the end of an import with generated passwords told by a one-time download:
 * every account once, one group holding everyone, every login in the download exactly once, none held.
 */
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { takeDownload } from '../../server/mail/outbox.js';
import { Sealer } from '../../server/mail/seal.js';

export async function checkEndState(pool: Pool, run: { importId: number; status: string; usernamePrefix: string; group: string; rows: number; secret: string }) {
  const scalar = async (sql: string, params: unknown[] = []) => Number((await pool.query<RowDataPacket[]>(sql, params))[0][0]!.n);
  const like = `${run.usernamePrefix}%`;
  const accounts = await scalar('SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE ?', [like]);
  const distinct = await scalar('SELECT COUNT(DISTINCT username) AS n FROM mdl_user WHERE username LIKE ?', [like]);
  const members = await scalar('SELECT COUNT(*) AS n FROM mdl_cohort_members m JOIN mdl_cohort c ON c.id = m.cohortid WHERE c.name = ?', [run.group]);
  const groups = await scalar('SELECT COUNT(*) AS n FROM mdl_cohort WHERE name = ?', [run.group]);
  const held = await scalar('SELECT COUNT(*) AS n FROM intake_pending_login');
  const download = await takeDownload(pool, new Sealer(run.secret), run.importId, 2);
  const logins = (download?.text ?? '').trim().split(/\r?\n/).slice(1).map((line) => line.split(/[;,]/)[0]);
  const figures = {
    status: run.status,
    accounts,
    duplicates: accounts - distinct,
    groups,
    members,
    loginsDelivered: logins.length,
    loginsDeliveredTwice: logins.length - new Set(logins).size,
    loginsHeldAfter: held,
  };
  const rows = run.rows;
  const ok = run.status === 'done' && accounts === rows && distinct === rows && groups === 1 && members === rows && logins.length === rows && new Set(logins).size === rows && held === 0;
  return { figures, ok };
}
