/**
 * The API contract the browser and the server share: codes, settings, response types. Plain types and
 * constants only (no zod, no node: module): the browser bundle imports this. The server's zod schemas
 * (engine/settings-schema.ts, http/) are checked against these types by the compiler, so there is one
 * definition of each shape.
 */
import type { FieldKey, MappedField, MatchField } from './catalog.js';

export const encodings = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof encodings)[number];
export const delimiters = [',', ';', '\t', '|'] as const;

/** How to read the file where detection should not decide: any key left out is detected. */
export interface FileOptions {
  encoding?: Encoding;
  delimiter?: (typeof delimiters)[number];
  /** A worksheet of a workbook, by name or 1-based position; the first by default. */
  sheet?: string | number;
  /** The row (1-based, as the spreadsheet numbers it) holding the column headers. */
  headerRow?: number;
}

interface FormatBase {
  /** The spreadsheet row that holds the headers (rows above it are a title block). */
  headerRow: number;
}
export interface CsvFormat extends FormatBase {
  type: 'csv';
  encoding: Encoding;
  delimiter: string;
}
/** Fields a sheet's name can give its rows (XlsxFormat.sheetColumn). */
export type SheetColumn = 'role' | 'class' | 'school';

export interface XlsxFormat extends FormatBase {
  type: 'xlsx';
  /** The sheet read (the first, when several are read together). */
  sheet: string;
  sheets: string[];
  /**
   * The sheets read together as one table, in workbook order, when the sheets after the first hold the
   * same header row (a municipality's workbook with a sheet per school): absent when one sheet is read.
   * Their rows are numbered apart (sheetRowNumber, row-label.ts), so each row still says where it is.
   */
  sheetsRead?: string[];
  /**
   * The field the names of the sheets read together give their rows, where no column does: their role
   * ("Elever", "Lärare"), class ("7A", "7B") or school (a municipality's sheet per school). Each row then
   * holds its sheet's name in a column of its own, headed with the field's key.
   */
  sheetColumn?: SheetColumn;
  /**
   * Other sheets whose leading rows hold a header of other columns: data this read leaves out, to import
   * in a run of its own. Absent from imports read before Intake named them.
   */
  otherDataSheets?: string[];
}
export type DetectedFormat = CsvFormat | XlsxFormat;

export const credentialRecipients = ['none', 'user', 'supervisor', 'download', 'invite'] as const;
export const membershipPolicies = ['add', 'sync'] as const;
export const accountStatuses = ['active', 'suspended'] as const;
/**
 * `file` takes each new account's password from the file; with `generateMissing`, a row whose cell is
 * empty gets a generated one (Moodle's upload: "Create password if needed"), else it is refused.
 */
export type PasswordSettings = { mode: 'generate'; length: number } | { mode: 'file'; generateMissing?: boolean } | { mode: 'keep' };
/** The group(s) every row joins: a new one, or existing ones (several at once: Huddle's levels A and B). */
export type GroupSettings = { create: string } | { existing: string | string[] };

/**
 * One settings object for the API, the CLI and the wizard, after defaults are filled in (see
 * `settingsDefaults`). README's "Settings" section explains each key.
 */
