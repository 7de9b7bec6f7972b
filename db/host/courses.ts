import { index, int, longtext, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { hostTable, id, ref } from './table.js';

/**
 * Courses, their manual enrolment and their groups: what a row's course1/role1/group1 columns reach (as
 * Moodle's own upload enrols, tool_uploaduser\process::process_line()). Column for column as Moodle 4.1's
 * lib/db/install.xml defines what Intake reads and writes; Moodle's char columns that are NOT NULL
 * without a default get '' from its MySQL generator, and so do these.
 */

/** Course 1 is the site itself (its `fullname` is the site's name); the others are courses. */
export const course = hostTable(
  'course',
  {
    id: id(),
    category: ref('category').notNull().default(0),
    sortorder: ref('sortorder').notNull().default(0),
    fullname: varchar('fullname', { length: 254 }).notNull().default(''),
    shortname: varchar('shortname', { length: 255 }).notNull().default(''),
    idnumber: varchar('idnumber', { length: 100 }).notNull().default(''),
    visible: tinyint('visible').notNull().default(1),
    timecreated: ref('timecreated').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
  },
  (t) => [index('cat_ix').on(t.category), index('sho_ix').on(t.shortname), index('idn_ix').on(t.idnumber)],
);

/** Enrolment instances of a course: the upload enrols through the `manual` one. */
export const enrol = hostTable(
  'enrol',
  {
    id: id(),
    enrol: varchar('enrol', { length: 20 }).notNull().default(''),
    status: ref('status').notNull().default(0),
    courseid: ref('courseid').notNull(),
    sortorder: ref('sortorder').notNull().default(0),
    name: varchar('name', { length: 255 }),
    /** Seconds an enrolment lasts when the row gives no period (0: without end). */
    enrolperiod: ref('enrolperiod').default(0),
    /** The role a new enrolment gets when the row names none. */
    roleid: ref('roleid').default(0),
    timecreated: ref('timecreated').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
  },
  (t) => [index('enr_ix').on(t.enrol), index('cou_ix').on(t.courseid)],
);

export const userEnrolments = hostTable(
  'user_enrolments',
  {
    id: id(),
    status: ref('status').notNull().default(0),
    enrolid: ref('enrolid').notNull(),
    userid: ref('userid').notNull(),
    timestart: ref('timestart').notNull().default(0),
    timeend: ref('timeend').notNull().default(2147483647),
    modifierid: ref('modifierid').notNull().default(0),
    timecreated: ref('timecreated').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
  },
  (t) => [uniqueIndex('enruse_uix').on(t.enrolid, t.userid), index('use_ix').on(t.userid)],
);

/** A course's groups (Moodle's `groups`; cohorts are the site's groups). */
export const courseGroups = hostTable(
  'groups',
  {
    id: id(),
    courseid: ref('courseid').notNull(),
    idnumber: varchar('idnumber', { length: 100 }).notNull().default(''),
    name: varchar('name', { length: 254 }).notNull().default(''),
    description: longtext('description'),
    descriptionformat: tinyint('descriptionformat').notNull().default(0),
    enrolmentkey: varchar('enrolmentkey', { length: 50 }),
    picture: ref('picture').notNull().default(0),
    timecreated: ref('timecreated').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
  },
  (t) => [index('cou_ix').on(t.courseid), index('idn_ix').on(t.idnumber)],
);

export const courseGroupMembers = hostTable(
  'groups_members',
  {
    id: id(),
    groupid: ref('groupid').notNull().default(0),
    userid: ref('userid').notNull().default(0),
    timeadded: ref('timeadded').notNull().default(0),
    component: varchar('component', { length: 100 }).notNull().default(''),
    itemid: int('itemid').notNull().default(0),
  },
  (t) => [uniqueIndex('usegro_uix').on(t.userid, t.groupid), index('gro_ix').on(t.groupid)],
);
