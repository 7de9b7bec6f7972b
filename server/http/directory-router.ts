import { Hono } from 'hono';
import type { RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { CONTEXT_COURSECAT } from '../../db/host/index.js';
import { usersInScope } from '../host/read/snapshot.js';
import { loadRoles } from '../host/read/roles.js';
import { T } from '../host/tables.js';
import type { AppEnv } from './context.js';

const search = z.string().trim().max(100).catch('');

/**
 * What the wizard offers to choose from, limited to what the user may use: nodes (categories),
 * groups, people to pick as supervisors, and roles. A coordinator sees only their own categories and
 * the groups and people in them.
 */
export function directoryRouter() {
  const app = new Hono<AppEnv>();

  app.get('/nodes', async (c) => {
    const scope = c.var.actor.scope;
    const [rows] = await c.var.services.database.pool.query<RowDataPacket[]>(`SELECT id, name, idnumber, path, parent FROM ${T.courseCategories} ORDER BY path`);
    const names = new Map(rows.map((r) => [Number(r.id), String(r.name)]));
    const nodes = rows
      .filter((r) => scope.kind === 'site' || scope.categoryIds.has(Number(r.id)))
      .map((r) => ({ id: Number(r.id), name: String(r.name), idnumber: r.idnumber as string | null, label: String(r.path).split('/').filter(Boolean).map((id) => names.get(Number(id))).join(' / ') }));
    return c.json({ nodes });
  });

  app.get('/groups', async (c) => {
    const scope = c.var.actor.scope;
    const q = search.parse(c.req.query('q'));
    const [rows] = await c.var.services.database.pool.query<RowDataPacket[]>(
      `SELECT c.id, c.name, c.idnumber, c.contextid FROM ${T.cohort} c WHERE (c.name LIKE ? OR c.idnumber LIKE ?) ORDER BY c.name LIMIT 200`,
      [`%${q}%`, `%${q}%`],
    );
    const groups = rows.filter((g) => scope.kind === 'site' || scope.contextIds.has(Number(g.contextid))).map((g) => ({ id: Number(g.id), name: String(g.name), idnumber: g.idnumber as string | null }));
    return c.json({ groups });
  });

  app.get('/people', async (c) => {
    const scope = c.var.actor.scope;
    const q = search.parse(c.req.query('q'));
    const pool = c.var.services.database.pool;
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT id, username, firstname, lastname, email FROM ${T.user} WHERE deleted = 0 AND suspended = 0 AND username <> 'guest'
         AND (username LIKE ? OR email LIKE ? OR CONCAT(firstname, ' ', lastname) LIKE ?) ORDER BY lastname, firstname LIMIT 50`,
      [`${q}%`, `${q}%`, `%${q}%`],
    );
    const visible = scope.kind === 'site' ? null : await usersInScope(pool, rows.map((r) => Number(r.id)), scope.contextIds);
    const people = rows
      .filter((r) => !visible || visible.has(Number(r.id)))
      .map((r) => ({ id: Number(r.id), username: String(r.username), name: `${r.firstname} ${r.lastname}`, email: String(r.email) }));
    return c.json({ people });
  });

  app.get('/roles', async (c) => {
    const roles = await loadRoles(c.var.services.database.pool);
    // Roles that can be given in a category: those a row or an import can carry.
    const [levels] = await c.var.services.database.pool.query<RowDataPacket[]>(`SELECT roleid FROM ${T.roleContextLevels} WHERE contextlevel = ?`, [CONTEXT_COURSECAT]);
    const assignable = new Set(levels.map((l) => Number(l.roleid)));
    return c.json({ roles: roles.roles.filter((r) => assignable.has(r.id)).map((r) => ({ shortname: r.shortname, name: r.name })) });
  });

  return app;
}
