import type { Problem } from '../../contract/types.js';
import { contextInScope, mayAssign, type Scope } from '../scope.js';
import type { Candidate, Place } from '../validate/validate.js';
import type { Settings } from '../../contract/types.js';
import { lastSecondOf, midnightIn } from '../validate/values.js';
import type { Course, CourseIndex } from './courses.js';
import type { SupervisorNames } from './made-supervisors.js';
import { namesInEntry } from '../full-name.js';
import { classProblem, roleGroupName, type Role, type RoleDirectory } from './roles.js';
import { groupTargetKey, type GroupPlacement, type GroupWish, type Node, type PlannedStructure, type StructureIndex } from './structure.js';

/** Where a row's account should land beyond its own record, before any node or group is planned. */
export interface Placement {
  /** Node path under the import's top node (empty: the top itself, or the site without one). */
  node: string[];
  groups: GroupWish[];
  /** Further nodes the person is at (a teacher at a second school: RepeatedRows). */
  alsoAt: string[][];
  /**
   * The groups the file's places fill (also among `groups`): the group of each class the row names, and
   * each place's role group ("Het Baken · Students"), where its role joins one. They follow the file.
   */
  fileGroups: FileGroupWish[];
  role: Pick<Role, 'id' | 'shortname'> | null;
  /** Supervisors linked to this account directly (a supervisor column). */
  supervisorIds: number[];
  /** Those supervisors as the row names them, for the preview. */
  supervisorNames: readonly string[];
  /**
   * Supervisors that are accounts this file makes (a teacher's row among her pupils'), as the row names
   * them: linked once every batch is written (MadeSupervisors).
   */
  supervisorsInFile: readonly string[];
  /** Unix seconds; `until` is the end of its day. */
  validity: { from: number | null; until: number | null } | null;
  /** Roles in existing categories the row names by ID number (categoryN + categoryroleN). */
  categoryRoles: CategoryRolePlacement[];
  /** Courses the row enrols in (courseN with roleN, groupN…). */
  courses: CoursePlacement[];
  /** Roles in the system context (Moodle's sysroleN). */
  systemRoles: Pick<Role, 'id' | 'shortname'>[];
}

/** What a group the file fills from its places stands for: a class, or a school's role (its role group). */
export type FileGroupKind = 'class' | 'role';

/** A group a place in the file fills: a class, or a school's role group. */
export interface FileGroupWish {
  kind: FileGroupKind;
  path: string[];
  name: string;
}

/** An enrolment in an existing course, as the course's manual enrolment method makes it. */
export interface CoursePlacement {
  course: Pick<Course, 'id' | 'shortname' | 'contextId'>;
  /** The course's manual enrolment method. */
  instanceId: number;
  roleId: number;
  roleShortname: string;
  /** A group of the course to join (made when it has none of that name). */
  group: string | null;
  /** Unix seconds; `timeend` 0: no end. */
  timestart: number;
  timeend: number;
  /** The row gave a start or a period: an enrolment the account has already takes these dates. */
  datesGiven: boolean;
  /** ENROL_USER_ACTIVE (0) or ENROL_USER_SUSPENDED (1); null: the row says nothing (new enrolments are active). */
  status: 0 | 1 | null;
}

/** A role given in an existing category. */
export interface CategoryRolePlacement {
  roleId: number;
  shortname: string;
  node: Node;
}

export interface PlacementContext {
  structure: StructureIndex;
  scope: Scope;
  /** The groups every row of the import joins (settings.group). */
  importGroups: GroupWish[];
  importRole: Role | null;
  roles: RoleDirectory;
  /** What a word for "teacher" means in this import. */
  teacherRole: Settings['teacherRole'];
  /** Validity from the settings, for rows without their own dates. */
  validity: { from: string | null; until: string | null };
  /** A class rule only applies when the file has classes. */
  classMapped: boolean;
  /** The site's language: the groups that stand for course roles are named in it. */
  siteLang: string;
  /** The courses rows may enrol in (none unless the file has course columns). */
  courses: CourseIndex;
  /** Where enrolments start without a start date: midnight today, and the zone its dates are midnight in (the site's). */
  today: number;
  timeZone: string;
  /**
   * References (lower case) a supervisor column names that no account on the site answers to and a row
   * of this file makes (its username, e-mail, ID number or full name): learnt from the whole file before
   * the batches.
   */
  supervisorsMadeHere: SupervisorNames;
}

