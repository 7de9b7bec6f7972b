import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { CONTEXT_USER } from '../../db/host/index.js';
import type { Counts, DetectedFormat, Joined, Settings } from '../contract/types.js';
import { closestUiLanguage } from '../contract/catalog.js';
import { reportDelimiterFor, reportDelimiters } from '../contract/report-delimiter.js';
import { T } from '../host/tables.js';
import { errorReportCsv } from '../store/error-report.js';
import { sheetsReadOf } from '../contract/row-label.js';
import { attachesErrorReport, credentialsCsv, credentialsMail, inviteMail, reportMail, supervisorMail, updatedMail, type Site } from './compose.js';
import type { Credential } from './credential.js';
import { inTransaction } from '../host/database.js';
import { heldLogins, releaseLogins } from '../store/pending-logins.js';
import { enqueue, type Outgoing } from './outbox.js';
import type { Sealer } from './seal.js';

/** An updated account to tell about (when the settings ask for it). */
export interface UpdatedAccount {
  userId: number;
  fields: string[];
  /** The groups and courses the account joined, as the preview names them ("Niveau A, Niveau B"). */
  joined?: Joined;
}

export interface NotifyInput {
  pool: Pool;
  sealer: Sealer;
  importId: number;
  settings: Settings;
  site: Site;
  actor: { id: number };
  /** The one account named to receive every new login (`notify.supervisor`), as the settings check found it. */
  credentialsRecipient: number | null;
  updated: UpdatedAccount[];
  /** How long invitation links stay valid. */
  inviteDays: number;
  publicUrl: string;
}

interface Person {
  id: number;
  email: string;
  firstname: string;
  username: string;
  lang: string;
}

async function people(pool: Pool, ids: number[]): Promise<Map<number, Person>> {
  if (ids.length === 0) return new Map();
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, email, firstname, username, lang FROM ${T.user} WHERE id IN (?)`, [ids]);
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), email: String(r.email), firstname: String(r.firstname), username: String(r.username), lang: String(r.lang) }]));
}

/**
 * Who supervises each new account: the supervisors of the groups it joined and its direct supervisors,
 * read from the host as the import left it (or one named person for all, from the settings).
 */
async function supervisorsOf(pool: Pool, userIds: number[]): Promise<Map<number, Set<number>>> {
  const bySupervisor = new Map<number, Set<number>>();
  if (userIds.length === 0) return bySupervisor;
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT gs.user_id AS supervisor, m.userid AS candidate FROM intake_group_supervisor gs JOIN ${T.cohortMembers} m ON m.cohortid = gs.cohort_id WHERE m.userid IN (?)
     UNION SELECT ra.userid AS supervisor, x.instanceid AS candidate FROM ${T.roleAssignments} ra JOIN ${T.context} x ON x.id = ra.contextid AND x.contextlevel = ?
      WHERE ra.component = '' AND x.instanceid IN (?)`,
    [userIds, CONTEXT_USER, userIds],
  );
  for (const row of rows) {
    const set = bySupervisor.get(Number(row.supervisor)) ?? new Set<number>();
    set.add(Number(row.candidate));
    bySupervisor.set(Number(row.supervisor), set);
  }
  return bySupervisor;
}

/** New logins told together to one supervisor per message, so no message nears the packet limit. */
const loginsPerMessage = 500;

type Told = NotifyInput & { credentials: Credential[]; invited: Credential[]; conn: PoolConnection };

