import { index, int, text, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { hostTable, id, ref } from './table.js';

/**
 * Moodle's tags (lib/db/install.xml): what an account's "interests" are. Intake only reads them (the
 * preview compares a row's interests with the account's); Moodle's own code writes them, through
 * Intake's plugin (useredit_update_interests()). The demo host has the tables, empty.
 */
export const tag = hostTable(
  'tag',
  {
    id: id(),
    userid: ref('userid').notNull(),
    tagcollid: ref('tagcollid').notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    rawname: varchar('rawname', { length: 255 }).notNull(),
    isstandard: tinyint('isstandard').notNull().default(0),
    description: text('description'),
    descriptionformat: tinyint('descriptionformat').notNull().default(0),
    flag: int('flag').default(0),
    timemodified: ref('timemodified'),
  },
  (t) => [uniqueIndex('tagcollname').on(t.tagcollid, t.name), index('tagcolltype').on(t.tagcollid, t.isstandard)],
);

export const tagInstance = hostTable(
  'tag_instance',
  {
    id: id(),
    tagid: ref('tagid').notNull(),
    component: varchar('component', { length: 100 }).notNull(),
    itemtype: varchar('itemtype', { length: 100 }).notNull(),
    itemid: ref('itemid').notNull(),
    contextid: ref('contextid'),
    tiuserid: ref('tiuserid').notNull().default(0),
    ordering: ref('ordering'),
    timecreated: ref('timecreated').notNull().default(0),
    timemodified: ref('timemodified').notNull().default(0),
  },
  (t) => [
    uniqueIndex('taggeditem').on(t.component, t.itemtype, t.itemid, t.contextid, t.tiuserid, t.tagid),
    index('taglookup').on(t.itemtype, t.component, t.tagid, t.contextid),
  ],
);
