import { fieldCatalog, profileShortnameOf, type FieldKey, type MappedField, type ProfileField, type ValueKind } from '../../contract/catalog.js';
import type { ColumnMapping, Problem, ProblemCode, Settings } from '../../contract/types.js';
import { filledWidth, type SourceRow } from '../read/table.js';
import { isUncalculated } from '../read/uncalculated.js';
import { usernameFromTemplate } from './username-template.js';
import { surnameFirst } from '../full-name.js';
import { midnightIn, parseDate, parseYesNo, splitFullName, stripTags, timeZoneName } from './values.js';
import { countryCodeByName, countryCodeOf, countryCodes, languageCodeByName } from './place-names.js';

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
  /** A line of text among the rows, not a person ("Totaal: 2 leerlingen", "Klas 1A"): see noteRow. */
  note?: true;
  /** The first row of the same person, which took this row's groups (RepeatedRows): this one is skipped. */
  sameAs?: number;
  /** Other places the person's later rows name (a teacher at a second school, in another class): RepeatedRows. */
  alsoAt?: Place[];
  /** Roles in existing categories, each category named by its ID number (Moodle's categoryN + categoryroleN). */
  categoryRoles?: CategoryRole[];
  /** Courses the row enrols in (Moodle's courseN with roleN, groupN, enrolperiodN, enroltimestartN). */
  courses?: CourseWish[];
  /** What the row says that is passed over without refusing it (a role without its category), told on the row. */
  warnings?: Problem[];
}

/** The fields of a row that say where the person is: their node (one path, or municipality and school) and class. */
export const placeFields = ['nodePath', 'municipality', 'school', 'class'] as const;

/** Where a row places its person. */
export type Place = Partial<Record<(typeof placeFields)[number], string>>;

/** A role the row asks for in an existing category: the category's ID number and the role's short name. */
export interface CategoryRole {
  category: string;
  role: string;
}

/** A course the row enrols in, with what Moodle's upload reads beside it (role1, group1, enrolperiod1, enroltimestart1). */
export interface CourseWish {
  /** The course's short name. */
  course: string;
  /** Empty: the course's manual enrolment gives its default role. */
  role?: string;
  /** Moodle's older typeN (1, 2 or 3), read where the role is empty. */
  type?: string;
  /** A group of the course, made when it has none of that name. */
  group?: string;
  /** How many days the enrolment lasts; without: the manual enrolment's own period. */
  days?: number;
  /** The day it starts (ISO); without: today. */
  start?: string;
  /** Suspended (enrolstatus 1) or active (0); without: a new enrolment is active, one the account has stays as it is. */
  suspended?: boolean;
}

/**
 * The file's numbered columns of these fields, grouped by the number their headers end in (category1 with
 * categoryrole1, course2 with role2 and group2), as Moodle's upload groups them
 * (tool_uploaduser\process::process_line()); a header without a number is set 1.
 */
function numberedSets<F extends string>(columns: readonly ColumnMapping[], fields: readonly F[]): Partial<Record<F, number>>[] {
  const sets = new Map<number, Partial<Record<F, number>>>();
  for (const column of columns) {
    if (!fields.includes(column.field as F)) continue;
    const number = Number(/(\d+)\s*$/.exec(column.header)?.[1] ?? 1);
    const set: Partial<Record<F, number>> = sets.get(number) ?? {};
    set[column.field as F] = column.index;
    sets.set(number, set);
  }
  return [...sets.entries()].sort(([a], [b]) => a - b).map(([, set]) => set);
}

const categoryFields = ['roleCategory', 'categoryRole'] as const;
const courseFields = ['course', 'courseRole', 'courseType', 'courseGroup', 'enrolPeriod', 'enrolStart', 'enrolSuspended'] as const;

/** Fields whose values are people's names: a lone name in one of them is a person with details missing, not a note. */
const nameFields = new Set<string>(['firstname', 'lastname', 'fullname', 'givennames', 'lastnamePrefix']);
/** Fields that say who a person is: a value valid there ("Jan Jansen <jan@school.nl>") names someone. */
const identifyingFields = new Set<string>(['username', 'email', 'ssoId']);

