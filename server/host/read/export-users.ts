import type { Pool, RowDataPacket } from 'mysql2/promise';
import { fieldDefinition } from '../../contract/catalog.js';
import { layoutFields } from '../../core/formats/layouts.js';
import type { Site } from './site.js';
import { T } from '../tables.js';

/**
 * The users of a group (or the whole site) as rows in the export layout, a page at a time. Site
 * admins and the guest are left out: an import would never change them anyway.
 */
export async function* exportRows(pool: Pool, site: Site, groupId: number | null): AsyncGenerator<string[]> {
  const columns = layoutFields('export').map((f) => fieldDefinition(f).column!);
  const excluded = [...site.adminIds, site.guestId ?? 0];
  const list = columns.map((c) => `u.\`${c}\``).join(', ');
  let after = 0;
  for (;;) {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT u.id, ${list} FROM ${T.user} u WHERE u.deleted = 0 AND u.mnethostid = ? AND u.id NOT IN (?) AND u.id > ?
       ${groupId === null ? '' : `AND u.id IN (SELECT userid FROM ${T.cohortMembers} WHERE cohortid = ?)`}
       ORDER BY u.id LIMIT 1000`,
      groupId === null ? [site.mnetHostId, excluded, after] : [site.mnetHostId, excluded, after, groupId],
    );
    if (rows.length === 0) return;
    for (const row of rows) yield columns.map((c) => String(row[c] ?? ''));
    after = Number(rows[rows.length - 1]!.id);
  }
}
