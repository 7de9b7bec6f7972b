import type { Transporter } from 'nodemailer';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { inTransaction } from '../host/database.js';
import type { MailSender } from '../host/read/site.js';
import type { MailMessage } from './compose.js';
import type { Sealer } from './seal.js';

export interface Transport {
  send(message: MailMessage): Promise<void>;
}

/** A sender as nodemailer takes it: `Name <address>`, or its parts (quoted as needed). */
export type Sender = string | MailSender;

/**
 * A real SMTP transport from `SMTP_URL` (smtp://user:pass@host:port, smtps://… for TLS); `from` may be
 * looked up as mail goes out (the site's own sender, mail-config.ts).
 */
export function smtpTransport(url: string, from: Sender | (() => Promise<Sender>)): Transport {
  // Nodemailer loads with the first message: a command that sends none starts without it.
  let transporter: Promise<Transporter> | null = null;
  return {
    async send(message) {
      transporter ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(url));
      await (await transporter).sendMail({
        from: typeof from === 'function' ? await from() : from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') })),
      });
    },
  };
}

/** First retry after 30 s, doubling up to an hour: an SMTP server that is down delays mail, loses none. */
export const retryDelaySeconds = (attempt: number) => Math.min(30 * 2 ** (attempt - 1), 3600);

/** A 5xx reply is the server refusing this message for good; anything else (down, 4xx) may pass later. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * One delivery pass: claims due messages (row locks other workers skip), sends each, and records the
 * outcome. A delivered or abandoned message is wiped; only who, what kind and the outcome remain.
 */
export async function deliverDue(pool: Pool, sealer: Sealer, transport: Transport, workerId: string, limit = 20): Promise<{ sent: number; retried: number; failed: number }> {
  await pool.query("UPDATE intake_outbox SET status = 'expired', sealed = NULL, last_error = COALESCE(last_error, 'expired before it could be sent') WHERE status = 'pending' AND expires_at < NOW(3)");
  const claimed = await inTransaction(pool, async (conn) => {
    const [due] = await conn.query<RowDataPacket[]>(
      `SELECT id, sealed, attempts FROM intake_outbox
        WHERE status = 'pending' AND kind <> 'download' AND next_attempt_at <= NOW(3) AND sealed IS NOT NULL
          AND (claimed_by IS NULL OR claimed_at < NOW(3) - INTERVAL 5 MINUTE)
        ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (due.length > 0) await conn.query('UPDATE intake_outbox SET claimed_by = ?, claimed_at = NOW(3) WHERE id IN (?)', [workerId, due.map((c) => c.id)]);
    return due;
  }, { claimsWork: true });
  const result = { sent: 0, retried: 0, failed: 0 };
  for (const row of claimed) {
    const attempt = Number(row.attempts) + 1;
    try {
      await transport.send(sealer.open<MailMessage>(row.sealed as Buffer));
      await pool.query("UPDATE intake_outbox SET status = 'sent', sealed = NULL, attempts = ?, sent_at = NOW(3), claimed_by = NULL, last_error = NULL WHERE id = ?", [attempt, row.id]);
      result.sent++;
    } catch (error) {
      const reason = String((error as Error).message ?? error).slice(0, 500);
      if (isPermanent(error)) {
        await pool.query("UPDATE intake_outbox SET status = 'failed', sealed = NULL, attempts = ?, last_error = ?, claimed_by = NULL WHERE id = ?", [attempt, reason, row.id]);
        result.failed++;
      } else {
        await pool.query('UPDATE intake_outbox SET attempts = ?, last_error = ?, claimed_by = NULL, next_attempt_at = NOW(3) + INTERVAL ? SECOND WHERE id = ?', [attempt, reason, retryDelaySeconds(attempt), row.id]);
        result.retried++;
      }
    }
  }
  return result;
}
