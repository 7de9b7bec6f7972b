import { closestUiLanguage, type UiLanguage } from '../contract/catalog.js';
import type { Counts, Joined } from '../contract/types.js';
import { countsSaid } from '../contract/count-labels.js';
import { csvLine } from '../core/formats/csv-write.js';
import { dayIn } from '../core/validate/values.js';
import { fieldLabel } from '../contract/messages.js';
import { reportDelimiterFor, reportDelimiters } from '../contract/report-delimiter.js';
import type { Credential } from './credential.js';


export interface Attachment {
  filename: string;
  contentType: string;
  /** base64 */
  content: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: Attachment[];
}

export interface Site {
  name: string;
  /** Where users log in. */
  url: string;
  /** The site's zone: a date in a mail is a day where the site is (UTC where it is not known). */
  timeZone?: string;
}


const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

const texts = {
  en: {
    slipsFile: 'login-slips.pdf',
    credentialsFile: 'credentials.csv',
    credentialsSubject: 'Your account at {site}',
    credentialsBody: 'Hello {firstname},\n\nAn account has been made for you at {site}.\n\nUsername: {username}\nPassword: {password}\n\nLog in at {url}. You may be asked to choose a new password.\n',
    supervisorSubject: 'Login details of new accounts ({count}) — {site}',
    supervisorBody: 'Hello {firstname},\n\nAttached are the login details of the new accounts at {site} ({count}): a PDF with one slip per person to print and hand out, and the same as a CSV file.\n\n{list}\n\nKeep the attachments safe and delete this message once the slips are handed out.\n',
    inviteSubject: 'Set up your account at {site}',
    inviteBody: 'Hello {firstname},\n\nAn account has been made for you at {site} with the username {username}.\nChoose your password here (the link works once, until {expires}):\n\n{link}\n',
    updatedSubject: 'Your account at {site} was updated',
    updatedBody: 'Hello {firstname},\n\nYour account at {site} was updated: {fields}.\n\nIf this is not right, contact your school.\n',
    reportSubject: 'Import "{file}": {created} new, {updated} updated, {errors} with errors — {site}',
    reportBody: 'The import of "{file}" by {actor} finished in {duration} s ({status}).\n\n{counts}\n\n{closing}\n',
    reportAttached: 'Rows with problems are in the attached report.',
    reportNothingAttached: 'No row was refused or skipped.',
    reportWithErrors: 'some rows have errors',
    reportWithoutErrors: 'no row has errors',
  },
  nl: {
    slipsFile: 'inlogbriefjes.pdf',
    credentialsFile: 'inloggegevens.csv',
    credentialsSubject: 'Je account bij {site}',
    credentialsBody: 'Hallo {firstname},\n\nEr is een account voor je gemaakt bij {site}.\n\nGebruikersnaam: {username}\nWachtwoord: {password}\n\nLog in op {url}. Mogelijk moet je een nieuw wachtwoord kiezen.\n',
    supervisorSubject: 'Inloggegevens van nieuwe accounts ({count}) — {site}',
    supervisorBody: 'Hallo {firstname},\n\nIn de bijlagen staan de inloggegevens van de nieuwe accounts bij {site} ({count}): een pdf met een briefje per persoon om te printen en uit te delen, en hetzelfde als csv-bestand.\n\n{list}\n\nBewaar de bijlagen veilig en verwijder dit bericht als de briefjes zijn uitgedeeld.\n',
    inviteSubject: 'Stel je account in bij {site}',
    inviteBody: 'Hallo {firstname},\n\nEr is een account voor je gemaakt bij {site} met de gebruikersnaam {username}.\nKies hier je wachtwoord (de link werkt één keer, tot {expires}):\n\n{link}\n',
    updatedSubject: 'Je account bij {site} is bijgewerkt',
    updatedBody: 'Hallo {firstname},\n\nJe account bij {site} is bijgewerkt: {fields}.\n\nKlopt dit niet, neem dan contact op met je school.\n',
    reportSubject: 'Import "{file}": {created} nieuw, {updated} bijgewerkt, {errors} met fouten — {site}',
    reportBody: 'De import van "{file}" door {actor} is klaar na {duration} s ({status}).\n\n{counts}\n\n{closing}\n',
    reportAttached: 'Rijen met problemen staan in het bijgevoegde rapport.',
    reportNothingAttached: 'Geen rij is geweigerd of overgeslagen.',
    reportWithErrors: 'sommige rijen hebben fouten',
    reportWithoutErrors: 'geen rij heeft fouten',
  },
  sv: {
    slipsFile: 'inloggningslappar.pdf',
    credentialsFile: 'inloggningsuppgifter.csv',
    credentialsSubject: 'Ditt konto på {site}',
    credentialsBody: 'Hej {firstname},\n\nEtt konto har skapats åt dig på {site}.\n\nAnvändarnamn: {username}\nLösenord: {password}\n\nLogga in på {url}. Du kan bli ombedd att välja ett nytt lösenord.\n',
    supervisorSubject: 'Inloggningsuppgifter för nya konton ({count}) — {site}',
    supervisorBody: 'Hej {firstname},\n\nBifogat finns inloggningsuppgifterna för de nya kontona på {site} ({count}): en pdf med en lapp per person att skriva ut och dela ut, och samma uppgifter som csv-fil.\n\n{list}\n\nFörvara bilagorna säkert och radera meddelandet när lapparna är utdelade.\n',
    inviteSubject: 'Aktivera ditt konto på {site}',
    inviteBody: 'Hej {firstname},\n\nEtt konto har skapats åt dig på {site} med användarnamnet {username}.\nVälj ditt lösenord här (länken fungerar en gång, till {expires}):\n\n{link}\n',
    updatedSubject: 'Ditt konto på {site} har uppdaterats',
    updatedBody: 'Hej {firstname},\n\nDitt konto på {site} har uppdaterats: {fields}.\n\nOm detta inte stämmer, kontakta din skola.\n',
    reportSubject: 'Import "{file}": {created} nya, {updated} uppdaterade, {errors} med fel — {site}',
    reportBody: 'Importen av "{file}" av {actor} blev klar efter {duration} s ({status}).\n\n{counts}\n\n{closing}\n',
    reportAttached: 'Rader med problem finns i den bifogade rapporten.',
    reportNothingAttached: 'Ingen rad avvisades eller hoppades över.',
    reportWithErrors: 'några rader har fel',
    reportWithoutErrors: 'ingen rad har fel',
  },
  fi: {
    slipsFile: 'kirjautumislaput.pdf',
    credentialsFile: 'kirjautumistiedot.csv',
    credentialsSubject: 'Tilisi palvelussa {site}',
    credentialsBody: 'Hei {firstname},\n\nSinulle on luotu tili palveluun {site}.\n\nKäyttäjätunnus: {username}\nSalasana: {password}\n\nKirjaudu osoitteessa {url}. Sinua voidaan pyytää valitsemaan uusi salasana.\n',
    supervisorSubject: 'Uusien tilien kirjautumistiedot ({count}) — {site}',
    supervisorBody: 'Hei {firstname},\n\nLiitteinä ovat uusien tilien kirjautumistiedot palveluun {site} ({count}): pdf, jossa on jokaiselle oma lappu tulostettavaksi ja jaettavaksi, sekä samat tiedot csv-tiedostona.\n\n{list}\n\nSäilytä liitteet turvallisesti ja poista tämä viesti, kun laput on jaettu.\n',
    inviteSubject: 'Ota tilisi käyttöön palvelussa {site}',
    inviteBody: 'Hei {firstname},\n\nSinulle on luotu tili palveluun {site} käyttäjätunnuksella {username}.\nValitse salasanasi tästä (linkki toimii kerran, {expires} asti):\n\n{link}\n',
    updatedSubject: 'Tiliäsi palvelussa {site} on päivitetty',
    updatedBody: 'Hei {firstname},\n\nTiliäsi palvelussa {site} on päivitetty: {fields}.\n\nJos tämä ei pidä paikkaansa, ota yhteyttä kouluusi.\n',
    reportSubject: 'Tuonti "{file}": uusia {created}, päivitettyjä {updated}, virheellisiä {errors} — {site}',
    reportBody: 'Käyttäjän {actor} tuonti tiedostosta "{file}" valmistui {duration} sekunnissa ({status}).\n\n{counts}\n\n{closing}\n',
    reportAttached: 'Rivit, joissa on ongelmia, ovat liitteenä olevassa raportissa.',
    reportNothingAttached: 'Yhtään riviä ei hylätty tai ohitettu.',
    reportWithErrors: 'joissakin riveissä on virheitä',
    reportWithoutErrors: 'yhdessäkään rivissä ei ole virheitä',
  },
} satisfies Record<UiLanguage, Record<string, string>>;

