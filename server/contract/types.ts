/**
 * The API contract: zod schemas and the types inferred from them. The server validates with these, the
 * CLI reads settings files with them, and the components import the types; there is no second copy.
 */
import { z } from 'zod';
import { fieldKeys, matchFields, type FieldKey, type MappedField } from './catalog.js';
import { isValidTemplate, templateTokens } from '../core/validate/username-template.js';
import { parseDate } from '../core/validate/values.js';

const fieldKeySchema = z.enum(fieldKeys as [FieldKey, ...FieldKey[]]);
/** A catalog field, or a host profile field as `profile_field_<shortname>`. */
const mappedFieldSchema = z.union([fieldKeySchema, z.custom<`profile_field_${string}`>((v) => typeof v === 'string' && /^profile_field_[A-Za-z0-9_]{1,100}$/.test(v), 'unknown field')]);

/** Auth plugins whose password lives elsewhere (`not cached`) look like this; `manual` stores a hash. */
const authName = z.string().regex(/^[a-z][a-z0-9_]{1,19}$/, 'auth must be a host auth plugin name');

export const passwordSettingsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('generate'), length: z.number().int().min(8).max(64).default(12) }),
  z.object({ mode: z.literal('file') }),
  // No password is set or told: new accounts get an unknowable one (their users choose theirs by an
  // invitation or the site's reset); existing accounts keep theirs, as in every mode.
  z.object({ mode: z.literal('keep') }),
]);

export const groupSettingsSchema = z.union([
  z.object({ create: z.string().trim().min(1).max(254) }).strict(),
  z.object({ existing: z.string().trim().min(1).max(254) }).strict(),
]);

export const encodings = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof encodings)[number];

