import type { Pool } from 'mysql2/promise';
import { hasJsonTable, queryRows, type SqlValue } from '../database.js';
import { T } from '../tables.js';

/** The user columns a batch's keys are looked up by. */
export type KeyColumn = 'username' | 'email' | 'idnumber';

/**
 * How the host's database can be handed a batch's keys as a table: JSON_TABLE (MariaDB 10.6+, MySQL 8.0+);
 * per key column the collation, so that keys compare exactly as an IN list's literals would, and the
 * index the join must use. Null: the database has no JSON_TABLE (or no such index), and keys go in IN lists.
 */
export interface KeyJoin {
  collations: Record<KeyColumn, string>;
  indexes: Record<KeyColumn, string>;
}

const keyColumns: KeyColumn[] = ['username', 'email', 'idnumber'];
const safeName = /^[A-Za-z0-9_]+$/;
/** Columns a lookup pins with an equality of its own besides the key: an index may lead with them. */
const pinnedBefore: Record<KeyColumn, string[]> = { username: ['mnethostid'], email: [], idnumber: ['mnethostid'] };

/**
 * The index a lookup by `column` can probe: one whose columns before `column` are all pinned by the
 * lookup's own equalities (Moodle's user table: mnethostid + username, email, idnumber).
 */
function indexFor(column: KeyColumn, indexes: Map<string, string[]>): string | undefined {
  for (const [name, columns] of indexes) {
    const at = columns.indexOf(column);
    if (at >= 0 && columns.slice(0, at).every((c) => pinnedBefore[column].includes(c))) return name;
  }
  return undefined;
}

/** Whether the database can join keys from JSON_TABLE (by its version), with the key columns' collations and indexes. */
export async function loadKeyJoin(pool: Pool): Promise<KeyJoin | null> {
  if (!(await hasJsonTable(pool))) return null;
  const table = T.user.replaceAll('`', '');
  const [columns, indexColumns] = await Promise.all([
    queryRows<{ name: string; collation: string | null }>(
      pool,
      'SELECT COLUMN_NAME AS name, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME IN (?)',
      [table, keyColumns],
    ),
    queryRows<{ name: string; column: string }>(
      pool,
      'SELECT INDEX_NAME AS name, COLUMN_NAME AS `column` FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX',
      [table],
    ),
  ]);
  const indexes = new Map<string, string[]>();
  for (const { name, column } of indexColumns) indexes.set(name, [...(indexes.get(name) ?? []), column.toLowerCase()]);
  const collations = Object.fromEntries(columns.map((c) => [c.name.toLowerCase(), c.collation ?? ''])) as Record<KeyColumn, string>;
  const chosen = Object.fromEntries(keyColumns.map((c) => [c, indexFor(c, indexes) ?? ''])) as Record<KeyColumn, string>;
  return keyColumns.every((c) => safeName.test(collations[c] ?? '') && safeName.test(chosen[c])) ? { collations, indexes: chosen } : null;
}

export interface UsersByKeys {
  /** The select list, over the user table as `u`. */
  select: string;
  /** Outer joins of more tables to `u` (what rides along with each account found), and their parameters. */
  joins?: string;
  joinParams?: SqlValue[];
  column: KeyColumn;
  keys: string[];
  /** More conditions on `u`, and their parameters. */
  where?: string;
  whereParams?: SqlValue[];
}

/** A lookup's statement: prepared (its values apart from its text) or a text statement with an IN list. */
export type KeyedQuery = { sql: string; prepared: true; params: SqlValue[] } | { sql: string; prepared: false; params: unknown[] };

/**
 * The SQL that finds the users whose `column` is one of `keys`. Joined from JSON_TABLE, each key is one
 * probe of the column's index. As an IN list, the optimiser first dives the index for every value to
 * estimate the range (eq_range_index_dive_limit = 0, which keeps it from a full scan on a table that just
 * grew): three probes a key, and 2.5 times the time over a hundred batches of a thousand keys (measured).
 * The join must not consult the statistics either: taken while the table was small, they make it scan the
 * whole table with a join buffer (seen: imports stalled for minutes). STRAIGHT_JOIN keeps the keys the
 * outer table and FORCE INDEX the probe by the key's index, whatever the statistics say.
 */
export function usersByKeys(query: UsersByKeys, join: KeyJoin | null): KeyedQuery {
  const { select, joins = '', joinParams = [], column, keys, where, whereParams = [] } = query;
  const joined = joins ? ` ${joins}` : '';
  if (join === null) {
    return { sql: `SELECT ${select} FROM ${T.user} u${joined} WHERE u.\`${column}\` IN (?)${where ? ` AND ${where}` : ''}`, params: [...joinParams, keys, ...whereParams], prepared: false };
  }
  // Keys longer than any column value cannot match: 255 holds every key validation lets through.
  const keyTable = `JSON_TABLE(?, '$[*]' COLUMNS (v VARCHAR(255) PATH '$')) k`;
  // One text for every batch: prepared once per connection, and the keys travel as one binary value,
  // not escaped into the statement (a preview of 100,000 rows escaped 40 MB of key lists).
  return {
    sql: `SELECT STRAIGHT_JOIN ${select} FROM ${keyTable} JOIN ${T.user} u FORCE INDEX (\`${join.indexes[column]}\`) ON u.\`${column}\` = k.v COLLATE ${join.collations[column]}${joined}${where ? ` WHERE ${where}` : ''}`,
    params: [JSON.stringify(keys), ...joinParams, ...whereParams],
    prepared: true,
  };
}
