import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import mysql from 'mysql2/promise';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root.js';

export type Db = MySql2Database<Record<string, never>>;

export interface Database {
  db: Db;
  pool: mysql.Pool;
  close(): Promise<void>;
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(name)) throw new Error(`DATABASE_URL must name a database, got "${name}"`);
  return name;
}

/** Runs one statement on the server of the URL, outside any database. */
async function onServer(url: string, statement: (name: string) => string): Promise<void> {
  const server = new URL(url);
  const name = databaseName(url);
  server.pathname = '/';
  const conn = await mysql.createConnection(server.toString());
  try {
    await conn.query(statement(name));
  } finally {
    await conn.end();
  }
}

/** Creates the database named in the URL if it does not exist yet. */
export const ensureDatabase = (url: string) => onServer(url, (name) => `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);

export const dropDatabase = (url: string) => onServer(url, (name) => `DROP DATABASE IF EXISTS \`${name}\``);

/** Runs a query and returns its rows, typed: the one helper every store and host module reads with. */
export async function queryRows<T>(conn: mysql.Pool | mysql.PoolConnection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, params);
  return rows as T[];
}

/** Runs a prepared statement (one text for many calls, values sent apart from it) and returns its rows. */
export async function executeRows<T>(conn: mysql.Pool | mysql.PoolConnection, sql: string, params: SqlValue[]): Promise<T[]> {
  const [rows] = await conn.execute<mysql.RowDataPacket[]>(sql, params);
  return rows as T[];
}

/** The database server's version (`VERSION()`: "10.11.19-MariaDB-…", "8.0.36"), asked once per pool. */
export function serverVersion(pool: mysql.Pool): Promise<string> {
  let known = versions.get(pool);
  if (!known) {
    known = queryRows<{ version: string }>(pool, 'SELECT VERSION() AS version').then(([server]) => server?.version ?? '');
    versions.set(pool, known);
  }
  return known;
}
const versions = new WeakMap<mysql.Pool, Promise<string>>();

/**
 * Whether the database can turn a JSON document into rows (JSON_TABLE: MariaDB 10.6+, MySQL 8.0+). Hot
 * paths hand it a batch as one JSON value then: one binary parameter of a prepared statement, nothing
 * escaped into the statement's text.
 */
export async function hasJsonTable(pool: mysql.Pool): Promise<boolean> {
  const version = await serverVersion(pool);
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  return /mariadb/i.test(version) ? major > 10 || (major === 10 && minor >= 6) : major >= 8;
}

/**
 * The rows of a multi-row INSERT for its `VALUES ?`, each value escaped by mysql2 as `VALUES ?` would
 * escape it (undefined as NULL), joined into one flat text and handed over raw, for the statements a
 * batch sends with a thousand rows. Given the rows as arrays, mysql2 appends value by value: a chain of
 * a million small strings in a 100k import, flattened again to be sent (a fifth of what a fresh import
 * allocated). Raw, the statement's text is not searched for placeholders past its one `?` either.
 */
export function valuesOf(rows: readonly (readonly (SqlValue | undefined)[])[]): { toSqlString(): string } {
  // Each row's text made flat at once, and the rows joined once: appended value by value instead, V8
  // keeps a chain of two small strings a value, which lives until the statement is sent and is then
  // flattened (a 100k import allocated 858 MB with the chain, 803 so; 4% less CPU and 3% less time,
  // measured interleaved, though a micro-benchmark of the loop alone favoured the chain).
  const lines: string[] = new Array(rows.length);
  const cells: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    cells.length = row.length;
    for (let c = 0; c < row.length; c++) cells[c] = mysql.escape(row[c]);
    lines[r] = `(${cells.join(', ')})`;
  }
  return mysql.raw(lines.join(', '));
}

/** A value a prepared statement sends. */
export type SqlValue = string | number | bigint | Buffer | Date | null;

/** Errors after which MariaDB has rolled the transaction back and the same work may simply run again. */
const transientErrors = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
/** And those of a database that went away for a moment: the work may run again once it is back. */
const connectionErrors = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN']);

/** Whether work that failed with this error may succeed by simply running again later. */
export function isPassingFailure(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return transientErrors.has(code) || connectionErrors.has(code);
}

