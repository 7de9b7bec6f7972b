import { groupChartSize, type RowOutcome } from '../contract/types.js';
import type { MatchField } from '../contract/catalog.js';
import { createsStructure, planBatch, PlanState, type BatchPlan } from '../core/plan/batch.js';
import { countBatch, countLandings, countResumed, countSettle, emptyCounts, topLandings } from '../core/plan/counts.js';
import { KeySet } from '../core/plan/key-set.js';
import { planSettle, touchedGroupIds } from '../core/plan/settle.js';
import { RepeatedRows } from '../core/plan/repeated-rows.js';
import { mayRoam, roaming, type PlacementContext } from '../core/plan/placement.js';
import { rowReference, sheetsReadOf } from '../contract/row-label.js';
import { markDuplicates, type BatchSnapshot, type ClaimGeneration, type PlannedRow } from '../core/plan/users.js';
import { openTable } from '../core/read/open-table.js';
import type { SourceRow, Table } from '../core/read/table.js';
import { placeFields, type Candidate } from '../core/validate/validate.js';
import { withFixes } from '../core/read/cell-fixes.js';
import { inTransaction } from '../host/database.js';
import { loadSettleSnapshot } from '../host/read/settle-snapshot.js';
import { personById } from '../host/read/people.js';
import { loadBatchSnapshot } from '../host/read/snapshot.js';
import { writeBatch } from '../host/write/batch.js';
import { writeLog, type Change } from '../host/write/change-log.js';
import { writeSettle } from '../host/write/settle.js';
import { queueReplay } from '../host/write/moodle-follow-up.js';
import { askMoodleToReplay } from '../host/replay-now.js';
import { accountsCreatedBy } from '../host/read/change-log.js';
import type { Credential } from '../mail/credential.js';
import type { Sealer } from '../mail/seal.js';
import type { SealedLogin } from '../store/pending-logins.js';
import { queueNotifications, queueReport, type UpdatedAccount } from '../mail/notify.js';
import { clearRowOutcomes, saveRowOutcomes } from '../store/rows.js';
import type { EngineServices, RunOptions, RunResult } from './import-options.js';
import { setUpImport } from './import-setup.js';
import { limitsOf } from './inspect-file.js';
import { newPasswords } from './passwords.js';
import { WritesInFlight } from './writes-in-flight.js';

const defaultBatchRows = 1000;
/** Batch writes a commit keeps in flight at once, each on its own connection (measured: two use both cores). */
const writesInFlight = 2;
/** How often a batch that met another import's rows (a duplicate key) is planned and written again. */
const replansOnDuplicate = 5;
/** The named lock under which nodes and groups are created. */
const structureLock = 'intake:structure:';

