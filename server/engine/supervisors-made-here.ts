import type { Pool } from 'mysql2/promise';
import type { RunOptions } from './import-options.js';
import type { SourceRow, Table } from '../core/read/table.js';
import { withFixes } from '../core/read/cell-fixes.js';
import type { Candidate } from '../core/validate/validate.js';
import { supervisorReferences } from '../core/plan/placement.js';
import { findPeople } from '../host/read/people.js';
import { SupervisorNames } from '../core/plan/made-supervisors.js';
import type { Site } from '../host/read/site.js';

const lookupSlice = 5000;
/** The most distinct supervisors a file may name for its own accounts to be looked for among them. */
const mostNamed = 50_000;

/** A row's values that may answer to a supervisor's name, as findPeople() looks people up: its keys. */
export const answeringFields = ['username', 'email', 'idnumber'] as const;
/** …and what makes its full name (validation joins a surname prefix to the last name, splits a full name). */
export const answeringNameFields = ['firstname', 'lastname', 'lastnamePrefix', 'fullname', 'givennames'] as const;

/**
 * Who the supervisors a file names are on the site before it is imported (findPeople): `asked` every
 * reference (lower case), `found` those an account answers to.
 */
export interface OnSite {
  asked: ReadonlySet<string>;
  found: Map<string, number>;
}

/**
 * The supervisors a file names that are accounts it makes itself: a teacher's row among (or after) the
 * rows of the pupils who name her, so that one import makes her and links them. References (lower case)
 * that no account on the site answers to, and a row of this file holds as its username, e-mail or ID
 * number, or names by its full name. Read before the batches, in the pass that counts the file's rows
 * (in place of a count alone: one reading, with every check of the limits) and, only when some names are
 * not on the site, a second for the rows that hold them. Who the names are on the site (`onSite`) is
 * answered once, here, for every batch: a lookup per batch saw what a commit's earlier batches had
 * written (a teacher renamed, or given another address, by a row above), which its preview could not
 * (null: a column naming more than 50,000 people is looked up batch by batch). `validate` reads a row's
 * supervisor and answering fields and names (the others are not needed here); `onChunk` is told how
 * many rows were read so far.
 */
export async function learnSupervisorsMadeHere(
  pool: Pool,
  site: Site,
  table: Table,
  validate: (row: SourceRow) => Candidate,
  fixes: RunOptions['fixes'],
  onChunk: (read: number) => unknown,
): Promise<{ rows: number; madeHere: SupervisorNames; onSite: OnSite | null }> {
  const named = new Set<string>();
  // A column naming more people than this is no list of a school's teachers: its names are looked up
  // batch by batch as ever, none is taken for an account of the file, and memory stays bounded.
  let tooMany = false;
  let rows = 0;
  for await (const chunk of table.chunks()) {
    if (!tooMany) for (const row of chunk) for (const reference of supervisorReferences(validate(withFixes(row, fixes)).values.supervisor)) named.add(reference.toLowerCase());
    tooMany ||= named.size > mostNamed;
    await onChunk((rows += chunk.length));
  }
  const madeHere = new Set<string>();
  const found = new Map<string, number>();
  const answered = () => ({ rows, madeHere: new SupervisorNames(madeHere), onSite: tooMany ? null : { asked: named, found } });
  if (tooMany || named.size === 0) return answered();
  const notOnSite = new Set<string>();
  const references = [...named];
  // Asked in slices: a file may name as many people as it has rows.
  for (let i = 0; i < references.length; i += lookupSlice) {
    const slice = references.slice(i, i + lookupSlice);
    const onSite = await findPeople(pool, site, slice);
    for (const reference of slice) {
      const id = onSite.get(reference);
      if (id === undefined) notOnSite.add(reference);
      else found.set(reference, id);
    }
  }
  if (notOnSite.size === 0) return answered();
  const asked = new SupervisorNames(notOnSite);
  for await (const chunk of table.chunks()) {
    for (const row of chunk) for (const reference of asked.answeredBy(validate(withFixes(row, fixes)).values)) madeHere.add(reference);
  }
  return answered();
}
