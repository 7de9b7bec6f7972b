import { z } from 'zod';
import { fieldCatalog, type FieldKey, type ValueKind } from '../catalog.js';
import type { ColumnMapping, Problem, ProblemCode, Settings } from '../contract.js';
import type { SourceRow } from './table.js';

/** A row after mapping and validation: the values it sets (empty cells omitted) and what is wrong. */
export interface Candidate {
  row: number;
  values: Partial<Record<FieldKey, string>>;
  problems: Problem[];
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Moodle's username rule without `extendedusernamechars`: lower case letters, digits and `_-.@`. */
const usernamePattern = /^[a-z0-9_.@-]+$/;
/** Moodle's validate_email(), in spirit: one @, a dotted domain, no spaces. */
const emailPattern = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9][a-z0-9-]*$/i;

const fail = (code: ProblemCode) => ({ message: code });

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
  text: z.string(),
  password: z.string(),
  country: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().refine((v) => /^[A-Z]{2}$/.test(v) && regionNames.of(v) !== v, fail('invalid_country'))),
  lang: z
    .string()
    .transform((v) => v.toLowerCase().replace('-', '_'))
    .pipe(z.string().regex(/^[a-z]{2,3}(_[a-z0-9]+)*$/, fail('invalid_lang'))),
};

const fieldSchemas = Object.fromEntries(
  (Object.keys(fieldCatalog) as FieldKey[]).map((key) => {
    const def = fieldCatalog[key];
    return [key, z.string().max(def.maxLength, fail('too_long')).pipe(kindSchemas[def.kind])];
  }),
) as unknown as Record<FieldKey, z.ZodType<string, string>>;

/** Builds the validator for one file's mapping; call it per row. */
export function createValidator(columns: ColumnMapping[], settings: Pick<Settings, 'matchOn'>) {
  const mapped = columns.filter((c): c is ColumnMapping & { field: FieldKey } => c.field !== null);
  return (source: SourceRow): Candidate => {
    const values: Partial<Record<FieldKey, string>> = {};
    const problems: Problem[] = [];
    for (const { index, field } of mapped) {
      const raw = source.cells[index] ?? '';
      if (raw === '') continue;
      const parsed = fieldSchemas[field].safeParse(raw);
      if (parsed.success) {
        values[field] = parsed.data;
      } else {
        const code = (parsed.error.issues[0]?.message ?? 'required') as ProblemCode;
        problems.push(code === 'too_long' ? { code, field, params: { max: fieldCatalog[field].maxLength } } : { code, field });
      }
    }
    if (values[settings.matchOn] === undefined && !problems.some((p) => p.field === settings.matchOn)) {
      problems.push({ code: 'required', field: settings.matchOn });
    }
    return { row: source.row, values, problems };
  };
}