export interface Settings {
  source: string;
  actions: { add: boolean; update: boolean; archive: boolean };
  matchOn: MatchField;
  auth: string;
  password: PasswordSettings;
  status: (typeof accountStatuses)[number];
  group?: GroupSettings | undefined;
  /** File header → field key, or `null` to leave the column out. Unlisted headers are auto-matched. */
  mapping?: Record<string, MappedField | null> | undefined;
  /** For files without a username column: e.g. `{f}{lastname}`. */
  usernameTemplate?: string | undefined;
  /** Where a surname prefix (tussenvoegsel) goes: in front of the last name, or into a profile field. */
  surnamePrefix: 'lastname' | { profileField: string };
  forcePasswordChange: boolean;
  /**
   * The language of new accounts whose row has none (a Moodle language code: "nl", "sv"); left out, the
   * site's, as in the form of Moodle's own upload. Mails to new accounts are in their language.
   */
  lang?: string | undefined;
  notify: {
    credentials: (typeof credentialRecipients)[number];
    /** With `supervisor`: one named teacher or coordinator (username, e-mail or ID number) gets them all. */
    supervisor?: string | undefined;
    updated: boolean;
    reportTo?: string | undefined;
  };
  file?: FileOptions | undefined;
  hierarchy?: { top: string } | undefined;
  role?: string | undefined;
  /** What "teacher", "Docent", "lärare"… in a file or the settings mean: the editing or the non-editing teacher role. */
  teacherRole: (typeof teacherRoles)[number];
  supervisors: string[];
  membership: (typeof membershipPolicies)[number];
  /**
   * Groups made from the file's class column: `follow` (this year's classes: a pupil listed in 2A leaves
   * the class group this feed put them in before) or `add` (never leave). Groups chosen in the settings
   * are never left for this.
   */
  classes: (typeof classPolicies)[number];
  validity?: { from?: string | undefined; until?: string | undefined } | undefined;
  /**
   * The single sign-on service (Moodle's OAuth 2 issuer, by name or id) a file's SSO IDs belong to;
   * left out, the site's only service people log in with.
   */
  ssoIssuer?: string | undefined;
  /** Settings the caller left out that the file decides (see file-defaults.ts); filled when settings are read. */
  omitted?: Defaultable[] | undefined;
}

/** Settings a file can decide when they are left out (file-defaults.ts). */
export const fileDefaultable = ['matchOn', 'auth', 'password', 'usernameTemplate', 'ssoIssuer'] as const;
export type FileDefaultable = (typeof fileDefaultable)[number];
/**
 * Every setting decided when it is left out: those the file decides, and who is told new logins (decided
 * by the passwords those settings make). A dotted name is a setting inside an object.
 */
export const defaultable = [...fileDefaultable, 'notify.credentials'] as const;
export type Defaultable = (typeof defaultable)[number];
export type DefaultReason =
  | 'idnumber_column'
  | 'username_column'
  | 'email_column'
  | 'password_column'
  | 'no_username_column'
  | 'sso_column'
  | 'only_sso_issuer'
  | 'no_sso_issuer'
  | 'generated_passwords';
export interface DefaultChoice {
  setting: Defaultable;
  value: string;
  reason: DefaultReason;
}

/** What a caller sends: `source` and anything else, the rest filled from `settingsDefaults`. */
export type SettingsInput = {
  [K in keyof Settings]?: K extends 'actions' | 'notify' ? Partial<Settings[K]> : K extends 'password' ? PasswordInput : Settings[K];
} & { source: string };
export type PasswordInput = { mode: 'generate'; length?: number } | { mode: 'file'; generateMissing?: boolean } | { mode: 'keep' };

/** The settings that have a default: every entry point fills them the same way. */
export type DefaultedSettings = Pick<Settings, 'actions' | 'matchOn' | 'auth' | 'password' | 'status' | 'surnamePrefix' | 'forcePasswordChange' | 'notify' | 'teacherRole' | 'supervisors' | 'membership' | 'classes'>;

/** What class groups do when a pupil's class changes (see Settings.classes). */
export const classPolicies = ['follow', 'add'] as const;

/** The teacher archetypes a school's word for "teacher" can mean (Moodle's editingteacher and teacher). */
export const teacherRoles = ['editingteacher', 'teacher'] as const;

/** The defaults, fresh on every call (no caller can change another's): used by the server's schema and the wizard. */
export const settingsDefaults = (): DefaultedSettings => ({
  actions: { add: true, update: true, archive: false },
  matchOn: 'username',
  auth: 'manual',
  password: { mode: 'generate', length: passwordLength.default },
  status: 'active',
  surnamePrefix: 'lastname',
  forcePasswordChange: false,
  notify: { credentials: 'none', updated: false },
  teacherRole: 'editingteacher',
  supervisors: [],
  membership: 'add',
  classes: 'follow',
});

/** Generated password lengths the settings accept. */
export const passwordLength = { min: 8, max: 64, default: 12 } as const;

