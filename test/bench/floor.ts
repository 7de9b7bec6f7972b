import type { ResultSetHeader } from 'mysql2/promise';
import type { Database } from '../../server/host/database.js';
import { T } from '../../server/host/tables.js';
import { namesOf } from './generate.js';

/**
 * The SQL floor an import is measured against: the same users, their user contexts and their
 * memberships of one new group, written the plainest fast way (1000-row multi-row INSERTs, one
 * transaction per batch) over two connections at once, as a hand-written loader on this machine would.
 * Nothing is read, checked, planned or logged.
 */
export async function plainSqlFloor(database: Database, rows: number): Promise<number> {
  const start = process.hrtime.bigint();
  const now = Math.floor(Date.now() / 1000);
  const [cohort] = await database.pool.query<ResultSetHeader>(
    `INSERT INTO ${T.cohort} (contextid, name, idnumber, description, descriptionformat, visible, component, timecreated, timemodified, theme) VALUES (1, 'Bench', NULL, '', 1, 1, '', ?, ?, '')`,
    [now, now],
  );
  let next = 0;
  const worker = async () => {
    const conn = await database.pool.getConnection();
    try {
      for (let from = next; from < rows; from = next) {
        next += 1000;
        const batch = [];
        for (let i = from; i < Math.min(rows, from + 1000); i++) {
          const { firstname, lastname } = namesOf(i);
          batch.push(['oauth2', 1, 1, `s${i}`, 'not cached', `${100000 + i}`, firstname, lastname, `s${i}@school.example`, 'en', now, now]);
        }
        await conn.beginTransaction();
        const [inserted] = await conn.query<ResultSetHeader>(
          `INSERT INTO ${T.user} (auth, confirmed, mnethostid, username, password, idnumber, firstname, lastname, email, lang, timecreated, timemodified) VALUES ?`,
          [batch],
        );
        const ids = batch.map((_, k) => inserted.insertId + k);
        await conn.query(`INSERT INTO ${T.context} (contextlevel, instanceid, path, depth, locked) VALUES ?`, [ids.map((id) => [30, id, null, 2, 0])]);
        await conn.query(`INSERT INTO ${T.cohortMembers} (cohortid, userid, timeadded) VALUES ?`, [ids.map((id) => [cohort.insertId, id, now])]);
        await conn.commit();
      }
    } finally {
      conn.release();
    }
  };
  await Promise.all([worker(), worker()]);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
