/**
 * Countries and languages as exports write them: by name ("Nederland", "Sweden", "Suomi", "Nederlands",
 * "svenska") as often as by code. Each name is known in the languages Intake reads headers in, and each
 * language also by its own name, from the platform's own CLDR data (Intl.DisplayNames). Built at the
 * first name that is not a code.
 */
const languagesNamedIn = ['en', 'nl', 'sv', 'fi', 'de', 'fr'];

/**
 * The officially assigned ISO 3166-1 alpha-2 codes: the countries a Moodle user can have (its
 * lang/en/countries.php lists exactly these, and core_user::clean_field() blanks any other). CLDR names
 * some thirty regions more that are no country code (UK, EU, UN, XK, the Canary Islands' IC, withdrawn
 * codes such as YU and AN): "United Kingdom" was read as UK, a country Moodle does not have, and a cell of
 * "EU" passed as one. Kept as a list because no platform API tells assigned codes from the rest.
 */
export const countryCodes: ReadonlySet<string> = new Set(
  [
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT',
    'BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH',
    'ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT',
    'HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS',
    'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI',
    'NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG',
    'SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG',
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW',
  ]
    .join(' ')
    .split(' '),
);

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
    if (type === 'region' && !countryCodes.has(wanted)) continue;
    for (const named of [...inLanguages, ...(ownNames ? [displayNames(code, type)] : [])]) {
      const name = named?.of(wanted);
      if (name) names.set(plain(name), codeOf(code));
    }
  }
  return names;
}

/**
 * A two-letter cell as the country code it stands for: UK, which ISO 3166 reserves for the United Kingdom
 * at its request and people write as often as GB, is GB; any other as written, in capitals.
 */
export const countryCodeOf = (code: string): string => {
  const upper = code.toUpperCase();
  return upper === 'UK' ? 'GB' : upper;
};

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
