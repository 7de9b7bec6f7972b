import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Settings } from '../contract.js';
import { IntakeError } from '../errors.js';
import type { Site } from './site.js';
import { T } from './tables.js';

/** The import's target group: an existing cohort, or one to be created at commit. */
export interface GroupTarget {
  id: number | null;
  name: string;
  /** True when the cohort does not exist yet and the commit creates it. */
  toCreate: boolean;
}

/**
 * Resolves `settings.group`: `existing` by ID number first, then by name; `create` reuses a cohort of
 * that name in the system context, so running the same import twice does not make two groups.
 */
export async function resolveGroup(pool: Pool, group: Settings['group']): Promise<GroupTarget | null> {
  if (!group) return null;
  if ('existing' in group) {
    const [found] = await pool.query<RowDataPacket[]>(
      `SELECT id, name FROM ${T.cohort} WHERE idnumber = ? OR name = ? ORDER BY idnumber = ? DESC, id LIMIT 1`,
      [group.existing, group.existing, group.existing],
    );
    const cohort = found[0];
    if (!cohort) throw new IntakeError('group_not_found', `There is no group with ID number or name "${group.existing}".`, { group: group.existing });
    return { id: Number(cohort.id), name: String(cohort.name), toCreate: false };
  }
  const [found] = await pool.query<RowDataPacket[]>(`SELECT id FROM ${T.cohort} WHERE name = ? ORDER BY id LIMIT 1`, [group.create]);
  const id = found[0] ? Number(found[0].id) : null;
  return { id, name: group.create, toCreate: id === null };
}

/** Creates the cohort in the system context, setting every column the host leaves without a default. */
export async function createGroup(conn: PoolConnection, site: Site, name: string, now: number): Promise<number> {
  const [result] = await conn.query<ResultSetHeader>(
    `INSERT INTO ${T.cohort} (contextid, name, idnumber, description, descriptionformat, visible, component, timecreated, timemodified)
     VALUES (?, ?, NULL, '', 1, 1, '', ?, ?)`,
    [site.systemContext.id, name, now, now],
  );
  return result.insertId;
}
