import { z } from 'zod';
import { fieldCatalog, profileShortnameOf, type FieldKey, type MappedField, type ProfileField, type ValueKind } from '../../contract/catalog.js';
import type { ColumnMapping, Problem, ProblemCode, Settings } from '../../contract/types.js';
import type { SourceRow } from '../read/table.js';
import { usernameFromTemplate } from './username-template.js';
import { midnightIn, parseDate, parseYesNo, splitFullName, stripTags } from './values.js';

/**
 * A row after mapping and validation: the catalog values it sets (empty cells omitted), the profile
 * field values it sets (by short name), and what is wrong.
 */
export interface Candidate {
  row: number;
  values: Partial<Record<FieldKey, string>>;
  profile: Record<string, string>;
  problems: Problem[];
  /** Made by the username template when the row has no username: the base the planner numbers. */
  usernameBase?: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Moodle's username rule without `extendedusernamechars`: lower case letters, digits and `_-.@`. */
const usernamePattern = /^[a-z0-9_.@-]+$/;
/** Moodle's validate_email(), in spirit: one @, a dotted domain, no spaces. */
const emailPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9][a-z0-9-]*$/i;

const fail = (code: ProblemCode) => ({ message: code });

const yesNo = z
  .string()
  .transform((v) => parseYesNo(v) ?? v)
  .pipe(z.enum(['1', '0'], fail('invalid_yesno')));

/** Per value kind: normalise first (what a person means), then check. */
const kindSchemas: Record<ValueKind, z.ZodType<string, string>> = {
  username: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.string().regex(usernamePattern, fail('invalid_username'))),
  email: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.string().regex(emailPattern, fail('invalid_email'))),
  // Names and places as Moodle's core_user::clean_data() leaves them (PARAM_NOTAGS, PARAM_TEXT): no tags.
  text: z.string().transform((v) => stripTags(v).trim()),
  password: z.string(),
  country: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().refine((v) => /^[A-Z]{2}$/.test(v) && regionNames.of(v) !== v, fail('invalid_country'))),
  lang: z
    .string()
    .transform((v) => v.toLowerCase().replace('-', '_'))
    .pipe(z.string().regex(/^[a-z]{2,3}(_[a-z0-9]+)*$/, fail('invalid_lang'))),
  yesno: yesNo,
  date: z
    .string()
    .transform((v) => parseDate(v) ?? v)
    .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, fail('invalid_date'))),
  // `;`-separated names, cleaned of stray spaces and empty entries.
  list: z.string().transform((v) =>
    v
      .split(/[;|]/)
      .map((part) => part.trim())
      .filter(Boolean)
      .join(';'),
  ),
};

const fieldSchemas = Object.fromEntries(
  (Object.keys(fieldCatalog) as FieldKey[]).map((key) => {
    const def = fieldCatalog[key];
    return [key, z.string().max(def.maxLength, fail('too_long')).pipe(kindSchemas[def.kind])];
  }),
) as unknown as Record<FieldKey, z.ZodType<string, string>>;

/**
 * Profile values as Moodle stores them: checkboxes 1/0, menus one of their options, dates as
 * profile_field_datetime::edit_save_data_preprocess() does: the year moved into the field's range, then
 * make_timestamp() at midnight in the user's time zone.
 */
function profileSchema(field: ProfileField, timeZone: string): z.ZodType<string, string> {
  switch (field.datatype) {
    case 'checkbox':
      return yesNo;
    case 'datetime':
      return z
        .string()
        .transform((v) => parseDate(v) ?? v)
        .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, fail('invalid_date')))
        .transform((iso) => String(midnightIn(withinYears(iso, field.years), timeZone)));
    case 'menu':
      return z
        .string()
        .transform((v) => field.options.find((o) => o.toLowerCase() === v.toLowerCase()) ?? v)
        .pipe(z.string().refine((v) => field.options.includes(v), fail('invalid_choice')));
    default:
      return z.string();
  }
}

function withinYears(iso: string, years: ProfileField['years']): string {
  if (!years) return iso;
  const year = Math.min(Math.max(Number(iso.slice(0, 4)), years.start), years.end);
  return `${String(year).padStart(4, '0')}${iso.slice(4)}`;
}

