import type { FieldKey, Language } from '../../contract/catalog.js';

/**
 * Moodle's numbered upload headers, as tool_uploaduser reads them ("category1", "category2", …): a
 * field takes the first five, and a file's pairs are matched by their numbers.
 */
const numberedHeaders = (base: string): readonly string[] => Array.from({ length: 5 }, (_, i) => `${base}${i + 1}`);

/**
 * The headers that name each catalog field, per language, besides its key and its labels: what the
 * exports of student-information systems and Moodle's own upload files call it. Matching happens on the
 * server only, so these stay out of the browser's bundle; the type asks for every field of the catalog.
 * Moodle's course columns match only by their numbered headers: a plain "Course" or "Group" column of a
 * SIS export is something else.
 */
export const headerSynonyms: Record<FieldKey, Partial<Record<Language, readonly string[]>>> = {
  username: {
    en: ['username', 'user name', 'login', 'login name', 'user id', 'account'],
    nl: ['gebruikersnaam', 'inlognaam', 'loginnaam', 'gebruiker', 'accountnaam', 'loginaccount'],
    sv: ['användarnamn', 'inloggningsnamn', 'användar-id', 'inloggning'],
    fi: ['käyttäjätunnus', 'käyttäjänimi'],
    de: ['benutzername', 'anmeldename', 'benutzer', 'kennung'],
    fr: ["nom d'utilisateur", 'identifiant'],
  },
  password: { en: ['password', 'pass'], nl: ['wachtwoord'], sv: ['lösenord'], fi: ['salasana'], de: ['passwort', 'kennwort'], fr: ['mot de passe'] },
  firstname: {
    en: ['firstname', 'first name', 'given name', 'forename', 'calling name', 'preferred name', 'preferred forename', 'known as'],
    nl: ['voornaam', 'roepnaam', 'roepnaam leerling'],
    sv: ['förnamn', 'tilltalsnamn'],
    fi: ['etunimi', 'kutsumanimi'],
    de: ['vorname', 'rufname'],
    fr: ['prénom'],
  },
  givennames: { en: ['given names', 'forenames', 'official first names'], nl: ['voornamen', 'officiële voornamen'], sv: ['förnamn (alla)'], fi: ['etunimet'], de: ['vornamen'], fr: ['prénoms'] },
  lastnamePrefix: {
    en: ['surname prefix', 'name prefix', 'prefix'],
    nl: ['tussenvoegsel', 'tussenvoegsels', 'voorvoegsel', 'voorvoegsels', 'tussenv', 'voorv'],
    de: ['namenszusatz', 'namensvorsatz'],
    fr: ['particule'],
  },
  lastname: {
    en: ['lastname', 'last name', 'surname', 'family name', 'legal surname', 'preferred surname'],
    nl: ['achternaam', 'familienaam'],
    sv: ['efternamn'],
    fi: ['sukunimi'],
    de: ['nachname', 'familienname'],
    fr: ['nom', 'nom de famille'],
  },
  fullname: {
    en: ['full name', 'name', 'student name', 'display name'],
    nl: ['naam', 'volledige naam', 'naam leerling', 'leerlingnaam', 'leerling', 'studentnaam', 'weergavenaam'],
    sv: ['namn', 'fullständigt namn', 'elevens namn'],
    fi: ['nimi', 'koko nimi'],
    de: ['name', 'vollständiger name'],
    fr: ['nom complet', 'nom et prénom'],
  },
  email: {
    // The address the school or institution gave the person is the account's (Somtoday's "E-mailadres school", Osiris' "Instelling e-mail").
    en: ['email', 'e-mail', 'email address', 'mail', 'e-mail address', 'school email', 'school email address', 'institution email', 'institutional email'],
    nl: ['e-mailadres', 'emailadres', 'e-mail adres', 'mailadres', 'e-mailadres school', 'e-mail school', 'school e-mail', 'schoolmail', 'instelling e-mail', 'e-mail instelling', 'e-mailadres instelling'],
    sv: ['e-post', 'e-postadress', 'epost', 'e-post skola', 'skolans e-post', 'skolmejl'],
    fi: ['sähköposti', 'sähköpostiosoite', 'koulun sähköposti', 'koulusähköposti'],
    de: ['e-mail-adresse', 'emailadresse', 'schul-e-mail', 'e-mail schule'],
    fr: ['courriel', 'adresse e-mail', 'adresse électronique'],
  },
  idnumber: {
    en: ['idnumber', 'id number', 'student number', 'student id', 'employee number', 'external id', 'candidate number', 'candidate no', 'candidate id', 'admission number', 'admission no', 'pupil number', 'pupil id', 'student no', 'staff number', 'staff id', 'employee id'],
    nl: ['leerlingnummer', 'leerlingnr', 'leerling id', 'leerling-id', 'stamnummer', 'stamnr', 'studentnummer', 'studentnr', 'personeelsnummer', 'id-nummer', 'kandidaatnummer', 'kandidaatnr', 'examennummer', 'deelnemersnummer', 'deelnemernummer', 'externe id', 'extern id', 'medewerkernummer', 'werknemersnummer'],
    sv: ['elevnummer', 'elevnr', 'elev-id', 'elev id', 'studentnummer'],
    fi: ['opiskelijanumero', 'oppilasnumero'],
    de: ['schülernummer', 'schüler-id', 'matrikelnummer', 'personalnummer'],
    fr: ["numéro d'élève", 'matricule', "numéro d'étudiant"],
  },
  ssoId: {
    en: ['ssoid', 'sso', 'sso identity', 'single sign-on id', 'federated id', 'oauth id'],
    nl: ['sso-identiteit', 'sso-gebruikersnaam'],
    sv: ['sso-identitet', 'sso-användarnamn'],
    fi: ['sso-tunnus', 'kertakirjautumistunnus'],
    de: ['sso-kennung'],
    fr: ['identifiant sso'],
  },
  institution: { en: ['institution', 'organisation', 'organization'], nl: ['instelling', 'organisatie'], sv: ['organisation'], fi: ['organisaatio'], de: ['einrichtung', 'organisation'], fr: ['établissement'] },
  department: { en: ['department'], nl: ['afdeling'], sv: ['avdelning'], fi: ['osasto'], de: ['abteilung'], fr: ['département', 'service'] },
  phone1: { en: ['phone', 'phone1', 'telephone', 'phone number', 'telephone number', 'home phone'], nl: ['telefoon', 'telefoonnummer', 'tel', 'telefoon thuis'], sv: ['telefon', 'telefonnummer', 'hemtelefon'], fi: ['puhelin', 'puhelinnumero'], de: ['telefon', 'telefonnummer'], fr: ['téléphone'] },
  phone2: { en: ['mobile', 'mobile phone', 'mobile number', 'cell phone', 'phone2'], nl: ['mobiel', 'mobiel nummer', 'mobiele telefoon', 'gsm'], sv: ['mobil', 'mobiltelefon', 'mobilnummer'], fi: ['matkapuhelin', 'kännykkä'], de: ['handy', 'mobiltelefon', 'mobilnummer'], fr: ['portable', 'téléphone portable'] },
  address: { en: ['address', 'street address'], nl: ['adres', 'woonadres'], sv: ['adress', 'gatuadress'], fi: ['osoite', 'katuosoite'], de: ['adresse', 'anschrift'], fr: ['adresse'] },
  city: { en: ['city', 'town'], nl: ['woonplaats', 'plaats', 'stad'], sv: ['ort', 'stad'], fi: ['kaupunki', 'paikkakunta'], de: ['stadt', 'wohnort', 'ort'], fr: ['ville'] },
  country: { en: ['country', 'country code'], nl: ['land', 'landcode'], sv: ['land'], fi: ['maa'], de: ['land'], fr: ['pays'] },
  lang: { en: ['lang', 'language'], nl: ['taal'], sv: ['språk'], fi: ['kieli'], de: ['sprache'], fr: ['langue'] },
  timezone: { en: ['timezone', 'time zone'], nl: ['tijdzone'], sv: ['tidszon', 'tidzon'], fi: ['aikavyöhyke'], de: ['zeitzone'], fr: ['fuseau horaire'] },
  municipality: { en: ['municipality', 'district', 'county'], nl: ['gemeente', 'gemeentenaam'], sv: ['kommun'], fi: ['kunta'], de: ['gemeinde', 'kommune'], fr: ['commune', 'municipalité'] },
  school: { en: ['school', 'school name', 'campus'], nl: ['schoolnaam', 'naam school', 'vestiging', 'vestigingsnaam', 'schoollocatie'], sv: ['skola', 'skolenhet', 'skolenhetsnamn', 'skolans namn'], fi: ['koulu', 'koulun nimi', 'toimipiste'], de: ['schule', 'schulname'], fr: ['école', 'nom de l’école'] },
  nodePath: { en: ['path', 'location path', 'municipality/school', 'node'], nl: ['pad', 'locatiepad', 'gemeente/school', 'locatie'], sv: ['kommun/skola'], fi: ['kunta/koulu'], de: ['gemeinde/schule'], fr: ['commune/école'] },
  class: { en: ['class', 'form', 'homeroom', 'class name', 'tutor group', 'form group', 'registration group', 'reg group'], nl: ['klas', 'stamgroep', 'klas/stamgroep', 'stamgroep/klas', 'klas/groep', 'klasnaam', 'naam klas', 'klascode', 'stamklas', 'basisklas', 'mentorklas', 'basisgroep'], sv: ['klass', 'klassnamn', 'klasskod', 'mentorsgrupp', 'mentorgrupp'], fi: ['luokka', 'luokan nimi'], de: ['klasse', 'klassenname'], fr: ['classe'] },
  role: { en: ['role', 'user type', 'type'], nl: ['rol', 'functie', 'soort gebruiker'], sv: ['roll'], fi: ['rooli'], de: ['rolle'], fr: ['rôle'] },
  roleCategory: { en: numberedHeaders('category') },
  categoryRole: { en: numberedHeaders('categoryrole') },
  course: { en: numberedHeaders('course') },
  courseRole: { en: numberedHeaders('role') },
  courseType: { en: numberedHeaders('type') },
  courseGroup: { en: numberedHeaders('group') },
  enrolPeriod: { en: numberedHeaders('enrolperiod') },
  enrolStart: { en: numberedHeaders('enroltimestart') },
  enrolSuspended: { en: numberedHeaders('enrolstatus') },
  group: {
    en: ['groups', 'cohort', 'cohorts', 'cohort1', 'cohort2', 'cohort3', 'teaching group', 'exam group', 'test group'],
    nl: ['groepen', 'groepsnaam', 'groepnaam', 'naam groep', 'lesgroep', 'lesgroepen', 'lesgroepcode', 'cluster', 'clusters', 'clustercode', 'toetsgroep', 'toetsgroepen', 'examengroep'],
    sv: ['grupp', 'grupper', 'undervisningsgrupp', 'provgrupp'],
    fi: ['ryhmä', 'ryhmät', 'ryhmän nimi', 'koeryhmä'],
    de: ['gruppe', 'gruppen', 'prüfungsgruppe'],
    fr: ['groupe', 'groupes', "groupe d'examen"],
  },
  supervisor: { en: ['supervisor', 'supervisors', 'mentor', 'mentors', 'teacher', 'invigilator', 'proctor', 'tutor', 'form tutor', 'class teacher'], nl: ['begeleider', 'begeleiders', 'mentor', 'mentoren', 'docent', 'surveillant', 'groepsleerkracht', 'leerkracht'], sv: ['handledare', 'mentor', 'lärare', 'klassföreståndare'], fi: ['ohjaaja', 'opettaja', 'luokanvalvoja', 'luokanopettaja'], de: ['betreuer', 'mentor', 'lehrer', 'klassenlehrer'], fr: ['tuteur', 'surveillant', 'enseignant'] },
  validFrom: { en: ['valid from', 'start date', 'active from', 'validity start', 'valid from date', 'start', 'starts'], nl: ['geldig vanaf', 'geldig van', 'startdatum', 'begindatum', 'ingangsdatum'], sv: ['giltig från', 'startdatum'], fi: ['voimassa alkaen', 'alkupäivä', 'aloituspäivä'], de: ['gültig ab', 'startdatum'], fr: ['valable à partir de', 'date de début'] },
  validUntil: { en: ['valid until', 'end date', 'expires', 'expiry date', 'expiration date', 'validity end', 'valid to', 'end', 'ends', 'expires on', 'expiry', 'account expiry', 'active until'], nl: ['geldig tot', 'einddatum', 'vervaldatum', 'geldig t/m', 'verloopdatum', 'geldig tot en met'], sv: ['giltig till', 'slutdatum'], fi: ['voimassa asti', 'loppupäivä', 'päättymispäivä'], de: ['gültig bis', 'enddatum', 'ablaufdatum'], fr: ["valable jusqu'à", 'date de fin', "date d'expiration"] },
  extraTime: { en: ['extra time', 'additional time', 'time extension'], nl: ['extra tijd', 'verlengde tijd', 'tijdverlenging', 'extra tijd minuten'], sv: ['förlängd tid', 'extra tid'], fi: ['lisäaika'], de: ['zeitverlängerung', 'nachteilsausgleich'], fr: ['temps supplémentaire', 'tiers temps'] },
  dateOfBirth: { en: ['date of birth', 'birth date', 'birthdate', 'dob', 'birthday'], nl: ['geboortedatum', 'geb datum', 'gebdatum'], sv: ['födelsedatum'], fi: ['syntymäaika', 'syntymäpäivä'], de: ['geburtsdatum'], fr: ['date de naissance'] },
  protectedData: { en: ['protected', 'protected data', 'confidential', 'privacy flag'], nl: ['afgeschermd', 'geheim', 'beschermd', 'geheimhouding', 'gegevens afgeschermd'], sv: ['skyddad identitet', 'sekretessmarkering'], fi: ['turvakielto'], de: ['auskunftssperre', 'geschützt'], fr: ['confidentiel', 'données protégées'] },
  suspended: { en: ['suspended', 'account suspended'], nl: ['geschorst', 'geblokkeerd'], sv: ['avstängd', 'spärrad'], fi: ['suljettu', 'estetty'], de: ['gesperrt'], fr: ['suspendu'] },
  emailstop: { en: ['emailstop', 'email stop', 'no email', 'email disabled'], nl: ['geen e-mail', 'geen email'], sv: ['ingen e-post'], fi: ['ei sähköpostia'], de: ['keine e-mail'], fr: ['pas de courriel'] },
  middlename: { en: ['middlename', 'middle name'] },
  alternatename: { en: ['alternatename', 'alternate name'] },
  firstnamephonetic: { en: ['firstnamephonetic', 'first name phonetic'] },
  lastnamephonetic: { en: ['lastnamephonetic', 'last name phonetic'] },
  description: { en: ['description'], nl: ['beschrijving'], sv: ['beskrivning'], fi: ['kuvaus'], de: ['beschreibung'] },
  descriptionformat: { en: ['descriptionformat', 'description format'] },
  mailformat: { en: ['mailformat', 'mail format', 'email format'] },
  maildigest: { en: ['maildigest', 'mail digest', 'email digest'] },
  maildisplay: { en: ['maildisplay', 'mail display', 'email display'] },
  autosubscribe: { en: ['autosubscribe', 'auto subscribe'] },
  trackforums: { en: ['trackforums', 'track forums'] },
  theme: { en: ['theme'], nl: ['thema'], sv: ['tema'], fi: ['teema'], fr: ['thème'] },
  interests: { en: ['interests'], nl: ['interesses'], sv: ['intressen'], fi: ['kiinnostuksen kohteet'], de: ['interessen'], fr: ['centres d’intérêt'] },
  auth: { en: ['auth', 'authentication method'], nl: ['aanmeldmethode'], sv: ['autentiseringsmetod'], fi: ['tunnistustapa'] },
  systemRole: { en: numberedHeaders('sysrole') },
  deleted: { en: ['deleted'] },
  mnethostid: { en: ['mnethostid'] },
  oldusername: { en: ['oldusername', 'old username'] },
};

/**
 * Headers of school exports that name no field and sit a letter or two from one: no near miss is taken
 * for them ("Schooljaar", the school year, is not "Schoolnaam": its values would have become schools),
 * though a site's profile field of that name is matched.
 */
export const notFieldHeaders: readonly string[] = [
  'schooljaar', 'studiejaar', 'leerjaar', 'jaarlaag', 'schoolsoort', 'schooltype', 'läsår', 'lukuvuosi', 'school year', 'academic year',
  // A yes/no of an account list, not the date it expires ("Expires").
  'expired', 'verlopen',
];
