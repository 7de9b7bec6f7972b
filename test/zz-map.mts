import { mapColumns } from '../server/core/map/map-columns.js';
const sets: Record<string, string[]> = {
  magister: ['Stamnr', 'Roepnaam', 'Tussenv', 'Achternaam', 'Klas', 'E-mail', 'Geb.datum', 'Studie', 'Login', 'Mentor', 'Geslacht', 'Lesgroepen'],
  somtoday: ['Leerlingnummer', 'Roepnaam', 'Voorvoegsel', 'Achternaam', 'Klas/Stamgroep', 'E-mailadres school', 'Geboortedatum', 'Vestiging', 'Leerjaar', 'Mentor(en)'],
  parnassys: ['Leerling: Roepnaam', 'Leerling: Tussenvoegsel', 'Leerling: Achternaam', 'Groep', 'Leerlingnummer', 'Leerkracht', 'E-mail', 'Geboortedatum', 'Voornamen'],
  osiris: ['Studentnummer', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mail adres', 'Opleiding', 'Cohort', 'Instelling e-mail'],
  binogi: ['Förnamn', 'Efternamn', 'E-post', 'Klass', 'Skola', 'SSOID', 'Roll', 'Årskurs', 'Användarnamn'],
  finnish: ['Etunimi', 'Sukunimi', 'Sähköposti', 'Luokka', 'Koulu', 'Käyttäjätunnus', 'Rooli', 'Oppijanumero'],
  cirrus: ['User ID', 'First name', 'Last name', 'Email', 'Candidate number', 'Group', 'Date of birth', 'Extra time'],
  remindo: ['Gebruikersnaam', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mail', 'Groep', 'Begeleider', 'Geldig van', 'Geldig tot', 'Extra tijd', 'Status'],
  huddle: ['Voornaam', 'Achternaam', 'E-mailadres', 'Niveau', 'Klas', 'Rol', 'Docent'],
};
for (const [name, headers] of Object.entries(sets)) {
  const cols = mapColumns(headers, {}, [], []);
  console.log(name.padEnd(10), cols.map((c) => `${c.header}→${c.field ?? '∅'}`).join(' | '));
}
