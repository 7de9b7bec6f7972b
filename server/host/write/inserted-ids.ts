import type { Pool, RowDataPacket } from 'mysql2/promise';

/** Reads how this server numbers auto-increment ids, once per import. */
export async function hasConsecutiveIds(pool: Pool): Promise<boolean> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT @@auto_increment_increment AS step, @@innodb_autoinc_lock_mode AS mode');
  return Number(rows[0]?.step) === 1 && Number(rows[0]?.mode) < 2;
}

/**
 * Ids of rows a multi-row INSERT just wrote. InnoDB hands a simple multi-row insert one consecutive
 * block when auto-increment steps by 1 and the lock mode is not "interleaved" (Galera uses that);
 * otherwise the ids are read back by a unique key.
 */
export async function insertedIds(consecutive: boolean, firstId: number, count: number, readBack: () => Promise<number[]>): Promise<number[]> {
  return consecutive ? Array.from({ length: count }, (_, i) => firstId + i) : readBack();
}
