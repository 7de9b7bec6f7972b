import PDFDocument from 'pdfkit';
import type { UiLanguage } from '../contract/catalog.js';
import type { Credential } from './credential.js';

const labels = {
  en: { title: 'Your account', name: 'Name', username: 'Username', password: 'Password', login: 'Log in at', change: 'Keep this slip safe.' },
  nl: { title: 'Je account', name: 'Naam', username: 'Gebruikersnaam', password: 'Wachtwoord', login: 'Inloggen op', change: 'Bewaar dit briefje goed.' },
  sv: { title: 'Ditt konto', name: 'Namn', username: 'Användarnamn', password: 'Lösenord', login: 'Logga in på', change: 'Förvara lappen väl.' },
  fi: { title: 'Tilisi', name: 'Nimi', username: 'Käyttäjätunnus', password: 'Salasana', login: 'Kirjaudu osoitteessa', change: 'Säilytä tämä lappu hyvin.' },
} satisfies Record<UiLanguage, Record<string, string>>;

/** Printable A4 pages of login slips, four to a page, with dashed lines to cut along. */
export function credentialSlips(credentials: Credential[], site: { name: string; url: string }, lang: UiLanguage): Promise<Buffer> {
  const text = labels[lang];
  const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: `${site.name} — ${text.title}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const slipHeight = (doc.page.height - 72) / 4;
  credentials.forEach((c, i) => {
    if (i > 0 && i % 4 === 0) doc.addPage();
    const top = 36 + (i % 4) * slipHeight;
    doc.font('Helvetica-Bold').fontSize(14).text(`${site.name} — ${text.title}`, 48, top + 12);
    doc.font('Helvetica').fontSize(12);
    doc.text(`${text.name}: ${c.firstname} ${c.lastname}`, 48, top + 40);
    doc.text(`${text.username}: `, 48, top + 60, { continued: true }).font('Courier-Bold').text(c.username);
    doc.font('Helvetica').text(`${text.password}: `, 48, top + 80, { continued: true }).font('Courier-Bold').text(c.password);
    doc.font('Helvetica').fontSize(10).text(`${text.login} ${site.url} — ${text.change}`, 48, top + 106);
    if (i % 4 !== 3 && i !== credentials.length - 1) {
      doc.save().dash(4, { space: 4 }).moveTo(36, top + slipHeight).lineTo(doc.page.width - 36, top + slipHeight).stroke().restore();
    }
  });
  doc.end();
  return done;
}
