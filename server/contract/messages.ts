import { fieldCatalog, isProfileField, profileFieldPrefix, type FieldKey, type UiLanguage } from './catalog.js';
import type { ErrorCode, Problem, ProblemCode, SkipReason } from './types.js';

/**
 * Human texts for the codes the server returns, in every UI language. Both the components and the
 * downloadable error report use these, so a code reads the same everywhere. `{name}` is a parameter.
 */
type Texts<K extends string> = Record<UiLanguage, Record<K, string>>;

export const problemTexts: Texts<ProblemCode> = {
  en: {
    required: '{field} is required',
    too_long: '{field} is longer than {max} characters',
    invalid_email: '{field} "{value}" is not a valid e-mail address',
    invalid_username: '{field} "{value}" may only hold lower-case letters, digits and _ - . @',
    invalid_country: '{field} "{value}" is not a two-letter country code',
    invalid_lang: '{field} "{value}" is not a language code',
    lang_not_installed: 'The language "{lang}" is not installed on this site ({installed})',
    invalid_yesno: '{field} "{value}" should be yes or no',
    invalid_date: '{field} "{value}" is not a date (use dd-mm-yyyy)',
    invalid_choice: '{field} "{value}" is not one of the choices: {choices}',
    password_required: 'A password is required for a new account',
    password_policy: 'The password does not meet the site policy ({rule}: at least {min})',
    duplicate_in_file: 'The same {field} already appears in row {row}',
    ambiguous_match: '{count} accounts have this {field}; the row cannot tell which one is meant',
    username_taken: 'The username {username} belongs to another account',
    email_taken: 'The e-mail address {email} belongs to another account',
    idnumber_taken: 'The ID number {idnumber} belongs to another account: the same person twice, or a typing error',
    unknown_role: 'There is no role "{role}"',
    class_required: 'A student needs a class',
    vague_class: 'A student needs a specific class ("9A", not "{class}")',
    unknown_supervisor: 'No single account is known as supervisor "{supervisor}"',
    invalid_period: 'Valid until ({until}) is before valid from ({from})',
    out_of_scope: 'This is outside the groups and nodes you manage ({group})',
    role_not_allowed: 'You may not give the role "{role}"',
    group_required: 'A new account must join one of your groups (or get a role in your nodes), or you could not see it afterwards',
  },
  nl: {
    required: '{field} is verplicht',
    too_long: '{field} is langer dan {max} tekens',
    invalid_email: '{field} "{value}" is geen geldig e-mailadres',
    invalid_username: '{field} "{value}" mag alleen kleine letters, cijfers en _ - . @ bevatten',
    invalid_country: '{field} "{value}" is geen landcode van twee letters',
    invalid_lang: '{field} "{value}" is geen taalcode',
    lang_not_installed: 'De taal "{lang}" is niet geïnstalleerd op deze site ({installed})',
    invalid_yesno: '{field} "{value}" moet ja of nee zijn',
    invalid_date: '{field} "{value}" is geen datum (gebruik dd-mm-jjjj)',
    invalid_choice: '{field} "{value}" is geen van de keuzes: {choices}',
    password_required: 'Een nieuw account heeft een wachtwoord nodig',
    password_policy: 'Het wachtwoord voldoet niet aan het beleid van de site ({rule}: minstens {min})',
    duplicate_in_file: 'Dezelfde {field} staat al in rij {row}',
    ambiguous_match: '{count} accounts hebben deze {field}; de rij zegt niet welke bedoeld is',
    username_taken: 'De gebruikersnaam {username} hoort bij een ander account',
    email_taken: 'Het e-mailadres {email} hoort bij een ander account',
    idnumber_taken: 'Het ID-nummer {idnumber} hoort bij een ander account: twee keer dezelfde persoon, of een tikfout',
    unknown_role: 'Er is geen rol "{role}"',
    class_required: 'Een leerling heeft een klas nodig',
    vague_class: 'Een leerling heeft een specifieke klas nodig ("9A", niet "{class}")',
    unknown_supervisor: 'Er is niet één account bekend als begeleider "{supervisor}"',
    invalid_period: 'Geldig tot ({until}) ligt vóór geldig vanaf ({from})',
    out_of_scope: 'Dit valt buiten de groepen en locaties die jij beheert ({group})',
    role_not_allowed: 'Je mag de rol "{role}" niet toekennen',
    group_required: 'Een nieuw account moet in een van jouw groepen komen (of een rol krijgen in jouw locaties), anders zie je het daarna niet meer',
  },
};