// Frozen: shared by every row without a node, so a change to one would throw rather than move them all.
const noNode = Object.freeze([]) as unknown as string[];

/** The row's node path, municipality above school; most rows name neither (and share one empty path). */
function nodeOf(values: Candidate['values']): string[] {
  if (values.nodePath === undefined && values.municipality === undefined && values.school === undefined) return noNode;
  const path = values.nodePath !== undefined ? values.nodePath.split('/') : [values.municipality, values.school];
  return path.map((v) => v?.trim()).filter((v): v is string => v !== undefined && v !== '');
}

/**
 * Where one row should land: its node (municipality above school), its groups (the import's, its class
 * in its school's node, any named in a group column), its role, its direct supervisors and validity.
 * `supervisors` are the supervisor references of the batch, already looked up (those outside a
 * coordinator's scope apart). Nothing is planned yet:
 * a row that ends in an error must not create a node or a group.
 */
export function planPlacement(
  candidate: Candidate,
  ctx: PlacementContext,
  supervisors: ReadonlyMap<string, number>,
  outOfScopeSupervisors: ReadonlySet<string>,
): { placement: Placement; problems: Problem[] } {
  const values = candidate.values;
  const problems: Problem[] = [];
  // One path column ("Gemeente/School") or a municipality and a school column: municipality above school.
  const node = nodeOf(values);
  const alsoAt = candidate.alsoAt?.map(nodeOf).filter((other) => !samePath(other, node)) ?? noPlaces;
  const groups: GroupWish[] = [...ctx.importGroups];
  let fileGroups = noFileGroups;
  if (values.class) fileGroups = fill(fileGroups, groups, { kind: 'class', path: node, name: values.class });
  for (const place of candidate.alsoAt ?? noPlaceValues) if (place.class) fileGroups = fill(fileGroups, groups, { kind: 'class', path: nodeOf(place), name: place.class });
  for (const reference of listItems(values.group)) {
    // The row's own node first (a group this file made there before), then anywhere on the site.
    const own = ctx.structure.groupIn(node, reference);
    const named = own ? [own] : ctx.structure.groupsNamed(reference);
    const visible = named.filter((g) => contextInScope(g.contextId, ctx.scope));
    if (visible[0]) groups.push({ existing: { id: visible[0].id, name: visible[0].name } });
    else if (named.length > 0) problems.push({ code: 'out_of_scope', field: 'group', params: { group: reference } });
    else groups.push({ path: node, name: reference });
  }

  let role: Role | null = ctx.importRole;
  if (values.role !== undefined) {
    role = ctx.roles.resolve(values.role, ctx.teacherRole) ?? null;
    if (!role) problems.push({ code: 'unknown_role', field: 'role', params: { role: values.role } });
  }
  if (values.role !== undefined && role && !mayAssign(role.id, ctx.scope)) problems.push({ code: 'role_not_allowed', field: 'role', params: { role: values.role } });
  const classIssue = ctx.classMapped ? classProblem(role, values.class) : null;
  if (classIssue) problems.push({ code: classIssue, field: 'class', params: { class: values.class ?? '' } });

  const supervisorIds: number[] = [];
  let supervisorNames: string[] | undefined;
  let supervisorsInFile: string[] | undefined;
  // A pupil may have several (a mentor and a remedial teacher: "mbakker; jdevries"), each named and checked alone.
  if (values.supervisor !== undefined) {
    const answered = (reference: string) => supervisors.has(reference) || outOfScopeSupervisors.has(reference) || ctx.supervisorsMadeHere.has(reference);
    for (const named of listItems(values.supervisor).flatMap((entry) => peopleOfEntry(entry, answered))) {
      const reference = named.toLowerCase();
      const id = supervisors.get(reference);
      // One scope check for every person a row names: a coordinator links only people in their sight.
      if (outOfScopeSupervisors.has(reference)) problems.push({ code: 'out_of_scope', field: 'supervisor', params: { group: named } });
      else if (id === undefined && ctx.supervisorsMadeHere.has(reference)) {
        if (!supervisorsInFile?.includes(named)) (supervisorsInFile ??= []).push(named);
      } else if (id === undefined) problems.push({ code: 'unknown_supervisor', field: 'supervisor', params: { supervisor: named } });
      else if (!supervisorIds.includes(id)) {
        supervisorIds.push(id);
        (supervisorNames ??= []).push(named);
      }
    }
  }

  const categoryRoles = placeCategoryRoles(candidate.categoryRoles, ctx, problems);
  const systemRoles = placeSystemRoles(values.systemRole, ctx, problems);
  const courses = placeCourses(candidate.courses, ctx, problems);

  const from = values.validFrom ?? ctx.validity.from;
  const until = values.validUntil ?? ctx.validity.until;
  if (from && until && until < from) problems.push({ code: 'invalid_period', field: 'validUntil', params: { from, until } });
  // A validity's days are the site's, as Moodle's make_timestamp() makes them: a period that ends on 31 July
  // ends at the midnight after it where the school is, not in Greenwich (a site in New York let its candidates go at 19:59).
  const validity = from || until ? { from: from ? midnightIn(from, ctx.timeZone) : null, until: until ? lastSecondOf(until, ctx.timeZone) : null } : null;

  // A role the host does not allow where the row lands is never forced there (Moodle allows students and
  // teachers only in courses, role_context_levels): the row joins its place's role group instead.
  const level = node.length > 0 || ctx.structure.top ? 'category' : 'system';
  const assigned = role && !role.allowedAt.has(level) ? null : role;
  if (role && !assigned) {
    fileGroups = fill(fileGroups, groups, roleGroupAt(node, role, ctx));
    for (const place of alsoAt) fileGroups = fill(fileGroups, groups, roleGroupAt(place, role, ctx));
  }

  const placement = { node, alsoAt, groups, fileGroups, role: assigned && { id: assigned.id, shortname: assigned.shortname }, supervisorIds, supervisorNames: supervisorNames ?? noItems, supervisorsInFile: supervisorsInFile ?? noItems, validity, categoryRoles, courses, systemRoles };
  return { placement, problems };
}

