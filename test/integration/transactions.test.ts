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
});
