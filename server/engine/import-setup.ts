import type { ColumnMapping, Settings } from '../contract/types.js';
import type { ProfileField } from '../contract/catalog.js';
import { profileShortnameOf } from '../contract/catalog.js';
import { IntakeError } from '../core/errors.js';
import { assertMappingUsable, mapColumns } from '../core/map/map-columns.js';
import { noCourses } from '../core/plan/courses.js';
import type { PlanContext } from '../core/plan/users.js';
import type { Table } from '../core/read/table.js';
import { createValidator } from '../core/validate/validate.js';
import { dayIn, midnightIn, parseDate } from '../core/validate/values.js';
import { loadUserColumnDefaults } from '../host/read/column-defaults.js';
import { loadCourses } from '../host/read/courses.js';
import { loadKeyJoin } from '../host/read/keyed-lookup.js';
import { loadProfileFields } from '../host/read/profile-fields.js';
import { loadRecordedFileGroups } from '../host/read/recorded-groups.js';
import { loadRoles } from '../host/read/roles.js';
import { loadSite, protectedUserIds } from '../host/read/site.js';
import { loadStructure } from '../host/read/structure.js';
import { supervisorsInSight } from '../host/read/snapshot.js';
import type { BatchWriteContext } from '../host/write/batch.js';
import { hasConsecutiveIds } from '../host/write/inserted-ids.js';
import { CreatedStructure } from '../host/write/structure.js';
import { holdBackColumnsNamingNobody } from './held-back-columns.js';
import { answeringFields, answeringNameFields, learnSupervisorsMadeHere } from './supervisors-made-here.js';
import { SupervisorNames } from '../core/plan/made-supervisors.js';
import type { EngineServices, RunOptions } from './import-options.js';
import { samplesOf } from './inspect-file.js';
import { assertCanNotify, assertCoordinatorPlacesNewAccounts, assertSettingsFitSite, assertSurnamePrefixTarget, resolveCredentialsRecipient, resolveImportGroups, resolveRole, resolveSsoIssuer, resolveSupervisors, resolveTop, settingsFittedToFile } from './resolve-settings.js';

/**
 * Everything an import reads and decides before its first batch: the file's columns mapped, the settings
 * fitted to the file (what the caller left out, the file decides) and refused here when they cannot work
 * on this site or for this actor, the site with its structure and roles, the rows counted (a file over a
 * limit is refused before any change), the plan's context, what each batch looks up and how it is
 * written, and the validator of rows. Nothing is written to the host.
 */
