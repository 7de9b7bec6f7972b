import { Hono } from 'hono';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { uiLanguageOf } from '../contract/catalog.js';
import { signToken } from '../http/token.js';
import { demoAdmin, demoCoordinator } from './demo-host.js';
import { T } from '../host/tables.js';
import { escapeHtml, hostPage } from '../http/html.js';
import type { MailMessage } from '../mail/compose.js';
import type { Sealer } from '../mail/seal.js';

/** The wizard's language from `?lang=` (any of Intake's); the demo's own page is in Dutch or English. */
const visitor = (as: string | undefined) => (as === 'coordinator' ? { ...demoCoordinator, key: 'coordinator' } : { ...demoAdmin, key: 'admin' });
const date = (seconds: number) => (seconds ? new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') : '');

/**
 * The demo host: an admin page with the wizard mounted, an overview of the host's users and cohorts,
 * and the token endpoint a real host page would provide for its logged-in user.
 */
export function demoRoutes({ pool, secret, sealer }: { pool: Pool; secret: string; sealer: Sealer | null }) {
  const app = new Hono();

  // Stands in for the host's session: the visitor is the admin, or the coordinator with ?as=coordinator.
  app.get('/demo/token', async (c) => c.json({ token: await signToken(secret, visitor(c.req.query('as')).id) }));

  app.get('/', async (c) => {
    const lang = uiLanguageOf(c.req.query('lang'));
    const nl = lang === 'nl';
    const who = visitor(c.req.query('as'));
    const token = await signToken(secret, who.id);
    const switcher = `<p class="viewing-as">${nl ? 'Bekijken als' : 'Viewing as'}:
      ${who.key === 'admin' ? `<strong>${nl ? 'beheerder' : 'site admin'}</strong>` : `<a href="/?lang=${lang}">${nl ? 'beheerder' : 'site admin'}</a>`} ·
      ${who.key === 'coordinator' ? `<strong>${nl ? 'toetscoördinator (Het Baken)' : 'test coordinator (Het Baken)'}</strong>` : `<a href="/?lang=${lang}&as=coordinator">${nl ? 'toetscoördinator (Het Baken)' : 'test coordinator (Het Baken)'}</a>`}</p>`;
    return c.html(
      hostPage({
        title: nl ? 'Gebruikers importeren' : 'Import users',
        breadcrumb: nl ? ['Sitebeheer', 'Gebruikers', 'Importeren'] : ['Site administration', 'Users', 'Import'],
        active: 'import',
        lang,
        head: '<script type="module" src="/intake/intake.js"></script>',
        user: who.key === 'coordinator' ? 'Carla Coördinator' : 'Admin User',
        body: `${switcher}<intake-import-wizard api-base="/api" token="${escapeHtml(token)}" token-url="/demo/token?as=${who.key}" lang="${lang}"></intake-import-wizard>`,
      }),
    );
  });

  // Without SMTP_URL, mail waits in the outbox; the demo shows it here (a real host would configure SMTP).
  app.get('/outbox', async (c) => {
    const lang = uiLanguageOf(c.req.query('lang'));
    const nl = lang === 'nl';
    const [rows] = await pool.query<RowDataPacket[]>("SELECT id, kind, recipient, status, attempts, last_error, sealed, created_at FROM intake_outbox WHERE kind <> 'download' ORDER BY id DESC LIMIT 100");
    const items = rows
      .map((r) => {
        const message = sealer && r.sealed ? sealer.open<MailMessage>(r.sealed as Buffer) : null;
        return `<section class="card" data-outbox="${r.id}"><p><strong>${escapeHtml(message?.subject ?? r.kind)}</strong> → ${escapeHtml(r.recipient)}
          <span class="badge">${escapeHtml(r.status)}</span> ${r.last_error ? escapeHtml(r.last_error) : ''}</p>
          ${message ? `<pre>${escapeHtml(message.text)}</pre>${(message.attachments ?? []).map((a) => `<p>📎 ${escapeHtml(a.filename)}</p>`).join('')}` : `<p>${nl ? 'Verzonden of verlopen: de inhoud is gewist.' : 'Sent or expired: its content is wiped.'}</p>`}</section>`;
      })
      .join('');
    return c.html(
      hostPage({
        title: nl ? 'Uitgaande mail' : 'Outbox',
        breadcrumb: nl ? ['Sitebeheer', 'Uitgaande mail'] : ['Site administration', 'Outbox'],
        active: 'outbox',
        lang,
        body: `<p>${nl ? 'Zonder SMTP_URL blijft mail hier wachten.' : 'Without SMTP_URL, mail waits here.'}</p>${items || `<p>${nl ? 'Geen berichten.' : 'No messages.'}</p>`}`,
      }),
    );
  });

  app.get('/users', async (c) => {
    const lang = uiLanguageOf(c.req.query('lang'));
    const nl = lang === 'nl';
    const cohortId = Number(c.req.query('cohort') ?? 0);
    const [cohorts] = await pool.query<RowDataPacket[]>(
      `SELECT c.id, c.name, c.idnumber, COUNT(m.id) AS members FROM ${T.cohort} c LEFT JOIN ${T.cohortMembers} m ON m.cohortid = c.id GROUP BY c.id ORDER BY c.name`,
    );
    const [users] = await pool.query<RowDataPacket[]>(
      `SELECT u.id, u.username, u.firstname, u.lastname, u.email, u.idnumber, u.auth, u.suspended, u.timecreated, u.timemodified, v.valid_until,
         (SELECT GROUP_CONCAT(c.name ORDER BY c.name SEPARATOR ', ') FROM ${T.cohortMembers} m JOIN ${T.cohort} c ON c.id = m.cohortid WHERE m.userid = u.id) AS cohorts,
         (SELECT GROUP_CONCAT(DISTINCT r.shortname ORDER BY r.shortname SEPARATOR ', ') FROM ${T.roleAssignments} ra JOIN ${T.role} r ON r.id = ra.roleid WHERE ra.userid = u.id AND ra.component = '') AS roles,
         (SELECT GROUP_CONCAT(DISTINCT s.username ORDER BY s.username SEPARATOR ', ') FROM ${T.roleAssignments} ra JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = 30 JOIN ${T.user} s ON s.id = ra.userid WHERE x.instanceid = u.id) AS supervisors,
         (SELECT GROUP_CONCAT(co.shortname ORDER BY co.shortname SEPARATOR ', ') FROM ${T.userEnrolments} ue JOIN ${T.enrol} e ON e.id = ue.enrolid JOIN ${T.course} co ON co.id = e.courseid WHERE ue.userid = u.id) AS courses
       FROM ${T.user} u LEFT JOIN intake_validity v ON v.user_id = u.id WHERE u.deleted = 0 ${cohortId ? `AND u.id IN (SELECT userid FROM ${T.cohortMembers} WHERE cohortid = ?)` : ''}
       ORDER BY u.id DESC LIMIT 500`,
      cohortId ? [cohortId] : [],
    );
    const [expiring] = await pool.query<RowDataPacket[]>(
      `SELECT u.username, u.firstname, u.lastname, u.suspended, v.valid_until FROM intake_validity v JOIN ${T.user} u ON u.id = v.user_id
        WHERE v.valid_until IS NOT NULL AND u.deleted = 0 ORDER BY v.valid_until LIMIT 20`,
    );
    const expiringRows = expiring
      .map((u) => `<tr><td>${date(Number(u.valid_until)).slice(0, 10)}</td><td>${escapeHtml(u.username)}</td><td>${escapeHtml(`${u.firstname} ${u.lastname}`)}</td><td>${u.suspended ? (nl ? 'geschorst' : 'suspended') : ''}</td></tr>`)
      .join('');
    const cohortRows = cohorts
      .map((g) => `<tr><td><a href="/users?lang=${lang}&cohort=${g.id}">${escapeHtml(g.name)}</a></td><td>${escapeHtml(g.idnumber)}</td><td data-members>${g.members}</td></tr>`)
      .join('');
    const userRows = users
      .map(
        (u) => `<tr data-username="${escapeHtml(u.username)}"><td>${escapeHtml(u.username)}</td><td>${escapeHtml(`${u.firstname} ${u.lastname}`)}</td><td>${escapeHtml(u.email)}</td>
        <td>${escapeHtml(u.idnumber)}</td><td>${escapeHtml(u.auth)}</td>
        <td><span class="badge ${u.suspended ? 'suspended' : 'active'}">${u.suspended ? (nl ? 'geschorst' : 'suspended') : nl ? 'actief' : 'active'}</span></td>
        <td>${escapeHtml(u.cohorts)}</td><td>${escapeHtml(u.roles)}</td><td data-courses>${escapeHtml(u.courses)}</td><td>${escapeHtml(u.supervisors)}</td><td data-valid-until>${u.valid_until ? date(Number(u.valid_until)).slice(0, 10) : ''}</td>
        <td>${date(u.timecreated)}</td><td>${date(u.timemodified)}</td></tr>`,
      )
      .join('');
    const h = (en: string, dutch: string) => `<th scope="col">${nl ? dutch : en}</th>`;
    return c.html(
      hostPage({
        title: nl ? 'Gebruikers en groepen' : 'Users and groups',
        breadcrumb: nl ? ['Sitebeheer', 'Gebruikers'] : ['Site administration', 'Users'],
        active: 'users',
        lang,
        body: `${expiring.length > 0 ? `<section class="card"><h2>${nl ? 'Wie verloopt wanneer' : 'Who expires when'}</h2><table id="expiring"><tbody>${expiringRows}</tbody></table></section>` : ''}
          <section class="card"><h2>${nl ? 'Groepen (cohorten)' : 'Groups (cohorts)'}</h2>
          <table id="cohorts"><thead><tr>${h('Name', 'Naam')}${h('ID number', 'ID-nummer')}${h('Members', 'Leden')}</tr></thead><tbody>${cohortRows}</tbody></table></section>
          <section class="card"><h2>${nl ? 'Gebruikers' : 'Users'} (${users.length})${cohortId ? ` — <a href="/users?lang=${lang}">${nl ? 'alle' : 'all'}</a>` : ''}</h2>
          <table id="users"><thead><tr>${h('Username', 'Gebruikersnaam')}${h('Name', 'Naam')}${h('Email', 'E-mail')}${h('ID number', 'ID-nummer')}${h('Auth', 'Aanmelding')}${h('Status', 'Status')}${h('Groups', 'Groepen')}${h('Roles', 'Rollen')}${h('Courses', 'Cursussen')}${h('Supervisors', 'Begeleiders')}${h('Valid until', 'Geldig tot')}${h('Created', 'Aangemaakt')}${h('Modified', 'Gewijzigd')}</tr></thead>
          <tbody>${userRows}</tbody></table></section>`,
      }),
    );
  });
  return app;
}
