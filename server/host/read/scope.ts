import type { Pool, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_COURSECAT } from '../../../db/host/index.js';
import type { Scope } from '../../core/scope.js';
import { T } from '../tables.js';

/** The capabilities local_intake defines (plugin/moodle/db/access.php): who may import, and undo, where. */
export const capabilities = { import: 'local/intake:import', undo: 'local/intake:undo' } as const;

/**
 * Roles that grant a capability: those whose definition allows it (Moodle's role_capabilities at the
 * system context, as "Define roles" stores it), and the coordinator role by name.
 */
const grantingRole = (capability: string) => `(r.shortname = ? OR EXISTS (SELECT 1 FROM ${T.roleCapabilities} rc
  WHERE rc.roleid = r.id AND rc.contextid = ? AND rc.capability = '${capability}' AND rc.permission = 1))`;
const importingRole = grantingRole(capabilities.import);

/** Whether the user holds local/intake:undo anywhere they may import (the site, or one of their categories). */
export async function holdsUndo(pool: Pool, userId: number, roleShortname: string, systemContextId: number): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT 1 FROM ${T.roleAssignments} ra JOIN ${T.role} r ON r.id = ra.roleid AND ${grantingRole(capabilities.undo)}
       JOIN ${T.context} x ON x.id = ra.contextid AND (x.id = ? OR x.contextlevel = ?) WHERE ra.userid = ? LIMIT 1`,
    [roleShortname, systemContextId, systemContextId, CONTEXT_COURSECAT, userId],
  );
  return rows.length > 0;
}

/** Whether the user holds a role that grants importing in the system context (a manager): the whole site. */
export async function holdsSiteImport(pool: Pool, userId: number, roleShortname: string, systemContextId: number): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT 1 FROM ${T.roleAssignments} ra JOIN ${T.role} r ON r.id = ra.roleid AND ${importingRole} WHERE ra.userid = ? AND ra.contextid = ? LIMIT 1`,
    [roleShortname, systemContextId, userId, systemContextId],
  );
  return rows.length > 0;
}

/**
 * A coordinator's scope: the categories where they hold a role that grants importing, and all beneath
 * them; null if none.
 */
export async function loadCoordinatorScope(pool: Pool, userId: number, roleShortname: string, systemContextId: number): Promise<Scope | null> {
  const [roots] = await pool.query<RowDataPacket[]>(
    `SELECT DISTINCT c.id, c.path FROM ${T.roleAssignments} ra
       JOIN ${T.role} r ON r.id = ra.roleid AND ${importingRole}
       JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = ?
       JOIN ${T.courseCategories} c ON c.id = x.instanceid
     WHERE ra.userid = ?`,
    [roleShortname, systemContextId, CONTEXT_COURSECAT, userId],
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

/**
 * SQL: whether the user whose id is in `userId` (a column) is in a coordinator's sight: a member of a
 * group, or holding a role, in one of their categories' contexts. The one rule behind every list and
 * check of a coordinator's people; each EXISTS probes by the user's own index. The context ids are the
 * scope's integers, written into the text (a category-less scope: none, so nobody).
 */
export function inSightSql(userId: string, contextIds: ReadonlySet<number>): string {
  const contexts = [...contextIds].filter(Number.isSafeInteger);
  const list = contexts.length > 0 ? contexts.join(', ') : '-1';
  return `(EXISTS (SELECT 1 FROM ${T.cohortMembers} m JOIN ${T.cohort} c ON c.id = m.cohortid WHERE m.userid = ${userId} AND c.contextid IN (${list}))
    OR EXISTS (SELECT 1 FROM ${T.roleAssignments} ra WHERE ra.userid = ${userId} AND ra.contextid IN (${list})))`;
}
