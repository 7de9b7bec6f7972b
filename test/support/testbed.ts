import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database.js';
import { engineFor } from './engine.js';

/**
 * A test file's own database with the demo host, and the engine over it: made before the file's tests,
 * dropped after them. `query` reads the host's tables directly, to check what an import wrote.
 */
export function engineTestbed(label: string) {
  let database: TestDatabase | undefined;
  let engine: ReturnType<typeof engineFor> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(label);
    engine = engineFor(database);
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the testbed is made in beforeAll: use it inside a test');
    return value;
  };
  return {
    get database() {
      return ready(database);
    },
    get engine() {
      return ready(engine);
    },
    async query(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
      const [rows] = await ready(database).pool.query<RowDataPacket[]>(sql, params);
      return rows;
    },
  };
}