export const skipTexts: Texts<SkipReason> = {
  en: {
    not_added: 'New account, but adding is switched off',
    update_disabled: 'Changed, but updating is switched off',
    protected_account: 'Site administrators and the guest are never changed by an import',
    protected_data: 'Marked as protected data: not imported',
    deleted_account: 'The username belongs to an account deleted on this site: restore it there, or give the row another username',
  },
  nl: {
    not_added: 'Nieuw account, maar toevoegen staat uit',
    update_disabled: 'Gewijzigd, maar bijwerken staat uit',
    protected_account: 'Beheerders en de gast worden nooit door een import gewijzigd',
    protected_data: 'Gemarkeerd als afgeschermd: niet geïmporteerd',
    deleted_account: 'De gebruikersnaam hoort bij een account dat op deze site is verwijderd: herstel het daar, of geef de rij een andere gebruikersnaam',
  },
};

export const errorTexts: Texts<ErrorCode> = {
  en: {
    empty_file: 'The file is empty.',
    no_data_rows: 'The file has a header but no data rows.',
    zip_bomb: 'The archive would unpack to far more data than a spreadsheet holds; it was not opened.',
    unreadable: 'The file is damaged or incomplete and cannot be read.',
    not_csv: 'This is not a CSV file ({detected}).',
    unsupported_format: 'This file type is not supported ({detected}); save it as .xlsx or CSV.',
    missing_column: 'The file has no column for: {fields}.',
    mapping_conflict: 'Two columns are mapped to {field}: {columns}.',
    cell_too_large: 'Row {row} holds a cell longer than {max} characters.',
    too_many_rows: 'The file has more than {max} rows.',
    too_many_columns: 'Row {row} has more than {max} columns; no list of people has that many.',
    invalid_encoding: 'Row {row}, column "{column}" holds bytes that are not {encoding}: choose the file\'s encoding (Windows-1252 for most Excel CSV files) or save it as UTF-8 again.',
    file_too_large: 'The file is larger than the limit of {max} bytes.',
    invalid_settings: 'The settings are not valid.',
    group_not_found: 'There is no group "{group}".',
    auth_not_enabled: 'The authentication method {auth} is not enabled on this site.',
    node_not_found: 'There is no node (category) "{node}".',
    hierarchy_required: 'Choose the node to import under: {nodes}.',
    out_of_scope: 'This reaches outside the groups and nodes you manage ({what}).',
    role_not_found: 'There is no role "{role}".',
    role_not_allowed: 'You may not give the role "{role}".',
    group_required: 'New accounts must land in one of your groups: choose a group, or map a class or group column.',
    unknown_supervisor: 'No single account is known as supervisor "{supervisor}".',
    unauthenticated: 'Your session has expired; reload the page.',
    forbidden: 'You may not do this.',
    not_found: 'This import does not exist (any more).',
    gone: 'This was available once and has been taken, or it expired.',
    invalid_request: 'The request was not understood.',
    conflict: 'This import is not in a state that allows this.',
    archive_held: 'This import would suspend {archived} accounts, more than {share}% of the file: confirm that number to go ahead.',
    internal: 'Something went wrong on the server.',
  },
  nl: {
    empty_file: 'Het bestand is leeg.',
    no_data_rows: 'Het bestand heeft een kopregel maar geen gegevens.',
    zip_bomb: 'Het archief zou uitpakken tot veel meer gegevens dan een spreadsheet bevat; het is niet geopend.',
    unreadable: 'Het bestand is beschadigd of onvolledig en kan niet worden gelezen.',
    not_csv: 'Dit is geen CSV-bestand ({detected}).',
    unsupported_format: 'Dit bestandstype wordt niet ondersteund ({detected}); sla het op als .xlsx of CSV.',
    missing_column: 'Het bestand heeft geen kolom voor: {fields}.',
    mapping_conflict: 'Twee kolommen zijn gekoppeld aan {field}: {columns}.',
    cell_too_large: 'Rij {row} bevat een cel van meer dan {max} tekens.',
    too_many_rows: 'Het bestand heeft meer dan {max} rijen.',
    too_many_columns: 'Rij {row} heeft meer dan {max} kolommen; geen lijst met mensen heeft er zoveel.',
    invalid_encoding: 'Rij {row}, kolom "{column}" bevat bytes die geen {encoding} zijn: kies de codering van het bestand (Windows-1252 voor de meeste Excel-CSV-bestanden) of sla het opnieuw op als UTF-8.',
    file_too_large: 'Het bestand is groter dan de limiet van {max} bytes.',
    invalid_settings: 'De instellingen zijn niet geldig.',
    group_not_found: 'Er is geen groep "{group}".',
    auth_not_enabled: 'De aanmeldmethode {auth} is niet ingeschakeld op deze site.',
    node_not_found: 'Er is geen locatie (categorie) "{node}".',
    hierarchy_required: 'Kies de locatie waaronder je importeert: {nodes}.',
    out_of_scope: 'Dit valt buiten de groepen en locaties die jij beheert ({what}).',
    role_not_found: 'Er is geen rol "{role}".',
    role_not_allowed: 'Je mag de rol "{role}" niet toekennen.',
    group_required: 'Nieuwe accounts moeten in een van jouw groepen komen: kies een groep, of koppel een kolom met klas of groep.',
    unknown_supervisor: 'Er is niet één account bekend als begeleider "{supervisor}".',
    unauthenticated: 'Je sessie is verlopen; laad de pagina opnieuw.',
    forbidden: 'Dit mag je niet doen.',
    not_found: 'Deze import bestaat niet (meer).',
    gone: 'Dit was één keer beschikbaar en is al opgehaald, of het is verlopen.',
    invalid_request: 'Het verzoek werd niet begrepen.',
    conflict: 'Deze import is niet in een toestand die dit toestaat.',
    archive_held: 'Deze import zou {archived} accounts schorsen, meer dan {share}% van het bestand: bevestig dat aantal om door te gaan.',
    internal: 'Er ging iets mis op de server.',
  },
};

