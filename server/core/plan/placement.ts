import type { Scope } from '../../host/read/scope.js';
import type { Problem } from '../../contract/types.js';
import type { Group, Node } from '../../host/read/structure.js';
import { classProblem, type Role, type RoleDirectory } from '../../host/read/roles.js';
import type { Candidate } from '../validate/validate.js';

/** A group a row joins: an existing one by id, or one (to be) made with this name in a node. */
export interface GroupRef {
  id: number | null;
  path: string[];
  name: string;
}

/** Where a row's account lands beyond its own record. */
export interface Placement {
  /** Node path under the import's top node (empty: the top itself, or the site without one). */
  node: string[];
  groups: GroupRef[];
  role: Pick<Role, 'id' | 'shortname'> | null;
  /** Supervisors linked to this account directly (a supervisor column). */
  supervisorIds: number[];
  /** Unix seconds; `until` is the end of its day. */
  validity: { from: number | null; until: number | null } | null;
}

/** What the structure looks like, read-only: enough to tell existing nodes and groups from new ones. */
export interface StructureView {
  node(path: readonly string[]): Node | null | undefined;
  groupIn(path: readonly string[], name: string): Group | undefined;
  groupsNamed(reference: string): Group[];
}

export interface PlacementContext {
  structure: StructureView;
  scope: Scope;
  /** The group every row of the import joins (settings.group), if any. */
  importGroup: GroupRef | null;
  importRole: Role | null;
  roles: RoleDirectory;
  /** Validity from the settings, for rows without their own dates. */
  validity: { from: string | null; until: string | null };
  /** A class rule only applies when the file has classes. */
  classMapped: boolean;
}

const startOfDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const endOfDay = (iso: string) => startOfDay(iso) + 86_399;

/**
 * Where one row lands: its node (municipality above school), its groups (the import's, its class in
 * its school's node, any named in a group column), its role, its direct supervisors and validity.
 * Pure: `supervisors` are the supervisor references of the batch, already looked up.
 */
export function planPlacement(candidate: Candidate, ctx: PlacementContext, supervisors: ReadonlyMap<string, number>): { placement: Placement; problems: Problem[] } {
  const values = candidate.values;
  const problems: Problem[] = [];
  // One path column ("Gemeente/School") or a municipality and a school column: municipality above school.
  const path = values.nodePath !== undefined ? values.nodePath.split('/') : [values.municipality, values.school];
  const node = path.map((v) => v?.trim()).filter((v): v is string => v !== undefined && v !== '');
  const groups: GroupRef[] = ctx.importGroup ? [ctx.importGroup] : [];
  if (values.class) groups.push({ id: ctx.structure.groupIn(node, values.class)?.id ?? null, path: node, name: values.class });
  for (const reference of (values.group ?? '').split(';').filter(Boolean)) {
    const named = ctx.structure.groupsNamed(reference);
    const visible = named.filter((g) => ctx.scope.kind === 'site' || ctx.scope.contextIds.has(g.contextId));
    if (visible[0]) groups.push({ id: visible[0].id, path: node, name: visible[0].name });
    else if (named.length > 0) problems.push({ code: 'out_of_scope', field: 'group', params: { group: reference } });
    else groups.push({ id: ctx.structure.groupIn(node, reference)?.id ?? null, path: node, name: reference });
  }

  let role: Role | null = ctx.importRole;
  if (values.role !== undefined) {
    role = ctx.roles.resolve(values.role) ?? null;
    if (!role) problems.push({ code: 'unknown_role', field: 'role', params: { role: values.role } });
  }
  const classIssue = ctx.classMapped ? classProblem(role, values.class) : null;
  if (classIssue) problems.push({ code: classIssue, field: 'class', params: { class: values.class ?? '' } });

  const supervisorIds: number[] = [];
  if (values.supervisor !== undefined) {
    const id = supervisors.get(values.supervisor.trim().toLowerCase());
    if (id === undefined) problems.push({ code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: values.supervisor } });
    else supervisorIds.push(id);
  }

  const from = values.validFrom ?? ctx.validity.from;
  const until = values.validUntil ?? ctx.validity.until;
  if (from && until && until < from) problems.push({ code: 'invalid_period', field: 'validUntil', params: { from, until } });
  const validity = from || until ? { from: from ? startOfDay(from) : null, until: until ? endOfDay(until) : null } : null;

  return { placement: { node, groups: dedupe(groups), role: role && { id: role.id, shortname: role.shortname }, supervisorIds, validity }, problems };
}

function dedupe(groups: GroupRef[]): GroupRef[] {
  const seen = new Set<string>();
  return groups.filter((g) => {
    const key = g.id !== null ? `#${g.id}` : `${g.path.join('/')}#${g.name.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
