import type { Db } from '../host/database.js';
import { loadSite, siteSender } from '../host/read/site.js';
import { smtpTransport, type Sender, type Transport } from '../mail/deliver.js';
import type { Notifications } from '../mail/notifications.js';
import { Sealer } from '../mail/seal.js';
import type { Env } from './env.js';

/** The outbox and links, when the configuration holds a key; otherwise nobody can be told anything. */
export function notificationsFrom(env: Env, secret: string | undefined, defaultUrl: string): Notifications | undefined {
  const key = env.INTAKE_OUTBOX_KEY ?? secret;
  if (!key) return undefined;
  const publicUrl = (env.INTAKE_PUBLIC_URL ?? defaultUrl).replace(/\/$/, '');
  return { sealer: new Sealer(key), publicUrl, siteUrl: env.INTAKE_SITE_URL ?? null, inviteDays: env.INTAKE_INVITE_DAYS };
}

/** Without MAIL_FROM and a site that names a sender: what Intake's mail said before it met one. */
const fallbackSender = 'Intake <noreply@localhost>';

/** How long the site's sender is kept before it is read again (an admin may change it in Moodle). */
const senderKeptMs = 60_000;

/**
 * The SMTP transport, when SMTP_URL is set. Mail comes from MAIL_FROM, or else from the site itself, as
 * Moodle's own mail does (siteSender): people get their password from their school's address, not from
 * a `localhost` that spam filters turn away.
 */
export function transportFrom(env: Env, db: Db): Transport | undefined {
  if (!env.SMTP_URL) return undefined;
  if (env.MAIL_FROM) return smtpTransport(env.SMTP_URL, env.MAIL_FROM);
  let known: { sender: Sender; at: number } | null = null;
  return smtpTransport(env.SMTP_URL, async () => {
    if (!known || Date.now() - known.at > senderKeptMs) known = { sender: siteSender(await loadSite(db), env.INTAKE_SITE_URL) ?? fallbackSender, at: Date.now() };
    return known.sender;
  });
}
