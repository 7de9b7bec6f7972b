import type { Pool, RowDataPacket } from 'mysql2/promise';
import { T } from '../tables.js';

/** Bases per query: each is a range of the username index, read in one statement. */
const basesPerQuery = 200;

const likePrefix = (base: string) => `${base.replace(/[\\%_]/g, '\\$&')}%`;
const regexpLiteral = (base: string) => base.replace(/[.\\^$|?*+()[\]{}-]/g, '\\$&');

/**
 * The usernames a template's new accounts are numbered past: for each base (`jjansen`), every username of
 * the site that is the base or the base followed by a number (`jjansen2`, `jjansen47`), deleted accounts
 * too (their usernames stay taken), however many there are. Read once a run for each base, when a batch
 * first needs it: the run's own new names never need reading (planning numbers upwards past its own
 * claims), so a million rows of a few hundred names read each name's numbers once, not once a batch.
 * `forget` drops what was read, for a batch planned again after another import wrote meanwhile.
 */
export class NumberedUsernames {
  private readonly byBase = new Map<string, Set<string>>();

  constructor(
    private readonly pool: Pool,
    private readonly mnetHostId: number,
  ) {}

  /** The taken numbered usernames of each base, read from the host for those not read before. */
  async of(bases: Iterable<string>): Promise<ReadonlyMap<string, ReadonlySet<string>>> {
    const wanted = [...new Set(bases)];
    const unread = wanted.filter((base) => !this.byBase.has(base));
    for (const base of unread) this.byBase.set(base, new Set());
    for (let i = 0; i < unread.length; i += basesPerQuery) {
      const chunk = unread.slice(i, i + basesPerQuery);
      // Each base a prefix range of Moodle's (mnethostid, username) index; the pattern leaves out longer
      // names that merely begin alike (`jjansens`).
      const [rows] = await this.pool.query<RowDataPacket[]>(
        `SELECT username FROM ${T.user} WHERE mnethostid = ? AND (${chunk.map(() => 'username LIKE ?').join(' OR ')}) AND username REGEXP ?`,
        [this.mnetHostId, ...chunk.map(likePrefix), `^(${chunk.map(regexpLiteral).join('|')})[0-9]*$`],
      );
      for (const row of rows) {
        // A username belongs to each base it is, or extends by digits only: `s1234` to `s1234`, `s123`, `s12`…
        const username = String(row.username).toLowerCase();
        const digits = username.length - username.replace(/[0-9]+$/, '').length;
        for (let cut = 0; cut <= digits; cut++) this.byBase.get(username.slice(0, username.length - cut))?.add(username);
      }
    }
    return new Map(wanted.map((base) => [base, this.byBase.get(base)!]));
  }

  forget(): void {
    this.byBase.clear();
  }
}
