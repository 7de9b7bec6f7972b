/**
 * Full names as people are named by them ("Marieke Bakker", "Jan de Vries"): a supervisor column of a SIS
 * export names a mentor so. Compared as the host's collation (utf8mb4_unicode_ci) compares them.
 */

/** Two words or more and no @: what may be a person's full name. */
const fullNameShaped = /^[^@\s]+(\s+[^@\s]+)+$/;

/** A part of a name as people write it: letters, with spaces, hyphens, apostrophes and the dots of initials. */
const nameShaped = /^\p{L}[\p{L}\p{M}'’.\- ]*$/u;

/**
 * A person written surname first, as a list sorted by surname writes them ("Bakker, Marieke", and in
 * Dutch lists the surname prefix after the given name: "Vries, Jan de"): one comma between two parts
 * made of letters. Such an entry may just as well be two people ("mbakker, jdekker"): whoever reads it
 * asks for both (namesInEntry).
 */
export function surnameFirst(entry: string): { surname: string; given: string } | undefined {
  const comma = entry.indexOf(',');
  if (comma === -1 || entry.indexOf(',', comma + 1) !== -1) return undefined;
  const surname = entry.slice(0, comma).trim().replace(/\s+/g, ' ');
  const given = entry.slice(comma + 1).trim().replace(/\s+/g, ' ');
  return nameShaped.test(surname) && nameShaped.test(given) ? { surname, given } : undefined;
}

/** A name as Moodle's fullname() shows it: "Bakker, Marieke" is Marieke Bakker, "Vries, Jan de" Jan de Vries. */
export function asShown(reference: string): string {
  const sorted = surnameFirst(reference);
  return sorted ? `${sorted.given} ${sorted.surname}` : reference;
}

/** What a supervisor entry may name: itself, and if it is written surname first, each of its parts alone. */
export function namesInEntry(entry: string): string[] {
  const sorted = surnameFirst(entry);
  return sorted ? [entry, sorted.surname, sorted.given] : [entry];
}

export const mayBeFullName = (reference: string): boolean => fullNameShaped.test(asShown(reference));

/** A name as compared: lower case, without accents, its runs of spaces one. */
export const comparableName = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The full name an account shows (Moodle's fullname(): first name, then last name), as compared;
 * undefined without both.
 */
export const fullNameOf = (firstname: string | undefined, lastname: string | undefined): string | undefined =>
  firstname && lastname ? comparableName(`${firstname} ${lastname}`) : undefined;