/**
 * Whether a row is a line of text rather than a person: exports and hand-made lists put totals, dates of
 * export and section headings among their rows ("Totaal: 2 leerlingen", "Klas 1A", "Geëxporteerd op
 * 01-09-2026"). One filled cell in a table of three or more columns, holding a colon (no value a person
 * has does), or words; in a name column, words with a digit: a lone name there is a person whose details
 * are missing, an error to fix. A lone value without a space (a student number, a username), or one
 * valid as a username, e-mail address or SSO ID in such a column, is never a note: in an update it names
 * a person who stays.
 */
function noteRow(cells: readonly string[], width: number, columnAt: (index: number) => { field: string; rule: Rule } | undefined, sheetNameColumn = -1): boolean {
  if (width < 3) return false;
  let filled = -1;
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === '' || i === sheetNameColumn) continue;
    if (filled >= 0) return false;
    filled = i;
  }
  if (filled < 0) return false;
  const text = cells[filled]!;
  const column = columnAt(filled);
  if (column && identifyingFields.has(column.field) && !(column.rule(text) instanceof Refused)) return false;
  if (text.includes(':')) return true;
  if (!/\s/.test(text)) return false;
  return !column || !nameFields.has(column.field) || /\d/.test(text);
}

/** Moodle's username rule without `extendedusernamechars`: lower case letters, digits and `_-.@`. */
const usernamePattern = /^[a-z0-9_.@-]+$/;
/** Moodle's validate_email(), in spirit: one @, a dotted domain, no spaces. */
const emailPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9][a-z0-9-]*$/i;

/**
 * A value's rule: normalise first (what a person means), then check. Returns the value to store, or the
 * code of what is wrong. Plain functions rather than zod schemas: this runs for every cell of every row,
 * and zod's parse allocated some 2.6 kB per row (a fifth of a re-import's garbage, measured).
 */
type Rule = (value: string) => string | Refused;

/** What a rule returns for a value it refuses: one shared instance per code, so refusing allocates nothing. */
class Refused {
  private static readonly byCode = new Map<ProblemCode, Refused>();
  private constructor(readonly code: ProblemCode) {}
  static as(code: ProblemCode): Refused {
    let refused = Refused.byCode.get(code);
    if (!refused) Refused.byCode.set(code, (refused = new Refused(code)));
    return refused;
  }
}

/** A rule that keeps the values passing `test` once normalised, and refuses the rest with `code`. */
const matching =
  (normalise: (value: string) => string, test: (value: string) => boolean, code: ProblemCode): Rule =>
  (value) => {
    const normal = normalise(value);
    return test(normal) ? normal : Refused.as(code);
  };

const unchanged = (value: string) => value;
const lowerCase = (value: string) => value.toLowerCase();

/**
 * An address as mail programs and spreadsheets write one: "Jan Jansen <jan@school.nl>" (copied from
 * Outlook) and "mailto:jan@school.nl" (a link's target) are jan@school.nl. Kept as written otherwise:
 * Moodle stores an address as given (tool_uploaduser and the profile form only trim it) and compares
 * addresses without regard to case, as planning does (keyOf). Plain string tests first: this runs for
 * every row.
 */
function plainAddress(value: string): string {
  let address = value;
  if (address.endsWith('>')) {
    const open = address.lastIndexOf('<');
    if (open >= 0) address = address.slice(open + 1, -1).trim();
  }
  if (address.length > 7 && address.slice(0, 7).toLowerCase() === 'mailto:') address = address.slice(7).trim();
  return address.trim();
}
/**
 * A rule that keeps what `parse` reads a value as, and refuses what it cannot read. Never the value as
 * written in its place: "2010-13-01" has a date's shape, yet no month 13 (it was stored as 1 January 2011).
 */
const parsedBy =
  (parse: (value: string) => string | null, code: ProblemCode): Rule =>
  (value) =>
    parse(value) ?? Refused.as(code);

