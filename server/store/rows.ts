import { and, asc, count, eq, gt, inArray, isNotNull, like, or, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { rowOutcomes } from '../../db/plugin/schema.js';
import type { Outcome, RowOutcome, RowPage } from '../contract/types.js';
import { containing, drizzleOf, hasJsonTable } from '../host/database.js';

const rowColumns = 'import_id, line, outcome, reason, username, user_id, diff, problems, placement, person';

/**
 * Stores each row's outcome (never a password: plans carry none in these fields). Raw SQL on purpose:
 * a million-row preview writes a thousand of these thousand-row statements, and Drizzle's insert
 * builder makes bulk inserts 1.9–2.3× slower (measured on this project's machines).
 * Where the database has JSON_TABLE, a batch travels as one JSON document, the single value of a
 * prepared statement: escaping the outcomes' JSON into a statement's text (every `"` of it) made half of
 * what a 100,000-row preview allocated and took a sixth of its time. Not a prepared statement with a
 * value per cell either: the server describes each of a thousand-row insert's 10,000 parameters, and
 * mysql2 keeps those descriptions on every pooled connection (25 MB more for a million rows, measured).
 */
export async function saveRowOutcomes(pool: Pool, importId: number, rows: RowOutcome[], options: { asJson?: boolean } = {}): Promise<void> {
  if (rows.length === 0) return;
  if (options.asJson ?? (await hasJsonTable(pool))) {
    await pool.execute(`INSERT INTO intake_row (${rowColumns}) SELECT ?, j.* FROM ${outcomesTable}`, [importId, storableJson(rows.map(asDocument))]);
    return;
  }
  await pool.query(`INSERT INTO intake_row (${rowColumns}) VALUES ?`, [
    rows.map((r) => {
      const d = asDocument(r);
      return [importId, d.row, d.outcome, d.reason ?? null, d.username, d.userId ?? null, ...[d.diff, d.problems, d.placement, d.person].map((v) => (v === undefined ? null : storableJson(v)))];
    }),
  ]);
}

/** A row's outcome as stored: absent members are NULL columns (no `[]` of problems, no empty placement). */
const asDocument = (r: RowOutcome) => ({
  row: r.row,
  outcome: r.outcome,
  reason: r.reason,
  username: r.username.slice(0, 100),
  userId: r.userId ?? undefined,
  diff: r.diff ?? undefined,
  problems: r.problems.length > 0 ? r.problems : undefined,
  placement: r.placement ?? undefined,
  person: r.person ?? undefined,
});

/** Half of a surrogate pair, without its other half. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON the database accepts. JSON.stringify writes a lone surrogate (half an emoji, where a long value
 * was cut) as a `\udXXX` escape that MariaDB's JSON parser refuses, failing the whole batch: such
 * strings get U+FFFD in its place, as a text column stores it. Only a document that holds such an
 * escape is made again (the test also catches a typed backslash followed by "ud8", harmlessly).
 */
function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!/\\ud[89a-f]/.test(json)) return json;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(loneSurrogate, '\ufffd') : v));
}

const outcomesTable = `JSON_TABLE(?, '$[*]' COLUMNS (
  line INT PATH '$.row', outcome VARCHAR(10) PATH '$.outcome', reason VARCHAR(30) PATH '$.reason', username VARCHAR(100) PATH '$.username',
  user_id BIGINT PATH '$.userId', diff JSON PATH '$.diff', problems JSON PATH '$.problems', placement JSON PATH '$.placement', person JSON PATH '$.person')) j`;

/** Whether the import's last run met a row of this number (a preview keeps every row's outcome). */
export async function hasRowOutcome(pool: Pool, importId: number, line: number): Promise<boolean> {
  const found = await drizzleOf(pool)
    .select({ line: rowOutcomes.line })
    .from(rowOutcomes)
    .where(and(eq(rowOutcomes.importId, importId), eq(rowOutcomes.line, line)))
    .limit(1);
  return found.length > 0;
}

/** Forgets the outcomes of an earlier run of the same import (a preview before its commit). */
export async function clearRowOutcomes(pool: Pool, importId: number): Promise<void> {
  await drizzleOf(pool).delete(rowOutcomes).where(eq(rowOutcomes.importId, importId));
}

type StoredRow = typeof rowOutcomes.$inferSelect;

function toOutcome(r: StoredRow): RowOutcome {
  return {
    row: r.line,
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    username: r.username,
    userId: r.userId,
    diff: r.diff,
    problems: r.problems ?? [],
    placement: r.placement,
    person: r.person,
  };
}

export async function loadRowPage(pool: Pool, importId: number, query: { outcome?: Outcome; offset: number; limit: number; q?: string | undefined }): Promise<RowPage> {
  // A search finds rows by username, by the person's name, e-mail or student number, or by the node and
  // groups they land in, across every page.
  const pattern = query.q ? containing(query.q) : null;
  const where = and(
    eq(rowOutcomes.importId, importId),
    query.outcome ? eq(rowOutcomes.outcome, query.outcome) : undefined,
    pattern
      ? or(like(rowOutcomes.username, pattern), like(sql`CAST(${rowOutcomes.person} AS CHAR)`, pattern), like(sql`CAST(${rowOutcomes.placement} AS CHAR)`, pattern))
      : undefined,
  );
  const db = drizzleOf(pool);
  const [counted, rows] = await Promise.all([
    db.select({ n: count() }).from(rowOutcomes).where(where),
    db.select().from(rowOutcomes).where(where).orderBy(asc(rowOutcomes.line)).limit(query.limit).offset(query.offset),
  ]);
  return { total: counted[0]?.n ?? 0, rows: rows.map(toOutcome) };
}

/** Rows with problems, in file order, streamed in pages so a large error report never sits in memory. */
export async function* problemRows(pool: Pool, importId: number): AsyncGenerator<RowOutcome> {
  let after = 0;
  for (;;) {
    const rows = await drizzleOf(pool)
      .select()
      .from(rowOutcomes)
      .where(and(eq(rowOutcomes.importId, importId), or(inArray(rowOutcomes.outcome, ['error', 'skip']), isNotNull(rowOutcomes.problems)), gt(rowOutcomes.line, after)))
      .orderBy(asc(rowOutcomes.line))
      .limit(1000);
    if (rows.length === 0) return;
    for (const r of rows) yield toOutcome(r);
    after = rows[rows.length - 1]!.line;
  }
}
