import type { StructureChanges } from '../../contract/types.js';
import { courseGroupKey, type Course, type CourseGroup } from './courses.js';

/**
 * The hierarchy and groups an import works in, as the host has them (a read-only index the host
 * adapter builds), and the nodes and groups the plan adds to them. Planning asks where a path or a
 * group name leads: to something that exists, or to something this import creates.
 */

/** A hierarchy node: a course category with its context. */
export interface Node {
  id: number;
  name: string;
  idnumber: string | null;
  parent: number;
  path: string;
  depth: number;
  contextId: number;
  contextPath: string;
  contextDepth: number;
  /** 1 visible, 0 hidden: a new child inherits it. */
  visible: number;
}

/** A group: a cohort in some context. */
export interface Group {
  id: number;
  name: string;
  idnumber: string | null;
  contextId: number;
}

const key = (value: string) => value.trim().toLowerCase();
/** Node paths are written `Gemeente/School` (names under the import's top node). */
export const nodeKey = (path: readonly string[]) => path.map(key).join('/');
export const groupKey = (path: readonly string[], name: string) => `${nodeKey(path)}#${key(name)}`;

/** The parent Moodle gives a category at the top level of the site (core_course_category::create()). */
export const siteLevel = 0;

/** The existing nodes under the import's top node and the site's groups, indexed for planning. */
export class StructureIndex {
  private readonly children = new Map<number, Map<string, Node>>();
  private readonly groupsByContext = new Map<number, Map<string, Group>>();
  private readonly groupsByReference = new Map<string, Group[]>();
  private readonly categoriesByIdnumber = new Map<string, Node>();
  /** Without a top: every node of the site by name, for a file's school that is not at the top level, and by id, for its path. */
  private readonly nodesByName = new Map<string, Node[]>();
  private readonly nodesById = new Map<number, Node>();

  constructor(
    readonly top: Node | null,
    readonly systemContextId: number,
    nodes: readonly Node[],
    groups: readonly Group[],
    /** Every category of the site with an ID number (a row may name any of them for a role in it). */
    numbered: readonly Node[] = [],
  ) {
    for (const node of numbered) if (node.idnumber) this.categoriesByIdnumber.set(key(node.idnumber), node);
    for (const node of nodes) {
      if (!top) {
        const named = this.nodesByName.get(key(node.name));
        if (named) named.push(node);
        else this.nodesByName.set(key(node.name), [node]);
        this.nodesById.set(node.id, node);
      }
      const siblings = this.children.get(node.parent) ?? new Map<string, Node>();
      siblings.set(key(node.name), node);
      if (node.idnumber) siblings.set(`#${key(node.idnumber)}`, node);
      this.children.set(node.parent, siblings);
    }
    for (const group of groups) {
      const inContext = this.groupsByContext.get(group.contextId) ?? new Map<string, Group>();
      inContext.set(key(group.name), group);
      this.groupsByContext.set(group.contextId, inContext);
      for (const ref of [group.name, group.idnumber]) {
        if (ref) this.groupsByReference.set(key(ref), [...(this.groupsByReference.get(key(ref)) ?? []), group]);
      }
    }
  }

  /**
   * The node at a path under the top, if it exists; the top for an empty path. Without a top, paths
   * start at the site's top level and an empty one is the site itself (null: the system context); a
   * first name the top level lacks is the one node of the site with that ID number or name, wherever it
   * is (a school the site keeps under "Schools" is that school, not a second one made beside it).
   */
  node(path: readonly string[]): Node | null | undefined {
    let current = this.top;
    for (const [depth, name] of path.entries()) {
      const siblings = this.children.get(current ? current.id : siteLevel);
      const found: Node | undefined = siblings?.get(`#${key(name)}`) ?? siblings?.get(key(name)) ?? (depth === 0 && !this.top ? this.onlyNodeNamed(name) : undefined);
      if (!found) return undefined;
      current = found;
    }
    return current;
  }

  /**
   * A path as a person reads it, from the import's top (the site's top level without one): a school found
   * below the top level ("Het Baken" under "Schools") is named with the nodes above it, "Schools / Het Baken".
   */
  pathFromTop(path: readonly string[]): readonly string[] {
    const first = this.top || path.length === 0 ? undefined : this.node(path.slice(0, 1));
    return first && first.parent !== siteLevel ? [...this.namesAlong(first), ...path.slice(1)] : path;
  }

  /** The names of the nodes from the site's top level down to this one (known without a top, where every node is). */
  private namesAlong(node: Node): string[] {
    return node.path.split('/').filter(Boolean).map((id) => this.nodesById.get(Number(id))?.name ?? id);
  }

  /**
   * Without a top, where the site keeps several nodes of this name and none at its top level (which is
   * meant is not guessed: the file's school is made at the top level): their paths. Null otherwise.
   */
  placesNamed(name: string): string[] | null {
    if (this.top || this.onlyNodeNamed(name)) return null;
    const named = this.nodesByName.get(key(name)) ?? [];
    // In the order they were made, whatever order the host listed them in.
    return named.length > 1 ? [...named].sort((a, b) => a.id - b.id).map((node) => this.namesAlong(node).join(' / ')) : null;
  }

