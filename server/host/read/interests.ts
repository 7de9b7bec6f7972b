import type { Pool, RowDataPacket } from 'mysql2/promise';
import { T } from '../tables.js';

/**
 * The accounts' interests as Moodle lists them (core_tag_tag::get_item_tags_array('core', 'user', $id)):
 * their tags' names as people wrote them, in their order, joined as a file writes them ("chess, music").
 * Accounts without any are left out.
 */
export async function loadInterests(pool: Pool, userIds: number[]): Promise<Map<number, string>> {
  const interests = new Map<number, string>();
  if (userIds.length === 0) return interests;
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT ti.itemid, t.rawname FROM ${T.tagInstance} ti JOIN ${T.tag} t ON t.id = ti.tagid
      WHERE ti.component = 'core' AND ti.itemtype = 'user' AND ti.itemid IN (?) ORDER BY ti.itemid, ti.ordering, ti.id`,
    [userIds],
  );
  for (const row of rows) {
    const userId = Number(row.itemid);
    const before = interests.get(userId);
    interests.set(userId, before === undefined ? String(row.rawname) : `${before}, ${String(row.rawname)}`);
  }
  return interests;
}
