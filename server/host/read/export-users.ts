import type { Pool, RowDataPacket } from 'mysql2/promise';
import { fieldDefinition } from '../../contract/catalog.js';
import { layoutFields } from '../../core/formats/layouts.js';
import { contextInScope, type Scope } from '../../core/scope.js';
import type { Site } from './site.js';
import { inSightSql } from './scope.js';
import { T } from '../tables.js';

/**
 * The users of a group (or of everything the actor sees) as rows in the export layout, a page at a
 * time. Site admins and the guest are left out: an import would never change them anyway. For a
 * coordinator, only members of groups in their categories and holders of a role there.
 */
export async function* exportRows(pool: Pool, site: Site, groupId: number | null, scope: Scope): AsyncGenerator<string[]> {
  const columns = layoutFields('export').map((f) => fieldDefinition(f).column!);
  const excluded = [...site.adminIds, site.guestId ?? 0];
  const list = columns.map((c) => `u.\`${c}\``).join(', ');
  const inGroup = groupId === null ? '' : `AND u.id IN (SELECT userid FROM ${T.cohortMembers} WHERE cohortid = ?)`;
  const inScope = scope.kind === 'site' ? '' : `AND ${inSightSql('u.id', scope.contextIds)}`;
  let after = 0;
  for (;;) {
    const params = [site.mnetHostId, excluded, after, ...(groupId === null ? [] : [groupId])];
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT u.id, ${list} FROM ${T.user} u WHERE u.deleted = 0 AND u.mnethostid = ? AND u.id NOT IN (?) AND u.id > ? ${inGroup} ${inScope}
       ORDER BY u.id LIMIT 1000`,
      params,
    );
    if (rows.length === 0) return;
    for (const row of rows) yield columns.map((c) => String(row[c] ?? ''));
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** Whether a group exists and lies in the actor's scope. */
export async function groupVisible(pool: Pool, groupId: number, scope: Scope): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT contextid FROM ${T.cohort} WHERE id = ?`, [groupId]);
  return rows[0] !== undefined && contextInScope(Number(rows[0].contextid), scope);
}