  /** The node of the site with this ID number, else the only one with this name (several: none of them, which is meant is not guessed). */
  private onlyNodeNamed(name: string): Node | undefined {
    const named = this.nodesByName.get(key(name));
    return this.categoriesByIdnumber.get(key(name)) ?? (named?.length === 1 ? named[0] : undefined);
  }

  /** The category of the site with this ID number, wherever it is (compared as the host's collation does: case aside). */
  categoryNumbered(idnumber: string): Node | undefined {
    return this.categoriesByIdnumber.get(key(idnumber));
  }

  /** The context of the node at a path, if the node exists (the system context without a top). */
  contextOf(path: readonly string[]): number | undefined {
    const node = this.node(path);
    return node === undefined ? undefined : node === null ? this.systemContextId : node.contextId;
  }

  /** The group of this name in the node's context, if both exist. */
  groupIn(path: readonly string[], name: string): Group | undefined {
    const context = this.contextOf(path);
    return context === undefined ? undefined : this.groupsByContext.get(context)?.get(key(name));
  }

  /** Groups anywhere on the site with this ID number or name, ID number matches first. */
  groupsNamed(reference: string): Group[] {
    const found = this.groupsByReference.get(key(reference)) ?? [];
    return [...found].sort((a, b) => Number(key(b.idnumber ?? '') === key(reference)) - Number(key(a.idnumber ?? '') === key(reference)));
  }
}

/** Where a node is: an existing one, or one this import creates (by its path key). */
export type NodeTarget = { existing: Node | null } | { planned: string };
/** A group an effect names: an existing one by id, or one this import creates (by its group key). */
export type GroupTarget = { id: number } | { planned: string };

/** A node the plan creates, parents before children. */
export interface NewNode {
  key: string;
  name: string;
  /** Path of names under the top, for the preview. */
  label: string;
  parent: NodeTarget;
}

/** A group the plan creates, in its node's context. */
export interface NewGroup {
  key: string;
  name: string;
  label: string;
  node: NodeTarget;
}

/** A group the plan creates in a course (as Moodle's upload makes a group1 its course lacks). */
export interface NewCourseGroup {
  key: string;
  name: string;
  label: string;
  courseId: number;
  /** The course's context: whoever joins it is enrolled there. */
  contextId: number;
}

/** What a group reference in a row resolves to, with its name for the preview. */
export interface GroupPlacement {
  target: GroupTarget;
  name: string;
  /**
   * The group as the summary counts it: with its node's path where it has one ("Engelbrektskolan / 7A"),
   * so that one class name in two schools of a municipality is two groups there too, as it is on the host.
   */
  label: string;
}

/** A group's name with the path of its node, as a person tells two groups of one name apart. */
const labelOf = (path: readonly string[], name: string): string => (path.length > 0 ? `${path.map((p) => p.trim()).join(' / ')} / ${name.trim()}` : name.trim());

/** A group a row asks for: one that exists (found by ID number or name), or a name in a node. */
export type GroupWish = { existing: { id: number; name: string } } | { path: string[]; name: string };

/**
 * One key for a group target: an existing group's id (a number), or a planned group's key (a string,
 * never equal to a number as a Map key). Asked several times a row: it builds no string.
 */
export type GroupTargetKey = number | string;
export const groupTargetKey = (target: GroupTarget): GroupTargetKey => ('id' in target ? target.id : target.planned);

/**
 * The nodes and groups an import creates, decided as rows ask for them. It lives for one run of the
 * plan (a preview or a commit) and is passed from batch to batch; `takeNew()` hands each batch's
 * plan the structure that batch introduces, so that writers create it before they place rows in it.
 */
export class PlannedStructure {
  private readonly nodes = new Map<string, NewNode>();
  private readonly groups = new Map<string, NewGroup>();
  private readonly courseGroups = new Map<string, NewCourseGroup>();
  private pendingNodes: NewNode[] = [];
  private pendingGroups: NewGroup[] = [];
  private pendingCourseGroups: NewCourseGroup[] = [];

  constructor(readonly index: StructureIndex) {}

  /** The node at a path, planning the missing ones along it (without a top, from the site's top level). */
  node(path: readonly string[]): NodeTarget {
    const existing = this.index.node(path);
    if (existing !== undefined) return { existing };
    let parent: NodeTarget = { existing: this.index.top };
    for (let depth = 1; depth <= path.length; depth++) {
      const prefix = path.slice(0, depth);
      const found = this.index.node(prefix);
      if (found !== undefined) {
        parent = { existing: found };
        continue;
      }
      const key = nodeKey(prefix);
      if (!this.nodes.has(key)) {
        const places = depth === 1 ? this.index.placesNamed(prefix[0]!) : null;
        if (places) this.ambiguous.push({ name: prefix[0]!.trim(), places });
        const planned: NewNode = { key, name: prefix[depth - 1]!.trim(), label: this.index.pathFromTop(prefix).map((p) => p.trim()).join(' / '), parent };
        this.nodes.set(key, planned);
        this.pendingNodes.push(planned);
      }
      parent = { planned: key };
    }
    return parent;
  }

