import { bigint, customType, index, int, mysqlTable, primaryKey, timestamp, tinyint, varchar } from 'drizzle-orm/mysql-core';
import type { MappedField } from '../../server/contract/catalog.js';
import { importStatuses, outcomes, skipReasons } from '../../server/contract/types.js';
import type { CellFixes, ColumnMapping, CountChange, Counts, DetectedFormat, ErrorBody, FileOptions, HostFollowUp, ImportSummary, Problem, RowOutcome, RowPerson, Settings, StructureChanges } from '../../server/contract/types.js';

/**
 * The plugin's own tables. They carry a fixed `intake_` name (not the host prefix) so that the
 * migrations drizzle-kit generates are the same on every host.
 */

const pk = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey();
const hostId = (name: string) => bigint(name, { mode: 'number' });
const importRef = () => bigint('import_id', { mode: 'number', unsigned: true }).notNull();
const createdAt = () => timestamp('created_at', { mode: 'date', fsp: 3 }).notNull().defaultNow();
const mediumblob = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'mediumblob' });
/**
 * A JSON column with the type of what it holds. MariaDB keeps JSON as checked text, so the driver
 * hands back a string (MySQL an object): both read as the value.
 */
const jsonOf = <T>(name: string) =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'json',
    toDriver: (value) => JSON.stringify(value),
    fromDriver: (value) => (typeof value === 'string' ? JSON.parse(value) : value) as T,
  })(name);

/** What the upload step found: format, mapped columns with samples (purged with the file). */
export interface StoredFormat {
  detected: DetectedFormat;
  columns: ColumnMapping[];
  options?: FileOptions;
  profileFields?: ImportSummary['profileFields'];
  /** Cells the admin corrected in the preview: row → column index → value (file data: purged with it). */
  fixes?: CellFixes;
}

/** The counts column also keeps the names of nodes and groups created and what differed from the preview. */
export type StoredCounts = Counts & { structure?: StructureChanges; changedSincePreview?: CountChange[]; undoFollowUp?: HostFollowUp };

export const imports = mysqlTable(
  'intake_import',
  {
    id: pk(),
    publicId: varchar('public_id', { length: 36 }).notNull().unique(),
    source: varchar('source', { length: 100 }).notNull().default(''),
    createdBy: hostId('created_by').notNull(),
    status: varchar('status', { length: 20, enum: importStatuses }).notNull().default('uploaded'),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    fileSize: bigint('file_size', { mode: 'number' }).notNull().default(0),
    /** Detected format: encoding, delimiter, header, sample rows. Null until the file was read. */
    format: jsonOf<StoredFormat>('format'),
    settings: jsonOf<Settings>('settings'),
    /** Outcome counts of the last preview or commit. */
    counts: jsonOf<StoredCounts>('counts'),
    /** A coded error that rejected the whole file or job. */
    error: jsonOf<ErrorBody['error']>('error'),
    progressDone: int('progress_done').notNull().default(0),
    progressTotal: int('progress_total').notNull().default(0),
    progressPhase: varchar('progress_phase', { length: 20 }).notNull().default(''),
    /** An undo asked to put back this import's values over what later imports changed again. */
    undoOverLater: tinyint('undo_over_later').notNull().default(0),
    /** What the import was when its undo was asked for: an undo that fails (and changed nothing) puts it back. */
    undoneFrom: varchar('undone_from', { length: 20, enum: importStatuses }),
    /** Who asked for the undo (a host user id): Moodle's follow-up of the undo runs as them, so its log names them. */
    undoneBy: hostId('undone_by'),
    /** Which worker holds the job, and when it last proved alive: a stale claim is taken over. */
    claimedBy: varchar('claimed_by', { length: 64 }),
    heartbeatAt: timestamp('heartbeat_at', { mode: 'date', fsp: 3 }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { mode: 'date', fsp: 3 }),
    finishedAt: timestamp('finished_at', { mode: 'date', fsp: 3 }),
  },
  (t) => [index('intake_import_status_ix').on(t.status), index('intake_import_source_ix').on(t.source)],
);

