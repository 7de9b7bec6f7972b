/** Imports one file in a process of its own and prints its peak RSS (for `npm run bench`). */
import { createReadStream } from 'node:fs';
import { siteScope } from '../../server/auth/scope.js';
import type { ResultSetHeader } from 'mysql2';
import { settingsSchema } from '../../server/contract.js';
import { openDatabase } from '../../server/db.js';
import { runImport } from '../../server/engine.js';
import { readEnv } from '../../server/env.js';
import { PasswordPool } from '../../server/host/password-pool.js';

const env = readEnv();
const database = openDatabase(env.DATABASE_URL);
const passwords = new PasswordPool({ scheme: 'sha512', rounds: 5000 }, 1);
const file = process.argv[2]!;
const [created] = await database.pool.query<ResultSetHeader>("INSERT INTO intake_import (public_id, created_by, file_name) VALUES (UUID(), 2, 'memory.csv')");
const start = Date.now();
const result = await runImport(
  { database, env, passwords },
  { importId: created.insertId, bytes: () => createReadStream(file), settings: settingsSchema.parse({ source: 'memory', auth: 'oauth2' }), mode: 'commit', actor: { id: 2, scope: siteScope } },
);
await passwords.close();
await database.close();
console.log(JSON.stringify({ seconds: (Date.now() - start) / 1000, rows: result.counts.rows, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
