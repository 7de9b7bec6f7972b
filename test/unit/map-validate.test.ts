import { holdBackSupervisorsNobodyIs, supervisorSampleReferences } from '../../server/core/map/held-back.js';
import { changeValue, errorText, fieldLabel, problemText } from '../../server/contract/messages.js';
import { describe, expect, it } from 'vitest';
import { settingsErrorMap, settingsSchema } from '../../server/engine/settings-schema.js';
import { fitToFile } from '../../server/contract/file-defaults.js';
import { assertMappingUsable, mapColumns, matchHeader, normalizeHeader } from '../../server/core/map/map-columns.js';
import { requiredFields } from '../../server/contract/required-fields.js';
import { settingsProblems } from '../../server/contract/settings-rules.js';
import { passwordLength, type ColumnMapping } from '../../server/contract/types.js';
import { createValidator, tagNames } from '../../server/core/validate/validate.js';
import { usernameFromTemplate } from '../../server/core/validate/username-template.js';
import { shownCell, uncalculated } from '../../server/core/read/uncalculated.js';
import { countryCodes } from '../../server/core/validate/place-names.js';

const settings = settingsSchema.parse({ source: 's' });

describe('mapping headers to fields', () => {
  it('normalises case, accents, punctuation and [Required] suffixes', () => {
    expect(normalizeHeader('E-mailadres [Required] *')).toBe('emailadres');
    expect(matchHeader('PRÉNOM')).toBe('firstname');
    expect(matchHeader('Stamnr.')).toBe('idnumber');
    expect(matchHeader('Användarnamn')).toBe('username');
    expect(matchHeader('Sähköposti')).toBe('email');
    expect(matchHeader('Opmerking')).toBeNull();
  });

  it("reads the headers of Dutch, Swedish and English SIS exports, a pupil's number never taken for their name", () => {
    const headers = ['Leerlingnr', 'Leerling ID', 'Deelnemersnummer', 'Pupil ID', 'Student No.', 'Elevnr', 'Leerlingnaam', 'Klas/Groep', 'Mentorgrupp', 'Undervisningsgrupp'];
    expect(headers.map((h) => matchHeader(h))).toEqual(['idnumber', 'idnumber', 'idnumber', 'idnumber', 'idnumber', 'idnumber', 'fullname', 'class', 'class', 'group']);
    // A header naming its school year names the field without it; "Groepsnaam" is no near miss of "Roepnaam".
    expect(['Klas 2026-2027', 'Stamgroep 26/27', 'Groepsnaam'].map((h) => matchHeader(h))).toEqual(['class', 'class', 'group']);
    expect(['Klascode', 'Stamklas', 'Groepnaam', 'Clustercode', 'Vestigingsnaam'].map((h) => matchHeader(h))).toEqual(['class', 'class', 'group', 'group', 'school']);
    // Swedish, Finnish and German exports name them so too; a mentor's address names a supervisor.
    const nordic = ['Klassnamn', 'Skolenhetsnamn', 'Användar-ID', 'Mentorns e-post', 'Luokan nimi', 'Ryhmän nimi', 'Aloituspäivä', 'Schüler-ID'];
    expect(nordic.map((h) => matchHeader(h))).toEqual(['class', 'school', 'username', 'supervisor', 'class', 'group', 'validFrom', 'idnumber']);
    // The school year is no school, though a near miss of "Schoolnaam": its values would have become schools.
    expect(['Schooljaar', 'Leerjaar', 'Läsår'].map((h) => matchHeader(h))).toEqual([null, null, null]);
    // Like "Groep", a primary school's "Groepsnaam" of "8" and "7B" is its class.
    for (const header of ['Groepsnaam', 'Groep 2026-2027']) expect(mapColumns([header], {}, [['8'], ['7B']])[0]!.field).toBe('class');
    expect(mapColumns(['Groepsnaam'], {}, [['Wiskunde B'], ['Remedial']])[0]!.field).toBe('group');
  });

  it('reads German headers', () => {
    const columns = mapColumns(['Benutzername', 'Vorname', 'Nachname', 'E-Mail-Adresse', 'Passwort', 'Abteilung', 'Sprache']);
    expect(columns.map((c) => c.field)).toEqual(['username', 'firstname', 'lastname', 'email', 'password', 'department', 'lang']);
  });

  it("keeps the admin's choice over the automatic one and leaves a second claim on a field unmapped", () => {
    const columns = mapColumns(['Voornaam', 'Roepnaam', 'Naam'], { Naam: 'lastname' });
    expect(columns.map((c) => [c.field, c.how])).toEqual([
      ['firstname', 'auto'],
      [null, 'none'],
      ['lastname', 'manual'],
    ]);
  });

  it('requires the match field and, for new accounts, names and e-mail', () => {
    expect(requiredFields(settings)).toEqual(['username', 'firstname', 'lastname', 'email']);
    expect(requiredFields(settingsSchema.parse({ source: 's', matchOn: 'email' }))).toEqual(['firstname', 'lastname', 'email']);
    expect(requiredFields(settingsSchema.parse({ source: 's', actions: { add: false, update: true }, matchOn: 'idnumber' }))).toEqual(['idnumber']);
    expect(requiredFields(settingsSchema.parse({ source: 's', password: { mode: 'file' } }))).toContain('password');
  });

  it('rejects a missing required column and a field mapped twice', () => {
    expect(() => assertMappingUsable(mapColumns(['username', 'firstname']), settings)).toThrowError(/lastname, email/);
    // Where no screen marks the column (the command, the API), the refusal says what to do about it.
    const byNumber = settingsSchema.parse({ source: 's', matchOn: 'idnumber', usernameTemplate: '{f}{lastname}' });
    expect(() => assertMappingUsable(mapColumns(['Leerlingnummer', 'Roepnaam', 'Achternaam', 'E-mail ouder']), byNumber)).toThrowError(
      /no column for: email\. Moodle needs an e-mail address for every new account .*"actions": \{ "add": false \}/,
    );
    const twice = mapColumns(['username', 'login', 'firstname', 'lastname', 'email'], { login: 'username', username: 'username' });
    expect(() => assertMappingUsable(twice, settings)).toThrowError(/both mapped/);
  });

  it('says why every column is missing when the header reads as one column, and names the headers a mapping slipped on', () => {
    expect(() => assertMappingUsable(mapColumns(['Leerlingnummer;Voornaam;Achternaam;E-mail']), settings)).toThrowError(
      /^The file has no column for: .*\. The whole header reads as one column \("Leerlingnummer;Voornaam;Achternaam;E-mail"\): its columns look separated by ";"; read it with that delimiter \("file": \{ "delimiter": ";" \}/,
    );
    expect(() => assertMappingUsable(mapColumns(['Student ID\tFirst name\tSurname']), settings)).toThrowError(/separated by tabs; read it with that delimiter \("file": \{ "delimiter": "\\t" \}/);
    // One column with no other delimiter in it says nothing of delimiters.
    expect(() => assertMappingUsable(mapColumns(['Leerlingnummer']), settings)).not.toThrowError(/delimiter/);
    const slipped = settingsSchema.parse({ source: 's', mapping: { 'E-mailadress': 'email', Klas: null } });
    expect(() => assertMappingUsable(mapColumns(['username', 'firstname', 'lastname', 'E-mailadres']), slipped)).toThrowError(
      'The mapping names columns the file does not have: "E-mailadress" (did you mean "E-mailadres"?), "Klas". The file\'s columns: "username", "firstname", "lastname", "E-mailadres".',
    );
  });
});

describe('fields that need care', () => {
  it("refuses a formula's error value in any mapped column, as Excel writes it in English, Dutch, Swedish and Finnish, or LibreOffice", () => {
    const validate = createValidator(mapColumns(['username', 'firstname', 'lastname', 'email', 'Opmerking']), settings);
    const failed = validate({ row: 2, cells: ['ada', ' #N/B ', 'Lovelace', '#N/A', '#REF!'] });
    // The unmapped column's error is no one's concern; each mapped one names its field and what it held.
    expect(failed.problems).toEqual([
      { code: 'spreadsheet_error', field: 'firstname', params: { value: '#N/B' } },
      { code: 'spreadsheet_error', field: 'email', params: { value: '#N/A' } },
    ]);
    expect(failed.values.email).toBeUndefined();
    expect(problemText({ code: 'spreadsheet_error', field: 'email', params: { value: '#N/A' } }, 'en')).toMatch(/^Email address holds #N\/A, the error of a formula/);
    for (const value of ['#SAKNAS!', '#PUUTTUU!', '#value!', 'Err:502', '#DEEL/0!']) {
      expect(validate({ row: 3, cells: ['bo', 'Bo', value, 'bo@school.example', ''] }).problems).toMatchObject([{ code: 'spreadsheet_error', field: 'lastname' }]);
    }
    // A name or a value that merely starts like one is a value.
    expect(validate({ row: 4, cells: ['cy', '#1', 'Errington', 'cy@school.example', ''] }).problems).toEqual([]);
  });

  it('refuses a number Excel shortened when it saved the CSV (1,23457E+11): its digits are lost, in any mapped column but a password', () => {
    const validate = createValidator(mapColumns(['username', 'firstname', 'lastname', 'email', 'idnumber', 'phone1', 'password']), settingsSchema.parse({ source: 's', password: { mode: 'file' } }));
    const row = validate({ row: 2, cells: ['ada', 'Ada', 'Lovelace', 'ada@school.example', '1,23457E+11', '3.16123E+11', '1E+12'] });
    expect(row.problems).toEqual([
      { code: 'shortened_number', field: 'idnumber', params: { value: '1,23457E+11' } },
      { code: 'shortened_number', field: 'phone1', params: { value: '3.16123E+11' } },
    ]);
    expect(row.values.idnumber).toBeUndefined();
    expect(problemText(row.problems[0]!, 'nl')).toMatch(/^ID-nummer \(leerlingnummer\) bevat 1,23457E\+11, een getal dat Excel inkortte/);
    // Written out in full, or a code that merely holds an E, is a value.
    const kept = validate({ row: 3, cells: ['bo', 'Bo', 'Boer', 'bo@school.example', '123456789012', '1E', 'Geheim-1E+2'] });
    expect(kept.problems).toEqual([]);
    expect(kept.values).toMatchObject({ idnumber: '123456789012', phone1: '1E' });
  });

  it("refuses a workbook's formula that nothing calculated, in any mapped column, and takes a text starting with = as written", () => {
    const validate = createValidator(mapColumns(['username', 'firstname', 'lastname', 'email', 'password', 'Opmerking']), settingsSchema.parse({ source: 's', password: { mode: 'file' } }));
    const row = validate({ row: 2, cells: ['ada', 'Ada', uncalculated('B2'), uncalculated('CONCAT(A2,"@school.example")'), uncalculated('A1'), uncalculated('SUM(A1)')] });
    expect(row.problems).toEqual([
      { code: 'uncalculated_formula', field: 'lastname' },
      { code: 'uncalculated_formula', field: 'email' },
      { code: 'uncalculated_formula', field: 'password' },
    ]);
    expect(problemText({ code: 'uncalculated_formula', field: 'email' }, 'nl')).toMatch(/^E-mailadres bevat een formule waarvan het bestand de uitkomst niet bevat/);
    // A text that starts with "=" (typed so, or Intake's own export of such a name) is a value.
    expect(validate({ row: 3, cells: ['bo', 'Bo', '=HYPERLINK("x")', 'bo@school.example', 'pw-Bo-123456', ''] }).problems).toEqual([]);
    expect(shownCell(uncalculated('B2'))).toBe('=B2');
  });

  it("maps Moodle's numbered category role columns, and never a plain Category column to them", () => {
    expect(['category1', 'categoryrole1', 'category2', 'Category', 'Categorie', 'Course category'].map((h) => matchHeader(h))).toEqual(['roleCategory', 'categoryRole', 'roleCategory', null, null, null]);
  });

  it("reads Moodle's course columns as one enrolment per number, whatever order the file puts them in", () => {
    const headers = ['username', 'group2', 'course1', 'role1', 'course2', 'enrolperiod1', 'enroltimestart2', 'group1'];
    expect(headers.slice(1).map((h) => matchHeader(h))).toEqual(['courseGroup', 'course', 'courseRole', 'course', 'enrolPeriod', 'enrolStart', 'courseGroup']);
    const validate = createValidator(mapColumns(headers), settings);
    const both = validate({ row: 2, cells: ['ada', 'B', 'math102', 'student', 'BAKEN-NE1', '30', '01-09-2026', ' Section <b>1</b> '] });
    expect(both.courses).toEqual([
      { course: 'math102', role: 'student', group: 'Section 1', days: 30 },
      { course: 'BAKEN-NE1', group: 'B', start: '2026-09-01' },
    ]);
    expect(both.problems).toEqual([]);
    // A period or group without its course is passed over with a warning; the same course twice is one.
    const orphan = validate({ row: 3, cells: ['bo', '', 'math102', '', 'MATH102', '', '', ''] });
    expect(orphan.courses).toEqual([{ course: 'math102' }]);
    expect(validate({ row: 4, cells: ['cy', 'B', '', '', '', '', '', ''] }).warnings).toEqual([{ code: 'course_missing', field: 'course' }]);
    // A period that is no number of days is the row's problem, showing what it says; no course is wishes then.
    const period = validate({ row: 5, cells: ['di', '', 'math102', '', '', 'a year', '', ''] });
    expect(period.problems).toEqual([{ code: 'invalid_days', field: 'enrolPeriod', params: { value: 'a year' } }]);
    // enrolstatusN says whether the enrolment is suspended, as yes/no or Moodle's 1/0.
    const status = createValidator(mapColumns(['username', 'course1', 'enrolstatus1']), settings);
    expect(status({ row: 6, cells: ['fe', 'math102', '1'] }).courses).toEqual([{ course: 'math102', suspended: true }]);
    expect(status({ row: 7, cells: ['gi', 'math102', 'nee'] }).courses).toEqual([{ course: 'math102', suspended: false }]);
    // A file without course columns carries no course list on its rows.
    expect(createValidator(mapColumns(['username']), settings)({ row: 2, cells: ['ed'] }).courses).toBeUndefined();
  });

  it("reads Moodle's preference columns as it stores them: digits from its choices, yes/no for the forum ones, a description as written", () => {
    const headers = ['username', 'description', 'mailformat', 'maildigest', 'maildisplay', 'autosubscribe', 'trackforums', 'auth', 'oldusername'];
    expect(headers.map((h) => matchHeader(h))).toEqual(['username', 'description', 'mailformat', 'maildigest', 'maildisplay', 'autosubscribe', 'trackforums', 'auth', 'oldusername']);
    // Under Moodle's own names only: a school export's "Omschrijving" (a class's description) or "Delete" is no near miss of them.
    expect(['Omschrijving', 'Descriptions', 'Delete', 'Themes'].map((h) => matchHeader(h))).toEqual([null, null, null, null]);
    expect(['sysrole1', 'sysrole2'].map((h) => matchHeader(h))).toEqual(['systemRole', 'systemRole']);
    const validate = createValidator(mapColumns(headers), settings);
    const row = validate({ row: 2, cells: ['ada', ' <p>Hi <b>there</b></p> ', '0', '2', ' 1 ', 'nee', 'ja', 'manual', 'ad'] });
    expect(row.values).toMatchObject({ description: '<p>Hi <b>there</b></p>', mailformat: '0', maildigest: '2', maildisplay: '1', autosubscribe: '0', trackforums: '1' });
    expect(row.problems).toEqual([]);
    // Anything Moodle does not store is refused, the value and the choices named.
    expect(validate({ row: 3, cells: ['bo', '', 'html', '3', '', '', '', '', ''] }).problems).toEqual([
      { code: 'invalid_choice', field: 'mailformat', params: { value: 'html', choices: '0, 1' } },
      { code: 'invalid_choice', field: 'maildigest', params: { value: '3', choices: '0, 1, 2' } },
    ]);
  });

  it("takes a theme only where the site allows users theirs and has it, as Moodle's upload does; otherwise a warning, the row imported without it", () => {
    const columns = mapColumns(['username', 'theme']);
    const unknownSite = createValidator(columns, settings);
    expect(unknownSite({ row: 2, cells: ['ada', 'boost'] }).values.theme).toBe('boost');
    const notAllowed = createValidator(columns, settings, [], { userThemes: null })({ row: 2, cells: ['ada', 'boost'] });
    expect(notAllowed.values.theme).toBeUndefined();
    expect(notAllowed.warnings).toEqual([{ code: 'theme_not_allowed', field: 'theme', params: { value: 'boost' } }]);
    const site = createValidator(columns, settings, [], { userThemes: new Set(['classic', 'boost']) });
    expect(site({ row: 3, cells: ['bo', 'classic'] })).toMatchObject({ values: { theme: 'classic' }, problems: [] });
    expect(site({ row: 3, cells: ['bo', 'classic'] }).warnings).toBeUndefined();
    const missing = site({ row: 4, cells: ['cy', 'moove'] });
    expect(missing.values.theme).toBeUndefined();
    expect(missing.warnings).toEqual([{ code: 'theme_not_installed', field: 'theme', params: { value: 'moove', installed: 'boost, classic' } }]);
    expect(problemText({ code: 'theme_not_installed', field: 'theme', params: { value: 'moove', installed: 'boost, classic' } }, 'nl')).toBe(
      'Het thema "moove" is niet geïnstalleerd op deze site (boost, classic): het account wordt zonder geïmporteerd',
    );
  });

  it("reads interests as Moodle's upload splits and cleans tags, and leaves them out with a warning where no plugin sets them", () => {
    expect(tagNames(' Chess ,music,, chess, <b>art</b> ,  two   words ')).toEqual(['Chess', 'music', 'bart/b', 'two words']);
    expect(tagNames('x'.repeat(60))).toEqual(['x'.repeat(50)]);
    const columns = mapColumns(['username', 'interests']);
    const withPlugin = createValidator(columns, settings, [], { setsInterests: true });
    expect(withPlugin({ row: 2, cells: ['ada', 'Chess, music ,chess'] }).values.interests).toBe('Chess, music');
    // An empty cell leaves the account's tags as they are (Moodle's upload: only a non-empty cell sets them).
    expect(withPlugin({ row: 3, cells: ['bo', ' , '] }).values.interests).toBeUndefined();
    const withoutPlugin = createValidator(columns, settings, [], { setsInterests: false })({ row: 2, cells: ['ada', 'chess'] });
    expect(withoutPlugin.values.interests).toBeUndefined();
    expect(withoutPlugin.warnings).toEqual([{ code: 'interests_need_plugin', field: 'interests' }]);
    // A column of "tags" may hold flags about a pupil: it is not taken for interests, which their profile shows.
    expect(mapColumns(['Interesses', 'Tags']).map((c) => c.field)).toEqual(['interests', null]);
  });

  it('never maps national identity numbers, and says so', () => {
    const [bsn, personnummer] = mapColumns(['BSN', 'Personnummer'], { BSN: 'idnumber' });
    expect(bsn).toMatchObject({ field: null, how: 'blocked', warning: 'national_id' });
    expect(personnummer).toMatchObject({ field: null, how: 'blocked' });
  });

  it('matches near misses, but not ambiguous or short ones', () => {
    expect(matchHeader('Achternam')).toBe('lastname');
    expect(matchHeader('E-mailadress')).toBe('email');
    expect(matchHeader('Opmerking')).toBeNull();
    // Moodle's numbered headers are matched exactly (group1 is a course's group), never guessed at.
    expect(matchHeader('group1')).toBe('courseGroup');
    expect(matchHeader('groep1')).toBeNull();
  });

  it("matches the site's profile fields by Moodle's header, short name or name", () => {
    const fields = [{ id: 1, shortname: 'yeargroup', name: 'Leerjaar', datatype: 'text', options: [] }];
    expect(matchHeader('profile_field_yeargroup', fields)).toBe('profile_field_yeargroup');
    expect(matchHeader('Leerjaar', fields)).toBe('profile_field_yeargroup');
    expect(matchHeader('yeargroup', fields)).toBe('profile_field_yeargroup');
  });

  it('counts a full name column as both names', () => {
    const columns = mapColumns(['Gebruikersnaam', 'Naam', 'E-mail']);
    expect(columns.map((c) => c.field)).toEqual(['username', 'fullname', 'email']);
    expect(() => assertMappingUsable(columns, settings)).not.toThrow();
  });
});

describe('composing names', () => {
  const surname = settingsSchema.parse({ source: 's', surnamePrefix: { profileField: 'tussenvoegsel' } });

  it('splits a full name, falls back to given names, and puts the prefix before the last name', () => {
    const validate = createValidator(mapColumns(['username', 'Naam', 'Voornamen', 'Tussenvoegsel']), settings);
    expect(validate({ row: 2, cells: ['dae', 'Aartsen, Dae', 'Daniëlle Maria', 'van'] }).values).toEqual({ username: 'dae', firstname: 'Dae', lastname: 'van Aartsen' });
    const noCalling = createValidator(mapColumns(['username', 'Voornamen', 'Achternaam']), settings);
    expect(noCalling({ row: 2, cells: ['jp', 'Johannes Petrus', 'Bos'] }).values).toEqual({ username: 'jp', firstname: 'Johannes', lastname: 'Bos' });
  });

  it('refuses a last name that its prefix makes longer than the host holds, as a row problem', () => {
    const validate = createValidator(mapColumns(['username', 'Tussenvoegsel', 'Achternaam']), settings);
    const candidate = validate({ row: 2, cells: ['lang', 'van der', `A${'b'.repeat(99)}`] });
    expect(candidate.problems).toEqual([{ code: 'too_long', field: 'lastname', params: { max: 100 } }]);
    expect(candidate.values.lastname).toBeUndefined();
  });

  it('keeps the prefix in a profile field when the settings say so', () => {
    const fields = [{ id: 3, shortname: 'tussenvoegsel', name: 'Tussenvoegsel', datatype: 'text', options: [] }];
    const validate = createValidator(mapColumns(['username', 'Voorvoegsel', 'Achternaam']), surname, fields);
    expect(validate({ row: 2, cells: ['jdv', 'de', 'Vries'] })).toMatchObject({ values: { lastname: 'Vries' }, profile: { tussenvoegsel: 'de' } });
  });

  it('checks profile values by their type: checkbox, date and menu', () => {
    const fields = [
      { id: 1, shortname: 'needs', name: 'Needs', datatype: 'checkbox', options: [] },
      { id: 2, shortname: 'until', name: 'Until', datatype: 'datetime', options: [] },
      { id: 3, shortname: 'level', name: 'Level', datatype: 'menu', options: ['vmbo', 'havo', 'vwo'] },
    ];
    const validate = createValidator(mapColumns(['username', 'profile_field_needs', 'profile_field_until', 'profile_field_level'], {}, [], fields), settings, fields);
    expect(validate({ row: 2, cells: ['a', 'ja', '31-07-2027', 'HAVO'] }).profile).toEqual({ needs: '1', until: String(Date.UTC(2027, 6, 31) / 1000), level: 'havo' });
    expect(validate({ row: 3, cells: ['a', 'misschien', 'morgen', 'mbo'] }).problems.map((p) => p.code)).toEqual(['invalid_yesno', 'invalid_date', 'invalid_choice']);
  });

  it('refuses a date in the shape of one that is no day of the calendar, never storing the day it rolls over to', () => {
    const fields = [{ id: 2, shortname: 'until', name: 'Until', datatype: 'datetime', options: [] }];
    const validate = createValidator(mapColumns(['username', 'profile_field_until'], {}, [], fields), settings, fields);
    for (const cell of ['2010-13-01', '2010-02-30', '2011-02-29', '31-04-2010']) {
      expect(validate({ row: 2, cells: ['a', cell] }).problems, cell).toMatchObject([{ code: 'invalid_date', field: 'profile_field_until' }]);
    }
    expect(validate({ row: 2, cells: ['a', '2012-02-29'] }).profile).toEqual({ until: String(Date.UTC(2012, 1, 29) / 1000) });
  });

  it('reads a cell of groups as a list, however it is separated: ; , or |', () => {
    const validate = createValidator(mapColumns(['username', 'Lesgroepen'], {}, [], []), settings);
    for (const cell of ['1a-ne; 1a-wi', '1a-ne, 1a-wi', '1a-ne|1a-wi', ' 1a-ne ,, 1a-wi ; ']) {
      expect(validate({ row: 2, cells: ['a', cell] }).values.group, cell).toBe('1a-ne;1a-wi');
    }
  });

  it("stores a date at midnight in the site's zone, its year moved into the field's years, as Moodle's datetime field does", () => {
    const fields = [{ id: 2, shortname: 'dob', name: 'Date of birth', datatype: 'datetime', options: [], years: { start: 1950, end: 2030 } }];
    const columns = mapColumns(['username', 'profile_field_dob'], {}, [], fields);
    const newYork = createValidator(columns, settings, fields, { timeZone: 'America/New_York' });
    // 1 May 2010 begins at 04:00 UTC in New York (EDT): read there, it is still 1 May, not 30 April.
    expect(newYork({ row: 2, cells: ['a', '01-05-2010'] }).profile).toEqual({ dob: String(Date.UTC(2010, 4, 1, 4) / 1000) });
    const amsterdam = createValidator(columns, settings, fields, { timeZone: 'Europe/Amsterdam' });
    expect(amsterdam({ row: 2, cells: ['a', '15-01-2035'] }).profile).toEqual({ dob: String(Date.UTC(2030, 0, 14, 23) / 1000) });
  });

  it("takes a row's time zone as Moodle stores it, and puts the row's dates at midnight there unless the site forces its own", () => {
    const fields = [{ id: 2, shortname: 'dob', name: 'Date of birth', datatype: 'datetime', options: [], years: { start: 1950, end: 2030 } }];
    const columns = mapColumns(['username', 'Tijdzone', 'profile_field_dob'], {}, [], fields);
    expect(columns[1]!.field).toBe('timezone');
    const validate = createValidator(columns, settings, fields, { timeZone: 'Europe/Amsterdam' });
    const newYork = validate({ row: 2, cells: ['a', 'america/new_york', '01-05-2010'] });
    expect(newYork.values.timezone).toBe('America/New_York');
    expect(newYork.profile).toEqual({ dob: String(Date.UTC(2010, 4, 1, 4) / 1000) });
    // 99 is the site's own zone, as is a row without one; a zone that does not exist is shown and refused.
    for (const zone of ['99', '']) expect(validate({ row: 3, cells: ['a', zone, '01-05-2010'] }).profile).toEqual({ dob: String(Date.UTC(2010, 3, 30, 22) / 1000) });
    expect(validate({ row: 4, cells: ['a', '99', ''] }).values.timezone).toBe('99');
    expect(validate({ row: 5, cells: ['a', 'Mars/Olympus', ''] }).problems).toEqual([{ code: 'invalid_timezone', field: 'timezone', params: { value: 'Mars/Olympus' } }]);
    const forced = createValidator(columns, settings, fields, { timeZone: 'Europe/Amsterdam', timeZoneForced: true });
    expect(forced({ row: 2, cells: ['a', 'America/New_York', '01-05-2010'] }).profile).toEqual({ dob: String(Date.UTC(2010, 3, 30, 22) / 1000) });
  });

  it('refuses a language the site has not installed, when the host says which it has', () => {
    const validate = createValidator(mapColumns(['username', 'lang']), settings, [], { languages: new Set(['en', 'nl']) });
    expect(validate({ row: 2, cells: ['a', 'NL'] }).problems).toEqual([]);
    expect(validate({ row: 3, cells: ['a', 'sv'] }).problems).toEqual([{ code: 'lang_not_installed', field: 'lang', params: { lang: 'sv', installed: 'en, nl' } }]);
  });

  it("takes usernames as the site's extendedusernamechars lets Moodle take them: any character, lower-cased", () => {
    const strict = createValidator(mapColumns(['username']), settings, []);
    const extended = createValidator(mapColumns(['username']), settings, [], { extendedUsernameChars: true });
    for (const name of ["anna.o'brien", 'émile', 'piet devries']) {
      expect(strict({ row: 2, cells: [name] }).problems.map((p) => p.code)).toEqual(['invalid_username']);
      expect(extended({ row: 2, cells: [name] }).problems).toEqual([]);
    }
    expect(extended({ row: 2, cells: ['Émile'] }).values.username).toBe('émile');
    expect(extended({ row: 2, cells: ['tab\there'] }).problems.map((p) => p.code)).toEqual(['invalid_username']);
    expect(extended({ row: 2, cells: ['x'.repeat(101)] }).problems.map((p) => p.code)).toEqual(['too_long']);
  });

  it('removes tags from names and places, as Moodle cleans them (PARAM_NOTAGS)', () => {
    const validate = createValidator(mapColumns(['username', 'firstname', 'lastname', 'city']), settings);
    expect(validate({ row: 2, cells: ['a', '<b>Anna</b>', 'Jansen<script>alert(1)</script>', 'Den Haag <i'] }).values).toMatchObject({ firstname: 'Anna', lastname: 'Jansenalert(1)', city: 'Den Haag' });
    expect(validate({ row: 3, cells: ['a', 'A < B', 'Ø', 'x'] }).values).toMatchObject({ firstname: 'A < B' });
  });

  it('reads a cell broken over lines (Alt+Enter) as Excel shows it: one name with a space, or one group a line', () => {
    const validate = createValidator(mapColumns(['username', 'firstname', 'lastname', 'Klas', 'Groepen']), settings);
    const row = validate({ row: 2, cells: ['a', 'Ayşe\r\nMerve', 'van \n Dijk', '1A\n', 'Wiskunde B\r\nEngels\n'] });
    expect(row.problems).toEqual([]);
    expect(row.values).toEqual({ username: 'a', firstname: 'Ayşe Merve', lastname: 'van Dijk', class: '1A', group: 'Wiskunde B;Engels' });
    // A profile field of one line likewise; a text area keeps its lines.
    const fields = [
      { id: 1, shortname: 'yeargroup', name: 'Leerjaar', datatype: 'text', options: [] },
      { id: 2, shortname: 'notes', name: 'Notes', datatype: 'textarea', options: [] },
    ];
    const profile = createValidator(mapColumns(['username', 'profile_field_yeargroup', 'profile_field_notes'], {}, [], fields), settings, fields);
    expect(profile({ row: 2, cells: ['a', 'Klas\n3', 'one\ntwo'] }).profile).toEqual({ yeargroup: 'Klas 3', notes: 'one\ntwo' });
  });
});

describe('validating rows', () => {
  const columns = mapColumns(['username', 'email', 'country', 'firstname']);
  const validate = createValidator(columns, settings);

  it('normalises values as Moodle stores them: usernames lower case, e-mail addresses as written, countries upper case', () => {
    expect(validate({ row: 2, cells: ['Anna.B', ' Anna@School.NL ', 'nl', 'Anna'] })).toEqual({
      row: 2,
      values: { username: 'anna.b', email: 'Anna@School.NL', country: 'NL', firstname: 'Anna' },
      profile: {},
      problems: [],
    });
  });

  it('reads an address as mail programs write one: with a name before it in brackets, or as a mailto: link', () => {
    for (const written of ['Anna Bos <anna@school.nl>', '<anna@school.nl>', 'mailto:anna@school.nl', 'MAILTO:anna@school.nl']) {
      expect(validate({ row: 2, cells: ['anna', written, '', 'Anna'] }).values.email, written).toBe('anna@school.nl');
    }
    expect(validate({ row: 2, cells: ['anna', 'Anna Bos <Anna@School.NL>', '', 'Anna'] }).values.email).toBe('Anna@School.NL');
    expect(validate({ row: 2, cells: ['anna', 'anna@school.nl; bram@school.nl', '', 'Anna'] }).problems).toMatchObject([{ code: 'invalid_email', field: 'email' }]);
  });

  it('lists the people of a supervisor cell as lists are written, keeping one written surname first ("Bakker, Marieke") whole', () => {
    const mentors = createValidator(mapColumns(['username', 'supervisor']), settings);
    const listed = (cell: string) => mentors({ row: 2, cells: ['anna', cell] }).values.supervisor;
    expect(listed('mbakker; jdekker | k.verre@x.example')).toBe('mbakker;jdekker;k.verre@x.example');
    expect(listed('Bakker,  Marieke; Vries, Jan de')).toBe('Bakker, Marieke;Vries, Jan de');
    // Two people written with a comma stay one entry too: the site answers which it is (placement's peopleOfEntry).
    expect(listed('mbakker, jdekker')).toBe('mbakker, jdekker');
    expect(listed('mbakker, jdekker, t042')).toBe('mbakker;jdekker;t042');
    expect(listed('m.bakker@x.example, jdekker')).toBe('m.bakker@x.example;jdekker');
  });

  it('refuses a delimited row wider than its header as shifted, naming the delimiter, and only that', () => {
    const columns = mapColumns(['username', 'email', 'lastname', 'firstname']);
    const csv = createValidator(columns, settings, [], {}, { delimiter: ',' });
    expect(csv({ row: 2, cells: ['jan', 'jan@x.nl', 'Jansen', ' Jr.', 'Jan'] }).problems).toEqual([{ code: 'extra_cells', params: { cells: 5, columns: 4, delimiter: ',' } }]);
    // Empty cells past the header (a trailing delimiter) are no sign of a shift.
    expect(csv({ row: 3, cells: ['kees', 'kees@x.nl', 'Kok', 'Kees', '', ' '] }).problems).toEqual([]);
    // A workbook's cells cannot move: a note beside the table is no shift.
    expect(createValidator(columns, settings)({ row: 2, cells: ['kees', 'kees@x.nl', 'Kok', 'Kees', 'note'] }).problems).toEqual([]);
    expect(problemText({ code: 'extra_cells', params: { cells: 5, columns: 4, delimiter: ',' } }, 'en')).toBe(
      'The row has 5 cells where the header has 4: a value holds the delimiter "," without quotes around it, so the cells after it moved',
    );
  });

  it("writes a count or limit in a message as the reader's language writes numbers, a row number as the spreadsheet shows it", () => {
    expect(errorText('too_many_rows', { max: 2_000_000 }, 'en')).toBe('The file has more than 2,000,000 rows.');
    expect(errorText('too_many_rows', { max: 2_000_000 }, 'nl')).toBe('Het bestand heeft meer dan 2.000.000 rijen.');
    expect(errorText('cell_too_large', { row: 12345, max: 32767 }, 'en')).toBe('Row 12345 holds a cell longer than 32,767 characters.');
    expect(errorText('archive_held', { archived: 1200, share: 10 }, 'sv')).toContain('1\u00a0200');
  });

  it('takes countries and languages by name, as exports write them, in any language Intake reads', () => {
    const withLang = createValidator(mapColumns(['username', 'Land', 'Taal']), settings);
    const coded = (country: string, lang: string) => withLang({ row: 2, cells: ['a', country, lang] });
    expect(coded('Nederland', 'Nederlands').values).toMatchObject({ country: 'NL', lang: 'nl' });
    expect(coded('Sverige', 'svenska').values).toMatchObject({ country: 'SE', lang: 'sv' });
    expect(coded('Finland', 'suomi').values).toMatchObject({ country: 'FI', lang: 'fi' });
    expect(coded('Türkiye', 'Turks').values).toMatchObject({ country: 'TR', lang: 'tr' });
    expect(coded('se', 'EN-us').values).toMatchObject({ country: 'SE', lang: 'en_us' });
    expect(coded('Narnia', 'Klingon').problems).toEqual([
      { code: 'invalid_country', field: 'country', params: { value: 'Narnia' } },
      { code: 'invalid_lang', field: 'lang', params: { value: 'Klingon' } },
    ]);
    // A code longer than the host's column is refused as too long, not written.
    expect(coded('NL', `nl_${'x'.repeat(40)}`).problems).toEqual([{ code: 'too_long', field: 'lang', params: { max: 30 } }]);
  });

  it("takes only the countries Moodle has (ISO 3166-1), never a region CLDR names beside them", () => {
    const withCountry = createValidator(mapColumns(['username', 'Land']), settings);
    const country = (cell: string) => withCountry({ row: 2, cells: ['a', cell] });
    // The United Kingdom is GB, by any of its names and by the UK people write.
    for (const cell of ['United Kingdom', 'Verenigd Koninkrijk', 'Storbritannien', 'UK', 'gb']) expect(country(cell).values, cell).toMatchObject({ country: 'GB' });
    expect(country('Curaçao').values).toMatchObject({ country: 'CW' });
    for (const cell of ['EU', 'European Union', 'UN', 'Kosovo', 'XK', 'Canary Islands', 'YU', 'ZZ', 'Unknown Region']) {
      expect(country(cell).problems, cell).toEqual([{ code: 'invalid_country', field: 'country', params: { value: cell } }]);
    }
    expect(countryCodes.size).toBe(249);
  });

  it('reports each bad cell with a code, its field and the value a person can fix (never a password)', () => {
    const result = validate({ row: 3, cells: ['an na', 'nope', 'XX', 'x'.repeat(101)] });
    expect(result.problems).toEqual([
      { code: 'invalid_username', field: 'username', params: { value: 'an na' } },
      { code: 'invalid_email', field: 'email', params: { value: 'nope' } },
      { code: 'invalid_country', field: 'country', params: { value: 'XX' } },
      { code: 'too_long', field: 'firstname', params: { max: 100 } },
    ]);
    expect(problemText(result.problems[1]!, 'en')).toBe('Email address "nope" is not a valid e-mail address (name@domain, with no spaces and no accented letters)');
    // A change reads in words, in the admin's language: "Status: geschorst → actief", not "suspended: 1 → 0".
    expect(`${fieldLabel('suspended', 'nl')}: ${changeValue('suspended', '1', 'nl')} → ${changeValue('suspended', '0', 'nl')}`).toBe('Status: geschorst → actief');
    expect(changeValue('emailstop', '1', 'nl')).toBe('ja');
    const withPassword = createValidator(mapColumns(['username', 'password']), settings);
    expect(withPassword({ row: 2, cells: ['a', 'y'.repeat(300)] }).problems).toEqual([{ code: 'too_long', field: 'password', params: { max: 255 } }]);
    // Trimmed as Moodle's upload trims it; the spaces inside stay.
    expect(withPassword({ row: 2, cells: ['a', ' Geheim 12! \t'] }).values.password).toBe('Geheim 12!');
  });

  it('requires the match key on every row', () => {
    expect(validate({ row: 4, cells: ['', 'a@b.nl', '', ''] }).problems).toEqual([{ code: 'required', field: 'username' }]);
  });
});

describe('usernames from a template', () => {
  it('drop accents and transliterate letters that have none to drop (Turkish ı, Danish ø, German ß)', () => {
    expect(usernameFromTemplate('{f}{lastname}', { firstname: 'Chloé', lastname: 'de Vries' })).toBe('cdevries');
    expect(usernameFromTemplate('{f}{lastname}', { firstname: 'Ayşe', lastname: 'Yılmaz' })).toBe('ayilmaz');
    expect(usernameFromTemplate('{firstname}.{lastname}', { firstname: 'Søren', lastname: 'Straße' })).toBe('soren.strasse');
  });

  it('spell Cyrillic and Greek names as passports do (ICAO 9303), never as an empty name', () => {
    const username = (firstname: string, lastname: string) => usernameFromTemplate('{firstname}.{lastname}', { firstname, lastname });
    expect(username('Иван', 'Петров')).toBe('ivan.petrov');
    expect(username('Олександр', 'Шевченко')).toBe('oleksandr.shevchenko');
    expect(username('Юлія', 'Щербак')).toBe('iuliia.shcherbak');
    expect(username('Ιωάννης', 'Παπαδόπουλος')).toBe('ioannis.papadopoulos');
    expect(username('Ευάγγελος', 'Χατζής')).toBe('evangelos.chatzis');
    expect(username('Łukasz', 'Wójcik')).toBe('lukasz.wojcik');
  });

  it("map Somtoday's Klas/Stamgroep header to the class", () => {
    expect(matchHeader('Klas/Stamgroep')).toBe('class');
  });

  it("map Magister's Loginaccount to the username", () => {
    expect(matchHeader('Loginaccount')).toBe('username');
  });

  it('map the exam group of a test platform\'s candidate list (RemindoToets, Cirrus) to the group', () => {
    for (const header of ['Toetsgroep', 'Examengroep', 'Exam group', 'Test group', 'Provgrupp', 'Koeryhmä', 'Prüfungsgruppe']) expect(matchHeader(header), header).toBe('group');
  });

  it("map a candidate list's validity and a staff list's numbers as test platforms and HR exports name them", () => {
    for (const header of ['Validity start', 'Valid from date']) expect(matchHeader(header), header).toBe('validFrom');
    for (const header of ['Validity end', 'Valid to', 'Expiration date', 'Verloopdatum', 'Geldig tot en met']) expect(matchHeader(header), header).toBe('validUntil');
    for (const header of ['Externe ID', 'Staff number', 'Staff ID', 'Employee ID', 'Medewerkernummer', 'Werknemersnummer']) expect(matchHeader(header), header).toBe('idnumber');
  });

  it("map a primary school's class teacher (ParnasSys' Groepsleerkracht) to the supervisor, and a Finnish school's branch to the school", () => {
    // Held back when its values are names nobody on the site has (server/core/map/held-back.ts).
    for (const header of ['Groepsleerkracht', 'Leerkracht']) expect(matchHeader(header), header).toBe('supervisor');
    expect(matchHeader('Toimipiste')).toBe('school');
  });

  it("map an exam platform's Start and End to the validity, not Start to the city as a near miss of \"stadt\"", () => {
    for (const header of ['Start', 'Starts']) expect(matchHeader(header), header).toBe('validFrom');
    for (const header of ['End', 'Ends', 'Expires on', 'Account expiry', 'Active until']) expect(matchHeader(header), header).toBe('validUntil');
    expect(matchHeader('Birthday')).toBe('dateOfBirth');
    // An account list's yes or no is no date, however near "Expires" it is.
    expect(matchHeader('Expired')).toBe(null);
  });

  it('map a class teacher, form tutor or proctor to the supervisor, in the languages schools write them', () => {
    for (const header of ['Class teacher', 'Form tutor', 'Tutor', 'Proctor', 'Klassföreståndare', 'Luokanvalvoja', 'Luokanopettaja', 'Klassenlehrer']) expect(matchHeader(header), header).toBe('supervisor');
  });
});

describe('settings a person wrote by hand', () => {
  const problems = (raw: unknown) => {
    const parsed = settingsSchema.safeParse(raw, { error: settingsErrorMap });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('name the setting a slip meant, even one level down, and never drop a misspelt key silently', () => {
    expect(problems({ source: 's', matchon: 'email' })).toEqual([': unknown setting "matchon" (did you mean "matchOn"?)']);
    expect(problems({ source: 's', archive: true })).toEqual([': unknown setting "archive" (did you mean "actions.archive"?)']);
    expect(problems({ source: 's', actions: { Archive: true } })).toEqual(['actions: unknown setting "Archive" (did you mean "archive"?)']);
    // A slip of the keyboard, not only of case and separators.
    expect(problems({ source: 's', matchOm: 'email' })).toEqual([': unknown setting "matchOm" (did you mean "matchOn"?)']);
    expect(problems({ source: 's', archve: true })).toEqual([': unknown setting "archve" (did you mean "actions.archive"?)']);
    expect(problems({ source: 's', colour: 'blue' })).toEqual([': unknown setting "colour"']);
    expect(problems({ source: 's', password: { mode: 'generate', lenght: 8 } })).toEqual(['password: unknown setting "lenght" (did you mean "length"?)']);
    // A column mapped to a field that is not one: named, with the field meant.
    expect(problems({ source: 's', mapping: { Voornaam: 'firstnme' } })).toEqual([
      'mapping.Voornaam: "firstnme" is not a field (did you mean "firstname"?): name one of the fields (README, Fields) or a profile field as profile_field_<shortname>',
    ]);
    expect(problems({ source: 's', mapping: { Klas: 7 } })).toEqual(['mapping.Klas: a field name, or null to leave the column out']);
    expect(problems({ source: 's', mapping: { Extra: 'profile_field_extratime', Klas: null } })).toEqual([]);
    // Limits said as a person writes them.
    expect(problems({ source: '' })).toEqual(['source: must not be empty']);
    expect(problems({ source: 'x'.repeat(101) })).toEqual(['source: must be at most 100 characters (this is 101)']);
    expect(problems({ source: 's', password: { mode: 'generate', length: 3 } })).toEqual([`password.length: must be at least ${passwordLength.min}`]);
    expect(problems({ source: 's', supervisors: Array.from({ length: 51 }, (_, i) => `s${i}`) })).toEqual(['supervisors: takes at most 50']);
  });

  it('leave the match field to the file when only a username template is given, and refuse the pair only when both are given', () => {
    const templated = settingsSchema.parse({ source: 's', usernameTemplate: '{f}{lastname}' });
    // The file's student numbers, else its e-mail addresses: never its usernames, which the template would not find.
    expect(fitToFile(templated, new Set(['idnumber', 'username', 'email']), templated.omitted!).settings.matchOn).toBe('idnumber');
    expect(fitToFile(templated, new Set(['username', 'email']), templated.omitted!).settings.matchOn).toBe('email');
    const untemplated = settingsSchema.parse({ source: 's' });
    expect(fitToFile(untemplated, new Set(['username', 'email']), untemplated.omitted!).settings.matchOn).toBe('username');
    expect(problems({ source: 's', matchOn: 'username', usernameTemplate: '{f}{lastname}' })).toEqual([
      'usernameTemplate: a username template needs matchOn "idnumber" or "email": usernames it makes cannot identify existing accounts',
    ]);
  });

  it('refuse a validity that ends before it starts or a day that is none, in the wizard by the same rule', () => {
    const reversed = { source: 's', validity: { from: '31-12-2026', until: '01-01-2026' } };
    expect(problems(reversed)).toEqual(['validity: "until" is before "from": nobody would ever be valid']);
    expect(settingsProblems(reversed)).toEqual(['invalid_period']);
    // One day is a period; an open end is none to compare.
    // A date it cannot read is named as written: written right, 31 February is still no day.
    expect(problems({ source: 's', validity: { from: '31-02-2026' } })).toEqual(['validity: from "31-02-2026" is not a date (write dd-mm-yyyy or yyyy-mm-dd)']);
    expect(problems({ source: 's', validity: { from: 'soon', until: '2026-13-01' } })).toEqual(['validity: from "soon" and until "2026-13-01" are not dates (write dd-mm-yyyy or yyyy-mm-dd)']);
    for (const validity of [{ from: '01-08-2026', until: '01-08-2026' }, { from: '2026-08-01', until: '31-07-2027' }, { until: '01-01-2020' }]) {
      expect(problems({ source: 's', validity }), JSON.stringify(validity)).toEqual([]);
      expect(settingsProblems({ source: 's', validity })).toEqual([]);
    }
  });

  it('say what to write for a group and that a feed needs a name', () => {
    expect(problems({ source: 's', group: 'Klas 1' })).toEqual(['group: use { "create": "<new group>" } or { "existing": "<group>" } (or a list of up to 20 groups)']);
    expect(problems({ matchOn: 'email' })[0]).toMatch(/^source: required: a name for this feed/);
  });
});

describe('a supervisor column that names nobody', () => {
  const mentor = (how: 'auto' | 'manual', sample: string[]): ColumnMapping => ({ index: 0, header: 'Mentor', field: 'supervisor', how, sample });
  const known = (reference: string) => reference === 'mbakker';

  it('is held back when matched by its header and none of its first values is an account', () => {
    expect(holdBackSupervisorsNobodyIs([mentor('auto', ['JNS', 'PDV; KLM'])], known)).toEqual([{ ...mentor('auto', ['JNS', 'PDV; KLM']), field: null, how: 'none', warning: 'names_nobody' }]);
    expect(supervisorSampleReferences([mentor('auto', ['JNS', 'PDV; KLM', 'jns'])])).toEqual(['jns', 'pdv', 'klm']);
  });

  it('stays when one person it names is an account (in a list too), when the admin chose it, or when its first values are empty', () => {
    for (const column of [mentor('auto', ['JNS', 'pdv, MBakker']), mentor('manual', ['JNS']), mentor('auto', [])]) expect(holdBackSupervisorsNobodyIs([column], known)).toEqual([column]);
  });

  it('stays when a person its first values name surname first is an account ("Bakker, Marieke"), or one part of such an entry is', () => {
    const byName = (reference: string) => reference === 'bakker, marieke' || reference === 'mbakker';
    for (const sample of [['Bakker,  Marieke'], ['mbakker, jdekker'], ['JNS; Bakker, Marieke']]) expect(holdBackSupervisorsNobodyIs([mentor('auto', sample)], byName)).toEqual([mentor('auto', sample)]);
    expect(supervisorSampleReferences([mentor('auto', ['Bakker,  Marieke', 'BAK, VRI', 'Bakker, M.'])])).toEqual(['bakker, marieke', 'bakker', 'marieke', 'bak, vri', 'bak', 'vri', 'bakker, m.', 'm.']);
  });

  it('stays when it holds e-mail addresses, which name people (a later sheet may make them), never a code', () => {
    const addresses = mentor('auto', ['karin.lind@skola.se', 'per.sund@skola.se']);
    expect(holdBackSupervisorsNobodyIs([addresses], known)).toEqual([addresses]);
  });
});
