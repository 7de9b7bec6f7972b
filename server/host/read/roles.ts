import type { Pool, RowDataPacket } from 'mysql2/promise';
import { RoleDirectory } from '../../core/plan/roles.js';
import { T } from '../tables.js';

/** The site's roles, in the host's order. */
export async function loadRoles(pool: Pool): Promise<RoleDirectory> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, shortname, name, archetype FROM ${T.role} ORDER BY sortorder`);
  return new RoleDirectory(rows.map((r) => ({ id: Number(r.id), shortname: String(r.shortname), name: String(r.name), archetype: String(r.archetype) })));
}
