import type { ProfileField, MatchField } from '../contract/catalog.js';
import { profileShortnameOf } from '../contract/catalog.js';
import { groupChartSize, type CellFixes, type ColumnMapping, type Counts, type DetectedFormat, type Progress, type RowOutcome, type Settings, type StructureChanges } from '../contract/types.js';
import { requiredFields } from '../contract/required-fields.js';
import { IntakeError } from '../core/errors.js';
import { assertMappingUsable, mapColumns } from '../core/map/map-columns.js';
import { createsStructure, planBatch, PlanState, type BatchPlan } from '../core/plan/batch.js';
import { countBatch, countLandings, countResumed, countSettle, emptyCounts, topLandings } from '../core/plan/counts.js';
import { KeySet } from '../core/plan/key-set.js';
import { planSettle, touchedGroupIds } from '../core/plan/settle.js';
import { RepeatedRows } from '../core/plan/repeated-rows.js';
import { rowReference, sheetsReadOf } from '../contract/row-label.js';
import { markDuplicates, type BatchSnapshot, type ClaimGeneration, type PlanContext, type PlannedRow } from '../core/plan/users.js';
import { openTable } from '../core/read/open-table.js';
import { headerSearchRows, type ByteSource, type SourceRow, type Table } from '../core/read/table.js';
import { shownCell } from '../core/read/uncalculated.js';
import type { Scope } from '../core/scope.js';
import { createValidator, type Candidate } from '../core/validate/validate.js';
import { withFixes } from '../core/read/cell-fixes.js';
import { dayIn, midnightIn, parseDate } from '../core/validate/values.js';
import { inTransaction, type Database } from '../host/database.js';
import type { PasswordPool } from '../host/hashing/password-pool.js';
import { loadUserColumnDefaults } from '../host/read/column-defaults.js';
import { loadProfileFields } from '../host/read/profile-fields.js';
import { loadRoles } from '../host/read/roles.js';
import { loadSettleSnapshot } from '../host/read/settle-snapshot.js';
import { loadSite, protectedUserIds } from '../host/read/site.js';
import { personById } from '../host/read/people.js';
import { loadBatchSnapshot } from '../host/read/snapshot.js';
import { loadKeyJoin } from '../host/read/keyed-lookup.js';
import { loadStructure } from '../host/read/structure.js';
import { loadCourses } from '../host/read/courses.js';
import { noCourses } from '../core/plan/courses.js';
import { writeBatch, type BatchWriteContext } from '../host/write/batch.js';
import { writeLog, type Change } from '../host/write/change-log.js';
import { hasConsecutiveIds } from '../host/write/inserted-ids.js';
import { writeSettle } from '../host/write/settle.js';
import { queueReplay } from '../host/write/moodle-follow-up.js';
import { askMoodleToReplay } from '../host/replay-now.js';
import { accountsCreatedBy } from '../host/read/change-log.js';
import { CreatedStructure } from '../host/write/structure.js';
import type { Credential } from '../mail/credential.js';
import type { Sealer } from '../mail/seal.js';
import type { SealedLogin } from '../store/pending-logins.js';
import type { Notifications } from '../mail/notifications.js';
import { queueNotifications, queueReport, type UpdatedAccount } from '../mail/notify.js';
import type { FileCipher } from '../store/file-cipher.js';
import { clearRowOutcomes, saveRowOutcomes } from '../store/rows.js';
import type { Env } from './env.js';
import { newPasswords } from './passwords.js';
import { WritesInFlight } from './writes-in-flight.js';
import { assertCanNotify, assertCoordinatorPlacesNewAccounts, assertSettingsFitSite, assertSurnamePrefixTarget, resolveImportGroups, resolveCredentialsRecipient, resolveRole, resolveSsoIssuer, resolveSupervisors, resolveTop, settingsFittedToFile } from './resolve-settings.js';

