import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { inTransaction } from '../host/database.js';
import type { MailMessage } from './compose.js';
import type { Sealer } from './seal.js';
import { IntakeError } from '../core/errors.js';
import type { MailStatus, OutboxKind } from '../contract/types.js';


/** How long a message may wait for a working SMTP server before it is given up (and wiped). */
export const lifetimeHours: Record<OutboxKind, number> = { credentials: 72, supervisor: 72, invite: 72, updated: 72, report: 72, download: 24 };

export interface Outgoing {
  kind: OutboxKind;
  recipientUserId: number | null;
  message: MailMessage;
}

/** Seals and queues messages; the delivery worker sends them. */
/** Bytes of sealed messages per statement: well below MariaDB's default 16 MB max_allowed_packet. */
const bytesPerStatement = 4 * 1024 * 1024;

export async function enqueue(conn: Pool | PoolConnection, sealer: Sealer, importId: number | null, messages: Outgoing[]): Promise<void> {
  let pending: unknown[][] = [];
  let bytes = 0;
  const flush = async () => {
    if (pending.length > 0) await conn.query('INSERT INTO intake_outbox (import_id, kind, recipient, recipient_user_id, sealed, expires_at) VALUES ?', [pending]);
    pending = [];
    bytes = 0;
  };
  for (const m of messages) {
    const sealed = sealer.seal(m.message);
    if (bytes + sealed.length > bytesPerStatement) await flush();
    pending.push([importId, m.kind, m.message.to.slice(0, 255), m.recipientUserId, sealed, new Date(Date.now() + lifetimeHours[m.kind] * 3600_000)]);
    bytes += sealed.length;
  }
  await flush();
}


/** Per import, how many messages failed for good or expired undelivered. */
export async function failedMailCounts(pool: Pool, importIds: number[]): Promise<Map<number, number>> {
  if (importIds.length === 0) return new Map();
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT import_id, COUNT(*) AS n FROM intake_outbox WHERE import_id IN (?) AND kind <> 'download' AND status IN ('failed', 'expired') GROUP BY import_id",
    [importIds],
  );
  return new Map(rows.map((r) => [Number(r.import_id), Number(r.n)]));
}

/** Which of these imports hold a one-time credentials download for this user, not taken yet. */
export async function waitingDownloads(pool: Pool, importIds: number[], userId: number): Promise<Set<number>> {
  if (importIds.length === 0) return new Set();
  const [rows] = await pool.query<RowDataPacket[]>(
    "SELECT DISTINCT import_id FROM intake_outbox WHERE import_id IN (?) AND kind = 'download' AND recipient_user_id = ? AND status = 'pending' AND sealed IS NOT NULL",
    [importIds, userId],
  );
  return new Set(rows.map((r) => Number(r.import_id)));
}

export async function mailStatus(pool: Pool, importId: number): Promise<MailStatus> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT kind, status, recipient, last_error, sealed IS NOT NULL AS waiting FROM intake_outbox WHERE import_id = ?', [importId]);
  const status: MailStatus = { pending: 0, sent: 0, failed: 0, expired: 0, failures: [], download: false };
  for (const row of rows) {
    if (row.kind === 'download') {
      status.download ||= row.status === 'pending' && Boolean(row.waiting);
      continue;
    }
    status[row.status as 'pending' | 'sent' | 'failed' | 'expired']++;
    if (row.status === 'failed' || row.status === 'expired') status.failures.push({ recipient: row.recipient, kind: row.kind, error: row.last_error ?? row.status });
  }
  return status;
}

/**
 * Hands out the one-time credentials download of an import, once: the row is wiped in the same
 * transaction, so a second request finds nothing.
 */
export async function takeDownload(pool: Pool, sealer: Sealer, importId: number, recipientUserId: number): Promise<MailMessage | null> {
  return inTransaction(pool, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>(
      "SELECT id, sealed, expires_at < NOW(3) AS overdue FROM intake_outbox WHERE import_id = ? AND kind = 'download' AND recipient_user_id = ? AND status = 'pending' AND sealed IS NOT NULL FOR UPDATE",
      [importId, recipientUserId],
    );
    const row = rows[0];
    if (!row) return null;
    // Past its lifetime and not yet wiped (only a delivery pass wipes what expired, and a site that
    // imports by the command line alone may run none): wiped now, never handed out late.
    if (Number(row.overdue) === 1) {
      await conn.query("UPDATE intake_outbox SET status = 'expired', sealed = NULL, last_error = 'expired before it was downloaded' WHERE id = ?", [row.id]);
      return null;
    }
    await conn.query("UPDATE intake_outbox SET sealed = NULL, status = 'sent', sent_at = NOW(3) WHERE id = ?", [row.id]);
    return sealer.open<MailMessage>(row.sealed as Buffer);
  }, { claimsWork: true });
}

/**
 * Why an import holds no credentials download for this user to take: `taken` (handed out once already),
 * `expired` (wiped unread), or null when there never was one (the import made no logins to download,
 * or has not finished making them).
 */
async function downloadGone(pool: Pool, importId: number, recipientUserId: number): Promise<'taken' | 'expired' | null> {
  const [rows] = await pool.query<RowDataPacket[]>("SELECT status FROM intake_outbox WHERE import_id = ? AND kind = 'download' AND recipient_user_id = ?", [importId, recipientUserId]);
  if (rows.some((r) => r.status === 'sent')) return 'taken';
  return rows.length > 0 ? 'expired' : null;
}

/** The error for a credentials download that cannot be handed out, said as what happened. */
export async function noDownloadError(pool: Pool, record: { id: number; status: string }, recipientUserId: number): Promise<IntakeError> {
  const gone = await downloadGone(pool, record.id, recipientUserId);
  if (gone === 'taken') return new IntakeError('gone', 'The credentials were downloaded already: the download is handed out once, then wiped.', { reason: 'taken' });
  if (gone === 'expired') return new IntakeError('gone', `The credentials expired unread after ${lifetimeHours.download} hours and were wiped.`, { reason: 'expired' });
  if (['queued', 'running', 'interrupted'].includes(record.status)) {
    return new IntakeError('conflict', `The import is ${record.status}: its credentials can be downloaded once it is done.`, { status: record.status });
  }
  return new IntakeError('not_found', 'This import holds no credentials for you to download: it made no accounts with generated passwords to be handed out as a download.');
}
