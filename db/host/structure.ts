import { index, longtext, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { hostTable, id, ref } from './table.js';

/** Context levels as Moodle numbers them. */
export const CONTEXT_SYSTEM = 10;
export const CONTEXT_USER = 30;
export const CONTEXT_COURSECAT = 40;
export const CONTEXT_COURSE = 50;
export const CONTEXT_MODULE = 70;

export const context = hostTable(
  'context',
  {
    id: id(),
    contextlevel: ref('contextlevel').notNull().default(0),
    instanceid: ref('instanceid').notNull().default(0),
    path: varchar('path', { length: 255 }),
    depth: tinyint('depth').notNull().default(0),
    locked: tinyint('locked').notNull().default(0),
  },
  (t) => [uniqueIndex('conins_uix').on(t.contextlevel, t.instanceid), index('ins_ix').on(t.instanceid), index('pat_ix').on(t.path)],
);

/** The hierarchy: categories with a `/1/5/9` path of category ids and a depth. */
export const courseCategories = hostTable(
  'course_categories',
  {
    id: id(),
    name: varchar('name', { length: 255 }).notNull().default(''),
    idnumber: varchar('idnumber', { length: 100 }),
    description: longtext('description'),
    descriptionformat: tinyint('descriptionformat').notNull().default(0),
    parent: ref('parent').notNull().default(0),
    sortorder: ref('sortorder').notNull().default(0),
    coursecount: ref('coursecount').notNull().default(0),
    visible: tinyint('visible').notNull().default(1),
    visibleold: tinyint('visibleold').notNull().default(1),
    timemodified: ref('timemodified').notNull().default(0),
    depth: ref('depth').notNull().default(0),
    path: varchar('path', { length: 255 }).notNull().default(''),
    theme: varchar('theme', { length: 50 }),
  },
  (t) => [index('par_ix').on(t.parent)],
);

/** Groups are cohorts. Moodle leaves contextid, descriptionformat and the times without defaults. */
export const cohort = hostTable(
  'cohort',
  {
    id: id(),
    contextid: ref('contextid').notNull(),
    name: varchar('name', { length: 254 }).notNull().default(''),
    idnumber: varchar('idnumber', { length: 100 }),
    description: longtext('description'),
    descriptionformat: tinyint('descriptionformat').notNull(),
    visible: tinyint('visible').notNull().default(1),
    component: varchar('component', { length: 100 }).notNull().default(''),
    timecreated: ref('timecreated').notNull(),
    timemodified: ref('timemodified').notNull(),
    theme: varchar('theme', { length: 50 }),
  },
  (t) => [index('con_ix').on(t.contextid)],
);

export const cohortMembers = hostTable(
  'cohort_members',
  {
    id: id(),
    cohortid: ref('cohortid').notNull().default(0),
    userid: ref('userid').notNull().default(0),
    timeadded: ref('timeadded').notNull(),
  },
  (t) => [uniqueIndex('cohuse_uix').on(t.cohortid, t.userid), index('coh_ix').on(t.cohortid), index('use_ix').on(t.userid)],
);

export const role = hostTable(
  'role',
  {
    id: id(),
    name: varchar('name', { length: 255 }).notNull().default(''),
    shortname: varchar('shortname', { length: 100 }).notNull().default(''),
    description: longtext('description').notNull(),
    sortorder: ref('sortorder').notNull().default(0),
    archetype: varchar('archetype', { length: 30 }).notNull().default(''),
  },
  (t) => [uniqueIndex('sor_uix').on(t.sortorder), uniqueIndex('sho_uix').on(t.shortname)],
);

export const roleContextLevels = hostTable(
  'role_context_levels',
  {
    id: id(),
    roleid: ref('roleid').notNull(),
    contextlevel: ref('contextlevel').notNull(),
  },
  (t) => [uniqueIndex('conrol_uix').on(t.contextlevel, t.roleid), index('rol_ix').on(t.roleid)],
);

/** Which roles holders of a role may assign (Moodle's role_allow_assign, checked by get_assignable_roles()). */
export const roleAllowAssign = hostTable(
  'role_allow_assign',
  {
    id: id(),
    roleid: ref('roleid').notNull().default(0),
    allowassign: ref('allowassign').notNull().default(0),
  },
  (t) => [uniqueIndex('rolall_uix').on(t.roleid, t.allowassign), index('rol_ix').on(t.roleid), index('all_ix').on(t.allowassign)],
);

export const roleAssignments = hostTable(
  'role_assignments',
  {
    id: id(),
    roleid: ref('roleid').notNull().default(0),
    contextid: ref('contextid').notNull().default(0),
    userid: ref('userid').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
    modifierid: ref('modifierid').notNull().default(0),
    component: varchar('component', { length: 100 }).notNull().default(''),
    itemid: ref('itemid').notNull().default(0),
    sortorder: ref('sortorder').notNull().default(0),
  },
  (t) => [
    index('sor_ix').on(t.sortorder),
    index('rolcon_ix').on(t.roleid, t.contextid),
    index('useconrol_ix').on(t.userid, t.contextid, t.roleid),
    index('comiteuse_ix').on(t.component, t.itemid, t.userid),
    index('rol_ix').on(t.roleid),
    index('con_ix').on(t.contextid),
    index('use_ix').on(t.userid),
  ],
);

/** Site configuration: `siteadmins`, `mnet_localhost_id`, `sitename`… */
export const config = hostTable(
  'config',
  {
    id: id(),
    name: varchar('name', { length: 255 }).notNull().default(''),
    value: longtext('value').notNull(),
  },
  (t) => [uniqueIndex('nam_uix').on(t.name)],
);