  /**
   * Where a wish lands: an existing group, or the one it plans. The import's own groups are the same
   * wish objects on every row, so their answer is kept (for the run: `group()` answers a path and name
   * the same way every time); a class column's wishes are new each row and asked afresh.
   */
  placementOf(wish: GroupWish): GroupPlacement {
    const known = this.placements.get(wish);
    if (known !== undefined) return known;
    const found = 'existing' in wish ? { target: { id: wish.existing.id }, name: wish.existing.name, label: wish.existing.name } : this.group(wish.path, wish.name);
    if (this.sharedWishes.has(wish)) this.placements.set(wish, found);
    return found;
  }

  private readonly placements = new Map<GroupWish, GroupPlacement>();
  private readonly existingPlacements = new Map<number, GroupPlacement>();
  private sharedWishes: ReadonlySet<GroupWish> = new Set();

  /** The wishes every row of the import carries (the import's own groups): their answers are kept. */
  shareWishes(wishes: readonly GroupWish[]): void {
    this.sharedWishes = new Set(wishes);
  }

  /** The group of this name in the node at a path, planning it (and its node) when missing. */
  group(path: readonly string[], name: string): GroupPlacement {
    const existing = this.index.groupIn(path, name);
    if (existing) {
      // Asked for every row that lands in it: one placement per group, not a label made per row.
      let placement = this.existingPlacements.get(existing.id);
      if (!placement) this.existingPlacements.set(existing.id, (placement = { target: { id: existing.id }, name: existing.name, label: labelOf(this.index.pathFromTop(path), existing.name) }));
      return placement;
    }
    const node = this.node(path);
    const key = groupKey(path, name);
    let planned = this.groups.get(key);
    if (!planned) {
      planned = { key, name: name.trim(), label: labelOf(this.index.pathFromTop(path), name), node };
      this.groups.set(key, planned);
      this.pendingGroups.push(planned);
    }
    return { target: { planned: key }, name: planned.name, label: planned.label };
  }

  /**
   * The course's group of this name, planning it when the course has none. Its target's id (an existing
   * group's) is a course group's, never a cohort's: course groups are kept apart from the site's groups.
   */
  courseGroup(course: Pick<Course, 'id' | 'shortname' | 'contextId'>, name: string, existingGroups: ReadonlyMap<string, CourseGroup>): GroupPlacement {
    const key = courseGroupKey(course.id, name);
    const existing = existingGroups.get(key);
    if (existing) return { target: { id: existing.id }, name: existing.name, label: `${course.shortname} / ${existing.name}` };
    let planned = this.courseGroups.get(key);
    if (!planned) {
      planned = { key, name: name.trim(), label: `${course.shortname} / ${name.trim()}`, courseId: course.id, contextId: course.contextId };
      this.courseGroups.set(key, planned);
      this.pendingCourseGroups.push(planned);
    }
    return { target: { planned: key }, name: planned.name, label: planned.label };
  }

  /** The structure planned since the last call, parents first. */
  takeNew(): { nodes: NewNode[]; groups: NewGroup[]; courseGroups: NewCourseGroup[] } {
    const taken = { nodes: this.pendingNodes, groups: this.pendingGroups, courseGroups: this.pendingCourseGroups };
    this.pendingNodes = [];
    this.pendingGroups = [];
    this.pendingCourseGroups = [];
    return taken;
  }

  /**
   * The id a planned group has on the host once a commit wrote it (or found another import had made it
   * first). Bookkeeping, not a decision: with it a batch planned again finds who is in that group now.
   */
  private readonly written = new Map<string, number>();

  confirmWritten(key: string, id: number): void {
    this.written.set(key, id);
  }

  /** The group's id on the host: its own, or the one a commit gave the planned group; none in a preview. */
  hostIdOf(target: GroupTarget): number | undefined {
    return 'id' in target ? target.id : this.written.get(target.planned);
  }

  /** Schools made at the top level because several nodes elsewhere have their name (StructureIndex.placesNamed). */
  private readonly ambiguous: { name: string; places: string[] }[] = [];

  /** Planned nodes and groups a commit found another import had made first: it did not create them. */
  private readonly madeElsewhere = new Set<string>();

  confirmMadeElsewhere(key: string): void {
    this.madeElsewhere.add(key);
  }

  /** Everything planned so far (for the preview), less what a commit found made by another import. */
  summary(): Pick<StructureChanges, 'newNodes' | 'newGroups' | 'ambiguousNodes'> {
    const ours = (planned: { key: string }) => !this.madeElsewhere.has(planned.key);
    return {
      newNodes: [...this.nodes.values()].filter(ours).map((n) => n.label),
      newGroups: [...this.groups.values(), ...this.courseGroups.values()].filter(ours).map((g) => g.label),
      ...(this.ambiguous.length > 0 ? { ambiguousNodes: this.ambiguous } : {}),
    };
  }
}
