/**
 * Which fields a file must provide under given settings: the same rule for the server (which refuses a
 * file without them) and the wizard (which marks them while mapping).
 */
import { fieldCatalog, fieldDefinition, fieldKeys, isProfileField, type FieldKey, type MappedField } from './catalog.js';
import { settingsDefaults, type ColumnMapping, type Settings } from './types.js';

/** The settings the rule reads; left out, each takes its default (the wizard asks before all are chosen). */
export type RequiredFieldSettings = Partial<Pick<Settings, 'matchOn' | 'auth' | 'usernameTemplate'>> & {
  actions?: Partial<Settings['actions']>;
  password?: { mode: Settings['password']['mode'] };
};

/** The fields a file must have columns for under these settings. */
export function requiredFields(chosen: RequiredFieldSettings): FieldKey[] {
  const defaults = settingsDefaults();
  const settings = {
    matchOn: chosen.matchOn ?? defaults.matchOn,
    auth: chosen.auth ?? defaults.auth,
    usernameTemplate: chosen.usernameTemplate,
    add: chosen.actions?.add ?? defaults.actions.add,
    passwordMode: chosen.password?.mode ?? defaults.password.mode,
  };
  const required = new Set<FieldKey>([settings.matchOn]);
  if (settings.add) {
    for (const key of fieldKeys) if (fieldCatalog[key].required === 'create') required.add(key);
    // Matching on e-mail, the address doubles as the username of new accounts; a template makes one too.
    if (settings.matchOn !== 'username' && (settings.matchOn === 'email' || settings.usernameTemplate)) required.delete('username');
    if (settings.passwordMode === 'file' && settings.auth === 'manual') required.add('password');
  }
  return fieldKeys.filter((k) => required.has(k));
}

/** The field a column fills: the admin's choice when they made one, else what the server matched. */
export function chosenField(column: Pick<ColumnMapping, 'header' | 'field'>, choices: Readonly<Record<string, MappedField | null>>): MappedField | null {
  return Object.hasOwn(choices, column.header) ? (choices[column.header] ?? null) : column.field;
}

/** What a set of mapped columns provides, counting the fields that feed others (a full name gives both names). */
export function providedFields(mapped: Iterable<MappedField | null>): Set<MappedField> {
  const provided = new Set<MappedField>();
  for (const field of mapped) {
    if (!field) continue;
    provided.add(field);
    if (isProfileField(field)) continue;
    const { feeds, addsOnly } = fieldDefinition(field);
    if (feeds && !addsOnly) for (const fed of feeds.split('+')) provided.add(fed as FieldKey);
  }
  return provided;
}

/** Required fields no column provides. */
export function missingFields(columns: readonly Pick<ColumnMapping, 'field'>[], required: readonly FieldKey[]): FieldKey[] {
  const provided = providedFields(columns.map((c) => c.field));
  return required.filter((f) => !provided.has(f));
}

