import type { Pool } from 'mysql2/promise';
import { queryRows } from '../database.js';
import type { SsoIssuerOption } from '../../contract/types.js';
import type { StoredLink } from '../../core/plan/users.js';
import { T } from '../tables.js';
import type { Site } from './site.js';

/**
 * The OAuth 2 services Moodle offers on its login page: enabled, not for services only, configured
 * with a client id and secret, and with a user-info endpoint (core\oauth2\issuer::is_available_for_login).
 */
async function loginIssuers(pool: Pool): Promise<SsoIssuerOption[]> {
  const rows = await queryRows<{ id: number; name: string }>(
    pool,
    `SELECT i.id, i.name FROM ${T.oauth2Issuer} i
      WHERE i.enabled = 1 AND i.showonloginpage <> 0 AND i.clientid <> '' AND i.clientsecret <> ''
        AND EXISTS (SELECT 1 FROM ${T.oauth2Endpoint} e WHERE e.issuerid = i.id AND e.name = 'userinfo_endpoint')
      ORDER BY i.sortorder, i.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

/** The services a file's SSO IDs can be linked for: none while Moodle's OAuth 2 authentication is disabled. */
export async function usableLoginIssuers(pool: Pool, site: Pick<Site, 'enabledAuth'>): Promise<SsoIssuerOption[]> {
  return site.enabledAuth.has('oauth2') ? loginIssuers(pool) : [];
}

/** A linked login as planning compares it, with the account it links. */
export type LinkedLogin = StoredLink & { userId: number };

/**
 * Linked logins of one service whose `column` (the account, or the identity) is among the values: one
 * round trip, none when there is nothing to ask. Deleted accounts' links do not count: Moodle's login
 * skips them (auth_oauth2\api::match_username_to_user).
 */
async function linkedLoginsBy(pool: Pool, issuerId: number, column: 'userid' | 'username', values: readonly (number | string)[]): Promise<LinkedLogin[]> {
  if (values.length === 0) return [];
  const rows = await queryRows<{ id: number; userid: number; username: string; email: string }>(
    pool,
    `SELECT l.id, l.userid, l.username, l.email FROM ${T.linkedLogin} l JOIN ${T.user} u ON u.id = l.userid AND u.deleted = 0
      WHERE l.issuerid = ? AND l.${column} IN (?)`,
    [issuerId, values],
  );
  return rows.map((r) => ({ id: Number(r.id), userId: Number(r.userid), ssoId: r.username, email: r.email }));
}

/** These users' linked logins with the service. */
export const linkedLoginsOf = (pool: Pool, issuerId: number, userIds: readonly number[]) => linkedLoginsBy(pool, issuerId, 'userid', userIds);

/** The linked logins holding these identities (lower case), whoever holds them. */
export const linkedLoginsHolding = (pool: Pool, issuerId: number, ssoIds: readonly string[]) => linkedLoginsBy(pool, issuerId, 'username', ssoIds);