/** Fields that feed others are turned into them: a full name split, given names, a surname prefix. */
function compose(values: Candidate['values'], profile: Candidate['profile'], settings: Pick<Settings, 'surnamePrefix'>): void {
  if (values.fullname !== undefined) {
    const split = splitFullName(values.fullname);
    values.firstname ??= split.firstname || undefined;
    values.lastname ??= split.lastname || undefined;
    delete values.fullname;
  }
  if (values.givennames !== undefined) {
    values.firstname ??= values.givennames.split(/\s+/)[0];
    delete values.givennames;
  }
  if (values.lastnamePrefix !== undefined) {
    if (settings.surnamePrefix === 'lastname') {
      if (values.lastname !== undefined) values.lastname = `${values.lastnamePrefix} ${values.lastname}`;
    } else {
      profile[settings.surnamePrefix.profileField] = values.lastnamePrefix;
    }
    delete values.lastnamePrefix;
  }
}

/** Codes about a value a person can see and fix: the problem carries the value itself (never a password's). */
const showsValue = new Set<ProblemCode>(['invalid_email', 'invalid_username', 'invalid_country', 'invalid_lang', 'invalid_yesno', 'invalid_date', 'invalid_choice']);
const shown = (raw: string) => (raw.length > 60 ? `${raw.slice(0, 57)}…` : raw);

function firstProblem(issues: z.core.$ZodIssue[], field: MappedField, raw: string, max?: number, choices?: string[]): Problem {
  const code = (issues[0]?.message ?? 'required') as ProblemCode;
  if (code === 'too_long' && max !== undefined) return { code, field, params: { max } };
  const value: Record<string, string> = showsValue.has(code) && field !== 'password' ? { value: shown(raw) } : {};
  if (code === 'invalid_choice' && choices) return { code, field, params: { choices: choices.join(', '), ...value } };
  return { code, field, ...(Object.keys(value).length > 0 ? { params: value } : {}) };
}

/** What the host decides about values: the zone of dates, the languages it has installed. */
export interface SiteRules {
  /** The zone dates are midnight in: the host's forced zone, else its default one (new accounts have no zone of their own). */
  timeZone?: string;
  /** Language packs installed on the host (its plugin reports them); unknown, any well-formed code passes. */
  languages?: ReadonlySet<string> | null;
}

/** Builds the validator for one file's mapping; call it per row. */
export function createValidator(
  columns: ColumnMapping[],
  settings: Pick<Settings, 'matchOn' | 'surnamePrefix' | 'usernameTemplate'>,
  profileFields: readonly ProfileField[] = [],
  site: SiteRules = {},
) {
  const timeZone = site.timeZone ?? 'UTC';
  const byShortname = new Map(profileFields.map((f) => [f.shortname, f]));
  const mapped = columns
    .filter((c): c is ColumnMapping & { field: MappedField } => c.field !== null)
    .map((c) => {
      // Catalog fields kept in a host profile field (extra time, date of birth) take that field's rules.
      const shortname = profileShortnameOf(c.field);
      if (shortname === undefined) return { index: c.index, field: c.field, profile: null, schema: fieldSchemas[c.field as FieldKey] };
      const profile = byShortname.get(shortname) ?? null;
      return { index: c.index, field: c.field, profile, schema: profile ? profileSchema(profile, timeZone) : z.string() };
    });
  return (source: SourceRow): Candidate => {
    const values: Candidate['values'] = {};
    const profile: Candidate['profile'] = {};
    const problems: Problem[] = [];
    for (const column of mapped) {
      const raw = source.cells[column.index] ?? '';
      if (raw === '') continue;
      const parsed = column.schema.safeParse(raw);
      if (!parsed.success) {
        const max = column.profile ? undefined : fieldCatalog[column.field as FieldKey].maxLength;
        problems.push(firstProblem(parsed.error.issues, column.field, raw, max, column.profile?.options));
      } else if (column.profile) {
        profile[column.profile.shortname] = parsed.data;
      } else {
        const field = column.field as FieldKey;
        // Numbered columns (group1, group2…) add up.
        values[field] = values[field] !== undefined && fieldCatalog[field].multiple ? `${values[field]};${parsed.data}` : parsed.data;
      }
    }
    // As Moodle's upload refuses a language its site lacks (get_string_manager()->translation_exists()).
    if (values.lang !== undefined && site.languages && !site.languages.has(values.lang)) {
      problems.push({ code: 'lang_not_installed', field: 'lang', params: { lang: values.lang, installed: [...site.languages].join(', ') } });
      delete values.lang;
    }
    compose(values, profile, settings);
    const usernameBase = settings.usernameTemplate && values.username === undefined ? usernameFromTemplate(settings.usernameTemplate, values) || undefined : undefined;
    if (values[settings.matchOn] === undefined && !problems.some((p) => p.field === settings.matchOn)) {
      problems.push({ code: 'required', field: settings.matchOn });
    }
    return { row: source.row, values, profile, problems, ...(usernameBase ? { usernameBase } : {}) };
  };
}