const yesNo: Rule = parsedBy(parseYesNo, 'invalid_yesno');
const date: Rule = parsedBy(parseDate, 'invalid_date');

/** Moodle's value for "the site's own time zone" (core_date: a user whose zone is 99 follows the site). */
const siteTimeZone = '99';

/** A line break in a cell (Alt+Enter in Excel), with the spaces around it. */
const lineBreak = /\s*[\r\n]+\s*/g;

/**
 * A cell a spreadsheet broke over lines, for a field Moodle edits in a one-line input: "Ayşe⏎Merve" is
 * read as Excel shows it, one name with a space between.
 */
const oneLine = (value: string): string => (value.includes('\n') || value.includes('\r') ? value.replace(lineBreak, ' ') : value);

/** Per value kind. */
const kindRules: Record<Exclude<ValueKind, 'choice'>, Rule> = {
  username: matching(lowerCase, (v) => usernamePattern.test(v), 'invalid_username'),
  email: matching(plainAddress, (v) => emailPattern.test(v), 'invalid_email'),
  // Names and places as Moodle's core_user::clean_data() leaves them (PARAM_NOTAGS, PARAM_TEXT): no tags,
  // and on one line.
  text: (v) => stripTags(oneLine(v)).trim(),
  // A description as Moodle's upload stores it (PARAM_RAW, trimmed): its pages clean it when they show it (format_text()).
  html: (v) => v.trim(),
  // An auth plugin's name as Moodle stores it, in lower case; whether the site has it enabled is the site's to say.
  auth: (v) => v.trim().toLowerCase(),
  // Trimmed, as Moodle's upload trims every cell (tool_uploaduser's process): a space a spreadsheet left
  // after "Secret-1" is no part of the password a pupil is told.
  password: (v) => v.trim(),
  // A code, or a country's name as exports write it ("Nederland", "Sverige"): Moodle stores the code.
  country: matching((v) => (/^[a-z]{2}$/i.test(v.trim()) ? countryCodeOf(v.trim()) : (countryCodeByName(v) ?? v)), (v) => countryCodes.has(v), 'invalid_country'),
  lang: matching((v) => (/^[a-z]{2,3}([_-][a-z0-9]+)*$/i.test(v.trim()) ? v.trim().toLowerCase().replace('-', '_') : (languageCodeByName(v) ?? v)), (v) => /^[a-z]{2,3}(_[a-z0-9]+)*$/.test(v), 'invalid_lang'),
  // An IANA name as Moodle stores it, whatever the case a file writes it in ("europe/amsterdam"), or 99.
  timezone: matching((v) => (v.trim() === siteTimeZone ? siteTimeZone : (timeZoneName(v.trim()) ?? v)), (v) => v === siteTimeZone || timeZoneName(v) === v, 'invalid_timezone'),
  yesno: yesNo,
  date,
  // Whole days, as Moodle's upload reads enrolperiodN ((int) days; anything else is no period).
  days: matching((v) => v.trim(), (v) => /^\d{1,6}$/.test(v), 'invalid_days'),
  list: (v) => listEntries(v).join(';'),
  people: (v) => peopleEntries(v).join(';'),
  tags: (v) => tagNames(v).join(', '),
};

/**
 * The names a cell lists, separated as people type a list and SIS exports write them (`;`, `|`, or `,`:
 * lesgroepen "1a-ne, 1a-wi"; a line of a cell broken over lines, Alt+Enter, is one entry too), cleaned of
 * stray spaces and empty entries.
 */