/** The uploaded bytes, in slices below max_allowed_packet; deleted when the import is done with. */
export const fileChunks = mysqlTable(
  'intake_file_chunk',
  {
    importId: importRef(),
    seq: int('seq').notNull(),
    data: mediumblob('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);

/** One outcome per data row, of the last preview or of the commit. */
export const rowOutcomes = mysqlTable(
  'intake_row',
  {
    importId: importRef(),
    line: int('line').notNull(),
    outcome: varchar('outcome', { length: 10, enum: outcomes }).notNull(),
    /** Why a skipped row was left alone. */
    reason: varchar('reason', { length: 30, enum: skipReasons }),
    username: varchar('username', { length: 100 }).notNull().default(''),
    userId: hostId('user_id'),
    /** field → [before, after] for updates; never a password. */
    diff: jsonOf<NonNullable<RowOutcome['diff']>>('diff'),
    problems: jsonOf<Problem[]>('problems'),
    /** Where the row lands: node, groups, role, supervisors, validity (for the preview). */
    placement: jsonOf<NonNullable<RowOutcome['placement']>>('placement'),
    /** Who the row names: name, e-mail, student number (for the preview; purged with the import's rows). */
    person: jsonOf<RowPerson>('person'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] }), index('intake_row_outcome_ix').on(t.importId, t.outcome)],
);

/** Every host write with its before-image, so an import can be undone. */
export const changes = mysqlTable(
  'intake_change',
  {
    id: pk(),
    importId: importRef(),
    tableName: varchar('table_name', { length: 64 }).notNull(),
    rowId: hostId('row_id').notNull(),
    action: varchar('action', { length: 10, enum: ['insert', 'update', 'delete'] }).notNull(),
    before: jsonOf<Record<string, unknown>>('before'),
  },
  (t) => [index('intake_change_import_ix').on(t.importId)],
);

/** Which users a source (feed) brought in: the scope an archive may reach. */
export const sourceUsers = mysqlTable(
  'intake_source_user',
  {
    source: varchar('source', { length: 100 }).notNull(),
    userId: hostId('user_id').notNull(),
    importId: importRef(),
  },
  // By import too: an undo removes the records its import added, and without this index it read (and
  // locked, against every other import's writes) every record of every feed to find them.
  (t) => [primaryKey({ columns: [t.source, t.userId] }), index('intake_source_user_import_ix').on(t.importId)],
);

/**
 * The groups a source (feed) filled from the file's own columns: this year's classes and schools follow
 * the file, so a pupil listed in 2A leaves the 1A the same feed put them in last year (`kind` class), and
 * a pupil now at another school leaves the old school's role group ("Het Baken · Students", `kind` role).
 */
export const sourceClasses = mysqlTable(
  'intake_source_class',
  {
    source: varchar('source', { length: 100 }).notNull(),
    cohortId: hostId('cohort_id').notNull(),
    importId: importRef(),
    kind: varchar('kind', { length: 10, enum: ['class', 'role'] }).notNull().default('class'),
  },
  (t) => [primaryKey({ columns: [t.source, t.cohortId] }), index('intake_source_class_import_ix').on(t.importId)],
);

/** Choices remembered per source and mappings per header signature. */
export const savedSettings = mysqlTable(
  'intake_saved_setting',
  {
    kind: varchar('kind', { length: 20, enum: ['settings', 'mapping'] }).notNull(),
    name: varchar('name', { length: 191 }).notNull(),
    /** Settings of a source, or header → field of a mapping. */
    value: jsonOf<Settings | Record<string, MappedField | null>>('value').notNull(),
    updatedAt: timestamp('updated_at', { mode: 'date', fsp: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.name] })],
);

/** How long an account stays valid; the sweep suspends it when `valid_until` has passed. */
export const validity = mysqlTable(
  'intake_validity',
  {
    userId: hostId('user_id').primaryKey(),
    validFrom: bigint('valid_from', { mode: 'number' }),
    validUntil: bigint('valid_until', { mode: 'number' }),
    /** Set when Intake suspended the account (not yet valid, or expired), so only Intake lifts it. */
    suspendedByIntake: int('suspended_by_intake').notNull().default(0),
    importId: importRef(),
  },
  (t) => [index('intake_validity_until_ix').on(t.validUntil)],
);

/** Supervisors of a group: each member gets a mentor assignment from each of them while a member. */
export const groupSupervisors = mysqlTable(
  'intake_group_supervisor',
  {
    cohortId: hostId('cohort_id').notNull(),
    userId: hostId('user_id').notNull(),
    importId: importRef(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.userId] })],
);

/**
 * Mail waiting to be sent, and what happened to it. The message (which may hold new passwords) is
 * stored encrypted and wiped once delivered or given up on; only who, what kind and the outcome stay.
 */
export const outbox = mysqlTable(
  'intake_outbox',
  {
    id: pk(),
    importId: bigint('import_id', { mode: 'number', unsigned: true }),
    kind: varchar('kind', { length: 20, enum: ['credentials', 'supervisor', 'invite', 'updated', 'report', 'download'] }).notNull(),
    recipient: varchar('recipient', { length: 255 }).notNull(),
    recipientUserId: hostId('recipient_user_id'),
    /** AES-256-GCM sealed JSON: subject, text, attachments. Null once delivered or expired. */
    sealed: customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'longblob' })('sealed'),
    status: varchar('status', { length: 10, enum: ['pending', 'sent', 'failed', 'expired'] }).notNull().default('pending'),
    attempts: int('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { mode: 'date', fsp: 3 }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { mode: 'date', fsp: 3 }).notNull(),
    lastError: varchar('last_error', { length: 500 }),
    claimedBy: varchar('claimed_by', { length: 64 }),
    claimedAt: timestamp('claimed_at', { mode: 'date', fsp: 3 }),
    sentAt: timestamp('sent_at', { mode: 'date', fsp: 3 }),
    createdAt: createdAt(),
  },
  (t) => [index('intake_outbox_due_ix').on(t.status, t.nextAttemptAt), index('intake_outbox_import_ix').on(t.importId)],
);

/** Single-use links that let a new user choose their own password; only a hash of the token is kept. */
export const invites = mysqlTable(
  'intake_invite',
  {
    tokenHash: varchar('token_hash', { length: 64 }).primaryKey(),
    userId: hostId('user_id').notNull(),
    importId: importRef(),
    expiresAt: timestamp('expires_at', { mode: 'date', fsp: 3 }).notNull(),
    usedAt: timestamp('used_at', { mode: 'date', fsp: 3 }),
  },
  (t) => [index('intake_invite_user_ix').on(t.userId)],
);

/**
 * New logins waiting to be told (transactional outbox): sealed in the same transaction as the batch
 * that creates the accounts, moved into messages (and deleted) when the import is settled, so a login
 * is never lost when a process dies and never kept once it is on its way.
 */
export const pendingLogins = mysqlTable(
  'intake_pending_login',
  {
    importId: importRef(),
    userId: hostId('user_id').notNull(),
    /** `login`: a password to tell; `invite`: an invitation to choose one. */
    kind: varchar('kind', { length: 10, enum: ['login', 'invite'] }).notNull(),
    /** AES-256-GCM sealed JSON of the login (username, password, names, e-mail, language). */
    sealed: customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'blob' })('sealed').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.userId] })],
);
