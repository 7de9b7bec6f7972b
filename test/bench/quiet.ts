import type { Pool } from 'mysql2/promise';
import { queryRows } from '../../server/host/database.js';

/** InnoDB's history list below this is the purge of ordinary traffic, not of a run before. */
const quietHistory = 100;

/**
 * Waits until MariaDB has purged what earlier runs deleted (InnoDB's history list, from INNODB_METRICS),
 * at most `limitMs`: after a 100k-row undo its purge threads work on for seconds, on the cores the next
 * measured run needs (the command's start to its first SQL measured 0.37 to 0.44 s right after one,
 * 0.29 s once it was purged). Every run, the floor's and Intake's alike, starts on a quiet database.
 * Returns how long it waited.
 */
export async function quietDatabase(pool: Pool, limitMs = 60_000): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    const [history] = await queryRows<{ length: number }>(pool, "SELECT `count` AS length FROM information_schema.INNODB_METRICS WHERE name = 'trx_rseg_history_len'");
    // A server without the metric (another engine, counters off) is not waited for.
    if (history === undefined || Number(history.length) < quietHistory) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Date.now() - start;
}
