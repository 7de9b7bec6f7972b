import { getTableName } from 'drizzle-orm';
import { authOauth2LinkedLogin, cohort, cohortMembers, context, course, courseCategories, courseGroupMembers, courseGroups, enrol, userEnrolments, role, roleAllowAssign, roleAssignments, roleCapabilities, roleContextLevels, oauth2Endpoint, sessions, oauth2Issuer, tag, tagInstance, user, userInfoData, userPreferences } from '../../db/host/index.js';

/** Quoted host table names for the hand-written bulk statements, taken from the Drizzle schema. */
const quoted = (table: Parameters<typeof getTableName>[0]) => `\`${getTableName(table)}\``;

export const T = {
  user: quoted(user),
  context: quoted(context),
  cohort: quoted(cohort),
  cohortMembers: quoted(cohortMembers),
  userPreferences: quoted(userPreferences),
  userInfoData: quoted(userInfoData),
  courseCategories: quoted(courseCategories),
  role: quoted(role),
  roleAssignments: quoted(roleAssignments),
  roleContextLevels: quoted(roleContextLevels),
  roleAllowAssign: quoted(roleAllowAssign),
  roleCapabilities: quoted(roleCapabilities),
  oauth2Issuer: quoted(oauth2Issuer),
  oauth2Endpoint: quoted(oauth2Endpoint),
  linkedLogin: quoted(authOauth2LinkedLogin),
  sessions: quoted(sessions),
  course: quoted(course),
  enrol: quoted(enrol),
  userEnrolments: quoted(userEnrolments),
  courseGroups: quoted(courseGroups),
  courseGroupMembers: quoted(courseGroupMembers),
  tag: quoted(tag),
  tagInstance: quoted(tagInstance),
} as const;

/** The change log names tables without the prefix, so a log stays readable if the prefix moves. */
export type LoggedTable = 'user' | 'context' | 'cohort' | 'cohort_members' | 'user_preferences' | 'user_info_data' | 'course_categories' | 'role_assignments' | 'auth_oauth2_linked_login' | 'user_enrolments' | 'groups' | 'groups_members';
export const loggedTables: Record<LoggedTable, string> = {
  user: T.user,
  context: T.context,
  cohort: T.cohort,
  cohort_members: T.cohortMembers,
  user_preferences: T.userPreferences,
  user_info_data: T.userInfoData,
  course_categories: T.courseCategories,
  role_assignments: T.roleAssignments,
  auth_oauth2_linked_login: T.linkedLogin,
  user_enrolments: T.userEnrolments,
  groups: T.courseGroups,
  groups_members: T.courseGroupMembers,
};

/** The component Moodle's plugins tag their role assignments with; here: group supervision (item: the cohort). */
export const supervisionComponent = 'local_intake';

export const isLoggedTable = (name: string): name is LoggedTable => Object.hasOwn(loggedTables, name);