/** The role group of a place ("Het Baken · Students"; at the top node, or the site, without one). */
const roleGroupAt = (place: string[], role: Role, ctx: PlacementContext): FileGroupWish => ({
  kind: 'role',
  path: place,
  name: roleGroupName(place.length > 0 ? place : [ctx.structure.top?.name ?? ''], role, ctx.siteLang),
});

/**
 * Adds a group a place fills, once, to the row's file groups and to its groups (the wish is both: no
 * second object per row). Returns the list, made only for a row that fills one.
 */
function fill(fileGroups: FileGroupWish[], groups: GroupWish[], wish: FileGroupWish): FileGroupWish[] {
  if (fileGroups.some((g) => g.kind === wish.kind && g.name === wish.name && samePath(g.path, wish.path))) return fileGroups;
  const list = fileGroups === noFileGroups ? [] : fileGroups;
  list.push(wish);
  groups.push(wish);
  return list;
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, i) => name === b[i]);

/** Shared by every row at one place. */
const noPlaces: string[][] = [];
const noPlaceValues: Place[] = [];
const noFileGroups: FileGroupWish[] = [];

/** Whether a role's people may be at several places at once (a teacher at two schools, in several classes): all but pupils. */
export const mayRoam = (role: Pick<Role, 'archetype'> | null): boolean => role !== null && role.archetype !== 'student';

/**
 * Whether a row's person may be at several places, by the role it names or the import's: each role
 * value resolved once (a file writes a handful of them, a million times).
 */
export function roaming(ctx: Pick<PlacementContext, 'roles' | 'importRole' | 'teacherRole'>): (candidate: Candidate) => boolean {
  const byValue = new Map<string | undefined, boolean>();
  return ({ values: { role } }) => {
    let roams = byValue.get(role);
    if (roams === undefined) byValue.set(role, (roams = mayRoam(role === undefined ? ctx.importRole : (ctx.roles.resolve(role, ctx.teacherRole) ?? null))));
    return roams;
  };
}

/** Shared by every row without system roles. */
const noSystemRoles: Pick<Role, 'id' | 'shortname'>[] = [];

