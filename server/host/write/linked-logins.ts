import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { PlannedRow } from '../../core/plan/users.js';
import { queryRows } from '../database.js';
import { T } from '../tables.js';
import type { Change } from './change-log.js';
import { insertedIds } from './inserted-ids.js';

export interface LinkedLoginWriteContext {
  /** The single sign-on service the plan's links are for (null: the import links none). */
  ssoIssuerId: number | null;
  actorId: number;
  now: number;
  consecutiveIds: boolean;
}

/**
 * Writes the single sign-on identities the plan links, as auth_oauth2\api::link_login() writes them: a
 * confirmed link (no confirm token) of the account to the identity, with the address it is linked for.
 * An account whose identity changed keeps its link row, with the new identity. Created rows must have
 * their ids by now.
 */
export async function writeLinkedLogins(conn: PoolConnection, rows: PlannedRow[], ctx: LinkedLoginWriteContext, log: Change[]): Promise<void> {
  const issuerId = ctx.ssoIssuerId;
  if (issuerId === null) return;
  const linked = rows.filter((r) => r.ssoLink && (r.outcome === 'create' || r.outcome === 'update'));
  const added = linked.filter((r) => r.ssoLink!.before === null);
  if (added.length > 0) {
    const [inserted] = await conn.query<ResultSetHeader>(
      `INSERT INTO ${T.linkedLogin} (timecreated, timemodified, usermodified, userid, issuerid, username, email, confirmtoken, confirmtokenexpires) VALUES ?`,
      [added.map((r) => [ctx.now, ctx.now, ctx.actorId, r.userId, issuerId, r.ssoLink!.ssoId, r.ssoLink!.email, '', 0])],
    );
    const ids = await insertedIds(ctx.consecutiveIds, inserted.insertId, added.length, async () => {
      // By the pairs just written: an account may hold other links already, which are not this import's.
      const found = await queryRows<{ id: number }>(conn, `SELECT id FROM ${T.linkedLogin} WHERE issuerid = ? AND (userid, username) IN (?)`, [issuerId, added.map((r) => [r.userId, r.ssoLink!.ssoId])]);
      return found.map((f) => Number(f.id));
    });
    if (ctx.consecutiveIds) log.push({ table: 'auth_oauth2_linked_login', rowId: ids[0]!, action: 'insert', before: { through: ids[ids.length - 1]! } });
    else for (const id of ids) log.push({ table: 'auth_oauth2_linked_login', rowId: id, action: 'insert', before: null });
  }
  // Moved identities (a school that changes its sign-on service moves them all): one statement a batch,
  // a join against the new values, as the users' own updates are written.
  const moved = linked.filter((r) => r.ssoLink!.before !== null);
  if (moved.length === 0) return;
  const values = moved.map(() => 'SELECT ? AS id, ? AS username, ? AS email').join(' UNION ALL ');
  await conn.query(`UPDATE ${T.linkedLogin} l JOIN (${values}) v ON l.id = v.id SET l.username = v.username, l.email = v.email, l.timemodified = ?, l.usermodified = ?`, [
    ...moved.flatMap((r) => [r.ssoLink!.before!.id, r.ssoLink!.ssoId, r.ssoLink!.email]),
    ctx.now,
    ctx.actorId,
  ]);
  for (const { ssoLink } of moved) log.push({ table: 'auth_oauth2_linked_login', rowId: ssoLink!.before!.id, action: 'update', before: { username: ssoLink!.before!.ssoId, email: ssoLink!.before!.email } });
}
