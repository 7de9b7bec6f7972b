import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { UiLanguage } from '../contract/catalog.js';
import type { Credential } from './credential.js';

const labels = {
  en: { title: 'Your account', name: 'Name', username: 'Username', password: 'Password', login: 'Log in at', change: 'Keep this slip safe.' },
  nl: { title: 'Je account', name: 'Naam', username: 'Gebruikersnaam', password: 'Wachtwoord', login: 'Inloggen op', change: 'Bewaar dit briefje goed.' },
  sv: { title: 'Ditt konto', name: 'Namn', username: 'Användarnamn', password: 'Lösenord', login: 'Logga in på', change: 'Förvara lappen väl.' },
  fi: { title: 'Tilisi', name: 'Nimi', username: 'Käyttäjätunnus', password: 'Salasana', login: 'Kirjaudu osoitteessa', change: 'Säilytä tämä lappu hyvin.' },
} satisfies Record<UiLanguage, Record<string, string>>;

/**
 * DejaVu, embedded (only the glyphs a document uses): PDF's standard fonts hold Windows-1252 alone, and
 * printed "Ayşe Yılmaz" as "AyöRYÆÖ". DejaVu writes every Latin, Greek and Cyrillic name; its mono face
 * keeps l, 1, I, O and 0 apart in usernames and passwords.
 */
const font = (file: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`);
const fonts = { regular: font('DejaVuSans.ttf'), bold: font('DejaVuSans-Bold.ttf'), mono: font('DejaVuSansMono-Bold.ttf') };

/** Printable A4 pages of login slips, four to a page, with dashed lines to cut along. */
export function credentialSlips(credentials: Credential[], site: { name: string; url: string }, lang: UiLanguage): Promise<Buffer> {
  const text = labels[lang];
  const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: `${site.name} — ${text.title}` } });
  doc.registerFont('regular', fonts.regular).registerFont('bold', fonts.bold).registerFont('mono', fonts.mono);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const slipHeight = (doc.page.height - 72) / 4;
  credentials.forEach((c, i) => {
    if (i > 0 && i % 4 === 0) doc.addPage();
    const top = 36 + (i % 4) * slipHeight;
    doc.font('bold').fontSize(14).text(`${site.name} — ${text.title}`, 48, top + 12);
    doc.font('regular').fontSize(12);
    doc.text(`${text.name}: ${c.firstname} ${c.lastname}`, 48, top + 40);
    doc.text(`${text.username}: `, 48, top + 60, { continued: true }).font('mono').text(c.username);
    doc.font('regular').text(`${text.password}: `, 48, top + 80, { continued: true }).font('mono').text(c.password);
    doc.font('regular').fontSize(10).text(`${text.login} ${site.url} — ${text.change}`, 48, top + 106);
    if (i % 4 !== 3 && i !== credentials.length - 1) {
      doc.save().dash(4, { space: 4 }).moveTo(36, top + slipHeight).lineTo(doc.page.width - 36, top + slipHeight).stroke().restore();
    }
  });
  doc.end();
  return done;
}