/**
 * The roles a row asks for in the system context, as Moodle's upload checks them before role_assign()
 * (uu_allowed_sysroles_cache(): roles the site allows at system level): the role exists (by short name
 * or id) and may be given there. The system context is no coordinator's: only a site administrator gives them.
 */
function placeSystemRoles(cell: string | undefined, ctx: PlacementContext, problems: Problem[]): Pick<Role, 'id' | 'shortname'>[] {
  if (cell === undefined) return noSystemRoles;
  const placed: Pick<Role, 'id' | 'shortname'>[] = [];
  for (const name of listItems(cell)) {
    const role = ctx.roles.byShortOrId(name);
    if (!role) problems.push({ code: 'unknown_role', field: 'systemRole', params: { role: name } });
    else if (!role.allowedAt.has('system')) problems.push({ code: 'role_not_at_system', field: 'systemRole', params: { role: name } });
    else if (ctx.scope.kind !== 'site') problems.push({ code: 'role_not_allowed', field: 'systemRole', params: { role: name } });
    else if (!placed.some((p) => p.id === role.id)) placed.push({ id: role.id, shortname: role.shortname });
  }
  return placed;
}

/** Shared by every row without roles in categories. */
const noCategoryRoles: CategoryRolePlacement[] = [];

/**
 * The roles a row asks for in categories, each checked as Moodle's upload checks it before role_assign():
 * the category exists (by ID number), the role exists (by short name or id) and may be given in a
 * category (role_context_levels, as get_assignable_roles() lists it); and, for a coordinator, the
 * category is theirs and the role one they may hand out.
 */
function placeCategoryRoles(wishes: Candidate['categoryRoles'], ctx: PlacementContext, problems: Problem[]): CategoryRolePlacement[] {
  if (!wishes) return noCategoryRoles;
  const placed: CategoryRolePlacement[] = [];
  for (const wish of wishes) {
    const node = ctx.structure.categoryNumbered(wish.category);
    const role = ctx.roles.byShortOrId(wish.role);
    if (!node) problems.push({ code: 'unknown_category', field: 'roleCategory', params: { category: wish.category } });
    else if (!role) problems.push({ code: 'unknown_role', field: 'categoryRole', params: { role: wish.role } });
    else if (!role.allowedAt.has('category')) problems.push({ code: 'role_not_at_category', field: 'categoryRole', params: { role: wish.role } });
    else if (!contextInScope(node.contextId, ctx.scope)) problems.push({ code: 'out_of_scope', field: 'roleCategory', params: { group: wish.category } });
    else if (!mayAssign(role.id, ctx.scope)) problems.push({ code: 'role_not_allowed', field: 'categoryRole', params: { role: wish.role } });
    else if (!placed.some((p) => p.roleId === role.id && p.node.id === node.id)) placed.push({ roleId: role.id, shortname: role.shortname, node });
  }
  return placed;
}

/** Shared by every row without courses. */
const noCoursePlacements: CoursePlacement[] = [];

/**
 * The courses a row enrols in, each checked as Moodle's upload checks it before enrol_user(): the course
 * exists (by short name) and has a manual enrolment method; the role (the method's default when the row
 * names none) exists and may be given in a course (role_context_levels); for a coordinator, the course
 * lies in their categories and the role is one they may hand out. It starts at the row's date or today,
 * and lasts the row's days or the method's own period (tool_uploaduser\process::process_line()).
 */
