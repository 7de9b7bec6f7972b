import type { Pool } from 'mysql2/promise';
import type { ColumnMapping } from '../contract/types.js';
import { holdBackSupervisorsNobodyIs, supervisorSampleReferences } from '../core/map/held-back.js';
import { findPeople } from '../host/read/people.js';
import type { Site } from '../host/read/site.js';
import { answeringFields } from './supervisors-made-here.js';

/**
 * The columns as mapped, with an auto-matched supervisor column held back when its first values are no
 * account on the site (core/map/held-back.ts). Every step that maps a file's columns (upload, preview,
 * the job) asks this the same way, so the mapping step shows what the import does.
 */
export async function holdBackColumnsNamingNobody(pool: Pool, site: Site, columns: ColumnMapping[]): Promise<ColumnMapping[]> {
  const references = supervisorSampleReferences(columns);
  if (references.length === 0) return columns;
  const found = await findPeople(pool, site, references);
  // A teacher the file itself makes, among its first rows, is someone too (learnSupervisorsMadeHere).
  const madeHere = new Set(columns.filter((c) => answeringFields.some((field) => field === c.field)).flatMap((c) => c.sample.map((value) => value.trim().toLowerCase())));
  return holdBackSupervisorsNobodyIs(columns, (reference) => found.has(reference) || madeHere.has(reference));
}
