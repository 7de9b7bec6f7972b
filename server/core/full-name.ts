/**
 * Full names as people are named by them ("Marieke Bakker", "Jan de Vries"): a supervisor column of a SIS
 * export names a mentor so. Compared as the host's collation (utf8mb4_unicode_ci) compares them.
 */

/** Two words or more and no @: what may be a person's full name. */
const fullNameShaped = /^[^@\s]+(\s+[^@\s]+)+$/;

export const mayBeFullName = (reference: string): boolean => fullNameShaped.test(reference);

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
