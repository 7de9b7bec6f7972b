import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase, migratePlugin, openDatabase, type Database } from '../../server/host/database.js';
import { createDemoHost } from '../../server/demo/demo-host.js';

/** The MariaDB server the tests use; each test file gets a database of its own on it. */
const server = process.env.TEST_DATABASE_SERVER ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase extends Database {
  url: string;
  drop(): Promise<void>;
}

/** The database at `url`, made anew: the plugin's migrations applied, the demo host's tables and seed in it. */
export async function freshDemoHost(url: string): Promise<Database> {
  await dropDatabase(url);
  await ensureDatabase(url);
  const database = openDatabase(url);
  await migratePlugin(database.db);
  await createDemoHost(database.db);
  return database;
}

/** A fresh database of a test file's own (see freshDemoHost), dropped by `drop()`. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const url = `${server}/intake_test_${label}_${randomBytes(3).toString('hex')}`;
  const database = await freshDemoHost(url);
  return {
    ...database,
    url,
    async drop() {
      await database.close();
      await dropDatabase(url);
    },
  };
}