/** Per-cell and per-row problems: a code and its parameters, never an English sentence. */
export const problemCodes = [
  'required',
  'too_long',
  'invalid_email',
  'invalid_username',
  'invalid_country',
  'invalid_lang',
  'invalid_timezone',
  'lang_not_installed',
  'auth_not_enabled',
  'theme_not_allowed',
  'theme_not_installed',
  'interests_need_plugin',
  'invalid_yesno',
  'invalid_date',
  'invalid_choice',
  'password_required',
  'password_policy',
  'duplicate_in_file',
  'ambiguous_match',
  'username_taken',
  'email_taken',
  'idnumber_taken',
  'sso_id_taken',
  'unknown_role',
  'unknown_category',
  'missing_category_role',
  'category_missing',
  'role_not_at_category',
  'role_not_at_system',
  'system_role_removal',
  'unknown_course',
  'course_not_manual',
  'role_not_at_course',
  'course_missing',
  'invalid_days',
  'class_required',
  'vague_class',
  'unknown_supervisor',
  'invalid_period',
  'out_of_scope',
  'role_not_allowed',
  'group_required',
  'extra_cells',
  'spreadsheet_error',
  'uncalculated_formula',
  'shortened_number',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

export interface Problem {
  code: ProblemCode;
  /** The field the problem is about, when it is one cell. */
  field?: MappedField;
  params?: Record<string, string | number>;
}

/** Why a row was deliberately left alone. */
export const skipReasons = ['not_added', 'update_disabled', 'protected_account', 'protected_data', 'deleted_account', 'note_row', 'same_person', 'delete_requested', 'rename_requested', 'remote_account'] as const;
export type SkipReason = (typeof skipReasons)[number];

export const outcomes = ['create', 'update', 'unchanged', 'skip', 'error'] as const;
export type Outcome = (typeof outcomes)[number];

/** Cells corrected in the preview, by row number and column index (as strings: JSON keys). */
export type CellFixes = Record<string, Record<string, string>>;

/** Who a row is, as the file names them: shown in the preview so an admin sees people, not usernames. */
export interface RowPerson {
  /** First and last name, with a surname prefix (tussenvoegsel) where the file has one. */
  name: string;
  email?: string;
  idnumber?: string;
  /** The single sign-on identity the row links, as it is stored (lower case). */
  ssoId?: string;
}

export interface RowOutcome {
  row: number;
  outcome: Outcome;
  username: string;
  userId: number | null;
  /** For updates: field → [before, after]. */
  diff: Record<string, [string, string]> | null;
  /** On an error row, why it failed; on any other row, warnings (e.g. a weak password). */
  problems: Problem[];
  reason?: SkipReason;
  /** Where the row lands (shown in the preview): node path, groups joined, role, valid until. */
  placement?: { node?: string; groups?: string[]; role?: string; courses?: string[]; supervisors?: string[]; validFrom?: string; validUntil?: string } | null;
  /** Who the row is (every row that names someone, error rows too). */
  person?: RowPerson | null;
}

/** What the groups and courses an updated account joined are called, as the preview names them ("Niveau A, Niveau B"). */
export type Joined = Partial<Record<'group' | 'course', string>>;

export interface Counts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  archived: number;
  groupsCreated: number;
  memberships: number;
  nodesCreated: number;
  membershipsRemoved: number;
  rolesAssigned: number;
  /** Course enrolments added (Moodle's courseN columns). */
  enrolments: number;
  supervisorLinks: number;
  /** Group supervision that ends because its member left the group. */
  supervisionEnded: number;
}

/** A count the commit found different from the preview before it: the host changed in between. */
export interface CountChange {
  field: keyof Counts;
  preview: number;
  commit: number;
}

/** Whether Moodle took Intake's request to run what follows a change at once, or its cron will (StructureChanges.hostFollowUp). */
export type HostFollowUp = 'started' | 'at_next_cron';