export const listEntries = (cell: string): string[] =>
  cell
    .split(/[;|,\r\n]/)
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * The people a cell lists, separated as listEntries separates them, but for one written surname first
 * ("Bakker, Marieke": full-name.ts' surnameFirst), which stays one entry, the way a SIS export names a
 * mentor. Whether it is one person or two ("mbakker, jdekker") is the site's to answer (namesInEntry).
 */
export const peopleEntries = (cell: string): string[] =>
  cell
    .split(/[;|\r\n]/)
    .flatMap((part) => {
      const sorted = surnameFirst(part);
      return sorted ? [`${sorted.surname}, ${sorted.given}`] : listEntries(part);
    });

/**
 * A list of tags as Moodle's upload splits it (at each comma, with the spaces around it) and
 * core_tag_tag::normalize() cleans each (clean_param(PARAM_TAG): no control characters or <>`, runs of
 * spaces one space, at most TAG_MAX_LENGTH = 50 characters); a tag named twice in any case is one tag,
 * as Moodle keys them in lower case.
 */
export function tagNames(value: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of value.split(',')) {
    const name = [...part.replace(/[\p{Cc}<>`]/gu, '').replace(/\s+/gu, ' ').trim()].slice(0, 50).join('').trim();
    const key = name.toLowerCase();
    if (name === '' || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

/** Kinds whose values are written by name as often as by code: the limit holds for the code they become. */
const byNameKinds = new Set<ValueKind>(['country', 'lang']);

/** A rule with a length limit on the value as written. */
const limitedTo =
  (maxLength: number, rule: Rule): Rule =>
  (value) =>
    value.length > maxLength ? Refused.as('too_long') : rule(value);

/** A catalog field's rule: its length limit on the value as written, then its kind's rule. */
const fieldRules = Object.fromEntries(
  (Object.keys(fieldCatalog) as FieldKey[]).map((key) => {
    const { maxLength, kind, choices = [] } = fieldCatalog[key];
    // One of the values Moodle stores (mailformat 0 or 1), as written: a number, nothing else.
    const rule = kind === 'choice' ? matching((v) => v.trim(), (v) => choices.includes(v), 'invalid_choice') : kindRules[kind];
    if (byNameKinds.has(kind)) {
      return [key, (value: string) => {
        const code = rule(value);
        return code instanceof Refused || code.length <= maxLength ? code : Refused.as('too_long');
      }];
    }
    return [key, limitedTo(maxLength, rule)];
  }),
) as Record<FieldKey, Rule>;

/**
 * A username on a host with `extendedusernamechars`, where clean_param(PARAM_USERNAME) only trims and
 * lowers it (lib/moodlelib.php): any character stays but those that cannot be typed (control characters).
 */
const extendedUsername = limitedTo(fieldCatalog.username.maxLength, matching(lowerCase, (v) => !/[\u0000-\u001f\u007f]/.test(v), 'invalid_username'));

/**
 * Profile values as Moodle stores them: checkboxes 1/0, menus one of their options, dates as
 * profile_field_datetime::edit_save_data_preprocess() does: the year moved into the field's range, then
 * make_timestamp() at midnight in the user's time zone.
 */
function profileRule(field: ProfileField, timeZone: string): Rule {
  switch (field.datatype) {
    case 'checkbox':
      return yesNo;
    case 'datetime':
      return (value) => {
        const iso = date(value);
        return iso instanceof Refused ? iso : String(midnightIn(withinYears(iso, field.years), timeZone));
      };
    case 'menu':
      return matching((v) => field.options.find((o) => o.toLowerCase() === v.toLowerCase()) ?? v, (v) => field.options.includes(v), 'invalid_choice');
    // A one-line input in Moodle (profile_field_text), as a catalog field of text is; a text area keeps its lines.
    case 'text':
      return oneLine;
    default:
      return unchanged;
  }
}

/** A profile field's rule for each time zone rows name, made once per zone. */
function zonedRules(field: ProfileField): (timeZone: string) => Rule {
  const rules = new Map<string, Rule>();
  return (timeZone) => {
    let rule = rules.get(timeZone);
    if (!rule) rules.set(timeZone, (rule = profileRule(field, timeZone)));
    return rule;
  };
}

function withinYears(iso: string, years: ProfileField['years']): string {
  if (!years) return iso;
  const year = Math.min(Math.max(Number(iso.slice(0, 4)), years.start), years.end);
  return `${String(year).padStart(4, '0')}${iso.slice(4)}`;
}

/** The names compose() makes from other fields. */
const composedNames = ['firstname', 'lastname'] as const;

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

/**
 * The values a spreadsheet shows for a formula that failed (a VLOOKUP that found nothing: #N/A), as a
 * workbook stores them and as Excel in English, Dutch, Swedish and Finnish, and LibreOffice (Err:502), write
 * them into a CSV. Such a cell is no one's name or address: imported, "#N/A" became a pupil's e-mail or
 * surname. Refused in every mapped column, the row says which and what it held.
 */
const spreadsheetErrors = new Set([
  ...['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!'],
  ...['#LEEG!', '#DEEL/0!', '#WAARDE!', '#VERW!', '#NAAM?', '#GETAL!', '#N/B'],
  ...['#SKÄRNING!', '#DIVISION/0!', '#VÄRDEFEL!', '#REFERENS!', '#NAMN?', '#OGILTIGT!', '#SAKNAS!'],
  ...['#TYHJÄ!', '#JAKO/0!', '#ARVO!', '#VIITTAUS!', '#NIMI?', '#LUKU!', '#PUUTTUU!'],
]);

/** Whether a cell holds a formula's error value (spreadsheetErrors), checked only for cells that start as one can. */
function isSpreadsheetError(raw: string): boolean {
  const first = raw.charCodeAt(0);
  if (first !== 35 /* # */ && first !== 69 /* E */ && first !== 32) return false;
  const value = raw.trim();
  return spreadsheetErrors.has(value.toUpperCase()) || /^Err:\d{3}$/.test(value);
}

/**
 * A number Excel shortened when it saved a CSV: from twelve digits on, its General format writes
 * 123456789012 as `1.23457E+11` (`1,23457E+11` in a Dutch or Swedish Excel), and the digits after the
 * sixth are gone from the file. Imported, a student number or single sign-on ID no longer matches anyone
 * (the next corrected file makes a duplicate account); refused, the row says to export it again with the
 * column as text. No name, address or code is written so.
 */
function isShortenedNumber(raw: string): boolean {
  const first = raw.charCodeAt(0);
  if (first < 48 || first > 57 || raw.length > 20) return false;
  return /^\d(?:[.,]\d{1,14})?E\+\d{1,3}$/i.test(raw);
}

/** Codes about a value a person can see and fix: the problem carries the value itself (never a password's). */
const showsValue = new Set<ProblemCode>(['invalid_email', 'invalid_username', 'invalid_country', 'invalid_lang', 'invalid_timezone', 'invalid_yesno', 'invalid_date', 'invalid_choice', 'invalid_days']);
const shown = (raw: string) => (raw.length > 60 ? `${raw.slice(0, 57)}…` : raw);

function problemOf(code: ProblemCode, field: MappedField, raw: string, max?: number, choices?: readonly string[]): Problem {
  if (code === 'too_long' && max !== undefined) return { code, field, params: { max } };
  const value: Record<string, string> = showsValue.has(code) && field !== 'password' ? { value: shown(raw) } : {};
  if (code === 'invalid_choice' && choices) return { code, field, params: { choices: choices.join(', '), ...value } };
  return { code, field, ...(Object.keys(value).length > 0 ? { params: value } : {}) };
}

/**
 * The site's say over a row's values, as Moodle's upload checks them: a language it has installed
 * (get_string_manager()->translation_exists()) and a sign-in method it has enabled, or the row is
 * refused (`problems`); a theme it lets users have (field_value_validators::validate_theme()) and no
 * system role taken away ("-manager"), or the row is imported without it and told so. Returns those
 * warnings, undefined for none (no array made for every row of a file that has none).
 */
function applySiteRules(values: Candidate['values'], site: SiteRules, problems: Problem[]): Problem[] | undefined {
  let warnings: Problem[] | undefined;
  if (values.lang !== undefined && site.languages && !site.languages.has(values.lang)) {
    problems.push({ code: 'lang_not_installed', field: 'lang', params: { lang: values.lang, installed: [...site.languages].join(', ') } });
    delete values.lang;
  }
  // A method the site has not enabled would make an account nobody can log in to.
  if (values.auth !== undefined && site.enabledAuth && !site.enabledAuth.has(values.auth)) {
    problems.push({ code: 'auth_not_enabled', field: 'auth', params: { value: values.auth, enabled: [...site.enabledAuth].join(', ') } });
    delete values.auth;
  }
  const themeWarning = values.theme !== undefined && site.userThemes !== undefined ? themeProblem(values.theme, site.userThemes) : null;
  if (themeWarning) {
    (warnings ??= []).push(themeWarning);
    delete values.theme;
  }
  // As Moodle's upload: an empty cell leaves the tags as they are.
  if (values.interests === '') delete values.interests;
  if (values.interests !== undefined && site.setsInterests === false) {
    (warnings ??= []).push({ code: 'interests_need_plugin', field: 'interests' });
    delete values.interests;
  }
  // An import gives roles; it does not take them away.
  if (values.systemRole !== undefined) {
    const roles = values.systemRole.split(';');
    for (const role of roles) if (role.startsWith('-')) (warnings ??= []).push({ code: 'system_role_removal', field: 'systemRole', params: { role: role.slice(1) } });
    const given = roles.filter((role) => !role.startsWith('-'));
    if (given.length > 0) values.systemRole = given.join(';');
    else delete values.systemRole;
  }
  return warnings;
}

/** Why a theme a row names is not given to its account, or null where it is. */
function themeProblem(theme: string, userThemes: ReadonlySet<string> | null): Problem | null {
  if (userThemes === null) return { code: 'theme_not_allowed', field: 'theme', params: { value: theme } };
  if (!userThemes.has(theme)) return { code: 'theme_not_installed', field: 'theme', params: { value: theme, installed: [...userThemes].sort().join(', ') } };
  return null;
}

/** What the host decides about values: the zone of dates, the languages it has installed. */
export interface SiteRules {
  /** The zone dates are midnight in: the host's forced zone, else its default one (for a row that names none). */
  timeZone?: string;
  /** The host forces its zone on everyone ($CFG->forcetimezone): a row's own zone does not move its dates. */
  timeZoneForced?: boolean;
  /** Language packs installed on the host (its plugin reports them); unknown, any well-formed code passes. */
  languages?: ReadonlySet<string> | null;
  /** The host's `extendedusernamechars`: usernames may hold any character. */
  extendedUsernameChars?: boolean;
  /** The site's enabled sign-in methods (manual and nologin always are); unknown, any passes. */
  enabledAuth?: ReadonlySet<string>;
  /** Themes a user may be given: those installed where the host allows users their own ($CFG->allowuserthemes), null where it does not; unknown, any passes. */
  userThemes?: ReadonlySet<string> | null;
  /** Whether Moodle's own code sets an account's interests (its tags) after the import: the host has Intake's plugin. */
  setsInterests?: boolean;
}

/** What the reader tells of the table's layout, beyond its header. */
export interface TableLayout {
  /**
   * A delimited file's delimiter: there, a row with more cells than its header has a value holding the
   * delimiter without quotes ("Jansen, Jr." in a comma file), and every cell after it sits in the wrong
   * column. Such a row is refused as a whole rather than imported shifted. (A workbook's cells cannot
   * move: a note beside the table is no such sign.)
   */
  delimiter?: string;
  /**
   * The column the reader gave every row of a workbook's sheets read together, holding its sheet's
   * name: a cell the file's own row never had, so it says nothing of whether the row is a note.
   */
  sheetNameColumn?: number;
}

/** Builds the validator for one file's mapping; call it per row. */
export function createValidator(
  columns: ColumnMapping[],
  settings: Pick<Settings, 'matchOn' | 'surnamePrefix' | 'usernameTemplate'>,
  profileFields: readonly ProfileField[] = [],
  site: SiteRules = {},
  layout: TableLayout = {},
) {
  const width = columns.length;
  const { delimiter: fileDelimiter, sheetNameColumn } = layout;
  const shifted = (cells: string[]) => fileDelimiter !== undefined && cells.length > width && filledWidth(cells) > width;
  const timeZone = site.timeZone ?? 'UTC';
  const byShortname = new Map(profileFields.map((f) => [f.shortname, f]));
  const mapped = columns
    .filter((c): c is ColumnMapping & { field: MappedField } => c.field !== null)
    .map((c) => {
      // Catalog fields kept in a host profile field (extra time, date of birth) take that field's rules.
      const shortname = profileShortnameOf(c.field);
      if (shortname === undefined) {
        const rule = c.field === 'username' && site.extendedUsernameChars ? extendedUsername : fieldRules[c.field as FieldKey];
        return { index: c.index, field: c.field, profile: null, rule };
      }
      const profile = byShortname.get(shortname) ?? null;
      const ruleIn = profile ? zonedRules(profile) : null;
      return { index: c.index, field: c.field, profile, rule: ruleIn ? ruleIn(timeZone) : unchanged, ruleIn };
    });
  const mappedAt = new Map(mapped.map((column) => [column.index, column]));
  const categoryPairs = numberedSets(columns, categoryFields);
  const courseSets = numberedSets(columns, courseFields);
  /**
   * The row's roles in categories: a category without its role is a problem; a role without its category
   * is passed over, as Moodle's upload passes it over, with a warning on the row.
   */
  const categoryRolesOf = (cells: string[], problems: Problem[], warnings: Problem[]): CategoryRole[] => {
    const found: CategoryRole[] = [];
    for (const pair of categoryPairs) {
      const category = pair.roleCategory === undefined ? '' : (cells[pair.roleCategory] ?? '').trim();
      const role = pair.categoryRole === undefined ? '' : (cells[pair.categoryRole] ?? '').trim();
      if (category === '' && role !== '') warnings.push({ code: 'category_missing', field: 'roleCategory', params: { role } });
      if (category === '') continue;
      if (role === '') problems.push({ code: 'missing_category_role', field: 'categoryRole', params: { category } });
      else found.push({ category, role });
    }
    return found;
  };
  /**
   * The courses a row enrols in. A value its column refuses is already a problem of the row; a role, group
   * or period without its course is passed over with a warning, as Moodle's upload passes it over.
   */
  const coursesOf = (cells: string[], warnings: Problem[]): CourseWish[] => {
    const found: CourseWish[] = [];
    const valueOf = (set: (typeof courseSets)[number], field: (typeof courseFields)[number]) => {
      const index = set[field];
      const raw = index === undefined ? '' : (cells[index] ?? '').trim();
      if (raw === '') return undefined;
      const value = fieldRules[field](raw);
      return value instanceof Refused || value === '' ? undefined : value;
    };
    for (const set of courseSets) {
      const course = valueOf(set, 'course');
      const wish: Omit<CourseWish, 'course'> = {};
      const role = valueOf(set, 'courseRole');
      const type = valueOf(set, 'courseType');
      const group = valueOf(set, 'courseGroup');
      const days = valueOf(set, 'enrolPeriod');
      const start = valueOf(set, 'enrolStart');
      const suspended = valueOf(set, 'enrolSuspended');
      if (role !== undefined) wish.role = role;
      if (type !== undefined) wish.type = type;
      if (group !== undefined) wish.group = group;
      if (days !== undefined && Number(days) > 0) wish.days = Number(days);
      if (start !== undefined) wish.start = start;
      if (suspended !== undefined) wish.suspended = suspended === '1';
      if (course === undefined) {
        if (Object.keys(wish).length > 0) warnings.push({ code: 'course_missing', field: 'course' });
      } else if (!found.some((f) => f.course.toLowerCase() === course.toLowerCase())) {
        found.push({ course, ...wish });
      }
    }
    return found;
  };
  // A row's own time zone, where the file has one: its dates are midnight there, as Moodle's are in the user's zone.
  const zoneColumn = site.timeZoneForced ? undefined : columns.find((c) => c.field === 'timezone');
  const zoneOf = (cells: string[]): string => {
    const raw = zoneColumn ? (cells[zoneColumn.index] ?? '') : '';
    const zone = raw === '' ? null : kindRules.timezone(raw);
    return zone === null || zone instanceof Refused || zone === siteTimeZone ? timeZone : zone;
  };
  const columnAt = (index: number) => mappedAt.get(index);
  return (source: SourceRow): Candidate => {
    if (noteRow(source.cells, width, columnAt, sheetNameColumn)) return { row: source.row, values: {}, profile: {}, problems: [], note: true };
    const values: Candidate['values'] = {};
    const profile: Candidate['profile'] = {};
    const problems: Problem[] = [];
    const zone = zoneColumn ? zoneOf(source.cells) : timeZone;
    for (const column of mapped) {
      const raw = source.cells[column.index] ?? '';
      if (raw === '') continue;
      if (isSpreadsheetError(raw)) {
        problems.push({ code: 'spreadsheet_error', field: column.field, params: { value: raw.trim() } });
        continue;
      }
      if (isUncalculated(raw)) {
        problems.push({ code: 'uncalculated_formula', field: column.field });
        continue;
      }
      // A password is whatever it is, and never shown.
      if (column.field !== 'password' && isShortenedNumber(raw)) {
        problems.push({ code: 'shortened_number', field: column.field, params: { value: raw } });
        continue;
      }
      const value = zone !== timeZone && column.ruleIn ? column.ruleIn(zone)(raw) : column.rule(raw);
      if (value instanceof Refused) {
        const field = column.profile ? undefined : fieldCatalog[column.field as FieldKey];
        problems.push(problemOf(value.code, column.field, raw, field?.maxLength, column.profile?.options ?? field?.choices));
      } else if (column.profile) {
        profile[column.profile.shortname] = value;
      } else {
        const field = column.field as FieldKey;
        // Numbered columns (group1, group2…) add up.
        values[field] = values[field] !== undefined && fieldCatalog[field].multiple ? `${values[field]};${value}` : value;
      }
    }
    const early = applySiteRules(values, site, problems);
    compose(values, profile, settings);
    // A name made of parts (a surname with its prefix, a full name split) holds what its column holds.
    for (const field of composedNames) {
      const { maxLength } = fieldCatalog[field];
      if ((values[field]?.length ?? 0) <= maxLength) continue;
      problems.push({ code: 'too_long', field, params: { max: maxLength } });
      delete values[field];
    }
    const usernameBase = settings.usernameTemplate && values.username === undefined ? usernameFromTemplate(settings.usernameTemplate, values) || undefined : undefined;
    if (values[settings.matchOn] === undefined && !problems.some((p) => p.field === settings.matchOn)) {
      problems.push({ code: 'required', field: settings.matchOn });
    }
    const candidate: Candidate = { row: source.row, values, profile, problems };
    if (usernameBase) candidate.usernameBase = usernameBase;
    // Only a file with category role columns asks for them: nothing is made for each row of the others.
    if (categoryPairs.length > 0 || courseSets.length > 0 || early) {
      const warnings: Problem[] = early ?? [];
      const categoryRoles = categoryRolesOf(source.cells, problems, warnings);
      if (categoryRoles.length > 0) candidate.categoryRoles = categoryRoles;
      const courses = coursesOf(source.cells, warnings);
      if (courses.length > 0) candidate.courses = courses;
      if (warnings.length > 0) candidate.warnings = warnings;
    }
    if (shifted(source.cells)) {
      // What its cells seem to say wrong follows from the shift: the shift is the one problem named.
      const delimiter = fileDelimiter === '\t' ? 'tab' : fileDelimiter!;
      problems.splice(0, problems.length, { code: 'extra_cells', params: { cells: source.cells.length, columns: width, delimiter } });
    }
    return candidate;
  };
}
