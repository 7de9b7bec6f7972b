import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { queryRows } from '../database.js';
import { CONTEXT_COURSECAT } from '../../../db/host/index.js';
import { IntakeError } from '../../core/errors.js';
import type { Scope } from './scope.js';
import type { Site } from './site.js';
import { T } from '../tables.js';

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
export const nodeKey = (path: readonly string[]) => path.join('/');
export const groupKey = (path: readonly string[], name: string) => `${nodeKey(path)}#${key(name)}`;


const nodeSelect = `SELECT c.id, c.name, c.idnumber, c.parent, c.path, c.depth, x.id AS contextId, x.path AS contextPath, x.depth AS contextDepth
  FROM ${T.courseCategories} c JOIN ${T.context} x ON x.contextlevel = ${CONTEXT_COURSECAT} AND x.instanceid = c.id`;

/** Finds a node by ID number, else by name (the first made, if several share it). */
export async function findNode(pool: Pool, reference: string): Promise<Node | null> {
  const [found] = await queryRows<Node>(pool, `${nodeSelect} WHERE c.idnumber = ? OR c.name = ? ORDER BY c.idnumber = ? DESC, c.id LIMIT 1`, [reference, reference, reference]);
  return found ?? null;
}

export async function findNodeById(pool: Pool, id: number): Promise<Node | null> {
  const [found] = await queryRows<Node>(pool, `${nodeSelect} WHERE c.id = ?`, [id]);
  return found ?? null;
}

/**
 * The part of the host an import works in: its top node with every node beneath it, and the site's
 * groups. Planning asks it where rows land; a commit extends it as it creates nodes and groups, and a
 * preview only notes what would be created.
 */
export class Structure {
  private readonly children = new Map<number, Map<string, Node>>();
  /** Nodes and groups a preview would create, by path. */
  readonly newNodes = new Set<string>();
  readonly newGroups = new Set<string>();
  private readonly groupsByContext = new Map<number, Map<string, Group>>();
  private readonly groupsByReference = new Map<string, Group[]>();

  private constructor(
    readonly top: Node | null,
    readonly systemContext: { id: number; path: string },
    nodes: Node[],
    groups: Group[],
  ) {
    for (const node of nodes) this.addNode(node);
    for (const group of groups) this.addGroup(group);
  }

  static async load(pool: Pool, site: Site, top: Node | null): Promise<Structure> {
    const nodes = top ? await queryRows<Node>(pool, `${nodeSelect} WHERE c.path LIKE ?`, [`${top.path}/%`]) : [];
    const groups = await queryRows<Group>(pool, `SELECT id, name, idnumber, contextid AS contextId FROM ${T.cohort}`);
    return new Structure(top, site.systemContext, nodes, groups);
  }

  private addNode(node: Node): void {
    const siblings = this.children.get(node.parent) ?? new Map<string, Node>();
    siblings.set(key(node.name), node);
    if (node.idnumber) siblings.set(`#${key(node.idnumber)}`, node);
    this.children.set(node.parent, siblings);
  }

  addGroup(group: Group): void {
    const inContext = this.groupsByContext.get(group.contextId) ?? new Map<string, Group>();
    inContext.set(key(group.name), group);
    this.groupsByContext.set(group.contextId, inContext);
    for (const ref of [group.name, group.idnumber]) {
      if (!ref) continue;
      this.groupsByReference.set(key(ref), [...(this.groupsByReference.get(key(ref)) ?? []), group]);
    }
  }

  /** The node at a path under the top, if it exists; the top (or null: the system) for an empty path. */
  node(path: readonly string[]): Node | null | undefined {
    let current = this.top;
    for (const name of path) {
      if (!current) return undefined;
      const found: Node | undefined = this.children.get(current.id)?.get(`#${key(name)}`) ?? this.children.get(current.id)?.get(key(name));
      if (!found) return undefined;
      current = found;
    }
    return current;
  }

  contextOf(path: readonly string[]): number | undefined {
    const node = this.node(path);
    return node === undefined ? undefined : node === null ? this.systemContext.id : node.contextId;
  }

  /** The group of this name in the node's context, if it exists. */
  groupIn(path: readonly string[], name: string): Group | undefined {
    const context = this.contextOf(path);
    return context === undefined ? undefined : this.groupsByContext.get(context)?.get(key(name));
  }

