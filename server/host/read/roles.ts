import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_COURSE, CONTEXT_COURSECAT, CONTEXT_SYSTEM, CONTEXT_USER } from '../../../db/host/index.js';
import { RoleDirectory, type RoleLevel } from '../../core/plan/roles.js';
import { T } from '../tables.js';

const levels: Record<number, RoleLevel> = { [CONTEXT_SYSTEM]: 'system', [CONTEXT_COURSECAT]: 'category', [CONTEXT_USER]: 'user', [CONTEXT_COURSE]: 'course' };

/** The site's roles, in the host's order, with the context levels each may be assigned at (role_context_levels). */
export async function loadRoles(pool: Pool): Promise<RoleDirectory> {
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, shortname, name, archetype FROM ${T.role} ORDER BY sortorder`);
  const [allowed] = await pool.query<RowDataPacket[]>(`SELECT roleid, contextlevel FROM ${T.roleContextLevels}`);
  const allowedAt = new Map<number, Set<RoleLevel>>();
  for (const a of allowed) {
    const level = levels[Number(a.contextlevel)];
    if (!level) continue;
    const set = allowedAt.get(Number(a.roleid)) ?? new Set<RoleLevel>();
    set.add(level);
    allowedAt.set(Number(a.roleid), set);
  }
  return new RoleDirectory(
    rows.map((r) => ({ id: Number(r.id), shortname: String(r.shortname), name: String(r.name), archetype: String(r.archetype), allowedAt: allowedAt.get(Number(r.id)) ?? new Set() })),
  );
}