export function credentialsMail(c: Credential, site: Site): MailMessage {
  const t = texts[closestUiLanguage(c.lang)];
  const values = { ...c, site: site.name, url: site.url };
  return { to: c.email, subject: fill(t.credentialsSubject, values), text: fill(t.credentialsBody, values) };
}

/** The credentials CSV: the same file a supervisor gets and the one-time download holds (comma-separated unless told). */
export function credentialsCsv(credentials: Credential[], delimiter = ','): string {
  const line = (cells: string[]) => csvLine(cells, delimiter);
  return `\uFEFF${line(['username', 'password', 'firstname', 'lastname', 'email'])}${credentials.map((c) => line([c.username, c.password, c.firstname, c.lastname, c.email])).join('')}`;
}

export async function supervisorMail(supervisor: { email: string; firstname: string; lang: string }, credentials: Credential[], site: Site): Promise<MailMessage> {
  const lang = closestUiLanguage(supervisor.lang);
  const t = texts[lang];
  const list = credentials.map((c) => `- ${c.firstname} ${c.lastname} (${c.username})`).join('\n');
  const values = { firstname: supervisor.firstname, count: new Intl.NumberFormat(lang).format(credentials.length), site: site.name, list };
  // PDFKit (and its fonts) load only when slips are made.
  const { credentialSlips } = await import('./pdf.js');
  const pdf = await credentialSlips(credentials, site, lang);
  return {
    to: supervisor.email,
    subject: fill(t.supervisorSubject, values),
    text: fill(t.supervisorBody, values),
    attachments: [
      { filename: t.slipsFile, contentType: 'application/pdf', content: pdf.toString('base64') },
      // Separated as a spreadsheet in the supervisor's language opens it in columns (`;` in Dutch, Swedish, Finnish).
      { filename: t.credentialsFile, contentType: 'text/csv; charset=utf-8', content: Buffer.from(credentialsCsv(credentials, reportDelimiters[reportDelimiterFor(null, lang)])).toString('base64') },
    ],
  };
}