  /** Groups anywhere on the site with this ID number or name, ID number matches first. */
  groupsNamed(reference: string): Group[] {
    const found = this.groupsByReference.get(key(reference)) ?? [];
    return [...found].sort((a, b) => Number(key(b.idnumber ?? '') === key(reference)) - Number(key(a.idnumber ?? '') === key(reference)));
  }

  /** Notes, for a preview, the nodes along a path that do not exist yet. */
  noteNewNodes(path: readonly string[]): void {
    for (let depth = 1; depth <= path.length; depth++) if (this.node(path.slice(0, depth)) === undefined) this.newNodes.add(nodeKey(path.slice(0, depth)));
  }

  /** Creates the missing nodes along a path (categories with their contexts, as the host makes them). */
  async ensureNode(conn: PoolConnection, path: readonly string[], now: number, created: (table: 'course_categories' | 'context', id: number) => void): Promise<Node | null> {
    let current = this.top;
    for (let depth = 1; depth <= path.length; depth++) {
      const existing = this.node(path.slice(0, depth));
      if (existing) {
        current = existing;
        continue;
      }
      if (!current) throw new IntakeError('invalid_settings', 'Nodes can only be created under a top node.');
      current = await createNode(conn, current, path[depth - 1]!, now, created);
      this.addNode(current);
    }
    return current;
  }

  async ensureGroup(conn: PoolConnection, path: readonly string[], name: string, now: number, created: (table: 'cohort', id: number) => void): Promise<Group> {
    const existing = this.groupIn(path, name);
    if (existing) return existing;
    const contextId = this.contextOf(path);
    if (contextId === undefined) throw new Error(`node ${nodeKey(path)} must exist before its groups`);
    const [result] = await conn.query<ResultSetHeader>(
      `INSERT INTO ${T.cohort} (contextid, name, idnumber, description, descriptionformat, visible, component, timecreated, timemodified) VALUES (?, ?, NULL, '', 1, 1, '', ?, ?)`,
      [contextId, name.trim().slice(0, 254), now, now],
    );
    const group = { id: result.insertId, name: name.trim(), idnumber: null, contextId };
    this.addGroup(group);
    created('cohort', group.id);
    return group;
  }
}

/**
 * A category as Moodle's core_course_category::create() leaves it: path and depth from its parent, a
 * sort order after every other category, and its own context under the parent's.
 */
async function createNode(conn: PoolConnection, parent: Node, name: string, now: number, created: (table: 'course_categories' | 'context', id: number) => void): Promise<Node> {
  const [[{ sortorder }]] = (await conn.query(`SELECT COALESCE(MAX(sortorder), 0) + 10000 AS sortorder FROM ${T.courseCategories}`)) as unknown as [[{ sortorder: number }]];
  const [inserted] = await conn.query<ResultSetHeader>(
    `INSERT INTO ${T.courseCategories} (name, idnumber, description, descriptionformat, parent, sortorder, coursecount, visible, visibleold, timemodified, depth, path, theme)
     VALUES (?, NULL, '', 1, ?, ?, 0, 1, 1, ?, ?, '', NULL)`,
    [name.trim().slice(0, 255), parent.id, Number(sortorder), now, parent.depth + 1],
  );
  const id = inserted.insertId;
  const path = `${parent.path}/${id}`;
  await conn.query(`UPDATE ${T.courseCategories} SET path = ? WHERE id = ?`, [path, id]);
  const [context] = await conn.query<ResultSetHeader>(`INSERT INTO ${T.context} (contextlevel, instanceid, path, depth, locked) VALUES (?, ?, NULL, ?, 0)`, [
    CONTEXT_COURSECAT,
    id,
    parent.contextDepth + 1,
  ]);
  const contextPath = `${parent.contextPath}/${context.insertId}`;
  await conn.query(`UPDATE ${T.context} SET path = ? WHERE id = ?`, [contextPath, context.insertId]);
  created('course_categories', id);
  created('context', context.insertId);
  return { id, name: name.trim(), idnumber: null, parent: parent.id, path, depth: parent.depth + 1, contextId: context.insertId, contextPath, contextDepth: parent.contextDepth + 1 };
}

/** Whether a group lies in a coordinator's categories (site admins see every group). */
export function groupInScope(group: Group, scope: Scope): boolean {
  return scope.kind === 'site' || scope.contextIds.has(group.contextId);
}
