import { eq, inArray } from 'drizzle-orm';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { user } from '../../../db/host/index.js';
import { drizzleOf } from '../database.js';
import type { Site } from './site.js';
import { T } from '../tables.js';
import { asShown, comparableName, fullNameOf, mayBeFullName } from '../../core/full-name.js';

/**
 * Finds users named by username, e-mail or ID number (supervisors in a file or the settings), in one
 * query for a whole list, and then by full name those that none of these answered (findByFullName).
 * Returns reference (lower case) → user id; references matching several accounts are left out, so they
 * count as unknown rather than as a guess.
 */
export async function findPeople(pool: Pool, site: Site, references: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  // A set, as every account found is checked against it three times: a file's thousands of names.
  const wanted = new Set(references.map((r) => r.trim().toLowerCase()).filter(Boolean));
  if (wanted.size === 0) return found;
  const list = [...wanted];
  const [rows] = await pool.query<RowDataPacket[]>(
    // One keyed lookup per column, so each uses its own index.
    `SELECT id, LOWER(username) AS username, LOWER(email) AS email, LOWER(idnumber) AS idnumber, deleted FROM ${T.user} WHERE mnethostid = ? AND username IN (?)
     UNION SELECT id, LOWER(username), LOWER(email), LOWER(idnumber), deleted FROM ${T.user} WHERE email IN (?)
     UNION SELECT id, LOWER(username), LOWER(email), LOWER(idnumber), deleted FROM ${T.user} WHERE idnumber IN (?)`,
    [site.mnetHostId, list, list, list],
  );
  const ambiguous = new Set<string>();
  for (const row of rows.filter((r) => Number(r.deleted) === 0)) {
    for (const ref of [row.username, row.email, row.idnumber] as string[]) {
      if (!ref || !wanted.has(ref)) continue;
      const earlier = found.get(ref);
      if (earlier !== undefined && earlier !== Number(row.id)) ambiguous.add(ref);
      found.set(ref, Number(row.id));
    }
  }
  for (const ref of ambiguous) found.delete(ref);
  const byName = list.filter((ref) => !found.has(ref) && !ambiguous.has(ref) && mayBeFullName(ref));
  if (byName.length > 0) for (const [ref, id] of await findByFullName(pool, site, byName)) found.set(ref, id);
  return found;
}

/**
 * Users named by their full name as Moodle shows it (fullname(): first name, then last name), the way a
 * SIS export names a pupil's mentor ("Jan de Vries"): a name exactly one account of the site (not
 * deleted) has. Where the first name ends is not known ("Jan de Vries" may be Jan + "de Vries" or
 * "Jan de" + "Vries"), so every last name a reference may end with is asked, by the host's index on last
 * names, and the whole name compared here. Written surname first ("Bakker, Marieke", "Vries, Jan de") it is the
 * same name. Initials ("J. de Vries") are not expanded: they would name too many.
 */
async function findByFullName(pool: Pool, site: Site, references: string[]): Promise<Map<string, number>> {
  const wanted = new Map<string, string[]>();
  const lastnames = new Set<string>();
  for (const ref of references) {
    const shown = asShown(ref);
    const name = comparableName(shown);
    wanted.set(name, [...(wanted.get(name) ?? []), ref]);
    const words = shown.split(/\s+/);
    for (let i = 1; i < words.length; i++) lastnames.add(words.slice(i).join(' '));
  }
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, firstname, lastname FROM ${T.user} WHERE mnethostid = ? AND deleted = 0 AND lastname IN (?)`, [site.mnetHostId, [...lastnames]]);
  const holders = new Map<string, Set<number>>();
  for (const row of rows) {
    const name = fullNameOf(String(row.firstname), String(row.lastname));
    if (name !== undefined && wanted.has(name)) holders.set(name, (holders.get(name) ?? new Set()).add(Number(row.id)));
  }
  const found = new Map<string, number>();
  for (const [name, ids] of holders) if (ids.size === 1) for (const ref of wanted.get(name)!) found.set(ref, [...ids][0]!);
  return found;
}

/** Users' names as Moodle shows them (fullname(): first name, last name), by id; ids nobody has are left out. */
export async function namesOf(pool: Pool, ids: number[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)].filter((id) => id > 0);
  if (wanted.length === 0) return new Map();
  const rows = await drizzleOf(pool).select({ id: user.id, firstname: user.firstname, lastname: user.lastname }).from(user).where(inArray(user.id, wanted));
  return new Map(rows.map((r) => [r.id, `${r.firstname} ${r.lastname}`.trim()]));
}

/** A user's username, language and e-mail address (who ran an import, in its report; who receives logins). */
export async function personById(pool: Pool, id: number): Promise<{ username: string; lang: string; email: string } | null> {
  const [found] = await drizzleOf(pool).select({ username: user.username, lang: user.lang, email: user.email }).from(user).where(eq(user.id, id));
  return found ?? null;
}