export interface EngineServices {
  database: Database;
  env: Env;
  passwords: PasswordPool;
  /** Present when the configuration has a key for the outbox: only then can anyone be told anything. */
  notifications?: Notifications;
  /** Seals uploads waiting in the database (a server always has one; the CLI reads files from disk). */
  files?: FileCipher;
}

/** What a server's routes and worker need: uploads wait in the database, sealed. */
export type ServerServices = EngineServices & { files: FileCipher };

/** Who runs the import: their id (logged as modifier) and where they may import. */
export interface ImportActor {
  id: number;
  scope: Scope;
}

export interface RunOptions {
  importId: number;
  bytes: ByteSource;
  settings: Settings;
  mode: 'preview' | 'commit';
  actor: ImportActor;
  /** For the report mail. */
  fileName?: string;
  onProgress?: (progress: Progress) => void | Promise<void>;
  /**
   * Rows per batch (default 1000), or how many for a file of so many columns (the command's: what a batch
   * holds in memory grows with its cells); tests make them small to put many batches in flight at once.
   */
  batchRows?: number | ((columns: number) => number);
  /** Cells the admin corrected in the preview, laid over the file's. */
  fixes?: CellFixes | undefined;
  /**
   * Which rows' outcomes are stored: `every` row (what a preview pages and searches through), or the
   * `notable` ones worth looking at again (errors, skips, updates, warnings). By default a preview keeps
   * every row and a commit the notable ones.
   */
  keepRows?: 'every' | 'notable';
}

export interface RunResult {
  format: DetectedFormat;
  columns: ColumnMapping[];
  counts: Counts;
  structure: StructureChanges;
}

const defaultBatchRows = 1000;
/** Batch writes a commit keeps in flight at once, each on its own connection (measured: two use both cores). */
const writesInFlight = 2;
/** How often a batch that met another import's rows (a duplicate key) is planned and written again. */
const replansOnDuplicate = 5;
/** The named lock under which nodes and groups are created. */
const structureLock = 'intake:structure:';
const sampleRows = 20;

/** A row worth looking at again after the run: anything but a plain "created" or "unchanged". */
// A person's later rows joined into their first (same_person) hold nothing to look at again either.
const isNotable = (row: RowOutcome) => (!['create', 'unchanged'].includes(row.outcome) && row.reason !== 'same_person') || row.problems.length > 0;

const limitsOf = (env: Env) => ({ maxRows: env.INTAKE_MAX_ROWS, maxCellChars: env.INTAKE_MAX_CELL_CHARS, maxColumns: env.INTAKE_MAX_COLUMNS });

