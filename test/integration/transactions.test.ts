/** A batch that loses a deadlock to another import is rolled back whole and written again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../server/host/database.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('tx');
  await database.pool.query('CREATE TABLE scratch (id INT PRIMARY KEY, n INT NOT NULL)');
  await database.pool.query('INSERT INTO scratch VALUES (1, 0), (2, 0)');
});
afterAll(async () => {
  await database.drop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transactions', () => {
  it('run again after a real deadlock, each attempt on its own, and both writers finish', async () => {
    const retries: string[] = [];
    // Two writers lock the same rows in opposite order: InnoDB rolls one back as the deadlock's victim.
    const writer = (first: number, second: number) =>
      inTransaction(
        database.pool,
        async (conn) => {
          await conn.query('UPDATE scratch SET n = n + 1 WHERE id = ?', [first]);
          await pause(100);
          await conn.query('UPDATE scratch SET n = n + 1 WHERE id = ?', [second]);
        },
        { retries: 3, onRetry: (code) => retries.push(code) },
      );
    await Promise.all([writer(1, 2), writer(2, 1)]);
    expect(retries).toEqual(['ER_LOCK_DEADLOCK']);
    // The victim's first attempt left nothing behind: each row counts exactly the two writers.
    const [rows] = await database.pool.query('SELECT id, n FROM scratch ORDER BY id');
    expect(rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });

  it('give up on other errors at once', async () => {
    let attempts = 0;
    await expect(
      inTransaction(
        database.pool,
        async (conn) => {
          attempts++;
          await conn.query('INSERT INTO scratch VALUES (1, 0)');
        },
        { retries: 3 },
      ),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(attempts).toBe(1);
  });

  it('that claim work lock only what they take: a new import is not held up while a worker looks for a job', async () => {
    await database.pool.query("INSERT INTO intake_import (public_id, created_by, status, file_name) VALUES (UUID(), 2, 'done', 'a.csv'), (UUID(), 2, 'uploaded', 'b.csv')");
    /** A worker's claim (as claimNextJob looks), held open while another process starts an import. */
    const claimWhileImportStarts = (claimsWork: boolean) =>
      inTransaction(
        database.pool,
        async (conn) => {
          await conn.query("SELECT id FROM intake_import WHERE status IN ('previewing', 'queued', 'running', 'undoing') ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED");
          const other = await database.pool.getConnection();
          try {
            await other.query('SET SESSION innodb_lock_wait_timeout = 1');
            await other.query("INSERT INTO intake_import (public_id, created_by, file_name) VALUES (UUID(), 2, 'new.csv')");
          } finally {
            other.release();
          }
        },
        { claimsWork },
      );
    await expect(claimWhileImportStarts(true)).resolves.toBeUndefined();
    // Under the default isolation the claim's scan locks the gaps it passed: the insert waits it out.
    await expect(claimWhileImportStarts(false)).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' });
  });
});
