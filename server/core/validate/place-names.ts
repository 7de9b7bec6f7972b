/**
 * Countries and languages as exports write them: by name ("Nederland", "Sweden", "Suomi", "Nederlands",
 * "svenska") as often as by code. Each name is known in the languages Intake reads headers in, and each
 * language also by its own name; the codes come from the platform's own CLDR data (Intl.DisplayNames),
 * not from a list kept here. Built at the first name that is not a code.
 */
const languagesNamedIn = ['en', 'nl', 'sv', 'fi', 'de', 'fr'];

const letters = 'abcdefghijklmnopqrstuvwxyz';
const twoLetterCodes = [...letters].flatMap((a) => [...letters].map((b) => a + b));

/** A name as compared: lower case, accents dropped, spaces single. */
const plain = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** The display names of one kind in one language (null: a code the platform knows no language for). */
function displayNames(lang: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([lang], { type, fallback: 'none' });
  } catch {
    return null;
  }
}

function namesOf(type: 'region' | 'language', codeOf: (code: string) => string, ownNames: boolean): Map<string, string> {
  const names = new Map<string, string>();
  const inLanguages = languagesNamedIn.map((lang) => displayNames(lang, type));
  for (const code of twoLetterCodes) {
    const wanted = type === 'region' ? code.toUpperCase() : code;
    for (const named of [...inLanguages, ...(ownNames ? [displayNames(code, type)] : [])]) {
      const name = named?.of(wanted);
      if (name) names.set(plain(name), codeOf(code));
    }
  }
  return names;
}

let countries: Map<string, string> | null = null;
let languages: Map<string, string> | null = null;

/** The ISO 3166 code of a country written by name in one of the languages, or null. */
export function countryCodeByName(name: string): string | null {
  countries ??= namesOf('region', (code) => code.toUpperCase(), false);
  return countries.get(plain(name)) ?? null;
}

/** The ISO 639-1 code of a language written by name (in one of the languages, or in itself), or null. */
export function languageCodeByName(name: string): string | null {
  languages ??= namesOf('language', (code) => code, true);
  return languages.get(plain(name)) ?? null;
}