/** Names of the nodes and groups an import creates (a preview lists them before they exist). */
export interface StructureChanges {
  newNodes: string[];
  newGroups: string[];
  /**
   * Schools the file names that the site has several categories of, none at its top level (an import
   * without a top node): each made anew at the top level, since which is meant is not guessed; a top node
   * in the settings chooses among `places` (their paths).
   */
  ambiguousNodes?: { name: string; places: string[] }[];
  /** Who an archive suspends, by name (the first 500; `counts.archived` says how many in all). */
  toArchive?: { username: string; name: string }[];
  /**
   * An archive not carried out: `rows` rows of the file do not say who they are (no usable value to find
   * accounts by), and any account could be theirs. Nobody is suspended until they are fixed.
   */
  archiveHeld?: { rows: number };
  /**
   * When the import makes nodes and the host caches its category tree (Moodle does): `refreshed` when the
   * host's plugin (local_intake) refreshes it after the commit, `purge_needed` when nothing can (a host
   * without the plugin shows the new nodes only after its caches are purged).
   */
  hostCategoryCache?: 'refreshed' | 'purge_needed';
  /**
   * A commit on a host with Intake's plugin: `started` when Moodle took Intake's request to run the
   * import's follow-up (its events, so its log and observers such as cohort sync) at once,
   * `at_next_cron` when Intake could not reach Moodle and its cron runs it.
   */
  hostFollowUp?: HostFollowUp;
  /** Settings left out that the file decided, with why (contract/file-defaults.ts). */
  defaultsChosen?: DefaultChoice[];
  /** How many rows land in each group (the groups most landed in first, at most `groupChartSize`). */
  byGroup?: { name: string; rows: number }[];
  /** Rows that list a person again for another group, joined into their first row (skipped as `same_person`). */
  joinedRows?: number;
  /**
   * Supervisors the file names that it was to make and did not (their own row was refused) or made twice:
   * the rows naming them were imported without that link (the first 100).
   */
  supervisorsUnanswered?: string[];
}

/** How many groups the outcome picture shows by name. */
export const groupChartSize = 12;

/** The longest text a search of the API takes (names, usernames and e-mail addresses are at most 100 in Moodle). */
export const searchMaxLength = 100;

/** File- or settings-level rejections: nothing is written when one of these is raised. */
export const rejectionCodes = [
  'empty_file',
  'no_data_rows',
  'zip_bomb',
  'unreadable',
  'not_csv',
  'unsupported_format',
  'missing_column',
  'mapping_conflict',
  'cell_too_large',
  'too_many_rows',
  'too_many_columns',
  'unclosed_quote',
  'invalid_encoding',
  'file_too_large',
  'upload_interrupted',
  'invalid_settings',
  'group_not_found',
  'auth_not_enabled',
  'node_not_found',
  'hierarchy_required',
  'out_of_scope',
  'role_not_found',
  'unknown_supervisor',
  'role_not_allowed',
  'group_required',
  'sso_issuer_required',
  'sso_issuer_not_found',
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

/**
 * Errors of the API itself (as opposed to a rejected file). `unreachable` and `cancelled` are the
 * browser's own: the request never reached the server (down, out of reach, or refused by CORS for another
 * site's address), or the admin cancelled an upload on its way.
 */
export const apiErrorCodes = ['unauthenticated', 'forbidden', 'not_found', 'gone', 'invalid_request', 'conflict', 'archive_held', 'host_unavailable', 'undo_failed', 'internal', 'unreachable', 'cancelled'] as const;

/**
 * An archive suspending more than this share of the file's rows is held until the admin confirms that
 * number (as Canvas' SIS import holds a change above its change_threshold).
 */
export const archiveHoldShare = 0.1;
/** Whether a preview's archive needs the admin's confirmation before a commit through the API. */
export const archiveIsHeld = (counts: Pick<Counts, 'archived' | 'rows'>) => counts.archived > 0 && counts.archived > Math.ceil(counts.rows * archiveHoldShare);
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export type ErrorCode = RejectionCode | ApiErrorCode;

/** The one error shape of every failed request. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; params?: Record<string, unknown>; requestId: string };
}



export interface ColumnMapping {
  index: number;
  header: string;
  field: MappedField | null;
  /** How the field was chosen: by name, by the admin, not at all, or held back (national ID numbers). */
  how: 'auto' | 'manual' | 'none' | 'blocked';
  /**
   * Why an auto-match was held back: a national ID number, a profile field the site lacks, or a supervisor
   * column whose first values are no account on the site (core/map/held-back.ts).
   */
  warning?: 'national_id' | 'no_profile_field' | 'names_nobody';
  sample: string[];
}