export function inviteMail(user: { email: string; firstname: string; username: string; lang: string }, link: string, expires: Date, site: Site): MailMessage {
  const t = texts[closestUiLanguage(user.lang)];
  const values = { ...user, link, expires: dayIn(Math.floor(expires.getTime() / 1000), site.timeZone ?? 'UTC'), site: site.name };
  return { to: user.email, subject: fill(t.inviteSubject, values), text: fill(t.inviteBody, values) };
}

export function updatedMail(user: { email: string; firstname: string; lang: string }, fields: string[], site: Site, joined: Joined = {}): MailMessage {
  const lang = closestUiLanguage(user.lang);
  const t = texts[lang];
  // A new group or course is named: "groups (Niveau B)" tells a pupil more than "groups".
  const named = (field: string) => {
    const label = fieldLabel(field, lang).toLowerCase();
    const value = joined[field as keyof Joined];
    return value ? `${label} (${value})` : label;
  };
  const values = { firstname: user.firstname, site: site.name, fields: fields.map(named).join(', ') };
  return { to: user.email, subject: fill(t.updatedSubject, values), text: fill(t.updatedBody, values) };
}

/** The error report lists refused and skipped rows: the report mail attaches it when there are any. */
export const attachesErrorReport = (counts: Counts) => counts.errors + counts.skipped > 0;

export function reportMail(
  to: string,
  report: { file: string; actor: string; seconds: number; counts: Counts; errorsCsv: string },
  site: Site,
  lang: UiLanguage,
): MailMessage {
  const t = texts[lang];
  const attached = attachesErrorReport(report.counts);
  // Named and written as the wizard's tiles show them, in the recipient's language.
  const number = new Intl.NumberFormat(lang);
  const counts = countsSaid(report.counts, lang).join('\n');
  const values = {
    created: number.format(report.counts.created),
    updated: number.format(report.counts.updated),
    errors: number.format(report.counts.errors),
    file: report.file,
    actor: report.actor,
    duration: new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(report.seconds),
    status: report.counts.errors > 0 ? t.reportWithErrors : t.reportWithoutErrors,
    closing: attached ? t.reportAttached : t.reportNothingAttached,
    counts,
    site: site.name,
  };
  return {
    to,
    subject: fill(t.reportSubject, values),
    text: fill(t.reportBody, values),
    attachments: attached ? [{ filename: 'errors.csv', contentType: 'text/csv; charset=utf-8', content: Buffer.from(report.errorsCsv).toString('base64') }] : [],
  };
}
