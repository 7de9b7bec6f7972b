/**
 * The zod schemas that parse settings and reading overrides wherever they enter (API, CLI, saved
 * choices). Their output types are declared against the contract's `Settings` and `FileOptions`, so the
 * compiler keeps the two in step; defaults come from the contract's `settingsDefaults`.
 */
import * as z from 'zod';
import { fieldKeys, matchFields, type FieldKey } from '../contract/catalog.js';
import { accountStatuses, classPolicies, credentialRecipients, delimiters, encodings, defaultable, membershipPolicies, passwordLength, settingsDefaults, teacherRoles, type FileOptions, type Settings, type SettingsInput } from '../contract/types.js';
import { isValidTemplate, templateTokens } from '../contract/username-template-rules.js';
import { reversedPeriod, unreadableDates } from '../contract/dates.js';
import { nearestName } from '../core/edit-distance.js';

const fieldKeySchema = z.enum(fieldKeys as [FieldKey, ...FieldKey[]]);
/** A catalog field, or a host profile field as `profile_field_<shortname>`. */
const mappedFieldSchema = z.union([fieldKeySchema, z.custom<`profile_field_${string}`>((v) => typeof v === 'string' && /^profile_field_[A-Za-z0-9_]{1,100}$/.test(v), 'unknown field')], {
  // Named, with the field it is a slip of ("firstnme": firstname), instead of zod's "Invalid input".
  error: (issue) => {
    if (typeof issue.input !== 'string') return 'a field name, or null to leave the column out';
    const meant = nearestName(issue.input, fieldKeys);
    return `"${issue.input}" is not a field${meant ? ` (did you mean "${meant}"?)` : ''}: name one of the fields (README, Fields) or a profile field as profile_field_<shortname>`;
  },
});

/** Auth plugins whose password lives elsewhere (`not cached`) look like this; `manual` stores a hash. */
const authName = z.string().regex(/^[a-z][a-z0-9_]{1,19}$/, 'auth must be a host auth plugin name');

const defaults = settingsDefaults;

const passwordSettingsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('generate'), length: z.number().int().min(passwordLength.min).max(passwordLength.max).default(passwordLength.default) }).strict(),
  z.object({ mode: z.literal('file'), generateMissing: z.boolean().optional() }).strict(),
  // No password is set or told: new accounts get an unknowable one (their users choose theirs by an
  // invitation or the site's reset); existing accounts keep theirs, as in every mode.
  z.object({ mode: z.literal('keep') }).strict(),
]);

const groupSettingsSchema = z.union(
  [
    z.object({ create: z.string().trim().min(1).max(254) }).strict(),
    z.object({ existing: z.union([z.string().trim().min(1).max(254), z.array(z.string().trim().min(1).max(254)).min(1).max(20)]) }).strict(),
  ],
  { error: 'use { "create": "<new group>" } or { "existing": "<group>" } (or a list of up to 20 groups)' },
);

/**
 * Messages that say what to write where zod's own would not: an unknown key names the setting it is a
 * slip of ("matchon", "match_on": "matchOn"), a missing one says it is required. Given to every parse
 * of settings (the CLI's and the API's).
 */