/** Import lifecycle: uploaded → previewing → previewed → queued → running → done | failed | interrupted (a command that died); → undoing → undone. */
export const importStatuses = ['uploaded', 'previewing', 'previewed', 'queued', 'running', 'done', 'failed', 'interrupted', 'undoing', 'undone'] as const;
/** States an import rests in until someone acts. */
export const restingStatuses = ['uploaded', 'previewed', 'done', 'failed', 'interrupted', 'undone'] as const satisfies readonly ImportStatusName[];
/** States whose change log undo can reverse: everything an import wrote before it finished, failed or died. */
export const undoableStatuses = ['done', 'failed', 'interrupted'] as const satisfies readonly ImportStatusName[];
export const isUndoable = (status: ImportStatusName): boolean => undoableStatuses.some((s) => s === status);
export type ImportStatusName = (typeof importStatuses)[number];

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export interface ImportSummary {
  id: string;
  status: ImportStatusName;
  source: string;
  fileName: string;
  format: DetectedFormat | null;
  /** The reading overrides in force; the preview must use the same. */
  fileOptions: FileOptions;
  columns: ColumnMapping[];
  /** Fields that must be mapped under the current settings. */
  requiredFields: FieldKey[];
  /** The host's custom profile fields, offered in the mapping. */
  profileFields: { shortname: string; name: string }[];
  settings: Settings | null;
  counts: Counts | null;
  structure: StructureChanges | null;
  /** After a commit: what differed from the preview it followed (empty: exactly as previewed). */
  changedSincePreview: CountChange[] | null;
  progress: Progress;
  error: ErrorBody['error'] | null;
  createdAt: string;
  finishedAt: string | null;
  /**
   * After an undo on a host with Intake's plugin: `started` when Moodle took the request to delete the
   * accounts (delete_user()) and tell what was undone at once, `at_next_cron` when its cron will.
   */
  undoFollowUp?: HostFollowUp;
  /** In the history list: messages of this import that could not be delivered. */
  mailFailed?: number;
  /** In the history list: whether the one asking ran it (a site admin sees everyone's imports). */
  mine?: boolean;
  /** In the history list: who ran it, by name, where it was someone else. */
  ranBy?: string;
  /** In the history list: who undid it, by name. */
  undoneBy?: string;
  /** In the history list: the one-time download of new logins waits for the one asking. */
  downloadWaiting?: boolean;
}

export interface RowPage {
  total: number;
  rows: RowOutcome[];
}

/** Who is signed in (GET /api/me): a site admin, or a coordinator with the categories they manage. */
export interface Me {
  id: number;
  username: string;
  lang: string;
  isSiteAdmin: boolean;
  /** May undo their imports (the host capability local/intake:undo). */
  mayUndo: boolean;
  scope: { kind: 'site' } | { kind: 'categories'; roots: number[] };
  /** The site's language, which new accounts get unless the settings or their row name another. */
  siteLang: string;
  /** The languages installed on the site, where it says (Moodle with local_intake); null where it does not. */
  languages: string[] | null;
  /** The sign-in methods enabled on the site, as new accounts can be given them (offeredAuthMethods). */
  authMethods: string[];
}

/** A node (category) the wizard offers as the top of an import. */
export interface NodeOption {
  id: number;
  name: string;
  idnumber: string | null;
  /** The path of names from the top, for display. */
  label: string;
}
/** A person the wizard offers as a supervisor. */
export interface PersonOption {
  id: number;
  username: string;
  name: string;
  email: string;
}
export interface RoleOption {
  shortname: string;
  name: string;
}

/** A single sign-on service (Moodle's OAuth 2 issuer) people log in with, to link a file's SSO IDs for. */
export interface SsoIssuerOption {
  id: number;
  name: string;
}
/** A group (cohort) the wizard offers. */
export interface GroupOption {
  id: number;
  name: string;
  idnumber: string | null;
}

/** What later imports changed of the people an import wrote: undo warns before it goes. */
export interface LaterChanges {
  /** Later imports (not undone) that changed any of them. */
  imports: number;
  /** How many of the people this import created or updated they changed. */
  people: number;
}

export type OutboxKind = 'credentials' | 'supervisor' | 'invite' | 'updated' | 'report' | 'download';

export interface MailStatus {
  pending: number;
  sent: number;
  failed: number;
  expired: number;
  /** Permanent failures, for the result screen and history. */
  failures: { recipient: string; kind: OutboxKind; error: string }[];
  /** Whether a one-time credentials download is waiting. */
  download: boolean;
}
