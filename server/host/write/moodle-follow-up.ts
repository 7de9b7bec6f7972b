import { randomBytes } from 'node:crypto';
import type { PoolConnection } from 'mysql2/promise';
import { cacheFlags, configPlugins, taskAdhoc } from '../../../db/host/index.js';
import { T } from '../tables.js';
import { getTableName } from 'drizzle-orm';

const flags = `\`${getTableName(cacheFlags)}\``;
const tasks = `\`${getTableName(taskAdhoc)}\``;
const pluginConfig = `\`${getTableName(configPlugins)}\``;

/**
 * Moodle's mark_user_dirty() for many users at once (lib/accesslib.php): set_cache_flag('accesslib/dirtyusers',
 * $userid, 1, time() + $CFG->sessiontimeout). A logged-in user whose flag is newer than their session's
 * rights reloads them on their next page: a supervisor removed by a sync loses access at once, not at logout.
 * Written in the caller's transaction, beside the role assignments it is about.
 */
export async function markUsersDirty(conn: PoolConnection, userIds: Iterable<number>, sessionTimeout: number, now: number): Promise<void> {
  const ids = [...new Set(userIds)].filter((id) => id > 0).map(String);
  for (let i = 0; i < ids.length; i += 1000) {
    const slice = ids.slice(i, i + 1000);
    // set_cache_flag() updates a present flag or inserts one; as a set: the old flags go, new ones come.
    await conn.query(`DELETE FROM ${flags} WHERE flagtype = 'accesslib/dirtyusers' AND name IN (?)`, [slice]);
    await conn.query(`INSERT INTO ${flags} (flagtype, name, value, expiry, timemodified) VALUES ?`, [
      slice.map((name) => ['accesslib/dirtyusers', name, '1', now + sessionTimeout, now]),
    ]);
  }
}

/**
 * Moodle's \core\session\manager::kill_user_sessions() for many users at once, as Moodle's own code calls
 * it when it suspends someone (tool_uploaduser's process.php, admin/user.php) or sets auth to nologin:
 * their session records go, and manager::initialise_user_session() empties a session whose record is
 * gone at its next request. A suspended pupil is logged out at once, not when the session expires.
 * Written in the caller's transaction, beside the suspension it follows.
 */
export async function logOut(conn: PoolConnection, userIds: Iterable<number>): Promise<void> {
  const ids = [...new Set(userIds)];
  for (let i = 0; i < ids.length; i += 1000) await conn.query(`DELETE FROM ${T.sessions} WHERE userid IN (?)`, [ids.slice(i, i + 1000)]);
}

/** An event Moodle's own code would have triggered for a change whose rows are gone by the time the task runs. */
export type HostEvent =
  | { e: 'cohort_member_added' | 'cohort_member_removed'; cohortid: number; userid: number }
  | { e: 'role_assigned' | 'role_unassigned'; id: number; roleid: number; contextid: number; userid: number; component: string; itemid: number }
  | { e: 'user_updated'; userid: number }
  /** An enrolment whose dates changed back (its row is read when the task runs). */
  | { e: 'user_enrolment_updated'; id: number }
  /** The cohort record as it was (cohort_delete_cohort() snapshots it). */
  | { e: 'cohort_deleted'; cohort: Record<string, unknown> }
  | { e: 'group_member_removed'; groupid: number; userid: number; courseid: number }
  /** The course group record as it was (groups_delete_group() snapshots it). */
  | { e: 'group_deleted'; group: Record<string, unknown> }
  /** The enrolment record as it was, with its course and method (as enrol_plugin::unenrol_user() tells it). */
  | { e: 'user_enrolment_deleted'; ue: Record<string, unknown>; courseid: number; enrol: string };

/** What `\local_intake\task\replay_events` does (plugin/moodle/classes/task/replay_events.php). */
export interface ReplayWork {
  /** Replay the change log of this import (a commit). */
  importid?: number;
  events?: HostEvent[];
  /** Accounts an undo removes, through Moodle's delete_user(). */
  deleteusers?: number[];
  /** Interests an undo puts back, through Moodle's useredit_update_interests() (an empty list: none). */
  interests?: { userid: number; tags: string[] }[];
  /** Categories came or went: fix their sort order and purge `changesincoursecat`. */
  categories?: boolean;
  /** Enrolments, course groups or their members came, went or changed: Moodle's caches of them are purged. */
  courses?: boolean;
}

/**
 * Moodle's cached category tree and courses (groups, teachers) are refreshed by the first request after this commits,
 * not by the task alone (plugin/moodle/classes/cache_refresh.php): Moodle lists what Intake made at once.
 * config_plugins' (plugin, name) is unique in Moodle, so an import that finds the flag still set sets it
 * again. The value is this commit's own (the time and a random part): Moodle takes down only the flag it
 * acted on.
 */
async function flagCaches(conn: PoolConnection, flag: 'categoriesdirty' | 'coursesdirty', now: number): Promise<void> {
  await conn.query(`INSERT INTO ${pluginConfig} (plugin, name, value) VALUES ('local_intake', ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)`, [flag, `${now}:${randomBytes(4).toString('hex')}`]);
}

/** Ids or events per task: each task's custom data stays far below max_allowed_packet. */
const perTask = 2000;

/**
 * Queues the replay task as \core\task\manager::queue_adhoc_task() writes it (record_from_adhoc_task()):
 * due at once (a second ago, as queue_adhoc_task() sets it: the runner takes tasks due strictly before now), run by Moodle's cron or `admin/cli/adhoc_task.php`, in the caller's transaction so the
 * follow-up exists exactly when the change does. `runAs`: the user the task runs as (adhoc_task::set_userid()),
 * so Moodle logs the events as that person's, as its own upload logs them as the uploader's; without one,
 * cron's user (the admin).
 */
export async function queueReplay(conn: PoolConnection, work: ReplayWork, now: number, runAs?: number): Promise<void> {
  const { events, deleteusers, interests, ...rest } = work;
  // The lists go in slices of their own, each a task; the rest (a commit's import, the cache flags) in one.
  const parts: ReplayWork[] = rest.importid !== undefined || rest.categories || rest.courses ? [rest] : [];
  const lists = { events, deleteusers, interests };
  for (const kind of Object.keys(lists) as (keyof typeof lists)[]) {
    const list = lists[kind] ?? [];
    for (let i = 0; i < list.length; i += perTask) parts.push({ [kind]: list.slice(i, i + perTask) });
  }
  if (parts.length === 0) return;
  if (work.categories) await flagCaches(conn, 'categoriesdirty', now);
  if (work.courses) await flagCaches(conn, 'coursesdirty', now);
  await conn.query(`INSERT INTO ${tasks} (component, classname, nextruntime, faildelay, customdata, userid, blocking, timecreated) VALUES ?`, [
    parts.map((p) => ['local_intake', '\\local_intake\\task\\replay_events', now - 1, 0, JSON.stringify(p), runAs || null, 0, now]),
  ]);
}
