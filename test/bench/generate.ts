import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const firstNames = ['Anna', 'Bram', 'Chloé', 'Daan', 'Eline', 'Fleur', 'Gijs', 'Hanna', 'Isa', 'Jens', 'Zoë', 'Lars'];
const lastNames = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos', 'Peeters', 'Dekker'];

/** Student i's names, in the file and in the SQL floor alike. */
export const namesOf = (i: number) => ({ firstname: firstNames[i % firstNames.length]!, lastname: lastNames[i % lastNames.length]! });

/** A school export of `rows` students; `variant` changes every tenth e-mail address, as a re-import would. */
export async function writeStudentsCsv(path: string, rows: number, variant = 0): Promise<void> {
  const out = createWriteStream(path);
  out.write('Gebruikersnaam;Roepnaam;Achternaam;E-mailadres;Stamnr\r\n');
  for (let i = 0; i < rows; i++) {
    const email = variant && i % 10 === 0 ? `s${i}.${variant}@school.example` : `s${i}@school.example`;
    const { firstname, lastname } = namesOf(i);
    const line = `s${i};${firstname};${lastname};${email};${100000 + i}\r\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The same students as a workbook (streamed, so a large one never sits in memory). */
export async function writeStudentsXlsx(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Leerlingen');
  sheet.addRow(['Gebruikersnaam', 'Roepnaam', 'Achternaam', 'E-mailadres', 'Stamnr']).commit();
  for (let i = 0; i < rows; i++) {
    const { firstname, lastname } = namesOf(i);
    sheet.addRow([`s${i}`, firstname, lastname, `s${i}@school.example`, String(100000 + i)]).commit();
  }
  await workbook.commit();
}
