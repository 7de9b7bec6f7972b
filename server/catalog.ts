/**
 * The field catalog: every field Intake can import, with its labels, header synonyms per language,
 * when it is required and how long a value may be. It drives auto-mapping, the mapping UI, validation,
 * the error report and the README's field table; nothing else lists fields.
 */

export const languages = ['en', 'nl', 'sv', 'fi', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];
/** Languages the UI is translated into. */
export const uiLanguages = ['en', 'nl'] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** What a value must look like; the validator turns each kind into a zod schema. */
export type ValueKind = 'username' | 'email' | 'text' | 'country' | 'lang' | 'password' | 'yesno';

export interface FieldDefinition {
  /** Moodle's `user` column this field writes. Fields without one feed other fields (see validate). */
  readonly column?: string;
  /** For fields without a column: what they become. */
  readonly feeds?: string;
  readonly label: Record<UiLanguage, string>;
  readonly synonyms: Partial<Record<Language, readonly string[]>>;
  /** `create`: a new account cannot be made without it. */
  readonly required: 'create' | 'never';
  readonly kind: ValueKind;
  readonly maxLength: number;
  readonly example: string;
}

export const fieldCatalog = {
  username: {
    column: 'username',
    label: { en: 'Username', nl: 'Gebruikersnaam' },
    synonyms: {
      en: ['username', 'user name', 'login', 'login name', 'user id', 'account'],
      nl: ['gebruikersnaam', 'inlognaam', 'loginnaam', 'gebruiker'],
      sv: ['användarnamn', 'inloggningsnamn'],
      fi: ['käyttäjätunnus', 'käyttäjänimi'],
      de: ['benutzername', 'anmeldename'],
      fr: ["nom d'utilisateur", 'identifiant'],
    },
    required: 'create',
    kind: 'username',
    maxLength: 100,
    example: 'jdevries',
  },
  password: {
    column: 'password',
    label: { en: 'Password', nl: 'Wachtwoord' },
    synonyms: { en: ['password', 'pass'], nl: ['wachtwoord'], sv: ['lösenord'], fi: ['salasana'], de: ['passwort', 'kennwort'], fr: ['mot de passe'] },
    required: 'never',
    kind: 'password',
    maxLength: 255,
    example: 'Welkom-2026!',
  },
  firstname: {
    column: 'firstname',
    label: { en: 'First name', nl: 'Voornaam' },
    synonyms: {
      en: ['firstname', 'first name', 'given name', 'forename', 'calling name'],
      nl: ['voornaam', 'roepnaam', 'roepnaam leerling'],
      sv: ['förnamn', 'tilltalsnamn'],
      fi: ['etunimi', 'kutsumanimi'],
      de: ['vorname', 'rufname'],
      fr: ['prénom'],
    },
    required: 'create',
    kind: 'text',
    maxLength: 100,
    example: 'Jan',
  },
  givennames: {
    label: { en: 'Given names (used when there is no first name)', nl: 'Voornamen (gebruikt als er geen roepnaam is)' },
    feeds: 'firstname',
    synonyms: { en: ['given names', 'forenames', 'official first names'], nl: ['voornamen', 'officiële voornamen'], sv: ['förnamn (alla)'], fi: ['etunimet'], de: ['vornamen'], fr: ['prénoms'] },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Johannes Petrus',
  },
  lastnamePrefix: {
    label: { en: 'Surname prefix', nl: 'Tussenvoegsel' },
    feeds: 'lastname',
    synonyms: {
      en: ['surname prefix', 'name prefix', 'prefix'],
      nl: ['tussenvoegsel', 'tussenvoegsels', 'voorvoegsel', 'voorvoegsels', 'tussenv'],
      de: ['namenszusatz', 'namensvorsatz'],
      fr: ['particule'],
    },
    required: 'never',
    kind: 'text',
    maxLength: 30,
    example: 'de',
  },
  lastname: {
    column: 'lastname',
    label: { en: 'Last name', nl: 'Achternaam' },
    synonyms: {
      en: ['lastname', 'last name', 'surname', 'family name'],
      nl: ['achternaam', 'familienaam'],
      sv: ['efternamn'],
      fi: ['sukunimi'],
      de: ['nachname', 'familienname'],
      fr: ['nom', 'nom de famille'],
    },
    required: 'create',
    kind: 'text',
    maxLength: 100,
    example: 'de Vries',
  },
  fullname: {
    label: { en: 'Full name ("Last, First" or "First Last")', nl: 'Volledige naam ("Achternaam, Voornaam" of "Voornaam Achternaam")' },
    feeds: 'firstname+lastname',
    synonyms: {
      en: ['full name', 'name', 'student name', 'display name'],
      nl: ['naam', 'volledige naam', 'naam leerling', 'leerling', 'weergavenaam'],
      sv: ['namn', 'fullständigt namn', 'elevens namn'],
      fi: ['nimi', 'koko nimi'],
      de: ['name', 'vollständiger name'],
      fr: ['nom complet', 'nom et prénom'],
    },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Vries, Jan de',
  },
  email: {
    column: 'email',
    label: { en: 'Email address', nl: 'E-mailadres' },
    synonyms: {
      en: ['email', 'e-mail', 'email address', 'mail', 'e-mail address'],
      nl: ['e-mailadres', 'emailadres', 'e-mail adres', 'mailadres'],
      sv: ['e-post', 'e-postadress', 'epost'],
      fi: ['sähköposti', 'sähköpostiosoite'],
      de: ['e-mail-adresse', 'emailadresse'],
      fr: ['courriel', 'adresse e-mail', 'adresse électronique'],
    },
    required: 'create',
    kind: 'email',
    maxLength: 100,
    example: 'jan.devries@school.example',
  },
  idnumber: {
    column: 'idnumber',
    label: { en: 'ID number (student number)', nl: 'ID-nummer (leerlingnummer)' },
    synonyms: {
      en: ['idnumber', 'id number', 'student number', 'student id', 'employee number', 'external id'],
      nl: ['leerlingnummer', 'stamnummer', 'stamnr', 'studentnummer', 'personeelsnummer', 'id-nummer'],
      sv: ['elevnummer', 'elev-id', 'studentnummer'],
      fi: ['opiskelijanumero', 'oppilasnumero'],
      de: ['schülernummer', 'matrikelnummer', 'personalnummer'],
      fr: ["numéro d'élève", 'matricule', "numéro d'étudiant"],
    },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: '104233',
  },
  institution: {
    column: 'institution',
    label: { en: 'Institution', nl: 'Instelling' },
    synonyms: { en: ['institution', 'organisation', 'organization'], nl: ['instelling', 'organisatie'], sv: ['organisation'], fi: ['organisaatio'], de: ['einrichtung', 'organisation'], fr: ['établissement'] },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Het Baken',
  },
  department: {
    column: 'department',
    label: { en: 'Department', nl: 'Afdeling' },
    synonyms: { en: ['department'], nl: ['afdeling'], sv: ['avdelning'], fi: ['osasto'], de: ['abteilung'], fr: ['département', 'service'] },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Bovenbouw',
  },
  phone1: {
    column: 'phone1',
    label: { en: 'Phone', nl: 'Telefoon' },
    synonyms: { en: ['phone', 'phone1', 'telephone', 'phone number'], nl: ['telefoon', 'telefoonnummer', 'mobiel'], sv: ['telefon', 'telefonnummer'], fi: ['puhelin', 'puhelinnumero'], de: ['telefon', 'telefonnummer'], fr: ['téléphone'] },
    required: 'never',
    kind: 'text',
    maxLength: 20,
    example: '0612345678',
  },
  city: {
    column: 'city',
    label: { en: 'City', nl: 'Woonplaats' },
    synonyms: { en: ['city', 'town'], nl: ['woonplaats', 'plaats', 'stad'], sv: ['ort', 'stad'], fi: ['kaupunki', 'paikkakunta'], de: ['stadt', 'wohnort', 'ort'], fr: ['ville'] },
    required: 'never',
    kind: 'text',
    maxLength: 120,
    example: 'Utrecht',
  },
  country: {
    column: 'country',
    label: { en: 'Country (2 letters)', nl: 'Land (2 letters)' },
    synonyms: { en: ['country', 'country code'], nl: ['land', 'landcode'], sv: ['land'], fi: ['maa'], de: ['land'], fr: ['pays'] },
    required: 'never',
    kind: 'country',
    maxLength: 2,
    example: 'NL',
  },
  lang: {
    column: 'lang',
    label: { en: 'Language', nl: 'Taal' },
    synonyms: { en: ['lang', 'language'], nl: ['taal'], sv: ['språk'], fi: ['kieli'], de: ['sprache'], fr: ['langue'] },
    required: 'never',
    kind: 'lang',
    maxLength: 30,
    example: 'nl',
  },
  emailstop: {
    column: 'emailstop',
    label: { en: 'No e-mail (yes/no)', nl: 'Geen e-mail (ja/nee)' },
    synonyms: { en: ['emailstop', 'email stop', 'no email', 'email disabled'], nl: ['geen e-mail', 'geen email'], sv: ['ingen e-post'], fi: ['ei sähköpostia'], de: ['keine e-mail'], fr: ['pas de courriel'] },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: 'nee',
  },
} as const satisfies Record<string, FieldDefinition>;

