import type { Pool } from 'mysql2/promise';
import { CONTEXT_COURSECAT } from '../../../db/host/index.js';
import { StructureIndex, type Group, type Node } from '../../core/plan/structure.js';
import { queryRows } from '../database.js';
import type { Site } from './site.js';
import { T } from '../tables.js';

/** A node with its context, as planning and writing both read it. */
export const nodeSelect = `SELECT c.id, c.name, c.idnumber, c.parent, c.path, c.depth, c.visible, x.id AS contextId, x.path AS contextPath, x.depth AS contextDepth
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
 * The part of the host an import works in: its top node with every node beneath it (without a top, every
 * node of the site: a file's schools are found anywhere or made at its top level), and the site's groups.
 */
export async function loadStructure(pool: Pool, site: Site, top: Node | null): Promise<StructureIndex> {
  const [nodes, groups, numbered] = await Promise.all([
    queryRows<Node>(pool, `${nodeSelect} WHERE c.path LIKE ?`, [`${top?.path ?? ''}/%`]),
    queryRows<Group>(pool, `SELECT id, name, idnumber, contextid AS contextId FROM ${T.cohort}`),
    // Categories named by ID number (a file's category1 column, as Moodle's upload reads it) anywhere on the site.
    queryRows<Node>(pool, `${nodeSelect} WHERE c.idnumber IS NOT NULL AND c.idnumber <> ''`),
  ]);
  return new StructureIndex(top, site.systemContext.id, nodes, groups, numbered);
}