export interface TransactionOptions {
  /** A named lock held from before the transaction until after its commit. */
  lock?: string;
  /** How often work that hit a deadlock or a lock wait timeout runs again (each attempt is its own transaction). */
  retries?: number;
  onRetry?: (code: string, attempt: number) => void;
  /**
   * READ COMMITTED for a transaction that claims work with a locking read (a queue: jobs, mail, the
   * validity sweep). Under MariaDB's default REPEATABLE READ such a read also locks every index entry
   * and gap it scans past, so a new import's INSERT waits until the claim commits; under READ
   * COMMITTED only the rows it takes stay locked.
   */
  claimsWork?: boolean;
}

/** Runs work in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: mysql.Pool, work: (conn: mysql.PoolConnection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(pool, work, options);
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!transientErrors.has(code) || attempt > (options.retries ?? 0)) throw error;
      options.onRetry?.(code, attempt);
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function transactionOnce<T>(pool: mysql.Pool, work: (conn: mysql.PoolConnection) => Promise<T>, options: TransactionOptions): Promise<T> {
  const conn = await pool.getConnection();
  try {
    // A named lock (held past the commit, so the next holder sees what this one wrote) serialises work
    // that two imports on two servers could otherwise both do, such as creating the same group.
    if (options.lock) {
      // Named locks are server-wide: the database's name keeps two Intake databases on one server apart.
      const [[got]] = (await conn.query('SELECT GET_LOCK(CONCAT(?, DATABASE()), 60) AS ok', [options.lock])) as unknown as [[{ ok: number | null }]];
      if (got?.ok !== 1) throw new Error(`could not take the lock ${options.lock} within 60 s`);
    }
    // Applies to the next transaction on this connection only.
    if (options.claimsWork) await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await conn.beginTransaction();
    const result = await work(conn);
    await conn.commit();
    return result;
  } catch (error) {
    await conn.rollback().catch(() => undefined);
    throw error;
  } finally {
    if (options.lock) await conn.query('SELECT RELEASE_LOCK(CONCAT(?, DATABASE()))', [options.lock]).catch(() => undefined);
    conn.release();
  }
}

export function openDatabase(url: string, connectionLimit = 8): Database {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit,
    // Host ids are BIGINT; they stay numbers (Moodle ids are far below 2^53).
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4_unicode_ci',
    multipleStatements: false,
    // Prepared statements stay on the server until closed: a connection keeps (and closes beyond) this many.
    maxPreparedStatements: 64,
  });
  // Batches look users up with IN lists of up to a thousand keys. Past 200 values the optimiser
  // estimates from index statistics instead of looking, and past 1000 MariaDB rewrites the list into
  // a join; on a table that just grew, either can turn a keyed lookup into a full scan. Always look.
  // (MySQL has no in_predicate_conversion_threshold; that error is ignored.)
  pool.pool.on('connection', (conn) => {
    conn.query('SET SESSION eq_range_index_dive_limit = 0', () => undefined);
    conn.query('SET SESSION in_predicate_conversion_threshold = 0', () => undefined);
  });
  return { db: drizzleOf(pool), pool, close: () => pool.end() };
}

const builders = new WeakMap<mysql.Pool | mysql.PoolConnection, Db>();

/**
 * Drizzle's query builders over a pool, or over one connection inside a transaction (one instance each):
 * typed SQL for everything but the measured hot paths.
 */
export function drizzleOf(client: mysql.Pool | mysql.PoolConnection): Db {
  let db = builders.get(client);
  if (!db) {
    db = drizzle(client) as Db;
    builders.set(client, db);
  }
  return db;
}

const migrationsFolder = join(packageRoot, 'db', 'migrations');

/** Applies the plugin's generated migrations (its own `intake_*` tables only). */
export async function migratePlugin(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder });
}

/** `text` in a LIKE pattern, the `%`, `_` and backslashes a person typed taken as characters. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern that finds `text` anywhere. */
export const containing = (text: string) => `%${likeLiteral(text)}%`;

/** A LIKE pattern that finds what starts with `text`. */
export const startingWith = (text: string) => `${likeLiteral(text)}%`;
