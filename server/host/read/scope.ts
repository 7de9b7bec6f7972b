import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_COURSECAT } from '../../../db/host/index.js';
import type { Scope } from '../../core/scope.js';
import { T } from '../tables.js';

/** A coordinator's scope: the categories where they hold the coordinator role, and all beneath them; null if none. */
export async function loadCoordinatorScope(pool: Pool, userId: number, roleShortname: string): Promise<Scope | null> {
  const [roots] = await pool.query<RowDataPacket[]>(
    `SELECT c.id, c.path FROM ${T.roleAssignments} ra
       JOIN ${T.role} r ON r.id = ra.roleid AND r.shortname = ?
       JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = ?
       JOIN ${T.courseCategories} c ON c.id = x.instanceid
     WHERE ra.userid = ?`,
    [roleShortname, CONTEXT_COURSECAT, userId],
  );
  if (roots.length === 0) return null;
  const conditions = roots.map(() => '(c.id = ? OR c.path LIKE ?)').join(' OR ');
  const [below] = await pool.query<RowDataPacket[]>(
    `SELECT c.id, x.id AS contextId FROM ${T.courseCategories} c JOIN ${T.context} x ON x.contextlevel = ? AND x.instanceid = c.id WHERE ${conditions}`,
    [CONTEXT_COURSECAT, ...roots.flatMap((r) => [r.id, `${r.path}/%`])],
  );
  // As Moodle's get_assignable_roles(): what the roles they hold in their categories or at site level allow.
  const [assignable] = await pool.query<RowDataPacket[]>(
    `SELECT DISTINCT raa.allowassign FROM ${T.roleAssignments} ra JOIN ${T.roleAllowAssign} raa ON raa.roleid = ra.roleid
      WHERE ra.userid = ? AND ra.contextid IN (?)`,
    [userId, [1, ...below.map((b) => Number(b.contextId))]],
  );
  return {
    kind: 'categories',
    roots: roots.map((r) => Number(r.id)),
    categoryIds: new Set(below.map((b) => Number(b.id))),
    contextIds: new Set(below.map((b) => Number(b.contextId))),
    assignableRoleIds: new Set(assignable.map((a) => Number(a.allowassign))),
  };
}
