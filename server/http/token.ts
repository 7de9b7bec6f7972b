import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived tokens the host page hands to the element: `v1.<payload>.<hmac>`, both base64url. The
 * payload names the host user; the HMAC-SHA256 over it uses the secret shared with the host.
 */
export interface TokenPayload {
  /** Host user id. */
  sub: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Tokens live minutes, not hours; the host page (or the demo) issues new ones. */
export const maxTokenLifetimeSeconds = 60 * 60;

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

export function signToken(secret: string, userId: number, lifetimeSeconds = 15 * 60, now = Date.now()): string {
  const payload: TokenPayload = { sub: userId, exp: Math.floor(now / 1000) + Math.min(lifetimeSeconds, maxTokenLifetimeSeconds) };
  const data = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${data}.${mac(secret, data)}`;
}

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export function verifyToken(secret: string, token: string, now = Date.now()): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return { ok: false, reason: 'malformed' };
  const data = `${parts[0]}.${parts[1]}`;
  const expected = Buffer.from(mac(secret, data));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenPayload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!Number.isInteger(payload.sub) || !Number.isInteger(payload.exp)) return { ok: false, reason: 'malformed' };
  const nowSeconds = Math.floor(now / 1000);
  if (payload.exp <= nowSeconds || payload.exp > nowSeconds + maxTokenLifetimeSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
