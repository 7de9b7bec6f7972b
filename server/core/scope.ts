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
    };

export const siteScope: Scope = { kind: 'site' };

/** Whether something in this context (a group, a role assignment) lies in the scope. */
export function contextInScope(contextId: number, scope: Scope): boolean {
  return scope.kind === 'site' || scope.contextIds.has(contextId);
}
