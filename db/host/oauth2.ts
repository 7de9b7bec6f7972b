import { index, longtext, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { hostTable, id, ref } from './table.js';

/*
 * Moodle's OAuth 2 services and the single-sign-on identities linked to accounts (lib/db/install.xml,
 * auth/oauth2/db/install.xml), with the columns Intake reads and writes. Moodle logs a person in through
 * an issuer by looking up `auth_oauth2_linked_login` on (issuerid, username): the identity the service
 * sends, in lower case (auth_oauth2\auth::complete_login).
 */

/** The columns core\persistent keeps on every table it manages: when and by whom a record was written. */
const persistent = () => ({
  timecreated: ref('timecreated').notNull().default(0),
  timemodified: ref('timemodified').notNull().default(0),
  usermodified: ref('usermodified').notNull().default(0),
});

export const oauth2Issuer = hostTable('oauth2_issuer', {
  id: id(),
  ...persistent(),
  name: varchar('name', { length: 255 }).notNull(),
  image: longtext('image').notNull(),
  baseurl: longtext('baseurl').notNull(),
  clientid: longtext('clientid').notNull(),
  clientsecret: longtext('clientsecret').notNull(),
  loginscopes: longtext('loginscopes').notNull(),
  loginscopesoffline: longtext('loginscopesoffline').notNull(),
  loginparams: longtext('loginparams').notNull(),
  loginparamsoffline: longtext('loginparamsoffline').notNull(),
  alloweddomains: longtext('alloweddomains').notNull(),
  enabled: tinyint('enabled').notNull().default(1),
  showonloginpage: tinyint('showonloginpage').notNull().default(1),
  sortorder: ref('sortorder').notNull().default(0),
  requireconfirmation: tinyint('requireconfirmation').notNull().default(1),
  servicetype: varchar('servicetype', { length: 255 }),
});

export const oauth2Endpoint = hostTable(
  'oauth2_endpoint',
  {
    id: id(),
    ...persistent(),
    name: varchar('name', { length: 255 }).notNull(),
    url: longtext('url').notNull(),
    issuerid: ref('issuerid').notNull(),
  },
  (t) => [index('issuerid_key').on(t.issuerid)],
);

export const authOauth2LinkedLogin = hostTable(
  'auth_oauth2_linked_login',
  {
    id: id(),
    ...persistent(),
    userid: ref('userid').notNull(),
    issuerid: ref('issuerid').notNull(),
    username: varchar('username', { length: 255 }).notNull(),
    email: longtext('email').notNull(),
    confirmtoken: varchar('confirmtoken', { length: 64 }).notNull(),
    confirmtokenexpires: ref('confirmtokenexpires'),
  },
  (t) => [uniqueIndex('uniq_key').on(t.userid, t.issuerid, t.username), index('search_index').on(t.issuerid, t.username)],
);
