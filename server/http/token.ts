import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The host page hands the element a standard JWT (HS256) naming the host user in `sub`, signed with the
 * secret shared with the host: Moodle's plugin mints it with Moodle's own JWT library (Firebase php-jwt),
 * the demo and the CLI with `jose`, which also verifies it.
 */
export interface TokenPayload {
  /** Host user id. */
  sub: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Tokens live minutes, not hours; the host page (or the demo) issues new ones. */
export const maxTokenLifetimeSeconds = 60 * 60;

const key = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(secret: string, userId: number, lifetimeSeconds = 15 * 60, now = Date.now()): Promise<string> {
  const issuedAt = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(userId))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.min(lifetimeSeconds, maxTokenLifetimeSeconds))
    .sign(key(secret));
}

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export async function verifyToken(secret: string, token: string, now = Date.now()): Promise<TokenCheck> {
  const nowSeconds = Math.floor(now / 1000);
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], currentDate: new Date(now), requiredClaims: ['sub', 'exp'] });
    const sub = Number(payload.sub);
    if (!Number.isInteger(sub) || sub <= 0) return { ok: false, reason: 'malformed' };
    // A token that claims to live longer than a host may issue is refused as if expired: it was not minted by the host.
    if (payload.exp! > nowSeconds + maxTokenLifetimeSeconds + 60) return { ok: false, reason: 'expired' };
    return { ok: true, payload: { sub, exp: payload.exp! } };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    return { ok: false, reason: 'malformed' };
  }
}
