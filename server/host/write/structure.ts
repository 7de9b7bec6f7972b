import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { CONTEXT_COURSECAT } from '../../../db/host/index.js';
import { siteLevel, type GroupTarget, type NewGroup, type NewNode, type Node, type NodeTarget } from '../../core/plan/structure.js';
import { queryRows } from '../database.js';
import { nodeSelect } from '../read/structure.js';
import { T } from '../tables.js';
import type { Change } from './change-log.js';

/**
 * The ids of the nodes and groups a commit created, by the plan's keys: later batches place rows in
 * them. The writer's memory of what it did, not a decision.
 */
export class CreatedStructure {
  private readonly nodes = new Map<string, Node>();
  private readonly groups = new Map<string, { id: number; contextId: number }>();
  /** Planned nodes and groups another import had made by the time this one wrote them: found, not created. */
  private readonly foundMade = new Set<string>();

  /** The top level of the site, as the parent of the categories created there. */
  private readonly topLevel: Node;

  constructor(private readonly systemContext: { id: number; path: string }) {
    // As core_course_category::create() places a top-level category: parent 0, its own path and depth 1,
    // visible, with its context beneath the system context.
    this.topLevel = { id: siteLevel, name: '', idnumber: null, parent: siteLevel, path: '', depth: 0, visible: 1, contextId: systemContext.id, contextPath: systemContext.path, contextDepth: systemContext.path.split('/').length - 1 };
  }

  /** The node a target names: null for the site itself (a path under no top node, empty). */
  node(target: NodeTarget): Node | null {
    if ('existing' in target) return target.existing;
    const node = this.nodes.get(target.planned);
    if (!node) throw new Error(`node ${target.planned} is used before it is created`);
    return node;
  }

  contextOf(target: NodeTarget): number {
    return this.node(target)?.contextId ?? this.systemContext.id;
  }

  groupId(target: GroupTarget): number {
    if ('id' in target) return target.id;
    const group = this.groups.get(target.planned);
    if (!group) throw new Error(`group ${target.planned} is used before it is created`);
    return group.id;
  }

  /** Where a new node goes: under the node a target names, or at the top level of the site. */
  parentOf(target: NodeTarget): Node {
    return this.node(target) ?? this.topLevel;
  }

  addNode(key: string, node: Node): void {
    this.nodes.set(key, node);
  }

  /** The id a planned group was given, if it has been written (or found made by another import). */
  writtenGroupId(key: string): number | undefined {
    return this.groups.get(key)?.id;
  }

  addGroup(key: string, group: { id: number; contextId: number }): void {
    this.groups.set(key, group);
  }

  /** Notes that a planned node or group was found made by another import, and not created here. */
  noteFound(key: string): void {
    this.foundMade.add(key);
  }

  /** Whether a planned node or group was found made by another import rather than created by this one. */
  madeElsewhere(key: string): boolean {
    return this.foundMade.has(key);
  }
}

/**
 * Creates planned nodes, parents first: categories as Moodle's core_course_category::create() leaves
 * them (path and depth from the parent, visible only where the parent is, description format
 * FORMAT_MOODLE, a sort order after every other category) with their own context under the parent's.
 */
export async function createNodes(conn: PoolConnection, nodes: readonly NewNode[], created: CreatedStructure, now: number, log: Change[]): Promise<void> {
  for (const planned of nodes) {
    const parent = created.parentOf(planned.parent);
    // Another import may have created it since this one was planned (the structure lock orders them).
    const [already] = await queryRows<Node>(conn, `${nodeSelect} WHERE c.parent = ? AND c.name = ? ORDER BY c.id LIMIT 1`, [parent.id, planned.name.slice(0, 255)]);
    if (already) {
      created.addNode(planned.key, already);
      created.noteFound(planned.key);
      continue;
    }
    const [[{ sortorder }]] = (await conn.query(`SELECT COALESCE(MAX(sortorder), 0) + 10000 AS sortorder FROM ${T.courseCategories}`)) as unknown as [[{ sortorder: number }]];
    const [inserted] = await conn.query<ResultSetHeader>(
      `INSERT INTO ${T.courseCategories} (name, idnumber, description, descriptionformat, parent, sortorder, coursecount, visible, visibleold, timemodified, depth, path, theme)
       VALUES (?, NULL, '', 0, ?, ?, 0, ?, 1, ?, ?, '', NULL)`,
      [planned.name.slice(0, 255), parent.id, Number(sortorder), parent.visible, now, parent.depth + 1],
    );
    const id = inserted.insertId;
    const path = `${parent.path}/${id}`;
    await conn.query(`UPDATE ${T.courseCategories} SET path = ? WHERE id = ?`, [path, id]);
    const [context] = await conn.query<ResultSetHeader>(`INSERT INTO ${T.context} (contextlevel, instanceid, path, depth, locked) VALUES (?, ?, ?, ?, 0)`, [
      CONTEXT_COURSECAT,
      id,
      null,
      parent.contextDepth + 1,
    ]);
    const contextPath = `${parent.contextPath}/${context.insertId}`;
    await conn.query(`UPDATE ${T.context} SET path = ? WHERE id = ?`, [contextPath, context.insertId]);
    log.push({ table: 'course_categories', rowId: id, action: 'insert', before: null }, { table: 'context', rowId: context.insertId, action: 'insert', before: null });
    created.addNode(planned.key, { id, name: planned.name, idnumber: null, parent: parent.id, path, depth: parent.depth + 1, visible: parent.visible, contextId: context.insertId, contextPath, contextDepth: parent.contextDepth + 1 });
  }
}

/** Creates planned groups: cohorts in their node's context (the system context without a hierarchy). */
export async function createGroups(conn: PoolConnection, groups: readonly NewGroup[], created: CreatedStructure, now: number, log: Change[]): Promise<void> {
  for (const planned of groups) {
    const contextId = created.contextOf(planned.node);
    const name = planned.name.slice(0, 254);
    await findOrInsertGroup(conn, { key: planned.key, contextId }, created, log, {
      table: 'cohort',
      find: [`SELECT id FROM ${T.cohort} WHERE contextid = ? AND name = ? ORDER BY id LIMIT 1`, [contextId, name]],
      // As cohort_add_cohort() writes a cohort: no theme is '' (not NULL).
      insert: [`INSERT INTO ${T.cohort} (contextid, name, idnumber, description, descriptionformat, visible, component, timecreated, timemodified, theme) VALUES (?, ?, NULL, '', 1, 1, '', ?, ?, '')`, [contextId, name, now, now]],
    });
  }
}

/**
 * A planned group (a cohort, or a course's group), unless another import made it since this one was
 * planned (the structure lock orders them): found by its name where it lives, else inserted and logged.
 * Either way the plan's key now has its id.
 */
export async function findOrInsertGroup(
  conn: PoolConnection,
  planned: { key: string; contextId: number },
  created: CreatedStructure,
  log: Change[],
  sql: { table: 'cohort' | 'groups'; find: [string, unknown[]]; insert: [string, unknown[]] },
): Promise<void> {
  const [already] = await queryRows<{ id: number }>(conn, ...sql.find);
  if (already) {
    created.addGroup(planned.key, { id: already.id, contextId: planned.contextId });
    created.noteFound(planned.key);
    return;
  }
  const [result] = await conn.query<ResultSetHeader>(...sql.insert);
  log.push({ table: sql.table, rowId: result.insertId, action: 'insert', before: null });
  created.addGroup(planned.key, { id: result.insertId, contextId: planned.contextId });
}
