import type { Pool, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../host/database.js';
import type { Outcome, RowOutcome, RowPage } from '../contract/types.js';

/** Stores each row's outcome (never a password: plans carry none in these fields). */
export async function saveRowOutcomes(pool: Pool, importId: number, rows: RowOutcome[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query('INSERT INTO intake_row (import_id, line, outcome, reason, username, user_id, diff, problems, placement) VALUES ?', [
    rows.map((r) => [
      importId,
      r.row,
      r.outcome,
      r.reason ?? null,
      r.username.slice(0, 100),
      r.userId,
      r.diff ? JSON.stringify(r.diff) : null,
      r.problems.length > 0 ? JSON.stringify(r.problems) : null,
      r.placement ? JSON.stringify(r.placement) : null,
    ]),
  ]);
}


function toOutcome(r: RowDataPacket): RowOutcome {
  return {
    row: Number(r.line),
    outcome: r.outcome as Outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    username: String(r.username),
    userId: r.user_id === null ? null : Number(r.user_id),
    diff: jsonColumn(r.diff),
    problems: jsonColumn(r.problems) ?? [],
    placement: jsonColumn(r.placement),
  };
}

export async function loadRowPage(pool: Pool, importId: number, query: { outcome?: Outcome; offset: number; limit: number }): Promise<RowPage> {
  const filter = query.outcome ? ' AND outcome = ?' : '';
  const params: unknown[] = query.outcome ? [importId, query.outcome] : [importId];
  const [[total]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM intake_row WHERE import_id = ?${filter}`, params);
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT * FROM intake_row WHERE import_id = ?${filter} ORDER BY line LIMIT ? OFFSET ?`, [...params, query.limit, query.offset]);
  return { total: Number(total?.n ?? 0), rows: rows.map(toOutcome) };
}

/** Rows with problems, in file order, streamed in pages so a large error report never sits in memory. */
export async function* problemRows(pool: Pool, importId: number): AsyncGenerator<RowOutcome> {
  let after = 0;
  for (;;) {
    const [rows] = await pool.query<RowDataPacket[]>("SELECT * FROM intake_row WHERE import_id = ? AND (outcome IN ('error', 'skip') OR problems IS NOT NULL) AND line > ? ORDER BY line LIMIT 1000", [importId, after]);
    if (rows.length === 0) return;
    for (const r of rows) yield toOutcome(r);
    after = Number(rows[rows.length - 1]!.line);
  }
}
