import type { ColumnMapping } from '../../contract/types.js';
import { peopleEntries } from '../validate/validate.js';
import { namesInEntry } from '../full-name.js';

/**
 * The people an auto-matched supervisor column ("Mentor", "Docent") names in its first values, as the
 * host is asked for them.
 */
export function supervisorSampleReferences(columns: readonly ColumnMapping[]): string[] {
  return [...new Set(columns.filter(isAutoSupervisor).flatMap(referencesOf))];
}

/**
 * A column matched to supervisors by its header alone, none of whose first values is an account on the
 * site, holds something else: a SIS's teacher codes ("JNS", as Magister's Mentor column has them) or
 * initials ("J. de Vries"). Mapped, it would refuse every row of the file; it is held back (with why) until
 * the admin maps it by hand. A column some of whose people exist stays: its other rows are refused, each
 * with the name nobody has, as typos should be. So does a column of e-mail addresses: they name people
 * (a municipality's workbook names its teachers so, and makes them on a later sheet), never a code.
 * `known` says whether a reference (lower-cased) is an account.
 */
export function holdBackSupervisorsNobodyIs(columns: readonly ColumnMapping[], known: (reference: string) => boolean): ColumnMapping[] {
  return columns.map((column) => {
    if (!isAutoSupervisor(column)) return column;
    const references = referencesOf(column);
    if (references.length === 0 || references.some((reference) => known(reference) || addressShaped.test(reference))) return column;
    return { ...column, field: null, how: 'none', warning: 'names_nobody' };
  });
}

/** Something at a domain: an e-mail address, whether or not anyone has it. */
const addressShaped = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isAutoSupervisor = (column: ColumnMapping) => column.field === 'supervisor' && column.how === 'auto';
const referencesOf = (column: ColumnMapping) => column.sample.flatMap(peopleEntries).flatMap(namesInEntry).map((reference) => reference.toLowerCase());
