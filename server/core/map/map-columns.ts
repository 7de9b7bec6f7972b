import { ambiguousHeaders, fieldCatalog, fieldKeys, headerPersonWords, isProfileField, nationalIdHeaders, profileFieldPrefix, type FieldKey, type MappedField, type ProfileField } from '../../contract/catalog.js';
import { headerSynonyms, notFieldHeaders } from './header-synonyms.js';
import { distance, nearestName } from '../edit-distance.js';
import { delimiters, type ColumnMapping, type Settings } from '../../contract/types.js';
import { IntakeError } from '../errors.js';
import { missingFields, requiredFields } from '../../contract/required-fields.js';
import { isErrorReportColumn } from '../../contract/error-report-columns.js';

/** Lower case, accents dropped ("Schüler" → "schuler"). */
const withoutAccents = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * A header as compared with synonyms: lower case, accents and punctuation gone, `[Required]`-style
 * and `*` suffixes dropped, so that "E-mailadres *", "e_mail adres" and "EMAILADRES" all meet.
 */
export function normalizeHeader(header: string): string {
  return withoutAccents(header)
    .replace(/\[[^\]]*\]|\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, '');
}

/** normalized synonym → field, built once from the catalog. */
const synonymIndex: ReadonlyMap<string, FieldKey> = (() => {
  const index = new Map<string, FieldKey>();
  for (const key of fieldKeys) {
    const def = fieldCatalog[key];
    const names = [key, ...Object.values(def.label), ...Object.values(headerSynonyms[key]).flat()];
    for (const name of names) {
      const normalized = normalizeHeader(name);
      if (!index.has(normalized)) index.set(normalized, key);
    }
  }
  return index;
})();

const nationalIds = new Set(nationalIdHeaders.map(normalizeHeader));
const notFields = new Set(notFieldHeaders.map(normalizeHeader));

export const isNationalIdHeader = (header: string) => nationalIds.has(normalizeHeader(header));

/**
 * The one synonym within a typo or two of the header (longer headers may stray further), if exactly
 * one. Numbered headers (Moodle's course1, group1, role1) are never guessed at, nor guessed: a plain
 * "Category" column (an exam's category) is no near miss of Moodle's category1.
 */
