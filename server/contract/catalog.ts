/**
 * The field catalog: every field Intake can import, with its labels, when it is required and how long a
 * value may be. It drives auto-mapping, the mapping UI, validation, the error report and the README's
 * field table; nothing else lists fields. The headers that match each field are the server's
 * (server/core/map/header-synonyms.ts, typed by these keys): the browser never matches headers.
 */

export const languages = ['en', 'nl', 'sv', 'fi', 'de', 'fr'] as const;
export type Language = (typeof languages)[number];
/** Languages the UI is translated into. */
export const uiLanguages = ['en', 'nl', 'sv', 'fi'] as const;
export type UiLanguage = (typeof uiLanguages)[number];
/** The interface language a request or a person asks for, English when it is not one Intake speaks. */
export const uiLanguageOf = (value: string | undefined | null): UiLanguage => ((uiLanguages as readonly string[]).includes(value ?? '') ? (value as UiLanguage) : 'en');
/** The closest language Intake speaks for a host's language code (`nl_wp`, `en_us`, `en-GB`). */
export const closestUiLanguage = (hostLang: string | null | undefined): UiLanguage => uiLanguageOf((hostLang ?? '').toLowerCase().split(/[-_]/)[0]);

/** What a value must look like; the validator has a rule for each kind (validate.ts). */
export type ValueKind = 'username' | 'email' | 'text' | 'html' | 'country' | 'lang' | 'timezone' | 'password' | 'yesno' | 'date' | 'list' | 'people' | 'days' | 'choice' | 'auth' | 'tags';

export interface FieldDefinition {
  /** Moodle's `user` column this field writes. Fields without one feed other fields (see validate). */
  readonly column?: string;
  /** For fields without a column: what they become. */
  readonly feeds?: string;
  /** It only adds to the field it feeds (a surname prefix to a last name): alone it provides nothing. */
  readonly addsOnly?: true;
  /** Stored in the host's custom profile field of this short name (when the site has it). */
  readonly profileField?: string;
  /** Several columns may map to it (group1, group2…); their values add up. */
  readonly multiple?: boolean;
  /**
   * The identity a single sign-on service sends for the person, linked to the account so their first
   * login through that service finds it (Moodle: `auth_oauth2_linked_login`, one per service).
   */
  readonly linksLogin?: true;
  /**
   * Read where a file has the column (Moodle's upload files do), but not offered in example files and
   * exports: they hold what schools fill in, not every preference an account has.
   */
  readonly uploadOnly?: true;
  /** Where it takes effect beyond the user row: placement in the hierarchy, groups, role, supervision, validity. */
  readonly placement?: boolean;
  /**
   * The account's tags (Moodle's "interests"), which Moodle's own code sets when Intake's plugin replays
   * the import: useredit_update_interests(), as Moodle's upload sets them. A host without the plugin does not get them.
   */
  readonly tagsAccount?: true;
  readonly label: Record<UiLanguage, string>;
  /** `create`: a new account cannot be made without it. */
  readonly required: 'create' | 'never';
  readonly kind: ValueKind;
  /** For `choice`: the values Moodle stores, the only ones accepted. */
  readonly choices?: readonly string[];
  readonly maxLength: number;
  readonly example: string;
}

