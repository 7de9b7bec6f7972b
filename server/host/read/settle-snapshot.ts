import type { Pool } from 'mysql2/promise';
import { CONTEXT_USER } from '../../../db/host/index.js';
import type { SettleSnapshot, MembershipRow, SupervisionRow } from '../../core/plan/settle.js';
import type { HostUser } from '../../core/plan/users.js';
import { groupBy } from '../../core/group-by.js';
import type { Scope } from '../../core/scope.js';
import { queryRows } from '../database.js';
import type { Site } from './site.js';
import { loadFileGroupMemberships } from './recorded-groups.js';
import { archiveSelectList } from './snapshot.js';
import { supervisionComponent, T } from '../tables.js';

export interface SettleNeeds {
  /** Existing groups the file touched. */
  groupIds: number[];
  /** With sync, every touched group's members are read (to find who leaves). */
  sync: boolean;
  /** Whether the import names group supervisors of its own. */
  settingsSupervisors: boolean;
  /** Whether the host has the mentor role: without it there is no supervision to keep in line. */
  supervision: boolean;
  /** Archive scope: the feed's users and the members of these groups. */
  archive: { source: string; groupIds: number[]; scope: Scope } | null;
  /** Class and role groups follow the file: the source's recorded groups these accounts are in. */
  fileGroups: { source: string; userIds: number[]; scope: Scope } | null;
}

/**
 * What the final plan needs of the host, for the existing groups the file touched: supervisors
 * recorded for them, and (only where sync or supervision needs them) their members and supervision.
 */
export async function loadSettleSnapshot(pool: Pool, site: Site, needs: SettleNeeds): Promise<SettleSnapshot> {
  const fileGroupMemberships = needs.fileGroups ? await loadFileGroupMemberships(pool, needs.fileGroups.source, needs.fileGroups.userIds, needs.fileGroups.scope) : [];
  // Old classes a pupil may leave count as touched: their supervisors follow membership there too.
  const touched = [...new Set([...needs.groupIds, ...fileGroupMemberships.map((m) => m.cohortid)])];
  const recorded = touched.length > 0 ? await queryRows<{ cohort_id: number; user_id: number }>(pool, 'SELECT cohort_id, user_id FROM intake_group_supervisor WHERE cohort_id IN (?)', [touched]) : [];
  const recordedSupervisors = new Map([...groupBy(recorded, (r) => r.cohort_id)].map(([g, rows]) => [g, rows.map((r) => r.user_id)]));
  const supervised = needs.supervision ? touched.filter((g) => needs.settingsSupervisors || recordedSupervisors.has(g)) : [];
  const fileGroups = new Set(needs.groupIds);
  // Members are read for the groups the file touched; an old class only for the supervision there.
  const withMembers = needs.sync ? needs.groupIds : supervised.filter((g) => fileGroups.has(g));
  const [members, supervision, archiveScope] = await Promise.all([
    withMembers.length > 0 ? queryRows<MembershipRow>(pool, `SELECT id, cohortid, userid, timeadded FROM ${T.cohortMembers} WHERE cohortid IN (?)`, [withMembers]) : ([] as MembershipRow[]),
    supervised.length > 0
      ? queryRows<SupervisionRow>(
          pool,
          `SELECT ra.id, ra.roleid, ra.contextid, ra.userid, ra.itemid, x.instanceid AS memberId, ra.timemodified, ra.modifierid
             FROM ${T.roleAssignments} ra JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = ?
            WHERE ra.component = ? AND ra.itemid IN (?)`,
          [CONTEXT_USER, supervisionComponent, supervised],
        )
      : ([] as SupervisionRow[]),
    needs.archive ? loadArchiveScope(pool, site, needs.archive.source, needs.archive.groupIds, needs.archive.scope) : ([] as HostUser[]),
  ]);
  return { members: groupBy(members, (m) => m.cohortid), recordedSupervisors, supervision, archiveScope, fileGroupMemberships };
}

/**
 * Who an archive may reach: members of the import's groups, and users that earlier imports under the
 * same source created or matched. Nobody else, whatever the file says. A coordinator's archive reaches
 * only the members of the import's groups (which lie in their categories).
 */
async function loadArchiveScope(pool: Pool, site: Site, source: string, groupIds: number[], scope: Scope): Promise<HostUser[]> {
  const groups = groupIds.length > 0 ? groupIds : [-1];
  const bySource = scope.kind === 'site' ? 'u.id IN (SELECT user_id FROM intake_source_user WHERE source = ?) OR' : '';
  return queryRows<HostUser>(
    pool,
    `SELECT ${archiveSelectList} FROM ${T.user} u WHERE u.deleted = 0 AND u.mnethostid = ? AND (${bySource} u.id IN (SELECT userid FROM ${T.cohortMembers} WHERE cohortid IN (?))) ORDER BY u.id`,
    scope.kind === 'site' ? [site.mnetHostId, source, groups] : [site.mnetHostId, groups],
  );
}