export async function setUpImport(services: Pick<EngineServices, 'database' | 'env' | 'notifications'>, options: Pick<RunOptions, 'settings' | 'mode' | 'onProgress' | 'actor' | 'importId' | 'fixes'>, table: Table) {
  const { database, env, notifications } = services;
  const { mode, onProgress, actor } = options;
  const pool = database.pool;
  const profileFields = await loadProfileFields(pool);
  const site = await loadSite(database.db);
  const columns = await holdBackColumnsNamingNobody(pool, site, mapColumns(table.header, options.settings.mapping, await samplesOf(table), profileFields));
  const mapped = new Set(columns.map((c) => c.field));
  assertCanNotify(options.settings, notifications, mapped);
  // What the caller left out, the file decides (match field, sign-on, passwords, username template); the result says so.
  const { settings, chosen: defaultsChosen, ssoIssuers } = await settingsFittedToFile(database, site, options.settings, mapped, notifications !== undefined);
  assertMappingUsable(columns, settings, profileFields);
  assertSurnamePrefixTarget(settings, profileFields);
  assertSettingsFitSite(settings, site);
  const top = await resolveTop(database, settings, actor.scope);
  const structure = await loadStructure(pool, site, top);
  const roles = await loadRoles(pool);
  const importGroups = resolveImportGroups(structure, settings.group, actor.scope);
  const groupSupervisors = await resolveSupervisors(database, site, settings, actor.scope);
  const credentialsRecipient = await resolveCredentialsRecipient(database, site, settings, actor.scope);
  const mentorRoleId = roles.byShort(env.INTAKE_MENTOR_ROLE)?.id ?? null;
  assertCoordinatorPlacesNewAccounts(settings, actor.scope, mapped);
  if (mentorRoleId === null && (groupSupervisors.length > 0 || mapped.has('supervisor'))) {
    throw new IntakeError('role_not_found', `Supervisors need the host role "${env.INTAKE_MENTOR_ROLE}".`, { role: env.INTAKE_MENTOR_ROLE });
  }
  const ssoIssuer = mapped.has('ssoId') ? resolveSsoIssuer(settings, site, ssoIssuers) : null;
  const now = Math.floor(Date.now() / 1000);
  const format = table.format;
  const layout = format.type === 'csv' ? { delimiter: format.delimiter } : format.sheetColumn ? { sheetNameColumn: table.header.indexOf(format.sheetColumn) } : {};
  const siteRules = { timeZone: site.timeZone, timeZoneForced: site.timeZoneForced, languages: site.languages, extendedUsernameChars: site.extendedUsernameChars, userThemes: site.userThemes, enabledAuth: site.enabledAuth, setsInterests: site.plugin !== null };
  /** A validator of only these fields of a row (a pass that needs no more of it): the others are left unread. */
  const validatorOf = (fields: ReadonlySet<string | null>) => createValidator(columns.map((c) => (fields.has(c.field) ? c : { ...c, field: null })), settings, profileFields, siteRules, layout);
  // The whole file is read once before any change, so a file over a limit is refused first: counted, and
  // with a supervisor column, read for the supervisors it makes itself in the same pass.
  const checking = checkingProgress(onProgress);
  const { rows: total, madeHere: supervisorsMadeHere, onSite: supervisorsOnSite } =
    mapped.has('supervisor')
      ? await learnSupervisorsMadeHere(pool, site, table, validatorOf(supervisorAndAnswers), options.fixes, checking)
      : { rows: await table.count(checking), madeHere: noSupervisorsMadeHere, onSite: null };
  if (total === 0) throw new IntakeError('no_data_rows', 'The file has a header but no data rows.');

  const ctx: PlanContext = {
    settings,
    protectedUserIds: protectedUserIds(site),
    allowSameEmail: site.allowSameEmail,
    passwordPolicy: site.passwordPolicy,
    profileFields: new Map(profileFields.map((f) => [f.shortname, f])),
    now,
    ssoIssuerId: ssoIssuer?.id ?? null,
    mnetHostId: site.mnetHostId,
    // Only an import whose rows have places, and whose groups follow the file, moves anyone out of one.
    recordedFileGroups: settings.classes === 'follow' && hasPlaces(mapped, settings) ? await loadRecordedFileGroups(pool, settings.source, actor.scope) : null,
    placement: {
      structure,
      scope: actor.scope,
      importGroups,
      importRole: resolveRole(roles, settings, actor.scope),
      teacherRole: settings.teacherRole,
      roles,
      validity: { from: parseDate(settings.validity?.from ?? ''), until: parseDate(settings.validity?.until ?? '') },
      classMapped: mapped.has('class'),
      siteLang: site.lang,
      courses: mapped.has('course') ? await loadCourses(pool) : noCourses,
      // As Moodle's upload starts an enrolment without a date: at midnight of today (make_timestamp()).
      // Worked out when an enrolment asks: a time zone's first date format costs some 20 ms of the start.
      get today() {
        return midnightIn(dayIn(now, site.timeZone), site.timeZone);
      },
      timeZone: site.timeZone,
      supervisorsMadeHere,
    },
  };
  // What rows can be placed in decides what the batch snapshots read of matched users' placement.
  const places = {
    // A role Moodle allows only in courses (student, teacher) places its holders in a group of the node.
    groups: importGroups.length > 0 || mapped.has('class') || mapped.has('group') || mapped.has('role') || ctx.placement.importRole !== null,
    roles: ctx.placement.importRole !== null || mapped.has('role') || mapped.has('categoryRole') || mapped.has('course') || mapped.has('systemRole'),
    mentorRoleId: mapped.has('supervisor') ? mentorRoleId : null,
    courses: mapped.has('course') ? ctx.placement.courses : null,
  };
  const writing: BatchWriteContext = {
    site,
    source: settings.source,
    importId: options.importId,
    actorId: actor.id,
    now,
    mentorRoleId,
    ssoIssuerId: ctx.ssoIssuerId,
    sessionTimeout: site.sessionTimeout,
    consecutiveIds: await hasConsecutiveIds(pool),
    columnDefaults: mode === 'commit' ? await loadUserColumnDefaults(pool) : new Map(),
    structure: new CreatedStructure(site.systemContext),
  };

  const validate = createValidator(columns, settings, profileFields, siteRules, layout);
  // The first pass over a file of pupils and teachers needs of most rows only whom they name and as what
  // (RepeatedRows.needsWhole): the same rules for those two columns, the others left unread.
  const validateKeyAndRole = validatorOf(new Set([settings.matchOn, 'role']));
  // What the batch snapshots read of matched users: the profile fields in play, their places, their validity.
  const lookups = {
    profileFieldIds: mappedProfileFieldIds(profileFields, columns, settings),
    places,
    validity: ctx.placement.validity.from !== null || ctx.placement.validity.until !== null || mapped.has('validFrom') || mapped.has('validUntil'),
    keyJoin: await loadKeyJoin(pool),
    // The file's supervisors as the site has them before the import, and whether the actor may name them:
    // every batch of a preview and of its commit links the same people.
    supervisors: supervisorsOnSite === null ? null : { asked: supervisorsOnSite.asked, ...(await supervisorsInSight(pool, supervisorsOnSite.found, actor.scope)) },
  };
  return { settings, defaultsChosen, columns, mapped, site, importGroups, groupSupervisors, credentialsRecipient, mentorRoleId, total, ctx, lookups, writing, validate, validateKeyAndRole };
}

/** What a pass for the supervisors a file makes reads of each row: whom it names, and who it is. */
const supervisorAndAnswers: ReadonlySet<string | null> = new Set(['supervisor', ...answeringFields, ...answeringNameFields]);
const noSupervisorsMadeHere = new SupervisorNames(new Set());

/** Whether rows may fill groups from their places: a class column, or a role (the file's or the import's) that joins its place's role group. */
const hasPlaces = (mapped: ReadonlySet<string | null>, settings: Settings) => mapped.has('class') || mapped.has('role') || settings.role !== undefined;

/** The progress of the reading before the batches: the rows read so far, said every 10,000. */
function checkingProgress(onProgress: RunOptions['onProgress']): (read: number) => Promise<void> {
  let told = 0;
  return async (read) => {
    if (Math.floor(read / 10_000) > Math.floor(told / 10_000)) await onProgress?.({ phase: 'checking', done: read, total: 0 });
    told = read;
  };
}

/** The profile fields this import reads or writes: mapped columns and the surname prefix's field. */
function mappedProfileFieldIds(profileFields: ProfileField[], columns: ColumnMapping[], settings: Settings): number[] {
  return profileFields
    .filter(
      (f) =>
        columns.some((c) => c.field !== null && profileShortnameOf(c.field) === f.shortname) ||
        (settings.surnamePrefix !== 'lastname' && settings.surnamePrefix.profileField === f.shortname),
    )
    .map((f) => f.id);
}

