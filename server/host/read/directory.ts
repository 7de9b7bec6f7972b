import { and, asc, eq, inArray, like, ne, or, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { CONTEXT_COURSECAT, cohort, courseCategories, roleContextLevels, user } from '../../../db/host/index.js';
import type { GroupOption, NodeOption, PersonOption, RoleOption } from '../../contract/types.js';
import { mayAssign, type Scope } from '../../core/scope.js';
import { containing, drizzleOf, startingWith } from '../database.js';
import { loadRoles } from './roles.js';
import { inSightSql } from './scope.js';
import { T } from '../tables.js';

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

/**
 * Groups (cohorts) whose name or ID number contains `q`, at most 200: for a coordinator, of those in
 * their categories (asked of the database, so that a site's thousands of other groups never crowd
 * theirs out of the 200).
 */
export async function groupOptions(pool: Pool, scope: Scope, q: string): Promise<GroupOption[]> {
  const rows = await drizzleOf(pool)
    .select({ id: cohort.id, name: cohort.name, idnumber: cohort.idnumber })
    .from(cohort)
    .where(and(or(like(cohort.name, containing(q)), like(cohort.idnumber, containing(q))), scope.kind === 'site' ? undefined : inArray(cohort.contextid, [...scope.contextIds, noContext])))
    .orderBy(asc(cohort.name))
    .limit(200);
  return rows;
}

/** No context has id 0: an IN list that is never empty. */
const noContext = 0;

/**
 * Active people whose username or e-mail starts with `q`, or whose name contains it, at most 50:
 * supervisor candidates. For a coordinator, only people in their sight (a member of a group, or holding
 * a role, in their categories), asked of the database as the groups are.
 */
export async function personOptions(pool: Pool, scope: Scope, q: string): Promise<PersonOption[]> {
  const rows = await drizzleOf(pool)
    .select({ id: user.id, username: user.username, firstname: user.firstname, lastname: user.lastname, email: user.email })
    .from(user)
    .where(
      and(
        eq(user.deleted, 0),
        eq(user.suspended, 0),
        ne(user.username, 'guest'),
        or(like(user.username, startingWith(q)), like(user.email, startingWith(q)), like(sql`CONCAT(${user.firstname}, ' ', ${user.lastname})`, containing(q))),
        scope.kind === 'site' ? undefined : sql.raw(inSightSql(`${T.user}.id`, scope.contextIds)),
      ),
    )
    .orderBy(asc(user.lastname), asc(user.firstname))
    .limit(50);
  return rows.map((r) => ({ id: r.id, username: r.username, name: `${r.firstname} ${r.lastname}`, email: r.email }));
}

/** Roles that can be given in a category and that the user may hand out: those a row or an import can carry. */
export async function roleOptions(pool: Pool, scope: Scope): Promise<RoleOption[]> {
  const roles = await loadRoles(pool);
  const levels = await drizzleOf(pool).select({ roleId: roleContextLevels.roleid }).from(roleContextLevels).where(eq(roleContextLevels.contextlevel, CONTEXT_COURSECAT));
  const assignable = new Set(levels.map((l) => l.roleId));
  return roles.roles.filter((r) => assignable.has(r.id) && mayAssign(r.id, scope)).map((r) => ({ shortname: r.shortname, name: r.name }));
}
