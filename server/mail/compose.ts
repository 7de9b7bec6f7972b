import { uiLanguages, type UiLanguage } from '../contract/catalog.js';
import type { Counts } from '../contract/types.js';
import { csvLine } from '../core/formats/csv-write.js';
import { fieldLabel } from '../contract/messages.js';
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
}

/** The recipient's language as the host stores it (`nl`, `nl_wp`, `en_us`), narrowed to one Intake writes. */
export function mailLanguage(hostLang: string | null | undefined): UiLanguage {
  const base = (hostLang ?? '').toLowerCase().split(/[-_]/)[0];
  return (uiLanguages as readonly string[]).includes(base ?? '') ? (base as UiLanguage) : 'en';
}

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

const texts = {
  en: {
    credentialsSubject: 'Your account at {site}',
    credentialsBody: 'Hello {firstname},\n\nAn account has been made for you at {site}.\n\nUsername: {username}\nPassword: {password}\n\nLog in at {url}. You may be asked to choose a new password.\n',
    supervisorSubject: 'Login details for {count} new accounts — {site}',
    supervisorBody: 'Hello {firstname},\n\nAttached are the login details of {count} new accounts at {site}: a PDF with one slip per person to print and hand out, and the same as a CSV file.\n\n{list}\n\nKeep the attachments safe and delete this message once the slips are handed out.\n',
    inviteSubject: 'Set up your account at {site}',
    inviteBody: 'Hello {firstname},\n\nAn account has been made for you at {site} with the username {username}.\nChoose your password here (the link works once, until {expires}):\n\n{link}\n',
    updatedSubject: 'Your account at {site} was updated',
    updatedBody: 'Hello {firstname},\n\nYour account at {site} was updated: {fields}.\n\nIf this is not right, contact your school.\n',
    reportSubject: 'Import "{file}": {created} new, {updated} updated, {errors} errors — {site}',
    reportBody: 'The import of "{file}" by {actor} finished in {duration} s ({status}).\n\n{counts}\n\nRows with problems are in the attached report.\n',
  },
  nl: {
    credentialsSubject: 'Je account bij {site}',
    credentialsBody: 'Hallo {firstname},\n\nEr is een account voor je gemaakt bij {site}.\n\nGebruikersnaam: {username}\nWachtwoord: {password}\n\nLog in op {url}. Mogelijk moet je een nieuw wachtwoord kiezen.\n',
    supervisorSubject: 'Inloggegevens van {count} nieuwe accounts — {site}',
    supervisorBody: 'Hallo {firstname},\n\nIn de bijlagen staan de inloggegevens van {count} nieuwe accounts bij {site}: een pdf met een briefje per persoon om te printen en uit te delen, en hetzelfde als csv-bestand.\n\n{list}\n\nBewaar de bijlagen veilig en verwijder dit bericht als de briefjes zijn uitgedeeld.\n',
    inviteSubject: 'Stel je account in bij {site}',
    inviteBody: 'Hallo {firstname},\n\nEr is een account voor je gemaakt bij {site} met de gebruikersnaam {username}.\nKies hier je wachtwoord (de link werkt één keer, tot {expires}):\n\n{link}\n',
    updatedSubject: 'Je account bij {site} is bijgewerkt',
    updatedBody: 'Hallo {firstname},\n\nJe account bij {site} is bijgewerkt: {fields}.\n\nKlopt dit niet, neem dan contact op met je school.\n',
    reportSubject: 'Import "{file}": {created} nieuw, {updated} bijgewerkt, {errors} fouten — {site}',
    reportBody: 'De import van "{file}" door {actor} is klaar na {duration} s ({status}).\n\n{counts}\n\nRijen met problemen staan in het bijgevoegde rapport.\n',
  },
} satisfies Record<UiLanguage, Record<string, string>>;

export function credentialsMail(c: Credential, site: Site): MailMessage {
  const t = texts[mailLanguage(c.lang)];
  const values = { ...c, site: site.name, url: site.url };
  return { to: c.email, subject: fill(t.credentialsSubject, values), text: fill(t.credentialsBody, values) };
}

/** The credentials CSV: the same file a supervisor gets and the one-time download holds. */
export function credentialsCsv(credentials: Credential[]): string {
  return `\uFEFF${csvLine(['username', 'password', 'firstname', 'lastname', 'email'])}${credentials.map((c) => csvLine([c.username, c.password, c.firstname, c.lastname, c.email])).join('')}`;
}

export async function supervisorMail(supervisor: { email: string; firstname: string; lang: string }, credentials: Credential[], site: Site): Promise<MailMessage> {
  const lang = mailLanguage(supervisor.lang);
  const t = texts[lang];
  const list = credentials.map((c) => `- ${c.firstname} ${c.lastname} (${c.username})`).join('\n');
  const values = { firstname: supervisor.firstname, count: credentials.length, site: site.name, list };
  // PDFKit (and its fonts) load only when slips are made.
  const { credentialSlips } = await import('./pdf.js');
  const pdf = await credentialSlips(credentials, site, lang);
  return {
    to: supervisor.email,
    subject: fill(t.supervisorSubject, values),
    text: fill(t.supervisorBody, values),
    attachments: [
      { filename: lang === 'nl' ? 'inlogbriefjes.pdf' : 'login-slips.pdf', contentType: 'application/pdf', content: pdf.toString('base64') },
      { filename: lang === 'nl' ? 'inloggegevens.csv' : 'credentials.csv', contentType: 'text/csv; charset=utf-8', content: Buffer.from(credentialsCsv(credentials)).toString('base64') },
    ],
  };
}

export function inviteMail(user: { email: string; firstname: string; username: string; lang: string }, link: string, expires: Date, site: Site): MailMessage {
  const t = texts[mailLanguage(user.lang)];
  const values = { ...user, link, expires: expires.toISOString().slice(0, 10), site: site.name };
  return { to: user.email, subject: fill(t.inviteSubject, values), text: fill(t.inviteBody, values) };
}

export function updatedMail(user: { email: string; firstname: string; lang: string }, fields: string[], site: Site): MailMessage {
  const lang = mailLanguage(user.lang);
  const t = texts[lang];
  const values = { firstname: user.firstname, site: site.name, fields: fields.map((f) => fieldLabel(f, lang).toLowerCase()).join(', ') };
  return { to: user.email, subject: fill(t.updatedSubject, values), text: fill(t.updatedBody, values) };
}

export function reportMail(
  to: string,
  report: { file: string; actor: string; seconds: number; status: string; counts: Counts; errorsCsv: string },
  site: Site,
  lang: UiLanguage,
): MailMessage {
  const t = texts[lang];
  const counts = Object.entries(report.counts)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
  const values = { ...report.counts, file: report.file, actor: report.actor, duration: report.seconds.toFixed(1), status: report.status, counts, site: site.name };
  return {
    to,
    subject: fill(t.reportSubject, values),
    text: fill(t.reportBody, values),
    attachments: [{ filename: 'errors.csv', contentType: 'text/csv; charset=utf-8', content: Buffer.from(report.errorsCsv).toString('base64') }],
  };
}
