import { and, asc, eq, like, ne, or, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { CONTEXT_COURSECAT, cohort, courseCategories, roleContextLevels, user } from '../../../db/host/index.js';
import type { GroupOption, NodeOption, PersonOption, RoleOption } from '../../contract/types.js';
import { contextInScope, mayAssign, type Scope } from '../../core/scope.js';
import { drizzleOf } from '../database.js';
import { loadRoles } from './roles.js';
import { usersInScope } from './snapshot.js';

/**
 * What the wizard offers to choose from, limited to what the user may use: a coordinator sees only
 * their own categories and the groups and people in them.
 */

/** Nodes (categories), each labelled with its path of names from the top. */
export async function nodeOptions(pool: Pool, scope: Scope): Promise<NodeOption[]> {
  const rows = await drizzleOf(pool)
    .select({ id: courseCategories.id, name: courseCategories.name, idnumber: courseCategories.idnumber, path: courseCategories.path })
    .from(courseCategories)
    .orderBy(asc(courseCategories.path));
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return rows
    .filter((r) => scope.kind === 'site' || scope.categoryIds.has(r.id))
    .map((r) => ({ id: r.id, name: r.name, idnumber: r.idnumber, label: r.path.split('/').filter(Boolean).map((id) => names.get(Number(id))).join(' / ') }));
}

/** Groups (cohorts) whose name or ID number contains `q`; at most 200 are looked at. */
export async function groupOptions(pool: Pool, scope: Scope, q: string): Promise<GroupOption[]> {
  const rows = await drizzleOf(pool)
    .select({ id: cohort.id, name: cohort.name, idnumber: cohort.idnumber, contextId: cohort.contextid })
    .from(cohort)
    .where(or(like(cohort.name, `%${q}%`), like(cohort.idnumber, `%${q}%`)))
    .orderBy(asc(cohort.name))
    .limit(200);
  return rows.filter((g) => contextInScope(g.contextId, scope)).map(({ id, name, idnumber }) => ({ id, name, idnumber }));
}

/** Active people whose username or e-mail starts with `q`, or whose name contains it: supervisor candidates. */
export async function personOptions(pool: Pool, scope: Scope, q: string): Promise<PersonOption[]> {
  const rows = await drizzleOf(pool)
    .select({ id: user.id, username: user.username, firstname: user.firstname, lastname: user.lastname, email: user.email })
    .from(user)
    .where(
      and(
        eq(user.deleted, 0),
        eq(user.suspended, 0),
        ne(user.username, 'guest'),
        or(like(user.username, `${q}%`), like(user.email, `${q}%`), like(sql`CONCAT(${user.firstname}, ' ', ${user.lastname})`, `%${q}%`)),
      ),
    )
    .orderBy(asc(user.lastname), asc(user.firstname))
    .limit(50);
  const visible = scope.kind === 'site' ? null : await usersInScope(pool, rows.map((r) => r.id), scope.contextIds);
  return rows.filter((r) => !visible || visible.has(r.id)).map((r) => ({ id: r.id, username: r.username, name: `${r.firstname} ${r.lastname}`, email: r.email }));
}

/** Roles that can be given in a category and that the user may hand out: those a row or an import can carry. */
export async function roleOptions(pool: Pool, scope: Scope): Promise<RoleOption[]> {
  const roles = await loadRoles(pool);
  const levels = await drizzleOf(pool).select({ roleId: roleContextLevels.roleid }).from(roleContextLevels).where(eq(roleContextLevels.contextlevel, CONTEXT_COURSECAT));
  const assignable = new Set(levels.map((l) => l.roleId));
  return roles.roles.filter((r) => assignable.has(r.id) && mayAssign(r.id, scope)).map((r) => ({ shortname: r.shortname, name: r.name }));
}
