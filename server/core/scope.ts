/**
 * Where a user may import: the whole site (site admins), or the categories where they hold the
 * coordinator role, with everything beneath them. Loaded by the host adapter (host/read/scope.ts).
 */
export type Scope =
  | { kind: 'site' }
  | {
      kind: 'categories';
      /** The categories the role is held in (the tops of the coordinator's hierarchy). */
      roots: number[];
      /** Those and every category beneath them. */
      categoryIds: Set<number>;
      /** The contexts of those categories: groups in them are the coordinator's. */
      contextIds: Set<number>;
      /** The roles they may hand out there (Moodle's role_allow_assign for the roles they hold). */
      assignableRoleIds: Set<number>;
    };

export const siteScope: Scope = { kind: 'site' };

/** Whether the actor may give this role (a site admin may give any). */
export function mayAssign(roleId: number, scope: Scope): boolean {
  return scope.kind === 'site' || scope.assignableRoleIds.has(roleId);
}

/** Whether something in this context (a group, a role assignment) lies in the scope. */
export function contextInScope(contextId: number, scope: Scope): boolean {
  return scope.kind === 'site' || scope.contextIds.has(contextId);
}
