import { eq, inArray } from 'drizzle-orm';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { user } from '../../../db/host/index.js';
import { drizzleOf } from '../database.js';
import type { Site } from './site.js';
import { T } from '../tables.js';

/**
 * Finds users named by username, e-mail or ID number (supervisors in a file or the settings), in one
 * query for a whole list. Returns reference (lower case) → user id; references matching several
 * accounts are left out, so they count as unknown rather than as a guess.
 */
export async function findPeople(pool: Pool, site: Site, references: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const wanted = [...new Set(references.map((r) => r.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) return found;
  const [rows] = await pool.query<RowDataPacket[]>(
    // One keyed lookup per column, so each uses its own index.
    `SELECT id, LOWER(username) AS username, LOWER(email) AS email, LOWER(idnumber) AS idnumber, deleted FROM ${T.user} WHERE mnethostid = ? AND username IN (?)
     UNION SELECT id, LOWER(username), LOWER(email), LOWER(idnumber), deleted FROM ${T.user} WHERE email IN (?)
     UNION SELECT id, LOWER(username), LOWER(email), LOWER(idnumber), deleted FROM ${T.user} WHERE idnumber IN (?)`,
    [site.mnetHostId, wanted, wanted, wanted],
  );
  const ambiguous = new Set<string>();
  for (const row of rows.filter((r) => Number(r.deleted) === 0)) {
    for (const ref of [row.username, row.email, row.idnumber] as string[]) {
      if (!ref || !wanted.includes(ref)) continue;
      const earlier = found.get(ref);
      if (earlier !== undefined && earlier !== Number(row.id)) ambiguous.add(ref);
      found.set(ref, Number(row.id));
    }
  }
  for (const ref of ambiguous) found.delete(ref);
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