function placeCourses(wishes: Candidate['courses'], ctx: PlacementContext, problems: Problem[]): CoursePlacement[] {
  if (!wishes) return noCoursePlacements;
  const placed: CoursePlacement[] = [];
  for (const wish of wishes) {
    const course = ctx.courses.course(wish.course);
    if (!course) {
      problems.push({ code: 'unknown_course', field: 'course', params: { course: wish.course } });
      continue;
    }
    if (!course.manual) {
      problems.push({ code: 'course_not_manual', field: 'course', params: { course: course.shortname } });
      continue;
    }
    if (ctx.scope.kind === 'categories' && !ctx.scope.categoryIds.has(course.categoryId)) {
      problems.push({ code: 'out_of_scope', field: 'course', params: { group: course.shortname } });
      continue;
    }
    const named = wish.role ?? (wish.type !== undefined ? `type ${wish.type}` : String(course.manual.roleId));
    const role =
      wish.role !== undefined ? courseRole(wish.role, ctx) : wish.type !== undefined ? legacyTypeRole(wish.type, ctx) : ctx.roles.byId(course.manual.roleId);
    if (!role) problems.push({ code: 'unknown_role', field: 'courseRole', params: { role: named } });
    else if (!role.allowedAt.has('course')) problems.push({ code: 'role_not_at_course', field: 'courseRole', params: { role: role.shortname } });
    else if (!mayAssign(role.id, ctx.scope)) problems.push({ code: 'role_not_allowed', field: 'courseRole', params: { role: role.shortname } });
    else {
      const timestart = wish.start ? midnightIn(wish.start, ctx.timeZone) : ctx.today;
      const period = wish.days ? wish.days * 86_400 : course.manual.periodSeconds;
      placed.push({
        course: { id: course.id, shortname: course.shortname, contextId: course.contextId },
        instanceId: course.manual.id,
        roleId: role.id,
        roleShortname: role.shortname,
        group: wish.group ?? null,
        timestart,
        timeend: period > 0 ? timestart + period : 0,
        datesGiven: wish.start !== undefined || wish.days !== undefined,
        status: wish.suspended === undefined ? null : wish.suspended ? 1 : 0,
      });
    }
  }
  return placed;
}

/**
 * The role a course role column names. Moodle's upload reads a short name or an id there
 * (uu_allowed_roles_cache()): "teacher" is the non-editing teacher, as in Moodle. Other words for
 * student and teacher ("leerling", "Docent") mean their archetype, as in a role column.
 */
function courseRole(value: string, ctx: PlacementContext): Role | undefined {
  return ctx.roles.byShortOrId(value) ?? ctx.roles.resolve(value, ctx.teacherRole);
}

/** The archetype each of Moodle's older typeN values stands for, as its upload form offers them by default (uulegacy1–3). */
const legacyTypes: Record<string, string> = { '1': 'student', '2': 'editingteacher', '3': 'teacher' };

function legacyTypeRole(type: string, ctx: PlacementContext): Role | undefined {
  const archetype = legacyTypes[type.trim()];
  return archetype === undefined ? undefined : ctx.roles.ofArchetype(archetype);
}

/** The groups a placed row joins, planning the ones that do not exist yet; each once. */
export function resolveGroups(placement: Placement, structure: PlannedStructure): GroupPlacement[] {
  // A row joins a group or two: the list is checked for the same group twice, no Set or key list is
  // made for every row, and one group makes a list of one (a pushed-to list reserves seventeen slots).
  if (placement.groups.length === 1) return [structure.placementOf(placement.groups[0]!)];
  const resolved: GroupPlacement[] = [];
  for (const wish of placement.groups) {
    const found = structure.placementOf(wish);
    const key = groupTargetKey(found.target);
    if (!resolved.some((r) => groupTargetKey(r.target) === key)) resolved.push(found);
  }
  return resolved;
}

/**
 * The people one entry of a supervisor cell names. Written surname first ("Bakker, Marieke") it is one
 * person when someone answers to it as a whole, else two when either part is someone ("mbakker, jdekker",
 * a list written with a comma); naming nobody either way, it is told as written.
 */
function peopleOfEntry(entry: string, answered: (reference: string) => boolean): string[] {
  const names = namesInEntry(entry);
  if (names.length === 1 || answered(entry.toLowerCase())) return [entry];
  const parts = names.slice(1);
  return parts.some((part) => answered(part.toLowerCase())) ? parts : [entry];
}

/** Shared by every row without the cell: planning makes no array for nothing. */
const noItems: readonly string[] = [];

/** The entries of a list cell (groups, supervisors): `;`-separated once validated, however the file wrote them. */
export const listItems = (cell: string | undefined): readonly string[] => (cell === undefined ? noItems : cell.split(';').map((part) => part.trim()).filter(Boolean));

/**
 * Everyone the site is asked for to place a validated supervisor cell (peopleOfEntry chooses among
 * them): the import's pass before its batches and a batch's own lookup ask the same.
 */
export const supervisorReferences = (cell: string | undefined): string[] => listItems(cell).flatMap(namesInEntry);
