import { index, int, longtext, smallint, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { hostTable, id, ref } from './table.js';

/**
 * The host tables Intake reads for the site itself and writes so Moodle's own code follows up, column for
 * column as Moodle 4.1's lib/db/install.xml defines them (the demo host creates them from here).
 */

/** Plugin settings: `local_intake` keeps its version and the site's `wwwroot` here. */
export const configPlugins = hostTable(
  'config_plugins',
  {
    id: id(),
    plugin: varchar('plugin', { length: 100 }).notNull().default('core'),
    name: varchar('name', { length: 100 }).notNull().default(''),
    value: longtext('value').notNull(),
  },
  (t) => [index('plunam_uix').on(t.plugin, t.name)],
);

/** `accesslib/dirtyusers` flags: a logged-in user whose flag is newer than their session reloads their rights. */
export const cacheFlags = hostTable(
  'cache_flags',
  {
    id: id(),
    flagtype: varchar('flagtype', { length: 255 }).notNull().default(''),
    name: varchar('name', { length: 255 }).notNull().default(''),
    timemodified: ref('timemodified').notNull().default(0),
    value: longtext('value').notNull(),
    expiry: ref('expiry').notNull(),
  },
  (t) => [index('fla_ix').on(t.flagtype), index('nam_ix').on(t.name)],
);

/**
 * Moodle's session records (every session handler keeps one here): a session whose record is gone is
 * emptied at its next request, so removing a user's records logs them out, as kill_user_sessions() does.
 */
export const sessions = hostTable(
  'sessions',
  {
    id: id(),
    state: ref('state').notNull().default(0),
    sid: varchar('sid', { length: 128 }).notNull(),
    userid: ref('userid').notNull(),
    sessdata: longtext('sessdata'),
    timecreated: ref('timecreated').notNull(),
    timemodified: ref('timemodified').notNull(),
    firstip: varchar('firstip', { length: 45 }),
    lastip: varchar('lastip', { length: 45 }),
  },
  (t) => [index('sess_sta_ix').on(t.state), uniqueIndex('sess_sid_uix').on(t.sid), index('sess_tim_ix').on(t.timecreated), index('sess_tim2_ix').on(t.timemodified), index('sess_use_ix').on(t.userid)],
);

/** Moodle's ad-hoc task queue: Intake queues `\local_intake\task\replay_events` here, as task\manager does. */
export const taskAdhoc = hostTable(
  'task_adhoc',
  {
    id: id(),
    component: varchar('component', { length: 255 }).notNull().default(''),
    classname: varchar('classname', { length: 255 }).notNull().default(''),
    nextruntime: ref('nextruntime').notNull(),
    faildelay: ref('faildelay'),
    customdata: text('customdata'),
    userid: ref('userid'),
    blocking: smallint('blocking').notNull().default(0),
    timecreated: ref('timecreated').notNull().default(0),
    timestarted: ref('timestarted'),
    hostname: varchar('hostname', { length: 255 }),
    pid: ref('pid'),
  },
  (t) => [index('nextruntime_idx').on(t.nextruntime), index('timestarted_idx').on(t.timestarted)],
);

/** Role definitions at the system context: who holds `local/intake:import`. */
export const roleCapabilities = hostTable(
  'role_capabilities',
  {
    id: id(),
    contextid: ref('contextid').notNull().default(0),
    roleid: ref('roleid').notNull().default(0),
    capability: varchar('capability', { length: 255 }).notNull().default(''),
    permission: int('permission').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
    modifierid: ref('modifierid').notNull().default(0),
  },
  (t) => [index('rolecontextcap_uix').on(t.roleid, t.contextid, t.capability), index('rol_ix').on(t.roleid), index('con_ix').on(t.contextid)],
);