function closest(normalized: string): FieldKey | null {
  if (/\d$/.test(normalized)) return null;
  const limit = normalized.length >= 10 ? 2 : normalized.length >= 5 ? 1 : 0;
  if (limit === 0) return null;
  const found = new Set<FieldKey>();
  for (let length = normalized.length - limit; length <= normalized.length + limit; length++) {
    for (const [synonym, field] of guessableByLength.get(length) ?? []) if (distance(normalized, synonym, limit) <= limit) found.add(field);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/**
 * The synonyms a near miss may be taken for, by length: only those within the limit's reach of a
 * header's length are compared. The header search asks this of every cell of a file's first rows (names,
 * e-mail addresses): compared with every synonym, 30 ms of each command's start. Numbered ones are never
 * guessed, nor the columns only Moodle's upload files carry, under Moodle's own names: a school export's
 * "Omschrijving" (a class's description) is no near miss of the account's description.
 */
const guessableByLength: ReadonlyMap<number, readonly (readonly [string, FieldKey])[]> = (() => {
  const byLength = new Map<number, [string, FieldKey][]>();
  for (const [synonym, field] of synonymIndex) {
    if (/\d$/.test(synonym) || fieldCatalog[field].uploadOnly) continue;
    const same = byLength.get(synonym.length);
    if (same) same.push([synonym, field]);
    else byLength.set(synonym.length, [[synonym, field]]);
  }
  return byLength;
})();

/** A school year a header ends in, separators gone ("Klas 2026-2027", "Stamgroep 26/27"): the header names the field without it. */
const schoolYear = /(?:(?:19|20)\d\d|\d\d)(?:(?:19|20)\d\d|\d\d)$/;

/**
 * The field a header names: a catalog synonym (its school year aside); a host profile field by
 * `profile_field_<shortname>`, its short name or its name; else the one synonym it is a near miss of,
 * unless it is known to name no field.
 */
export function matchHeader(header: string, profileFields: readonly ProfileField[] = []): MappedField | null {
  const normalized = normalizeHeader(header);
  // The error report's own columns (a fixed report imported again) are no field, not even a near miss of one.
  if (normalized === '' || nationalIds.has(normalized) || isErrorReportColumn(header)) return null;
  const exact = synonymIndex.get(normalized) ?? synonymIndex.get(normalized.replace(schoolYear, ''));
  if (exact) return exact;
  const profile = profileFields.find((f) => [`${profileFieldPrefix}${f.shortname}`, f.shortname, f.name].some((n) => normalizeHeader(n) === normalized));
  if (profile) return `${profileFieldPrefix}${profile.shortname}`;
  const whose = byWhose(header);
  if (whose !== undefined) return whose;
  // A header known to name no field is no near miss of one (a site's profile field may still bear its name).
  return notFields.has(normalized) ? null : closest(normalized);
}

const personWords = {
  self: new Set<string>(headerPersonWords.self),
  others: new Set<string>(headerPersonWords.others),
  supervisors: new Set<string>(headerPersonWords.supervisors),
};

/** Fields that name a person: a supervisor column may hold any of them. */
const identifyingFields: ReadonlySet<FieldKey> = new Set(['email', 'username', 'idnumber']);

/**
 * A header that says whose value it holds (catalog `headerPersonWords`): the row's own field once the
 * word for the pupil is dropped ("E-mail leerling" is the e-mail address); a supervisor where a
 * supervisor is named by e-mail, username or ID number ("Mentor e-mail"); nothing where the value is
 * someone else's ("E-mail ouder", "Telefoon mentor"), not even a near miss. Undefined: no such word.
 */
function byWhose(header: string): FieldKey | null | undefined {
  const words = withoutAccents(header).split(/[^a-z0-9]+/).filter(Boolean);
  // The field the other words name, if they name one ("" for none left: the header is the word alone).
  const rest = (set: ReadonlySet<string>) => {
    const left = words.filter((w) => !set.has(w)).join('');
    return left === '' ? undefined : (synonymIndex.get(left) ?? null);
  };
  if (words.some((w) => personWords.others.has(w))) return null;
  if (words.some((w) => personWords.supervisors.has(w))) {
    const named = rest(personWords.supervisors);
    return named === undefined ? undefined : named && identifyingFields.has(named) ? 'supervisor' : null;
  }
  return words.some((w) => personWords.self.has(w)) ? rest(personWords.self) : undefined;
}

/** A header like "Groep" means a class or a group depending on the values below it. */
function byValues(header: string, values: string[]): FieldKey | null {
  const normalized = normalizeHeader(header);
  const rule = ambiguousHeaders[normalized] ?? ambiguousHeaders[normalized.replace(schoolYear, '')];
  if (!rule) return null;
  return values.length > 0 && values.every((v) => rule.when.test(v)) ? rule.then : rule.otherwise;
}

/** A catalog field kept in a profile field the site does not have cannot be imported here. */
const lacksProfileField = (field: MappedField, profileFields: readonly ProfileField[]) => {
  if (isProfileField(field)) return false;
  const wanted = fieldCatalog[field].profileField;
  return wanted !== undefined && !profileFields.some((f) => f.shortname === wanted);
};

/**
 * The site's own profile field for a catalog field it keeps under another short name: one whose short
 * name or name is among the field's names ("dob", "Date of birth", "Geboortedatum" for the date of birth).
 */
function siteFieldFor(field: MappedField, profileFields: readonly ProfileField[]): MappedField | null {
  const found = profileFields.find((f) => [f.shortname, f.name].some((n) => synonymIndex.get(normalizeHeader(n)) === field));
  return found ? `${profileFieldPrefix}${found.shortname}` : null;
}

/**
 * Maps each column to a field: the admin's choice where given (null = leave out), otherwise by name
 * (and, for ambiguous names, by the values). A field claimed by two columns keeps the first
 * auto-matched one, unless it takes several (group1, group2…); the later column is left unmapped for
 * the admin to choose. National ID columns are never mapped. `samples` are the first data rows.
 */
export function mapColumns(header: string[], overrides: Settings['mapping'] = {}, samples: string[][] = [], profileFields: readonly ProfileField[] = []): ColumnMapping[] {
  return maskSecrets(matchColumns(header, overrides, samples, profileFields));
}

const masked = '••••••';

/**
 * Passwords never travel as samples: a column that is (or looks like) a password column shows dots, in
 * the mapping step, in the stored import record and in every summary the API returns.
 */
export function maskSecrets(columns: ColumnMapping[]): ColumnMapping[] {
  return columns.map((column) => (column.field === 'password' || matchHeader(column.header) === 'password' ? maskSamples(column) : column));
}

export const maskSamples = (column: ColumnMapping): ColumnMapping => ({ ...column, sample: column.sample.map(() => masked) });

function matchColumns(header: string[], overrides: Settings['mapping'] = {}, samples: string[][] = [], profileFields: readonly ProfileField[] = []): ColumnMapping[] {
  const taken = new Set<MappedField>(Object.values(overrides).filter((f): f is MappedField => f !== null));
  return header.map((name, index) => {
    const values = samples.map((row) => row[index] ?? '').filter((v) => v !== '');
    const sample = values.slice(0, 3);
    if (isNationalIdHeader(name)) return { index, header: name, field: null, how: 'blocked', warning: 'national_id', sample: [] };
    if (Object.hasOwn(overrides, name)) return { index, header: name, field: overrides[name] ?? null, how: 'manual', sample };
    let field = byValues(name, values) ?? matchHeader(name, profileFields);
    if (field && lacksProfileField(field, profileFields)) {
      field = siteFieldFor(field, profileFields);
      if (!field) return { index, header: name, field: null, how: 'none', warning: 'no_profile_field', sample };
    }
    if (field && (!taken.has(field) || (!isProfileField(field) && fieldCatalog[field].multiple))) {
      taken.add(field);
      return { index, header: name, field, how: 'auto', sample };
    }
    return { index, header: name, field: null, how: 'none', sample };
  });
}

/**
 * A file read with a delimiter it does not use (one chosen by hand, or an export whose first line is
 * ambiguous) has one column whose header holds the delimiter it does use: said first, as the cause of
 * every column missing after it.
 */
function oneColumnHint(columns: ColumnMapping[]): string | undefined {
  if (columns.length !== 1) return undefined;
  const header = columns[0]!.header;
  const used = delimiters.find((d) => header.includes(d));
  if (used === undefined) return undefined;
  const shown = header.length > 60 ? `${header.slice(0, 60)}…` : header;
  return `The whole header reads as one column ("${shown}"): its columns look separated by ${used === '\t' ? 'tabs' : `"${used}"`}; read it with that delimiter ("file": { "delimiter": ${JSON.stringify(used)} }, or the delimiter choice in the wizard).`;
}

/** Rejects a mapping that cannot work: a field mapped twice, an unknown field, or a required field without a column. */
export function assertMappingUsable(columns: ColumnMapping[], settings: Settings, profileFields: readonly ProfileField[] = []): void {
  const seen = new Map<MappedField, string>();
  for (const column of columns) {
    if (!column.field) continue;
    if (isProfileField(column.field) && !profileFields.some((f) => `${profileFieldPrefix}${f.shortname}` === column.field)) {
      throw new IntakeError('invalid_settings', `The site has no profile field "${column.field.slice(profileFieldPrefix.length)}".`, { field: column.field });
    }
    const earlier = seen.get(column.field);
    if (earlier !== undefined && (isProfileField(column.field) || !fieldCatalog[column.field].multiple)) {
      throw new IntakeError('mapping_conflict', `Columns "${earlier}" and "${column.header}" are both mapped to ${column.field}.`, {
        field: column.field,
        columns: [earlier, column.header],
      });
    }
    seen.set(column.field, column.header);
  }
  const unknown = Object.keys(settings.mapping ?? {}).filter((h) => !columns.some((c) => c.header === h));
  if (unknown.length > 0) {
    const headers = columns.map((c) => c.header);
    // Each named with the header it is a slip of ("E-mail adres": "E-mailadres"), and the file's own headers listed.
    const named = unknown.map((h) => {
      const meant = nearestName(h, headers);
      return meant ? `"${h}" (did you mean "${meant}"?)` : `"${h}"`;
    });
    throw new IntakeError('invalid_settings', `The mapping names columns the file does not have: ${named.join(', ')}. The file's columns: ${headers.map((h) => `"${h}"`).join(', ')}.`, { columns: unknown });
  }
  const missing = missingFields(columns, requiredFields(settings));
  if (missing.length > 0) {
    const hints = [oneColumnHint(columns), ...missing.map((field) => missingColumnHints[field])].filter((hint): hint is string => hint !== undefined);
    throw new IntakeError('missing_column', [`The file has no column for: ${missing.join(', ')}.`, ...hints].join(' '), { fields: missing });
  }
}

/**
 * What to do about a required column a file lacks, said with the refusal: the command line and the API
 * have no mapping screen that marks it. (The settings named are those of the settings file.)
 */
const missingColumnHints: Partial<Record<FieldKey, string>> = {
  email:
    'Moodle needs an e-mail address for every new account (its own upload refuses a new user without one): map the column that holds the addresses ("mapping": { "<header>": "email" }), or only update accounts that exist ("actions": { "add": false }).',
  firstname: 'New accounts need a first name: map the column that holds it, or a full-name column ("fullname").',
  lastname: 'New accounts need a last name: map the column that holds it, or a full-name column ("fullname").',
  password: 'With "password": { "mode": "file" } each new account takes its password from the file: map that column, or let Intake generate passwords ("mode": "generate").',
  idnumber: 'Accounts are matched on the ID number ("matchOn": "idnumber"): map that column, or match on "username" or "email".',
  username: 'Map the username column, or let a template make usernames ("usernameTemplate": "{f}{lastname}").',
};