/** A row worth looking at again after the run: anything but a plain "created" or "unchanged". */
// A person's later rows joined into their first (same_person) hold nothing to look at again either.
const isNotable = (row: RowOutcome) => (!['create', 'unchanged'].includes(row.outcome) && row.reason !== 'same_person') || row.problems.length > 0;

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
 * The first pass of a file with a group column, or with places and people other than pupils: which rows
 * list a person again for another group, class or school (RepeatedRows). Null for a file where no row
 * can be joined: no pass is spent (a pupils' export with classes is read once).
 */
async function learnRepeatedRows(
  table: Table,
  mapped: ReadonlySet<string | null>,
  matchOn: MatchField,
  placement: PlacementContext,
  total: number,
  validate: { whole: (row: SourceRow) => Candidate; keyAndRole: (row: SourceRow) => Candidate },
  onProgress: RunOptions['onProgress'],
): Promise<RepeatedRows | null> {
  const places = placeFields.some((field) => mapped.has(field)) && (mapped.has('role') || mayRoam(placement.importRole));
  if (!(mapped.has('group') || places) || !mapped.has(matchOn)) return null;
  const repeated = new RepeatedRows(matchOn, total, mapped.has('group'), places ? roaming(placement) : undefined);
  let read = 0;
  for await (const chunk of table.chunks()) {
    for (const row of chunk) {
      const brief = validate.keyAndRole(row);
      repeated.learn(repeated.needsWhole(brief) ? validate.whole(row) : brief);
    }
    read += chunk.length;
    await onProgress?.({ phase: 'checking', done: read, total });
  }
  return repeated;
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
  const { database, passwords, notifications } = services;
  const { mode, onProgress, actor } = options;
  const keepRows = options.keepRows ?? (mode === 'preview' ? 'every' : 'notable');
  const pool = database.pool;
  const startedAt = Date.now();
  const { settings, defaultsChosen, columns, mapped, site, importGroups, groupSupervisors, credentialsRecipient, mentorRoleId, total, ctx, lookups, writing, validate, validateKeyAndRole } = await setUpImport(services, options, table);
  const counts = emptyCounts();
  // Who lands in a new group matters only to its supervision: supervisors chosen, or the coordinator's own.
  // A preview claims every row's username and e-mail to its end: its tables are made for the whole file at once.
  const state = new PlanState(ctx.placement.structure, mentorRoleId !== null && (groupSupervisors.length > 0 || actor.scope.kind === 'categories'), mode === 'preview' ? total : undefined);
  state.structure.shareWishes(importGroups);

  // A resumed commit finds the accounts earlier attempts created as they are now: it counts them as created.
  const createdBefore = mode === 'commit' ? await accountsCreatedBy(pool, options.importId) : 0;
  await clearRowOutcomes(pool, options.importId);
  // A person listed once per group is joined into their first row, learnt in a pass of its own (only a
  // file with groups can list anyone so): preview and commit join the same rows.
  const repeated = settings.actions.add || settings.actions.update ? await learnRepeatedRows(table, mapped, settings.matchOn, ctx.placement, total, { whole: (row) => validate(withFixes(row, options.fixes)), keyAndRole: (row) => validateKeyAndRole(withFixes(row, options.fixes)) }, onProgress) : null;
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
    loadBatchSnapshot(pool, site, settings.matchOn, candidates, { ...lookups, scope: actor.scope, source: settings.source, ssoIssuerId: ctx.ssoIssuerId, numbering });

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

  /** Planned nodes and groups another import had made first (found by the writer under the structure lock, not created). */
  const madeElsewhere = (planned: { key: string }) => writing.structure.madeElsewhere(planned.key);

  /** Tells the plan which of a written batch's nodes and groups another import made: its summary leaves them out. */
  const confirmMadeElsewhere = (plan: BatchPlan) => {
    for (const planned of [...plan.nodes, ...plan.groups, ...plan.courseGroups]) if (madeElsewhere(planned)) state.structure.confirmMadeElsewhere(planned.key);
  };

  /** The written plan less what another import made first: the result counts, and lists as new, what this import created. */
  const withoutMadeElsewhere = (plan: BatchPlan): BatchPlan => {
    const ours = (planned: { key: string }) => !madeElsewhere(planned);
    return { ...plan, nodes: plan.nodes.filter(ours), groups: plan.groups.filter(ours), courseGroups: plan.courseGroups.filter(ours) };
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
      confirmMadeElsewhere(plan);
      plan = withoutMadeElsewhere(plan);
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
  const placedFromFile = settings.classes === 'follow' ? state.usersPlacedFromFile() : [];
  const settleSnapshot = await loadSettleSnapshot(pool, site, {
    groupIds: touched,
    sync: settings.membership === 'sync',
    settingsSupervisors: groupSupervisors.length > 0,
    supervision: mentorRoleId !== null,
    archive: archiving ? { source: settings.source, groupIds: [...new Set([...touched, ...importGroupId])], scope: actor.scope } : null,
    fileGroups: placedFromFile.length > 0 ? { source: settings.source, userIds: placedFromFile, scope: actor.scope } : null,
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
        actor: { username: who?.username ?? `user ${actor.id}`, lang: options.reportLang ?? who?.lang ?? site.lang },
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
      ...(settle.supervisorsUnanswered.length > 0 ? { supervisorsUnanswered: settle.supervisorsUnanswered.slice(0, 100) } : {}),
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

/** The template bases of a batch's rows that may need a new username, with how many rows each. */
function templateBases(candidates: Candidate[]): Map<string, number> {
  const bases = new Map<string, number>();
  for (const c of candidates) if (c.usernameBase && c.values.username === undefined) bases.set(c.usernameBase, (bases.get(c.usernameBase) ?? 0) + 1);
  return bases;
}

