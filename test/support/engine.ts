import { randomUUID } from 'node:crypto';
import { siteScope } from '../../server/auth/scope.js';
import type { RowDataPacket } from 'mysql2/promise';
import { settingsSchema, type SettingsInput } from '../../server/contract.js';
import { readEnv } from '../../server/env.js';
import { runImport } from '../../server/engine.js';
import { PasswordPool } from '../../server/host/password-pool.js';
import type { ByteSource } from '../../server/pipeline/table.js';
import type { TestDatabase } from './database.js';

/** Runs the engine the way the CLI does: an import record, then a preview or a commit. */
export function engineFor(database: TestDatabase) {
  const env = readEnv({ DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000' });
  const passwords = new PasswordPool({ scheme: 'sha512', rounds: env.INTAKE_HASH_ROUNDS }, 2);
  return {
    env,
    passwords,
    async run(bytes: ByteSource, settings: SettingsInput, mode: 'preview' | 'commit' = 'commit') {
      const parsed = settingsSchema.parse(settings);
      await database.pool.query('INSERT INTO intake_import (public_id, source, created_by, status, file_name) VALUES (?, ?, 2, ?, ?)', [randomUUID(), parsed.source, 'running', 'test.csv']);
      const [[row]] = await database.pool.query<RowDataPacket[]>('SELECT MAX(id) AS id FROM intake_import');
      const importId = Number(row!.id);
      const result = await runImport({ database, env, passwords }, { importId, bytes, settings: parsed, mode, actor: { id: 2, scope: siteScope } });
      return { ...result, importId };
    },
    close: () => passwords.close(),
  };
}

export async function hostUsers(database: TestDatabase): Promise<RowDataPacket[]> {
  const [rows] = await database.pool.query<RowDataPacket[]>('SELECT * FROM mdl_user WHERE id > 2 ORDER BY id');
  return rows;
}