/** How to read the file where detection should not decide: any key left out is detected. */
export const fileOptionsSchema = z
  .object({
    encoding: z.enum(encodings).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** A worksheet of a workbook, by name or 1-based position; the first by default. */
    sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
    /** The row (1-based, as the spreadsheet numbers it) holding the column headers. */
    headerRow: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type FileOptions = z.infer<typeof fileOptionsSchema>;

interface FormatBase {
  /** The spreadsheet row that holds the headers (rows above it are a title block). */
  headerRow: number;
}
export interface CsvFormat extends FormatBase {
  type: 'csv';
  encoding: Encoding;
  delimiter: string;
}
export interface XlsxFormat extends FormatBase {
  type: 'xlsx';
  sheet: string;
  sheets: string[];
}
export type DetectedFormat = CsvFormat | XlsxFormat;

/** One settings object for the API, the CLI and the wizard. */
export const settingsSchema = z
  .object({
    source: z.string().trim().min(1).max(100),
    actions: z
      .object({ add: z.boolean().default(true), update: z.boolean().default(true), archive: z.boolean().default(false) })
      .default({ add: true, update: true, archive: false })
      .refine((a) => a.add || a.update || a.archive, { message: 'choose at least one action' }),
    matchOn: z.enum(matchFields).default('username'),
    auth: authName.default('manual'),
    password: passwordSettingsSchema.default({ mode: 'generate', length: 12 }),
    status: z.enum(['active', 'suspended']).default('active'),
    group: groupSettingsSchema.optional(),
    /** File header → field key, or `null` to leave the column out. Unlisted headers are auto-matched. */
    mapping: z.record(z.string(), mappedFieldSchema.nullable()).optional(),
    /** For files without a username column: e.g. `{f}{lastname}` or `{firstname}.{lastname}` (see README). */
    usernameTemplate: z
      .string()
      .trim()
      .max(100)
      .refine(isValidTemplate, { message: `use tokens ${templateTokens.map((t) => `{${t}}`).join(' ')}` })
      .optional(),
    /** Where a surname prefix (tussenvoegsel) goes: in front of the last name, or into a profile field. */
    surnamePrefix: z.union([z.literal('lastname'), z.object({ profileField: z.string().min(1).max(100) }).strict()]).default('lastname'),
    /** Set the host's `auth_forcepasswordchange` on new accounts. */
    forcePasswordChange: z.boolean().default(false),
    /** Who hears what: new credentials (to each user, their supervisors, a one-time download, or an invitation link), updates, a report. */
    notify: z
      .object({
        credentials: z.enum(['none', 'user', 'supervisor', 'download', 'invite']).default('none'),
        /** With `supervisor`: one named teacher or coordinator (username, e-mail or ID number) gets them all. */
        supervisor: z.string().trim().min(1).max(255).optional(),
        updated: z.boolean().default(false),
        reportTo: z.string().trim().email().optional(),
      })
      .strict()
      .default({ credentials: 'none', updated: false }),
    /** Overrides for reading the file (encoding, delimiter, sheet, header row). */
    file: fileOptionsSchema.optional(),
    /** The node (category, by ID number or name) the import lands under; schools and municipalities go beneath it. */
    hierarchy: z.object({ top: z.string().trim().min(1).max(255) }).strict().optional(),
    /** The role every row gets (a host role short name, or student / teacher / candidate in any supported language). */
    role: z.string().trim().min(1).max(100).optional(),
    /** Supervisors of the import's groups: usernames, e-mail addresses or ID numbers. */
    supervisors: z.array(z.string().trim().min(1).max(255)).max(50).default([]),
    /** `add` never removes anyone from a group; `sync` removes members of the import's groups who are not in the file. */
    membership: z.enum(['add', 'sync']).default('add'),
    /** How long accounts stay valid, for rows without their own dates (dd-mm-yyyy or yyyy-mm-dd). */
    validity: z
      .object({ from: z.string().trim().optional(), until: z.string().trim().optional() })
      .strict()
      .refine((v) => [v.from, v.until].every((d) => d === undefined || d === '' || parseDate(d) !== null), { message: 'dates must be dd-mm-yyyy or yyyy-mm-dd' })
      .optional(),
  })
  .strict()
  .refine((s) => !(s.usernameTemplate && s.matchOn === 'username'), {
    message: 'a username template needs matchOn "idnumber" or "email": usernames it makes cannot identify existing accounts',
    path: ['usernameTemplate'],
  });

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** Per-cell and per-row problems: a code and its parameters, never an English sentence. */
export const problemCodes = [
  'required',
  'too_long',
  'invalid_email',
  'invalid_username',
  'invalid_country',
  'invalid_lang',
  'invalid_yesno',
  'invalid_date',
  'invalid_choice',
  'password_required',
  'password_policy',
  'duplicate_in_file',
  'ambiguous_match',
  'username_taken',
  'email_taken',
  'unknown_role',
  'class_required',
  'vague_class',
  'unknown_supervisor',
  'invalid_period',
  'out_of_scope',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

export interface Problem {
  code: ProblemCode;
  /** The field the problem is about, when it is one cell. */
  field?: MappedField;
  params?: Record<string, string | number>;
}

/** Why a row was deliberately left alone. */
export const skipReasons = ['not_added', 'update_disabled', 'protected_account', 'protected_data'] as const;
export type SkipReason = (typeof skipReasons)[number];

export const outcomes = ['create', 'update', 'unchanged', 'skip', 'error'] as const;
export type Outcome = (typeof outcomes)[number];

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
  placement?: { node?: string; groups?: string[]; role?: string; validUntil?: string } | null;
}

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
  supervisorLinks: number;
}

/** Names of the nodes and groups an import creates (a preview lists them before they exist). */
export interface StructureChanges {
  newNodes: string[];
  newGroups: string[];
}

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
  'file_too_large',
  'invalid_settings',
  'group_not_found',
  'auth_not_enabled',
  'node_not_found',
  'hierarchy_required',
  'out_of_scope',
  'role_not_found',
  'unknown_supervisor',
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

/** Errors of the API itself (as opposed to a rejected file). */
export const apiErrorCodes = ['unauthenticated', 'forbidden', 'not_found', 'gone', 'invalid_request', 'conflict', 'internal'] as const;
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
  /** Why an auto-match was held back: a national ID number, or a profile field the site lacks. */
  warning?: 'national_id' | 'no_profile_field';
  sample: string[];
}

export const importStatusSchema = z.enum(['uploaded', 'previewing', 'previewed', 'queued', 'running', 'done', 'failed', 'undoing', 'undone']);
export type ImportStatusName = z.infer<typeof importStatusSchema>;

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
  progress: Progress;
  error: ErrorBody['error'] | null;
  createdAt: string;
  finishedAt: string | null;
  /** In the history list: messages of this import that could not be delivered. */
  mailFailed?: number;
}

export interface RowPage {
  total: number;
  rows: RowOutcome[];
}

export const rowQuerySchema = z.object({
  outcome: z.enum(outcomes).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