/** Names of changes that are not catalog fields (a row's account status). */
const changeLabels: Record<string, Record<UiLanguage, string>> = { suspended: { en: 'Status', nl: 'Status' } };

/** How a changed value reads: a status as a word, yes/no fields as yes or no, anything else as it is. */
export function changeValue(field: string, value: string, lang: UiLanguage): string {
  if (field === 'suspended' && (value === '0' || value === '1')) return { en: ['active', 'suspended'], nl: ['actief', 'geschorst'] }[lang][Number(value)]!;
  if (field in fieldCatalog && fieldCatalog[field as FieldKey].kind === 'yesno' && (value === '0' || value === '1')) return { en: ['no', 'yes'], nl: ['nee', 'ja'] }[lang][Number(value)]!;
  return value;
}

export function fieldLabel(field: string, lang: UiLanguage): string {
  if (field in changeLabels) return changeLabels[field]![lang];
  if (field in fieldCatalog) return fieldCatalog[field as FieldKey].label[lang];
  return isProfileField(field) ? field.slice(profileFieldPrefix.length) : field;
}

function fill(template: string, params: Record<string, unknown>, lang: UiLanguage): string {
  // A problem stored before values were kept has none: its sentence reads without the empty quotes.
  if (params.value === undefined) template = template.replace(' "{value}"', '');
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (name === 'field' && typeof value === 'string') return fieldLabel(value, lang);
    if (name === 'fields' && Array.isArray(value)) return value.map((f) => fieldLabel(String(f), lang)).join(', ');
    return Array.isArray(value) ? value.join(', ') : String(value ?? '');
  });
}

export const problemText = (problem: Problem, lang: UiLanguage) => fill(problemTexts[lang][problem.code], { field: problem.field, ...problem.params }, lang);
export const skipText = (reason: SkipReason, lang: UiLanguage) => skipTexts[lang][reason];
export const errorText = (code: ErrorCode, params: Record<string, unknown> | undefined, lang: UiLanguage) => fill(errorTexts[lang][code], params ?? {}, lang);