async function credentialMessages(input: Told): Promise<Outgoing[]> {
  const { settings, credentials, site, actor, pool } = input;
  if (credentials.length === 0) return [];
  switch (settings.notify.credentials) {
    case 'user':
      return credentials.filter((c) => c.email).map((c) => ({ kind: 'credentials', recipientUserId: c.userId, message: credentialsMail(c, site) }));
    case 'download': {
      const [me] = [...(await people(pool, [actor.id])).values()];
      return [{ kind: 'download', recipientUserId: actor.id, message: { to: me?.email ?? 'download', subject: 'credentials.csv', text: credentialsCsv(credentials) } }];
    }
    case 'supervisor': {
      const byCandidate = new Map(credentials.map((c) => [c.userId, c]));
      let groups: Map<number, Set<number>>;
      /** Logins that cannot go where they belong go to whoever ran the import, so none is lost. */
      const toActor = (ids: Iterable<number>) => groups.set(actor.id, new Set([...(groups.get(actor.id) ?? []), ...ids]));
      if (input.credentialsRecipient !== null) {
        groups = new Map([[input.credentialsRecipient, new Set(byCandidate.keys())]]);
      } else {
        groups = await supervisorsOf(pool, [...byCandidate.keys()]);
        // New accounts nobody supervises go to whoever ran the import, so no login is lost.
        const covered = new Set([...groups.values()].flatMap((s) => [...s]));
        const orphans = [...byCandidate.keys()].filter((id) => !covered.has(id));
        if (orphans.length > 0) toActor(orphans);
      }
      const recipients = await people(pool, [...groups.keys(), actor.id]);
      // A supervisor without an e-mail address cannot be reached: their new logins go to whoever ran the import.
      for (const [supervisorId, candidates] of [...groups]) {
        if (supervisorId === actor.id || recipients.get(supervisorId)?.email) continue;
        groups.delete(supervisorId);
        toActor(candidates);
      }
      const messages: Outgoing[] = [];
      for (const [supervisorId, candidates] of groups) {
        const supervisor = recipients.get(supervisorId);
        const list = [...candidates].map((id) => byCandidate.get(id)).filter((c): c is Credential => c !== undefined);
        if (!supervisor?.email) {
          // Whoever ran the import has no address either: the logins wait for them as a one-time download.
          messages.push({ kind: 'download', recipientUserId: supervisorId, message: { to: 'download', subject: 'credentials.csv', text: credentialsCsv(list) } });
          continue;
        }
        for (let i = 0; i < list.length; i += loginsPerMessage) {
          messages.push({ kind: 'supervisor', recipientUserId: supervisorId, message: await supervisorMail(supervisor, list.slice(i, i + loginsPerMessage), site) });
        }
      }
      return messages;
    }
    default:
      return [];
  }
}

/** Single-use links: the token goes into the mail, only its hash into the database. */
async function invitations(input: Told): Promise<Outgoing[]> {
  const expires = new Date(Date.now() + input.inviteDays * 86_400_000);
  const messages: Outgoing[] = [];
  const rows: unknown[][] = [];
  for (const user of input.invited) {
    if (!user.email) continue;
    const token = randomBytes(32).toString('base64url');
    rows.push([createHash('sha256').update(token).digest('hex'), user.userId, input.importId, expires]);
    messages.push({ kind: 'invite', recipientUserId: user.userId, message: inviteMail(user, `${input.publicUrl}/intake/invite/${token}`, expires, input.site) });
  }
  if (rows.length > 0) await input.conn.query('INSERT INTO intake_invite (token_hash, user_id, import_id, expires_at) VALUES ?', [rows]);
  return messages;
}

async function updateMessages(input: NotifyInput): Promise<Outgoing[]> {
  if (!input.settings.notify.updated || input.updated.length === 0) return [];
  const found = await people(input.pool, input.updated.map((u) => u.userId));
  return input.updated.flatMap((u) => {
    const person = found.get(u.userId);
    return person?.email ? [{ kind: 'updated' as const, recipientUserId: u.userId, message: updatedMail(person, u.fields, input.site, u.joined) }] : [];
  });
}

/**
 * Queues everything the settings ask to be told after a committed import (the report comes later).
 * The logins come from what the import's batches sealed as they created the accounts (every attempt of
 * the import: a resumed one tells what a killed one created); they move into messages and out of the
 * held logins in one transaction, so each is told exactly once.
 */
export async function queueNotifications(input: NotifyInput): Promise<void> {
  await inTransaction(input.pool, async (conn) => {
    const held = await heldLogins(conn, input.importId);
    const opened = held.map((h) => ({ kind: h.kind, login: input.sealer.open<Credential>(h.sealed) }));
    const told: Told = {
      ...input,
      conn,
      credentials: opened.filter((o) => o.kind === 'login').map((o) => o.login),
      invited: opened.filter((o) => o.kind === 'invite').map((o) => o.login),
    };
    const messages = [...(await credentialMessages(told)), ...(await invitations(told)), ...(await updateMessages(input))];
    await enqueue(conn, input.sealer, input.importId, messages);
    await releaseLogins(conn, input.importId);
  });
}

/** The report to the address in the settings: counts, duration, who ran it, and the error report attached. */
export async function queueReport(
  pool: Pool,
  sealer: Sealer,
  importId: number,
  to: string,
  /** `format`: the file's, whose delimiter the attached error report takes (see reportDelimiterFor). */
  report: { file: string; actor: { username: string; lang: string }; seconds: number; counts: Counts; format: DetectedFormat },
  site: Site,
): Promise<void> {
  const lang = closestUiLanguage(report.actor.lang);
  // Read only when it is attached.
  const errorsCsv = attachesErrorReport(report.counts) ? await errorReportCsv(pool, importId, lang, { delimiter: reportDelimiters[reportDelimiterFor(report.format, lang)], sheetsRead: sheetsReadOf(report.format) }) : '';
  await enqueue(pool, sealer, importId, [{ kind: 'report', recipientUserId: null, message: reportMail(to, { file: report.file, seconds: report.seconds, counts: report.counts, actor: report.actor.username, errorsCsv }, site, lang) }]);
}
