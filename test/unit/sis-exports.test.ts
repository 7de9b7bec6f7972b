import { describe, expect, it } from 'vitest';
import type { ProfileField } from '../../server/contract/catalog.js';
import { mapColumns } from '../../server/core/map/map-columns.js';

/** Header rows and a first data row shaped like the exports of Dutch student-information systems. */
const exports: Record<string, { header: string[]; row: string[]; expected: (string | null)[] }> = {
  Magister: {
    header: ['Stamnr', 'Roepnaam', 'Tussenv', 'Achternaam', 'Klas', 'Studie', 'E-mail', 'Geb.datum', 'Login'],
    row: ['104233', 'Dae', 'van', 'Aartsen', '2A', 'havo 2', 'dae@school.nl', '03-05-2012', 'daartsen'],
    expected: ['idnumber', 'firstname', 'lastnamePrefix', 'lastname', 'class', null, 'email', 'dateOfBirth', 'username'],
  },
  Somtoday: {
    header: ['Leerlingnummer', 'Roepnaam', 'Voorvoegsel', 'Achternaam', 'Stamgroep', 'E-mailadres', 'Geboortedatum', 'Vestiging'],
    row: ['5512', 'Sem', 'de', 'Jong', '1B', 'sem@school.nl', '2013-01-31', 'Het Baken'],
    expected: ['idnumber', 'firstname', 'lastnamePrefix', 'lastname', 'class', 'email', 'dateOfBirth', 'school'],
  },
  // Abbreviated and reversed headers, as a school's own export or a hand-made list writes them.
  'Somtoday, abbreviated': {
    header: ['Leerling-\nnummer', 'Roepnaam', 'Voorv.', 'Achternaam', 'Stamgroep/Klas', 'E-mail\nleerling'],
    row: ['5514', 'Ties', 'van', 'Dam', '2C', 'ties@school.nl'],
    expected: ['idnumber', 'firstname', 'lastnamePrefix', 'lastname', 'class', 'email'],
  },
  // An English school's information system: the admission number is the school's own, the preferred name the one used.
  'an English MIS': {
    header: ['Admission number', 'Legal surname', 'Preferred name', 'Reg group', 'Email address', 'Year group'],
    row: ['004512', 'Okafor', 'Tobi', '7R', 'tobi.okafor@school.example', 'Year 7'],
    expected: ['idnumber', 'lastname', 'firstname', 'class', 'email', null],
  },
  ParnasSys: {
    header: ['Leerling', 'Groep', 'Geboortedatum', 'BSN', 'Geslacht'],
    row: ['Aartsen, Dae', 'Groep 3', '03-05-2019', '123456782', 'M'],
    expected: ['fullname', 'class', 'dateOfBirth', null, null],
  },
  Osiris: {
    header: ['Studentnummer', 'Voornamen', 'Roepnaam', 'Voorvoegsels', 'Achternaam', 'E-mail adres', 'Opleiding'],
    row: ['s1234567', 'Johannes Petrus', 'Jan', 'van der', 'Berg', 'j.vdberg@student.nl', 'HBO-ICT'],
    expected: ['idnumber', 'givennames', 'firstname', 'lastnamePrefix', 'lastname', 'email', null],
  },
  // A test platform's candidate list: the candidate number is the person's number, as a student number is.
  Cirrus: {
    header: ['User ID', 'First name', 'Last name', 'Email', 'Candidate number', 'Date of birth'],
    row: ['c.devries', 'Chloé', 'de Vries', 'chloe@college.example', 'K-20261', '03-05-2008'],
    expected: ['username', 'firstname', 'lastname', 'email', 'idnumber', 'dateOfBirth'],
  },
  // A pupil list with the parents' and the mentor's details beside the pupil's own.
  'Somtoday, with parents': {
    header: ['Leerlingnummer', 'Voornaam leerling', 'Achternaam leerling', 'E-mail leerling', 'E-mail ouder/verzorger', 'Telefoon ouder 1', 'Klas', 'Mentor e-mail', 'Naam mentor'],
    row: ['5513', 'Lot', 'Bos', 'lot@school.nl', 'ouder@mail.example', '0612345678', '1B', 'mentor@school.nl', 'M. de Mentor'],
    expected: ['idnumber', 'firstname', 'lastname', 'email', null, null, 'class', 'supervisor', null],
  },
  // The address the school gave the pupil, named so.
  'Somtoday, school address': {
    header: ['Leerlingnummer', 'Roepnaam', 'Achternaam', 'Klas/Stamgroep', 'E-mailadres school'],
    row: ['5515', 'Noor', 'Kok', '3H', 'noor.kok@school.nl'],
    expected: ['idnumber', 'firstname', 'lastname', 'class', 'email'],
  },
  // A test platform's candidate list with validity, as a coordinator keeps it.
  RemindoToets: {
    header: ['Gebruikersnaam', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mail', 'Groep', 'Begeleider', 'Geldig van', 'Geldig tot'],
    row: ['kbos', 'Kim', 'van', 'Bos', 'kim@school.nl', 'Examen 2026', 'mbakker', '01-02-2026', '31-07-2026'],
    expected: ['username', 'firstname', 'lastnamePrefix', 'lastname', 'email', 'group', 'supervisor', 'validFrom', 'validUntil'],
  },
  // An exam period as a planning sheet writes it: a start and an end date.
  'an exam planning sheet': {
    header: ['Accountnaam', 'Voornaam', 'Achternaam', 'E-mail', 'Mentoren', 'Begindatum', 'Einddatum'],
    row: ['kbos', 'Kim', 'Bos', 'kim@school.nl', 'mbakker; jdekker', '01-02-2026', '31-07-2026'],
    expected: ['username', 'firstname', 'lastname', 'email', 'supervisor', 'validFrom', 'validUntil'],
  },
  // The pupil's own numbers and address beside a parent's number.
  'Magister, with phone numbers': {
    header: ['Stamnr', 'Roepnaam', 'Achternaam', 'Telefoon', 'Mobiel', 'Adres', 'Mobiel ouder'],
    row: ['7731', 'Sem', 'Smit', '030 123 4567', '06 1234 5678', 'Dorpsstraat 1', '06 8765 4321'],
    expected: ['idnumber', 'firstname', 'lastname', 'phone1', 'phone2', 'address', null],
  },
  'a Swedish school system, with guardians': {
    header: ['Elevens förnamn', 'Elevens efternamn', 'Elevens e-post', 'Vårdnadshavare e-post', 'Klass', 'Handledare e-post'],
    row: ['Elsa', 'Berg', 'elsa@skola.se', 'mamma@mail.example', '7A', 'lärare@skola.se'],
    expected: ['firstname', 'lastname', 'email', null, 'class', 'supervisor'],
  },
};

const siteFields: ProfileField[] = [{ id: 4, shortname: 'dateofbirth', name: 'Date of birth', datatype: 'datetime', options: [] }];

describe('exports of student-information systems', () => {
  for (const [system, file] of Object.entries(exports)) {
    it(`maps a ${system} export without a manual correction`, () => {
      expect(mapColumns(file.header, {}, [file.row], siteFields).map((c) => c.field)).toEqual(file.expected);
    });
  }

  it('holds back the BSN, and a date of birth when the site has no field for it', () => {
    const [leerling, , birth, bsn] = mapColumns(exports.ParnasSys!.header, {}, [exports.ParnasSys!.row]);
    expect(leerling!.field).toBe('fullname');
    expect(bsn).toMatchObject({ how: 'blocked', warning: 'national_id' });
    expect(birth).toMatchObject({ field: null, warning: 'no_profile_field' });
  });

  it("puts a date of birth into the site's own field for it, whatever its short name", () => {
    for (const own of [{ shortname: 'dob', name: 'Birthday' }, { shortname: 'gebdat', name: 'Geboortedatum' }]) {
      const field: ProfileField = { id: 7, datatype: 'datetime', options: [], ...own };
      expect(mapColumns(exports.ParnasSys!.header, {}, [exports.ParnasSys!.row], [field])[2]).toMatchObject({ field: `profile_field_${own.shortname}`, how: 'auto' });
    }
    const unrelated: ProfileField = { id: 8, shortname: 'shoe', name: 'Shoe size', datatype: 'text', options: [] };
    expect(mapColumns(exports.ParnasSys!.header, {}, [exports.ParnasSys!.row], [unrelated])[2]).toMatchObject({ field: null, warning: 'no_profile_field' });
  });

  it('reads "Groep" as a group when it holds group names', () => {
    expect(mapColumns(['Gebruikersnaam', 'Groep'], {}, [['a', 'Wiskunde B']]).map((c) => c.field)).toEqual(['username', 'group']);
  });
});
