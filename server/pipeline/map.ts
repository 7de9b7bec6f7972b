import { fieldCatalog, fieldKeys, type FieldKey } from '../catalog.js';
import type { ColumnMapping, Settings } from '../contract.js';
import { IntakeError } from '../errors.js';

/**
 * A header as compared with synonyms: lower case, accents and punctuation gone, `[Required]`-style
 * and `*` suffixes dropped, so that "E-mailadres *", "e_mail adres" and "EMAILADRES" all meet.
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\[[^\]]*\]|\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, '');
}

/** normalized synonym → field, built once from the catalog. */
const synonymIndex: ReadonlyMap<string, FieldKey> = (() => {
  const index = new Map<string, FieldKey>();
  for (const key of fieldKeys) {
    const def = fieldCatalog[key];
    const names = [key, def.label.en, def.label.nl, ...Object.values(def.synonyms).flat()];
    for (const name of names) {
      const normalized = normalizeHeader(name);
      if (!index.has(normalized)) index.set(normalized, key);
    }
  }
  return index;
})();

export function matchHeader(header: string): FieldKey | null {
  return synonymIndex.get(normalizeHeader(header)) ?? null;
}

/**
 * Maps each column to a field: the admin's choice where given (null = leave out), otherwise by name.
 * A field claimed by two columns keeps the first auto-matched one; the later column is left out and
 * shown as unmapped, so the admin can choose.
 */
export function mapColumns(header: string[], overrides: Settings['mapping'] = {}, samples: string[][] = []): ColumnMapping[] {
  const taken = new Set<FieldKey>(Object.values(overrides).filter((f): f is FieldKey => f !== null));
  return header.map((name, index) => {
    const sample = samples.map((row) => row[index] ?? '').filter((v) => v !== '').slice(0, 3);
    if (Object.hasOwn(overrides, name)) return { index, header: name, field: overrides[name] ?? null, how: 'manual', sample };
    const field = name === '' ? null : matchHeader(name);
    if (field && !taken.has(field)) {
      taken.add(field);
      return { index, header: name, field, how: 'auto', sample };
    }
    return { index, header: name, field: null, how: 'none', sample };
  });
}

/** The fields a file must have columns for under these settings. */
export function requiredFields(settings: Pick<Settings, 'matchOn' | 'actions' | 'password' | 'auth'>): FieldKey[] {
  const required = new Set<FieldKey>([settings.matchOn]);
  if (settings.actions.add) {
    for (const key of fieldKeys) if (fieldCatalog[key].required === 'create') required.add(key);
    // Matching on e-mail, the address doubles as the username of new accounts.
    if (settings.matchOn === 'email') required.delete('username');
    if (settings.password.mode === 'file' && settings.auth === 'manual') required.add('password');
  }
  return fieldKeys.filter((k) => required.has(k));
}

/** Rejects a mapping that cannot work: a field mapped twice, or a required field without a column. */
export function assertMappingUsable(columns: ColumnMapping[], settings: Settings): void {
  const seen = new Map<FieldKey, string>();
  for (const column of columns) {
    if (!column.field) continue;
    const earlier = seen.get(column.field);
    if (earlier !== undefined) {
      throw new IntakeError('mapping_conflict', `Columns "${earlier}" and "${column.header}" are both mapped to ${column.field}.`, {
        field: column.field,
        columns: [earlier, column.header],
      });
    }
    seen.set(column.field, column.header);
  }
  const unknown = Object.keys(settings.mapping ?? {}).filter((h) => !columns.some((c) => c.header === h));
  if (unknown.length > 0) {
    throw new IntakeError('invalid_settings', `The mapping names columns the file does not have: ${unknown.join(', ')}.`, { columns: unknown });
  }
  const missing = requiredFields(settings).filter((f) => !seen.has(f));
  if (missing.length > 0) {
    throw new IntakeError('missing_column', `The file has no column for: ${missing.join(', ')}.`, { fields: missing });
  }
}