export type FieldKey = keyof typeof fieldCatalog;
export const fieldKeys = Object.keys(fieldCatalog) as FieldKey[];

/** Fields a row may be matched on to find its existing account. */
export const matchFields = ['username', 'idnumber', 'email'] as const satisfies readonly FieldKey[];
export type MatchField = (typeof matchFields)[number];

export function fieldDefinition(key: FieldKey): FieldDefinition {
  return fieldCatalog[key];
}

/**
 * The host's own custom profile fields (`user_info_field`) are fields too, keyed as Moodle's upload
 * keys them: `profile_field_<shortname>`.
 */
export type ProfileFieldKey = `profile_field_${string}`;
export type MappedField = FieldKey | ProfileFieldKey;
export const profileFieldPrefix = 'profile_field_';
export const isProfileField = (field: string): field is ProfileFieldKey => field.startsWith(profileFieldPrefix);

/** A host profile field as Intake reads it. */
export interface ProfileField {
  id: number;
  shortname: string;
  name: string;
  /** Moodle's datatype: text, textarea, checkbox, menu, datetime… */
  datatype: string;
  /** For `menu`: the allowed values. */
  options: string[];
}

/**
 * National identity numbers are never imported: a column with one of these headers is held back
 * and the mapping step says so.
 */
export const nationalIdHeaders = [
  'bsn',
  'burgerservicenummer',
  'sofinummer',
  'onderwijsnummer',
  'persoonsgebondennummer',
  'pgn',
  'personnummer',
  'personnr',
  'samordningsnummer',
  'henkilotunnus',
  'hetu',
  'sozialversicherungsnummer',
  'steueridentifikationsnummer',
  'steuerid',
  'nir',
  'numerodesecuritesociale',
  'insee',
  'ssn',
  'socialsecuritynumber',
  'nationalid',
  'nationalidnumber',
  'nationalidentitynumber',
];
