import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EngineServices } from '../engine/import-options.js';
import { escapeHtml } from './html.js';
import { inTransaction } from '../host/database.js';
import { loadSite } from '../host/read/site.js';
import { setPassword } from '../host/write/password.js';
import { findInvitation, useInvitation } from '../store/invites.js';
import { checkPasswordPolicy } from '../core/validate/password-policy.js';
import { problemText } from '../contract/messages.js';
import { closestUiLanguage, type UiLanguage } from '../contract/catalog.js';

const texts = {
  en: { title: 'Choose your password', password: 'New password', again: 'Again', save: 'Save', mismatch: 'The passwords differ.', done: 'Your password is set. You can log in now as', invalid: 'This link is not valid (any more). Ask your school for a new one.', tooLong: 'A password can be at most 1024 characters long.' },
  nl: { title: 'Kies je wachtwoord', password: 'Nieuw wachtwoord', again: 'Nog een keer', save: 'Opslaan', mismatch: 'De wachtwoorden verschillen.', done: 'Je wachtwoord is ingesteld. Je kunt nu inloggen als', invalid: 'Deze link is niet (meer) geldig. Vraag je school om een nieuwe.', tooLong: 'Een wachtwoord mag hoogstens 1024 tekens lang zijn.' },
  sv: { title: 'Välj ditt lösenord', password: 'Nytt lösenord', again: 'Igen', save: 'Spara', mismatch: 'Lösenorden är olika.', done: 'Ditt lösenord är sparat. Du kan nu logga in som', invalid: 'Länken är inte (längre) giltig. Be din skola om en ny.', tooLong: 'Ett lösenord får vara högst 1024 tecken långt.' },
  fi: { title: 'Valitse salasanasi', password: 'Uusi salasana', again: 'Uudelleen', save: 'Tallenna', mismatch: 'Salasanat eroavat toisistaan.', done: 'Salasanasi on asetettu. Voit nyt kirjautua käyttäjänä', invalid: 'Linkki ei ole (enää) voimassa. Pyydä koulultasi uusi.', tooLong: 'Salasana voi olla enintään 1024 merkkiä pitkä.' },
} satisfies Record<UiLanguage, Record<string, string>>;

const page = (lang: UiLanguage, body: string) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${texts[lang].title}</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.75rem 0}
input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.5rem 1rem;margin-top:.5rem}.error{color:#ca3120}</style></head><body>${body}</body></html>`;

/** The page of a link that is not (or no longer) an invitation. */
const invalidPage = (lang: UiLanguage) => page(lang, `<p class="error">${texts[lang].invalid}</p>`);

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The longest password the page takes: SHA-512 crypt hashes a password once per round, so one of a
 * megabyte would keep a hashing thread busy for seconds (as Django caps them, at 4096). No one types more.
 */
const maxPasswordChars = 1024;
/** The form holds two passwords: anything larger is not this form. */
const maxFormBytes = 16 * 1024;

/**
 * The page an invitation link opens: the new user chooses a password (the site's policy applies),
 * once, before the link expires. No token from the host is needed: the link is the credential.
 */
export function inviteRoutes(services: EngineServices) {
  const app = new Hono();
  const pool = services.database.pool;

  const invitation = (token: string) => findInvitation(pool, hashToken(token));

  const form = (lang: UiLanguage, error = '') =>
    page(lang, `<h1>${texts[lang].title}</h1>${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
      <form method="post"><label>${texts[lang].password}<input type="password" name="password" autocomplete="new-password" maxlength="${maxPasswordChars}" required></label>
      <label>${texts[lang].again}<input type="password" name="again" autocomplete="new-password" maxlength="${maxPasswordChars}" required></label><button>${texts[lang].save}</button></form>`);

  app.get('/intake/invite/:token', async (c) => {
    const found = await invitation(c.req.param('token'));
    const lang = closestUiLanguage(found?.lang);
    return found ? c.html(form(lang)) : c.html(invalidPage(lang), 410);
  });

  // Refused before the link is looked up, so in English: its language is the invitation's.
  const tooLarge = bodyLimit({ maxSize: maxFormBytes, onError: (c) => c.html(page('en', `<p class="error" role="alert">${texts.en.tooLong}</p>`), 413) });

  app.post('/intake/invite/:token', tooLarge, async (c) => {
    const found = await invitation(c.req.param('token'));
    const lang = closestUiLanguage(found?.lang);
    const invalid = () => c.html(invalidPage(lang), 410);
    if (!found) return invalid();
    const body = await c.req.parseBody();
    const password = String(body.password ?? '');
    if (password !== String(body.again ?? '')) return c.html(form(lang, texts[lang].mismatch), 422);
    if ([...password].length > maxPasswordChars) return c.html(form(lang, texts[lang].tooLong), 422);
    const site = await loadSite(services.database.db);
    const problems = checkPasswordPolicy(password, site.passwordPolicy);
    if (problems.length > 0) return c.html(form(lang, problems.map((p) => problemText(p, lang)).join(' ')), 422);
    const [hash] = await services.passwords.hashAll([password]);
    // A form sent twice (a double click, a second tab): the first sets the password, the later finds the link used.
    const used = await inTransaction(pool, async (conn) => {
      if (!(await useInvitation(conn, found.tokenHash))) return false;
      await setPassword(conn, found.userId, hash!);
      return true;
    });
    if (!used) return invalid();
    return c.html(page(lang, `<p role="status">${texts[lang].done} <strong>${escapeHtml(found.username)}</strong>.</p>`));
  });

  return app;
}
