import { smtpTransport, type Transport } from '../mail/deliver.js';
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

export function transportFrom(env: Env): Transport | undefined {
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL, env.MAIL_FROM) : undefined;
}