const catalog = {
  username: {
    column: 'username',
    label: { en: 'Username', nl: 'Gebruikersnaam', sv: 'Användarnamn', fi: 'Käyttäjätunnus' },
    required: 'create',
    kind: 'username',
    maxLength: 100,
    example: 'jdevries',
  },
  password: {
    column: 'password',
    label: { en: 'Password', nl: 'Wachtwoord', sv: 'Lösenord', fi: 'Salasana' },
    required: 'never',
    kind: 'password',
    maxLength: 255,
    example: 'Welkom-2026!',
  },
  firstname: {
    column: 'firstname',
    label: { en: 'First name', nl: 'Voornaam', sv: 'Förnamn', fi: 'Etunimi' },
    required: 'create',
    kind: 'text',
    maxLength: 100,
    example: 'Jan',
  },
  givennames: {
    label: { en: 'Given names (used when there is no first name)', nl: 'Voornamen (gebruikt als er geen roepnaam is)', sv: 'Alla förnamn (används när tilltalsnamn saknas)', fi: 'Etunimet (käytetään, kun kutsumanimi puuttuu)' },
    feeds: 'firstname',
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Johannes Petrus',
  },
  lastnamePrefix: {
    label: { en: 'Surname prefix', nl: 'Tussenvoegsel', sv: 'Efternamnsprefix', fi: 'Sukunimen etuliite' },
    feeds: 'lastname',
    addsOnly: true,
    required: 'never',
    kind: 'text',
    maxLength: 30,
    example: 'de',
  },
  lastname: {
    column: 'lastname',
    label: { en: 'Last name', nl: 'Achternaam', sv: 'Efternamn', fi: 'Sukunimi' },
    required: 'create',
    kind: 'text',
    maxLength: 100,
    example: 'de Vries',
  },
  fullname: {
    label: { en: 'Full name ("Last, First" or "First Last")', nl: 'Volledige naam ("Achternaam, Voornaam" of "Voornaam Achternaam")', sv: 'Fullständigt namn ("Efternamn, Förnamn" eller "Förnamn Efternamn")', fi: 'Koko nimi ("Sukunimi, Etunimi" tai "Etunimi Sukunimi")' },
    feeds: 'firstname+lastname',
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Vries, Jan de',
  },
  email: {
    column: 'email',
    label: { en: 'Email address', nl: 'E-mailadres', sv: 'E-postadress', fi: 'Sähköpostiosoite' },
    required: 'create',
    kind: 'email',
    maxLength: 100,
    example: 'jan.devries@school.example',
  },
  idnumber: {
    column: 'idnumber',
    label: { en: 'ID number (student number)', nl: 'ID-nummer (leerlingnummer)', sv: 'ID-nummer (elevnummer)', fi: 'Tunnistenumero (oppilasnumero)' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: '104233',
  },
  ssoId: {
    label: { en: 'Single sign-on ID', nl: 'SSO-ID (single sign-on)', sv: 'SSO-id (enkel inloggning)', fi: 'Kertakirjautumistunnus (SSO)' },
    linksLogin: true,
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: '104233987654321',
  },
  institution: {
    column: 'institution',
    label: { en: 'Institution', nl: 'Instelling', sv: 'Organisation', fi: 'Organisaatio' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Het Baken',
  },
  department: {
    column: 'department',
    label: { en: 'Department', nl: 'Afdeling', sv: 'Avdelning', fi: 'Osasto' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Bovenbouw',
  },
  phone1: {
    column: 'phone1',
    label: { en: 'Phone', nl: 'Telefoon', sv: 'Telefon', fi: 'Puhelin' },
    required: 'never',
    kind: 'text',
    maxLength: 20,
    example: '030 123 4567',
  },
  // A mobile number and an address as Moodle's profile holds them (phone2, address); a parent's beside the
  // pupil's ("Mobiel ouder") names someone else and is never mapped (headerPersonWords).
  phone2: {
    column: 'phone2',
    label: { en: 'Mobile phone', nl: 'Mobiel nummer', sv: 'Mobiltelefon', fi: 'Matkapuhelin' },
    required: 'never',
    kind: 'text',
    maxLength: 20,
    example: '06 1234 5678',
  },
  address: {
    column: 'address',
    label: { en: 'Address', nl: 'Adres', sv: 'Adress', fi: 'Osoite' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Dorpsstraat 1',
  },
  city: {
    column: 'city',
    label: { en: 'City', nl: 'Woonplaats', sv: 'Ort', fi: 'Paikkakunta' },
    required: 'never',
    kind: 'text',
    maxLength: 120,
    example: 'Utrecht',
  },
  country: {
    column: 'country',
    label: { en: 'Country (2 letters)', nl: 'Land (2 letters)', sv: 'Land (2 bokstäver)', fi: 'Maa (2 kirjainta)' },
    required: 'never',
    kind: 'country',
    maxLength: 2,
    example: 'NL',
  },
  lang: {
    column: 'lang',
    label: { en: 'Language', nl: 'Taal', sv: 'Språk', fi: 'Kieli' },
    required: 'never',
    kind: 'lang',
    maxLength: 30,
    example: 'nl',
  },
  timezone: {
    column: 'timezone',
    label: { en: 'Time zone', nl: 'Tijdzone', sv: 'Tidszon', fi: 'Aikavyöhyke' },
    required: 'never',
    kind: 'timezone',
    maxLength: 100,
    example: 'Europe/Amsterdam',
  },
  municipality: {
    label: { en: 'Municipality', nl: 'Gemeente', sv: 'Kommun', fi: 'Kunta' },
    placement: true,
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Utrecht',
  },
  school: {
    label: { en: 'School', nl: 'School', sv: 'Skola', fi: 'Koulu' },
    placement: true,
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Het Baken',
  },
  nodePath: {
    label: { en: 'Location path ("Municipality/School")', nl: 'Locatiepad ("Gemeente/School")', sv: 'Platssökväg ("Kommun/Skola")', fi: 'Sijaintipolku ("Kunta/Koulu")' },
    placement: true,
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Utrecht/Het Baken',
  },
  class: {
    label: { en: 'Class', nl: 'Klas', sv: 'Klass', fi: 'Luokka' },
    placement: true,
    required: 'never',
    kind: 'text',
    maxLength: 100,
    example: '2A',
  },
  role: {
    label: { en: 'Role', nl: 'Rol', sv: 'Roll', fi: 'Rooli' },
    placement: true,
    required: 'never',
    kind: 'text',
    maxLength: 100,
    example: 'leerling',
  },
  roleCategory: {
    label: { en: 'Category (ID number) for a role', nl: 'Categorie (ID-nummer) voor een rol', sv: 'Kategori (ID-nummer) för en roll', fi: 'Kategoria (tunnistenumero) roolille' },
    placement: true,
    // Moodle's upload pairs category1 with categoryrole1 (tool_uploaduser): a role in an existing
    // category found by its ID number, never a category made for the row. (Not keyed `category`: a key is
    // matched as a header too, and a plain "Category" column, an exam's category, is none of this.)
    multiple: true,
    required: 'never',
    kind: 'text',
    maxLength: 100,
    example: 'BAKEN',
  },
  categoryRole: {
    label: { en: 'Role in that category', nl: 'Rol in die categorie', sv: 'Roll i den kategorin', fi: 'Rooli siinä kategoriassa' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'text',
    maxLength: 100,
    example: 'manager',
  },
  // Moodle's upload enrols into existing courses: course1 with role1, group1, enrolperiod1 and
  // enroltimestart1 beside it (tool_uploaduser\process::process_line()), matched by their numbers.
  course: {
    label: { en: 'Course (short name) to enrol in', nl: 'Cursus (korte naam) om in te schrijven', sv: 'Kurs (kortnamn) att registrera i', fi: 'Kurssi (lyhyt nimi), johon rekisteröidään' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'math102',
  },
  courseRole: {
    label: { en: 'Role in that course', nl: 'Rol in die cursus', sv: 'Roll i den kursen', fi: 'Rooli siinä kurssissa' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'text',
    maxLength: 100,
    example: 'student',
  },
  // Moodle's older typeN, read where roleN is empty: 1 a student, 2 a teacher, 3 a non-editing teacher
  // (the roles its upload form offers for them by default).
  courseType: {
    label: { en: 'Type in that course (1 student, 2 teacher, 3 non-editing teacher)', nl: 'Soort in die cursus (1 leerling, 2 docent, 3 docent zonder bewerken)', sv: 'Typ i den kursen (1 elev, 2 lärare, 3 lärare utan redigering)', fi: 'Tyyppi siinä kurssissa (1 opiskelija, 2 opettaja, 3 opettaja ilman muokkausta)' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'text',
    maxLength: 10,
    example: '1',
  },
  courseGroup: {
    label: { en: 'Group in that course', nl: 'Groep in die cursus', sv: 'Grupp i den kursen', fi: 'Ryhmä siinä kurssissa' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'text',
    maxLength: 254,
    example: 'Section 1',
  },
  enrolPeriod: {
    label: { en: 'Enrolment period (days)', nl: 'Inschrijvingsduur (dagen)', sv: 'Registreringsperiod (dagar)', fi: 'Rekisteröinnin kesto (päivää)' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'days',
    maxLength: 6,
    example: '365',
  },
  enrolStart: {
    label: { en: 'Enrolment starts', nl: 'Inschrijving begint', sv: 'Registreringen börjar', fi: 'Rekisteröinti alkaa' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'date',
    maxLength: 30,
    example: '01-09-2026',
  },
  // Moodle's enrolstatusN: 1 a suspended enrolment, 0 an active one (ENROL_USER_SUSPENDED, ENROL_USER_ACTIVE).
  enrolSuspended: {
    label: { en: 'Enrolment suspended (yes/no)', nl: 'Inschrijving geschorst (ja/nee)', sv: 'Registrering avstängd (ja/nej)', fi: 'Rekisteröinti keskeytetty (kyllä/ei)' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: '0',
  },
  group: {
    label: { en: 'Group(s)', nl: 'Groep(en)', sv: 'Grupp(er)', fi: 'Ryhmä(t)' },
    placement: true,
    multiple: true,
    required: 'never',
    kind: 'list',
    maxLength: 1000,
    example: 'Wiskunde B; Examenklas',
  },
  supervisor: {
    label: { en: 'Supervisor(s) (username, e-mail, ID number or full name)', nl: 'Begeleider(s) (gebruikersnaam, e-mail, ID-nummer of volledige naam)', sv: 'Handledare (användarnamn, e-post, ID-nummer eller fullständigt namn)', fi: 'Ohjaaja(t) (käyttäjätunnus, sähköposti, tunnistenumero tai koko nimi)' },
    placement: true,
    // Several in one cell ("mbakker; jdevries"), not several columns: a second column of teachers (Magister's
    // "Docent" beside "Mentor") stays unmapped rather than naming everyone's teachers as supervisors.
    required: 'never',
    kind: 'people',
    maxLength: 1000,
    example: 'mbakker',
  },
  validFrom: {
    label: { en: 'Valid from', nl: 'Geldig vanaf', sv: 'Giltig från', fi: 'Voimassa alkaen' },
    placement: true,
    required: 'never',
    kind: 'date',
    maxLength: 30,
    example: '01-08-2026',
  },
  validUntil: {
    label: { en: 'Valid until', nl: 'Geldig tot', sv: 'Giltig till', fi: 'Voimassa asti' },
    placement: true,
    required: 'never',
    kind: 'date',
    maxLength: 30,
    example: '31-07-2027',
  },
  extraTime: {
    label: { en: 'Extra time', nl: 'Extra tijd', sv: 'Förlängd tid', fi: 'Lisäaika' },
    profileField: 'extratime',
    required: 'never',
    kind: 'text',
    maxLength: 100,
    example: '15',
  },
  dateOfBirth: {
    label: { en: 'Date of birth', nl: 'Geboortedatum', sv: 'Födelsedatum', fi: 'Syntymäaika' },
    profileField: 'dateofbirth',
    required: 'never',
    kind: 'date',
    maxLength: 30,
    example: '03-05-2012',
  },
  protectedData: {
    label: { en: 'Protected data (yes: do not import)', nl: 'Afgeschermd (ja: niet importeren)', sv: 'Skyddade uppgifter (ja: importera inte)', fi: 'Turvakielto (kyllä: älä tuo)' },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: 'nee',
  },
  suspended: {
    // Not a column written as it is: a row's status takes the place of the settings' (Settings.status)
    // for that row, so the start date's hold sees it as it sees the settings'.
    feeds: 'status',
    label: { en: 'Suspended (yes/no)', nl: 'Geschorst (ja/nee)', sv: 'Avstängd (ja/nej)', fi: 'Suljettu (kyllä/ei)' },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: 'nee',
  },
  emailstop: {
    column: 'emailstop',
    label: { en: 'No e-mail (yes/no)', nl: 'Geen e-mail (ja/nee)', sv: 'Ingen e-post (ja/nej)', fi: 'Ei sähköpostia (kyllä/ei)' },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: 'nee',
  },
  // Moodle's additional name fields (core_user\fields::get_name_fields()), as its upload reads them:
  // cleaned as names are (PARAM_NOTAGS).
  middlename: {
    column: 'middlename',
    uploadOnly: true,
    label: { en: 'Middle name', nl: 'Tweede naam', sv: 'Mellannamn', fi: 'Toinen nimi' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Maria',
  },
  alternatename: {
    column: 'alternatename',
    uploadOnly: true,
    label: { en: 'Alternate name', nl: 'Alternatieve naam', sv: 'Alternativt namn', fi: 'Vaihtoehtoinen nimi' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Annie',
  },
  firstnamephonetic: {
    column: 'firstnamephonetic',
    uploadOnly: true,
    label: { en: 'First name - phonetic', nl: 'Voornaam - fonetisch', sv: 'Förnamn - fonetiskt', fi: 'Etunimi - foneettisesti' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'Anna',
  },
  lastnamephonetic: {
    column: 'lastnamephonetic',
    uploadOnly: true,
    label: { en: 'Last name - phonetic', nl: 'Achternaam - fonetisch', sv: 'Efternamn - fonetiskt', fi: 'Sukunimi - foneettisesti' },
    required: 'never',
    kind: 'text',
    maxLength: 255,
    example: 'de Fries',
  },
  // Moodle's upload columns for the account's own preferences and profile text (tool_uploaduser's
  // standard fields): written as user_create_user() and user_update_user() write them. Their headers are
  // Moodle's own names: words a school export uses for something else are not among them.
  description: {
    column: 'description',
    uploadOnly: true,
    label: { en: 'Description', nl: 'Beschrijving', sv: 'Beskrivning', fi: 'Kuvaus' },
    required: 'never',
    kind: 'html',
    maxLength: 10000,
    example: 'Leerling sinds 2024',
  },
  descriptionformat: {
    // How Moodle shows the description: FORMAT_MOODLE 0, FORMAT_HTML 1, FORMAT_PLAIN 2, FORMAT_MARKDOWN 4.
    column: 'descriptionformat',
    uploadOnly: true,
    label: { en: 'Description format (0 Moodle / 1 HTML / 2 plain text / 4 Markdown)', nl: 'Opmaak beschrijving (0 Moodle / 1 HTML / 2 platte tekst / 4 Markdown)', sv: 'Beskrivningens format (0 Moodle / 1 HTML / 2 ren text / 4 Markdown)', fi: 'Kuvauksen muoto (0 Moodle / 1 HTML / 2 pelkkä teksti / 4 Markdown)' },
    required: 'never',
    kind: 'choice',
    choices: ['0', '1', '2', '4'],
    maxLength: 10,
    example: '1',
  },
  mailformat: {
    column: 'mailformat',
    uploadOnly: true,
    label: { en: 'E-mail format (0 plain text / 1 HTML)', nl: 'E-mailopmaak (0 platte tekst / 1 HTML)', sv: 'E-postformat (0 ren text / 1 HTML)', fi: 'Sähköpostin muoto (0 pelkkä teksti / 1 HTML)' },
    required: 'never',
    kind: 'choice',
    choices: ['0', '1'],
    maxLength: 10,
    example: '1',
  },
  maildigest: {
    column: 'maildigest',
    uploadOnly: true,
    label: { en: 'E-mail digest (0 none / 1 complete / 2 subjects)', nl: 'E-mailsamenvatting (0 geen / 1 volledig / 2 onderwerpen)', sv: 'E-postsammandrag (0 inget / 1 fullständigt / 2 ämnesrader)', fi: 'Sähköpostikooste (0 ei / 1 täydellinen / 2 otsikot)' },
    required: 'never',
    kind: 'choice',
    choices: ['0', '1', '2'],
    maxLength: 10,
    example: '0',
  },
  maildisplay: {
    column: 'maildisplay',
    uploadOnly: true,
    label: { en: 'E-mail shown to (0 nobody / 1 everyone / 2 course members)', nl: 'E-mail zichtbaar voor (0 niemand / 1 iedereen / 2 cursusdeelnemers)', sv: 'E-post synlig för (0 ingen / 1 alla / 2 kursdeltagare)', fi: 'Sähköposti näkyy (0 ei kenellekään / 1 kaikille / 2 kurssilaisille)' },
    required: 'never',
    kind: 'choice',
    choices: ['0', '1', '2'],
    maxLength: 10,
    example: '2',
  },
  autosubscribe: {
    column: 'autosubscribe',
    uploadOnly: true,
    label: { en: 'Forum auto-subscribe (yes/no)', nl: 'Automatisch abonneren op forums (ja/nee)', sv: 'Prenumerera automatiskt på forum (ja/nej)', fi: 'Tilaa keskustelualueet automaattisesti (kyllä/ei)' },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: 'ja',
  },
  trackforums: {
    column: 'trackforums',
    uploadOnly: true,
    label: { en: 'Forum tracking (yes/no)', nl: 'Ongelezen forumberichten markeren (ja/nee)', sv: 'Spåra olästa foruminlägg (ja/nej)', fi: 'Seuraa lukemattomia viestejä (kyllä/ei)' },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: 'nee',
  },
  theme: {
    // Taken only where the site allows users their own theme and has it installed, as Moodle's upload
    // takes it (field_value_validators::validate_theme()); otherwise the row is imported without it.
    column: 'theme',
    uploadOnly: true,
    label: { en: 'Theme', nl: 'Thema', sv: 'Tema', fi: 'Teema' },
    required: 'never',
    kind: 'text',
    maxLength: 50,
    example: 'boost',
  },
  interests: {
    // Moodle's upload's `interests`: the account's tags, a comma-separated list, set as its upload sets
    // them (tool_uploaduser's process.php: useredit_update_interests() where the cell is not empty).
    tagsAccount: true,
    uploadOnly: true,
    label: { en: 'Interests (tags)', nl: 'Interesses (tags)', sv: 'Intressen (taggar)', fi: 'Kiinnostuksen kohteet (tunnisteet)' },
    // Not "tags": exports use such a column for flags about a pupil (support needs), which as interests
    // would show on their profile. Only a column that says interests is matched; any other can be chosen.
    required: 'never',
    kind: 'tags',
    maxLength: 2000,
    example: 'chess, music',
  },
  auth: {
    // A row's own sign-in method in place of the settings' (Moodle's upload reads the same column): only
    // a method the site has enabled; a password is set (and told) only for `manual` accounts.
    column: 'auth',
    uploadOnly: true,
    label: { en: 'Authentication method', nl: 'Aanmeldmethode', sv: 'Autentiseringsmetod', fi: 'Tunnistustapa' },
    required: 'never',
    kind: 'auth',
    maxLength: 20,
    example: 'manual',
  },
  systemRole: {
    // Moodle's sysrole1, sysrole2…: a role in the system context, by short name or id, where the site
    // allows it there (role_context_levels); "-manager" asks to take one away, which an import does not do.
    placement: true,
    multiple: true,
    uploadOnly: true,
    label: { en: 'System role', nl: 'Systeemrol', sv: 'Systemroll', fi: 'Järjestelmärooli' },
    required: 'never',
    kind: 'list',
    maxLength: 100,
    example: 'coursecreator',
  },
  // Moodle's upload deletes and renames accounts only when its form allows it, which it does not by
  // default: it then passes such rows over (usernotdeletedoff, usernotrenamedoff). So does Intake, with
  // what to do instead: a file never deletes an account, and renames follow from matching on another key.
  deleted: {
    feeds: 'outcome',
    uploadOnly: true,
    label: { en: 'Delete the account (yes/no)', nl: 'Account verwijderen (ja/nee)', sv: 'Ta bort kontot (ja/nej)', fi: 'Poista tili (kyllä/ei)' },
    required: 'never',
    kind: 'yesno',
    maxLength: 10,
    example: '0',
  },
  // Moodle's upload reads it to reach accounts of another Moodle (MNet); it never adds or updates one.
  // Intake imports this site's own accounts only: a row naming another host is passed over.
  mnethostid: {
    feeds: 'outcome',
    uploadOnly: true,
    label: { en: "MNet host (another Moodle's accounts)", nl: 'MNet-host (accounts van een andere Moodle)', sv: 'MNet-värd (en annan Moodles konton)', fi: 'MNet-isäntä (toisen Moodlen tilit)' },
    required: 'never',
    kind: 'text',
    maxLength: 10,
    example: '1',
  },
  oldusername: {
    feeds: 'outcome',
    uploadOnly: true,
    label: { en: 'Old username (rename)', nl: 'Oude gebruikersnaam (hernoemen)', sv: 'Gammalt användarnamn (byt namn)', fi: 'Vanha käyttäjätunnus (uudelleennimeäminen)' },
    required: 'never',
    kind: 'username',
    maxLength: 100,
    example: 'jdvries',
  },
} as const satisfies Record<string, FieldDefinition>;

export type FieldKey = keyof typeof catalog;
/** Widened so every entry reads alike (optional parts included). */
export const fieldCatalog: Record<FieldKey, FieldDefinition> = catalog;
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

/** The short name of the host profile field a mapped field is stored in, if it is one. */
export function profileShortnameOf(field: MappedField): string | undefined {
  return isProfileField(field) ? field.slice(profileFieldPrefix.length) : fieldCatalog[field].profileField;
}

/** The catalog field kept in this profile field (extra time, date of birth), if one is. */
export function catalogFieldFor(shortname: string): FieldKey | undefined {
  return (Object.keys(fieldCatalog) as FieldKey[]).find((key) => fieldCatalog[key].profileField === shortname);
}

/** A host profile field as Intake reads it. */
export interface ProfileField {
  id: number;
  shortname: string;
  name: string;
  /** Moodle's datatype: text, textarea, checkbox, menu, datetime… */
  datatype: string;
  /** For `menu`: the allowed values. */
  options: string[];
  /** For `datetime`: the years the field offers (Moodle's param1 and param2); a date outside is moved to the nearest. */
  years?: { start: number; end: number };
}

/**
 * Headers that mean a class or a group depending on what the column holds: Dutch primary schools'
 * "Groep" with "Groep 3" or "5b" is a class, with "Wiskunde B" a group.
 */
export const ambiguousHeaders: Record<string, { when: RegExp; then: FieldKey; otherwise: FieldKey }> = {
  groep: { when: /^(groep\s*)?\d{1,2}\s*[a-z]?$/i, then: 'class', otherwise: 'group' },
  groepsnaam: { when: /^(groep\s*)?\d{1,2}\s*[a-z]?$/i, then: 'class', otherwise: 'group' },
  groepnaam: { when: /^(groep\s*)?\d{1,2}\s*[a-z]?$/i, then: 'class', otherwise: 'group' },
  group: { when: /^(group|grade|year)?\s*\d{1,2}\s*[a-z]?$/i, then: 'class', otherwise: 'group' },
};

/**
 * Words in a header that say whose value a column holds, in the languages headers come in (compared
 * without accents, in lower case, word by word): the person the row is about ("E-mail leerling",
 * "Elevens e-post": the pupil's own address), someone else ("E-mail ouder/verzorger": never the
 * account's), or the person's supervisor ("Mentor e-mail": a supervisor, named by e-mail). Words for
 * teachers are none of these: in a staff list "Teacher email" is the row's own.
 */
export const headerPersonWords = {
  self: ['leerling', 'student', 'studenten', 'pupil', 'learner', 'cursist', 'deelnemer', 'participant', 'kandidaat', 'candidate', 'elev', 'elevens', 'eleven', 'elevs', 'oppilas', 'oppilaan', 'opiskelija', 'opiskelijan', 'schuler', 'schulers', 'schulerin', 'eleve', 'etudiant'],
  others: ['ouder', 'ouders', 'verzorger', 'verzorgers', 'voogd', 'moeder', 'vader', 'parent', 'parents', 'guardian', 'mother', 'father', 'vardnadshavare', 'vardnadshavarens', 'foralder', 'foralders', 'foraldrar', 'huoltaja', 'huoltajan', 'vanhempi', 'vanhemman', 'eltern', 'elternteil', 'mutter', 'vater', 'erziehungsberechtigter', 'noodcontact', 'emergency'],
  supervisors: ['mentor', 'mentors', 'mentorns', 'begeleider', 'supervisor', 'coach', 'tutor', 'handledare', 'handledarens', 'ohjaaja', 'ohjaajan', 'betreuer'],
} as const;

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