export const settingsErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'unrecognized_keys') {
    // The object schema that refused them knows its own keys (zod hands it over as `inst`).
    const known = Object.keys((issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape ?? {});
    return issue.keys
      .map((key) => {
        const meant = nearestName(key, known) ?? (issue.path?.length ? undefined : nestedSettings.get(nearestName(key, nestedSettings.keys()) ?? ''));
        return meant ? `unknown setting "${key}" (did you mean "${meant}"?)` : `unknown setting "${key}"`;
      })
      .join(', ');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  // Limits said as a person writes them, not as zod's "Too small: expected string to have >=1 characters".
  if ((issue.code === 'too_small' || issue.code === 'too_big') && ['string', 'number', 'array'].includes(issue.origin)) {
    const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
    if (issue.origin === 'string') {
      if (issue.code === 'too_small') return limit <= 1 ? 'must not be empty' : `must be at least ${limit} characters`;
      return `must be at most ${limit} characters (this is ${String(issue.input ?? '').length})`;
    }
    if (issue.origin === 'array') return issue.code === 'too_small' ? `needs at least ${limit}` : `takes at most ${limit}`;
    return issue.code === 'too_small' ? `must be at least ${limit}` : `must be at most ${limit}`;
  }
  return undefined;
};

/**
 * What a settings parse refused, each issue at its place, and all of them in one line as the CLI and the
 * API say it ("settings.matchOn: …; validity: …").
 */
export function settingsIssues(error: z.ZodError): { issues: { path: string; message: string }[]; named: string } {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { issues, named: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ') };
}

/** How to read the file where detection should not decide: any key left out is detected. */
const fileOptionsObject = z
  .object({
    encoding: z.enum(encodings).optional(),
    delimiter: z.enum(delimiters).optional(),
    sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
    headerRow: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export const fileOptionsSchema: z.ZodType<FileOptions, FileOptions> = fileOptionsObject;

const actionsObject = z.object({ add: z.boolean().default(true), update: z.boolean().default(true), archive: z.boolean().default(false) }).strict();
const notifyObject = z
  .object({
    credentials: z.enum(credentialRecipients).default('none'),
    supervisor: z.string().trim().min(1).max(255).optional(),
    updated: z.boolean().default(false),
    reportTo: z.string().trim().email().optional(),
  })
  .strict();
const hierarchyObject = z.object({ top: z.string().trim().min(1).max(255) }).strict();

/** Settings that live one level down, by their own key: "archive" at the top means `actions.archive`. */
const nestedSettings = new Map<string, string>(
  Object.entries({ actions: actionsObject, notify: notifyObject, hierarchy: hierarchyObject, file: fileOptionsObject }).flatMap(([parent, schema]) =>
    Object.keys(schema.shape).map((key) => [key, `${parent}.${key}`] as const),
  ),
);

/** Why a username template and matching on usernames do not go together. */
export const templateNeedsKeyMessage = 'a username template needs matchOn "idnumber" or "email": usernames it makes cannot identify existing accounts';

/** One settings object for the API, the CLI and the wizard. */
const settingsObjectSchema = z
  .object({
    source: z
      .string({ error: (issue) => (issue.input === undefined ? 'required: a name for this feed (e.g. "magister"); archiving reaches only what the same feed brought in' : undefined) })
      .trim()
      .min(1)
      .max(100),
    actions: actionsObject
      .default(() => defaults().actions)
      .refine((a) => a.add || a.update || a.archive, { message: 'choose at least one action' }),
    matchOn: z.enum(matchFields).default(() => defaults().matchOn),
    auth: authName.default(() => defaults().auth),
    password: passwordSettingsSchema.default(() => defaults().password),
    status: z.enum(accountStatuses).default(() => defaults().status),
    group: groupSettingsSchema.optional(),
    mapping: z.record(z.string(), mappedFieldSchema.nullable()).optional(),
    usernameTemplate: z
      .string()
      .trim()
      .max(100)
      .refine(isValidTemplate, { message: `use tokens ${templateTokens.map((t) => `{${t}}`).join(' ')}` })
      .optional(),
    surnamePrefix: z.union([z.literal('lastname'), z.object({ profileField: z.string().min(1).max(100) }).strict()]).default(() => defaults().surnamePrefix),
    forcePasswordChange: z.boolean().default(() => defaults().forcePasswordChange),
    lang: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2,3}(_[a-z0-9]+)*$/, { message: 'a language code as Moodle names its language packs, such as "nl", "sv" or "pt_br"' })
      .optional(),
    notify: notifyObject.default(() => defaults().notify),
    file: fileOptionsSchema.optional(),
    hierarchy: hierarchyObject.optional(),
    role: z.string().trim().min(1).max(100).optional(),
    teacherRole: z.enum(teacherRoles).default(() => defaults().teacherRole),
    supervisors: z.array(z.string().trim().min(1).max(255)).max(50).default(() => defaults().supervisors),
    membership: z.enum(membershipPolicies).default(() => defaults().membership),
    classes: z.enum(classPolicies).default(() => defaults().classes),
    ssoIssuer: z.string().trim().min(1).max(255).optional(),
    omitted: z.array(z.enum(defaultable)).default([]),
    validity: z
      .object({ from: z.string().trim().optional(), until: z.string().trim().optional() })
      .strict()
      // Each date it cannot read named as given: "31-02-2026" is written right and is no day.
      .refine((v) => unreadableDates(v).length === 0, {
        error: (issue) => {
          const validity = issue.input as Record<'from' | 'until', string | undefined>;
          const named = unreadableDates(validity).map((end) => `${end} "${validity[end]!.trim()}"`);
          return `${named.join(' and ')} ${named.length > 1 ? 'are not dates' : 'is not a date'} (write dd-mm-yyyy or yyyy-mm-dd)`;
        },
      })
      .refine((v) => !reversedPeriod(v), { message: '"until" is before "from": nobody would ever be valid' })
      .optional(),
  })
  .strict()
  // Only a matchOn given here: one left out is the file's to decide (fitToFile), never the usernames then.
  .refine((s) => !(s.usernameTemplate && s.matchOn === 'username' && !s.omitted.includes('matchOn')), {
    message: templateNeedsKeyMessage,
    path: ['usernameTemplate'],
  });

/** A setting of raw input by its name, a dotted name inside its object (`notify.credentials`). */
function givenAt(given: Record<string, unknown>, name: string): unknown {
  let value: unknown = given;
  for (const part of name.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/**
 * The settings, with a note of which of those a file can decide were left out (`omitted`): the engine
 * fits them to the file (contract/file-defaults.ts) once it knows the columns.
 */
export const settingsSchema: z.ZodType<Settings, SettingsInput> = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const given = raw as Record<string, unknown>;
  // Saved or resumed settings carry their own note; the defaults the schema fills in must not hide an omission.
  const omitted = Array.isArray(given.omitted) ? given.omitted : defaultable.filter((key) => givenAt(given, key) === undefined);
  return { ...given, omitted };
}, settingsObjectSchema) as unknown as z.ZodType<Settings, SettingsInput>;