async function* batches(table: Table, size: number): AsyncGenerator<SourceRow[]> {
  let batch: SourceRow[] = [];
  for await (const chunk of table.chunks()) {
    for (const row of chunk) {
      batch.push(row);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The first pass of a file with a group column: which rows list a person again for another group
 * (RepeatedRows). Null for a file without groups: no row can be joined, and no pass is spent.
 */
async function learnRepeatedRows(
  table: Table,
  mapped: ReadonlySet<string | null>,
  matchOn: MatchField,
  total: number,
  validate: (row: SourceRow) => Candidate,
  onProgress: RunOptions['onProgress'],
): Promise<RepeatedRows | null> {
  if (!mapped.has('group') || !mapped.has(matchOn)) return null;
  const repeated = new RepeatedRows(matchOn, total);
  let read = 0;
  for await (const chunk of table.chunks()) {
    for (const row of chunk) repeated.learn(validate(row));
    read += chunk.length;
    await onProgress?.({ phase: 'checking', done: read, total });
  }
  return repeated;
}

/** The first data rows: shown at mapping, and used to tell ambiguous headers apart (a class or a group). */
async function samplesOf(table: Table): Promise<string[][]> {
  const samples: string[][] = [];
  for await (const row of table.rows()) {
    // As the admin sees them: a formula nothing calculated shows as its formula.
    samples.push(row.cells.map(shownCell));
    if (samples.length === sampleRows) break;
  }
  return samples;
}

/** Reads the header and first rows: what the mapping step shows before any setting is chosen. */
export async function inspectFile(env: Env, bytes: ByteSource, settings: Pick<Settings, 'mapping' | 'matchOn' | 'actions' | 'password' | 'auth' | 'file'>, profileFields: ProfileField[] = []) {
  // The header (searched for, or where the settings put it) and the samples after it: a workbook of a
  // hundred thousand rows is not parsed whole to show its first twenty.
  const leadingRows = Math.max(headerSearchRows, settings.file?.headerRow ?? 0) + sampleRows;
  const table = await openTable(bytes, { ...limitsOf(env), leadingRows }, settings.file);
  try {
    const samples = await samplesOf(table);
    return { format: table.format, columns: mapColumns(table.header, settings.mapping, samples, profileFields), requiredFields: requiredFields(settings), samples: samples.slice(0, 5) };
  } finally {
    await table.close();
  }
}

/** Reads the whole file once without writing, so a file over a limit is refused before any change. */
async function countRows(table: Table, onProgress: RunOptions['onProgress']): Promise<number> {
  let told = 0;
  const rows = await table.count(async (counted) => {
    if (Math.floor(counted / 10_000) > Math.floor(told / 10_000)) await onProgress?.({ phase: 'checking', done: counted, total: 0 });
    told = counted;
  });
  if (rows === 0) throw new IntakeError('no_data_rows', 'The file has a header but no data rows.');
  return rows;
}

/** A batch read, validated and being looked up: what it needs to be planned. */
interface LookedUp {
  candidates: Candidate[];
  snapshot: Promise<BatchSnapshot>;
}

/**
 * One import, start to end: read → map → validate → plan → (commit only) write. The plan decides every
 * change; a preview is its summary and writes nothing to the host; a commit recomputes the plan against
 * the host as it is now, with the actor's scope read again, and writes exactly that. Every data row ends
 * in exactly one outcome, recorded in `intake_row`.
 */
export async function runImport(services: EngineServices, options: RunOptions): Promise<RunResult> {
  // A workbook is read whole as it opens: its rows read so far show as the check's progress.
  const table = await openTable(options.bytes, limitsOf(services.env), options.settings.file, (rows) => options.onProgress?.({ phase: 'checking', done: rows, total: 0 }));
  try {
    return await runOnTable(services, options, table);
  } finally {
    await table.close();
  }
}

async function runOnTable(services: EngineServices, options: RunOptions, table: Table): Promise<RunResult> {
  const { database, env, passwords, notifications } = services;
  const { mode, onProgress, actor } = options;
  const keepRows = options.keepRows ?? (mode === 'preview' ? 'every' : 'notable');
  const pool = database.pool;
  const startedAt = Date.now();
  const profileFields = await loadProfileFields(pool);
  const columns = mapColumns(table.header, options.settings.mapping, await samplesOf(table), profileFields);
  const mapped = new Set(columns.map((c) => c.field));
  assertCanNotify(options.settings, notifications, mapped);
  const site = await loadSite(database.db);
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
  const total = await countRows(table, onProgress);
  const now = Math.floor(Date.now() / 1000);

  const ctx: PlanContext = {
    settings,
    protectedUserIds: protectedUserIds(site),
    allowSameEmail: site.allowSameEmail,
    passwordPolicy: site.passwordPolicy,
    profileFields: new Map(profileFields.map((f) => [f.shortname, f])),
    now,
    ssoIssuerId: ssoIssuer?.id ?? null,
    mnetHostId: site.mnetHostId,
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
    },
  };
  const mappedProfileIds = mappedProfileFieldIds(profileFields, columns, settings);
  // What rows can be placed in decides what the batch snapshots read of matched users' placement.
  const places = {
    // A role Moodle allows only in courses (student, teacher) places its holders in a group of the node.
    groups: importGroups.length > 0 || mapped.has('class') || mapped.has('group') || mapped.has('role') || ctx.placement.importRole !== null,
    roles: ctx.placement.importRole !== null || mapped.has('role') || mapped.has('categoryRole') || mapped.has('course') || mapped.has('systemRole'),
    mentorRoleId: mapped.has('supervisor') ? mentorRoleId : null,
    courses: mapped.has('course') ? ctx.placement.courses : null,
  };
  const keyJoin = await loadKeyJoin(pool);
  const hasValidity = ctx.placement.validity.from !== null || ctx.placement.validity.until !== null || mapped.has('validFrom') || mapped.has('validUntil');
  const counts = emptyCounts();
  // Who lands in a new group matters only to its supervision: supervisors chosen, or the coordinator's own.
  // A preview claims every row's username and e-mail to its end: its tables are made for the whole file at once.
  const state = new PlanState(structure, mentorRoleId !== null && (groupSupervisors.length > 0 || actor.scope.kind === 'categories'), mode === 'preview' ? total : undefined);
  state.structure.shareWishes(importGroups);
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

  // A resumed commit finds the accounts earlier attempts created as they are now: it counts them as created.
  const createdBefore = mode === 'commit' ? await accountsCreatedBy(pool, options.importId) : 0;
  await clearRowOutcomes(pool, options.importId);
  const delimited = table.format.type === 'csv' ? { delimiter: table.format.delimiter } : null;
  const validate = createValidator(columns, settings, profileFields, { timeZone: site.timeZone, timeZoneForced: site.timeZoneForced, languages: site.languages, extendedUsernameChars: site.extendedUsernameChars, userThemes: site.userThemes, enabledAuth: site.enabledAuth, setsInterests: site.plugin !== null }, delimited);
  // A person listed once per group is joined into their first row, learnt in a pass of its own (only a
  // file with groups can list anyone so): preview and commit join the same rows.
  const repeated = settings.actions.add || settings.actions.update ? await learnRepeatedRows(table, mapped, settings.matchOn, total, (row) => validate(withFixes(row, options.fixes)), onProgress) : null;
  const seen = repeated?.firstRows ?? new KeySet(total);
  const phase = mode === 'commit' ? 'writing' : 'planning';
  await onProgress?.({ phase, done: 0, total });

  // Updated accounts to tell (no secret in them). New logins never wait in memory: each batch seals
  // its own into the database, in the transaction that creates the accounts.
  const updated: UpdatedAccount[] = [];
  /** Rows per group, over every batch: the outcome's picture. */
  const landings = new Map<string, number>();
  let joinedRows = 0;
  /** Enrolments, course groups or their members were written: Moodle's caches of courses are refreshed. */
  let coursesChanged = false;

  /** Template bases of the batch looked up but not yet planned, with their rows: the next lookup asks past them. */
  let basesAhead = new Map<string, number>();
  const numbering = { from: (base: string) => state.claims.numberedFrom(base), ahead: (base: string) => basesAhead.get(base) ?? 0 };
  /** What the host holds for a batch's rows, looked up in one go. */
  const lookUp = (candidates: Candidate[]) =>
    loadBatchSnapshot(pool, site, settings.matchOn, candidates, { profileFieldIds: mappedProfileIds, scope: actor.scope, places, validity: hasValidity, source: settings.source, ssoIssuerId: ctx.ssoIssuerId, keyJoin, numbering });

  /** Writes one batch's plan in one transaction: its new accounts, their places, and their sealed logins. */
  const writePlan = async (plan: BatchPlan) => {
    const creates = plan.rows.filter((r) => r.outcome === 'create');
    // Hashing is the slow part of new accounts (thousands of rounds each): its progress is shown too.
    const { stored, plain } = await newPasswords(creates, settings, site, passwords, (hashed) => void onProgress?.({ phase: 'hashing', done: counts.rows + Math.round((hashed / creates.length) * plan.rows.length), total }));
    // Batches that create nodes or groups take the structure lock: two imports never create the same one twice.
    // A deadlock with another import rolls the batch back whole; it is written again, a few times at most.
    const sealLogins = () => (notifications ? sealedLogins(plan, creates, plain, site.lang, notifications.sealer) : []);
    await inTransaction(pool, (conn) => writeBatch(conn, plan, stored, writing, sealLogins), {
      ...(createsStructure(plan) ? { lock: structureLock } : {}),
      retries: 3,
      onRetry: (code, attempt) => console.error(`intake: import ${options.importId}: batch at row ${plan.rows[0]?.row ?? 0} written again after ${code} (attempt ${attempt + 1})`),
    });
  };

  /**
   * The batch's write met a row another import (another server, another process) wrote after this batch
   * was looked up: a duplicate key, rolled back whole. The batch is looked up and planned again against
   * the host as it is now (whom the other import created is found, not created twice) and written.
   */
  const planAgain = async (plan: BatchPlan, candidates: Candidate[], claims: ClaimGeneration | null): Promise<BatchPlan> => {
    state.forgetPlanned(plan);
    // A group this batch was to create may be another import's by now: the rolled-back attempt found its id.
    confirmWrittenGroups(plan);
    if (claims) state.claims.setAside(claims);
    const again = planBatch(candidates, await lookUp(candidates), ctx, state);
    // The nodes and groups it was to create were not created (rolled back): they still are its to create.
    again.nodes = [...plan.nodes, ...again.nodes];
    again.groups = [...plan.groups, ...again.groups];
    again.courseGroups = [...plan.courseGroups, ...again.courseGroups];
    return again;
  };

  /** Tells the plan which ids the groups a batch created have on the host. */
  const confirmWrittenGroups = (plan: BatchPlan) => {
    for (const group of [...plan.groups, ...plan.courseGroups]) {
      const id = writing.structure.writtenGroupId(group.key);
      if (id !== undefined) state.structure.confirmWritten(group.key, id);
    }
  };

  /** Writes (a commit) one batch's plan, records its outcomes and adds it to the counts. */
  const finish = async (first: BatchPlan, candidates: Candidate[], claims: ClaimGeneration | null) => {
    let plan = first;
    if (mode === 'commit') {
      for (let attempt = 1; ; attempt++) {
        try {
          await writePlan(plan);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== 'ER_DUP_ENTRY' || attempt > replansOnDuplicate) throw error;
          console.error(`intake: import ${options.importId}: batch at row ${plan.rows[0]?.row ?? 0} met what another import wrote meanwhile (${(error as Error).message}); planned again (attempt ${attempt + 1})`);
          plan = await planAgain(plan, candidates, claims);
        }
      }
      state.confirmCreated(plan);
      confirmWrittenGroups(plan);
      updated.push(...plan.notices.updated.map((u) => ({ userId: u.user, fields: u.fields, ...(u.joined ? { joined: u.joined } : {}) })));
    }
    // A preview in the wizard keeps every row's outcome for paging; a commit keeps those worth looking at
    // again (errors, skips, updates, warnings), not a hundred thousand plain "created" and "unchanged".
    await saveRowOutcomes(pool, options.importId, keepRows === 'every' ? plan.rows : plan.rows.filter(isNotable));
    countBatch(counts, plan);
    if (plan.enrolments.length + plan.enrolmentUpdates.length + plan.courseGroups.length + plan.courseGroupMemberships.length > 0) coursesChanged = true;
    countLandings(landings, plan);
    for (const row of plan.rows) if (row.reason === 'same_person') joinedRows++;
    await onProgress?.({ phase, done: counts.rows, total });
  };

  // The next batch is read, looked up and planned while earlier ones are written (a preview: their row
  // outcomes saved), each write on its own connection. A batch that creates nodes or groups is written
  // before any later batch starts: they place rows in what it creates.
  const writes = new WritesInFlight(writesInFlight);
  /** Plans a looked-up batch and starts its write. */
  const planAndWrite = async ({ candidates, snapshot }: LookedUp) => {
    const plan = planBatch(candidates, await snapshot, ctx, state);
    await writes.room();
    // The rows of batches still in flight are not in the host's tables yet: their claims stay. One batch
    // more than the writes in flight: the batch after this one was looked up before this one was written.
    const claims = mode === 'commit' ? state.claims.advance(writes.limit + 1) : null;
    await writes.start(finish(plan, candidates, claims), createsStructure(plan));
  };
  // Each batch is looked up as soon as it is read, while the batch before it is planned and written: the
  // round trips to the host overlap the planning instead of following it (a re-import waited a quarter
  // of its time for them).
  let waiting: LookedUp | null = null;
  /** Rows with no usable value to find accounts by: an archive cannot tell who they are, so it waits. */
  let unidentified = 0;
  const batchRows = typeof options.batchRows === 'function' ? options.batchRows(table.header.length) : (options.batchRows ?? defaultBatchRows);
  // A workbook's sheets read together: a row another row repeats is named with its sheet.
  const labelOf = rowReference(sheetsReadOf(table.format));
  for await (const batch of batches(table, batchRows)) {
    const candidates = batch.map((row) => validate(withFixes(row, options.fixes)));
    if (repeated) for (const c of candidates) repeated.apply(c);
    markDuplicates(candidates, settings.matchOn, seen, labelOf);
    for (const c of candidates) if (!c.note && c.values[settings.matchOn] === undefined) unidentified++;
    basesAhead = waiting ? templateBases(waiting.candidates) : new Map();
    const snapshot = lookUp(candidates);
    // Awaited when planned; a failure meanwhile must not count as unhandled.
    snapshot.catch(() => undefined);
    if (waiting) await planAndWrite(waiting);
    waiting = { candidates, snapshot };
  }
  if (waiting) await planAndWrite(waiting);
  await writes.drain();

  // Once, after every batch: groups settle (sync, supervision) and archive, from the host as it is now.
  if (settings.actions.archive) await onProgress?.({ phase: 'archiving', done: counts.rows, total });
  const touched = touchedGroupIds(state);
  const importGroupId = importGroups.flatMap((g) => ('existing' in g ? [g.existing.id] : []));
  // Whoever a row without a key is, they are in the file: archiving now could suspend them.
  const archiving = settings.actions.archive && unidentified === 0;
  const settleSnapshot = await loadSettleSnapshot(pool, site, {
    groupIds: touched,
    sync: settings.membership === 'sync',
    settingsSupervisors: groupSupervisors.length > 0,
    supervision: mentorRoleId !== null,
    archive: archiving ? { source: settings.source, groupIds: [...new Set([...touched, ...importGroupId])], scope: actor.scope } : null,
    classes: settings.classes === 'follow' && state.classes().size > 0 ? { source: settings.source, userIds: [...state.classes().keys()], scope: actor.scope } : null,
  });
  const settle = planSettle(state, settleSnapshot, {
    sync: settings.membership === 'sync',
    followClasses: settings.classes === 'follow',
    archive: archiving,
    matchOn: settings.matchOn,
    supervisorIds: groupSupervisors,
    coordinatorId: actor.scope.kind === 'categories' ? actor.id : null,
    mentorRoleId,
    protectedUserIds: ctx.protectedUserIds,
    inFile: seen,
  });
  const summary = state.structure.summary();
  if (mode === 'commit') {
    await inTransaction(pool, async (conn) => {
      const log: Change[] = [];
      await writeSettle(conn, settle, writing, log);
      await writeLog(conn, options.importId, log);
      // Moodle's own follow-up (events, category cache, sort order) runs in Moodle, from the change log.
      if (site.plugin) await queueReplay(conn, { importid: options.importId, categories: summary.newNodes.length > 0, courses: coursesChanged }, Math.floor(Date.now() / 1000), actor.id);
    });
  }
  // Once committed, Moodle is asked to run the follow-up now rather than at its next cron run.
  const hostFollowUp = mode === 'commit' && site.plugin ? await askMoodleToReplay(database.db) : null;
  countSettle(counts, settle);
  countResumed(counts, createdBefore);

  if (mode === 'commit' && notifications) {
    const mailSite = { name: site.name, url: notifications.siteUrl ?? site.plugin?.wwwroot ?? notifications.publicUrl, timeZone: site.timeZone };
    // Every login this import holds, earlier attempts' included, moves into messages exactly once.
    await queueNotifications({ pool, sealer: notifications.sealer, importId: options.importId, settings, site: mailSite, actor, credentialsRecipient, updated, inviteDays: notifications.inviteDays, publicUrl: notifications.publicUrl });
    if (settings.notify.reportTo) {
      const who = await personById(pool, actor.id);
      await queueReport(pool, notifications.sealer, options.importId, settings.notify.reportTo, {
        file: options.fileName ?? 'import',
        actor: who ?? { username: `user ${actor.id}`, lang: site.lang },
        seconds: (Date.now() - startedAt) / 1000,
        counts,
        format: table.format,
      }, mailSite);
    }
  }
  await onProgress?.({ phase: 'done', done: counts.rows, total });
  const toArchive = settle.archive.slice(0, 500).map((u) => ({ username: u.username, name: `${u.firstname ?? ''} ${u.lastname ?? ''}`.trim() }));
  const hostCategoryCache = summary.newNodes.length === 0 ? {} : { hostCategoryCache: site.plugin ? ('refreshed' as const) : ('purge_needed' as const) };
  return {
    format: table.format,
    columns,
    counts,
    structure: {
      ...summary,
      ...(settings.actions.archive ? { toArchive } : {}),
      ...(settings.actions.archive && !archiving ? { archiveHeld: { rows: unidentified } } : {}),
      ...hostCategoryCache,
      ...(hostFollowUp ? { hostFollowUp } : {}),
      ...(defaultsChosen.length > 0 ? { defaultsChosen } : {}),
      byGroup: topLandings(landings, groupChartSize),
      ...(joinedRows > 0 ? { joinedRows } : {}),
    },
  };
}

/**
 * The logins a written batch's notices name, sealed: the plaintext password exists only in memory
 * between hashing and this moment, and from here on only sealed.
 */
function sealedLogins(plan: BatchPlan, creates: PlannedRow[], plain: (string | null)[], siteLang: string, sealer: Sealer): SealedLogin[] {
  const created = new Map(creates.map((row, i) => [-row.row, { row, password: plain[i] ?? null }]));
  const seal = (ref: number, kind: SealedLogin['kind']): SealedLogin[] => {
    const found = created.get(ref);
    if (!found || found.row.userId === null || !found.password) return [];
    const v = found.row.create!.values;
    const login: Credential = { userId: found.row.userId, username: found.row.username, password: found.password, firstname: v.firstname ?? '', lastname: v.lastname ?? '', email: v.email ?? '', lang: v.lang ?? siteLang };
    return [{ userId: login.userId, kind, sealed: sealer.seal(login) }];
  };
  return [...plan.notices.credentials.flatMap((ref) => seal(ref, 'login')), ...plan.notices.invites.flatMap((ref) => seal(ref, 'invite'))];
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

/** The template bases of a batch's rows that may need a new username, with how many rows each. */
function templateBases(candidates: Candidate[]): Map<string, number> {
  const bases = new Map<string, number>();
  for (const c of candidates) if (c.usernameBase && c.values.username === undefined) bases.set(c.usernameBase, (bases.get(c.usernameBase) ?? 0) + 1);
  return bases;
}
