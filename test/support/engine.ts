import { randomUUID } from 'node:crypto';
import { siteScope } from '../../server/core/scope.js';
import { loadCoordinatorScope } from '../../server/host/read/scope.js';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { type SettingsInput } from '../../server/contract/types.js';
import { settingsSchema } from '../../server/engine/settings-schema.js';
import { hashingOf, readEnv } from '../../server/engine/env.js';
import type { ImportActor } from '../../server/engine/import-options.js';
import { runImport } from '../../server/engine/run-import.js';
import type { Notifications } from '../../server/mail/notifications.js';
import { PasswordPool } from '../../server/host/hashing/password-pool.js';
import type { ByteSource } from '../../server/core/read/table.js';
import { demoCoordinator, lastSeededUserId } from '../../server/demo/demo-host.js';
import type { TestDatabase } from './database.js';

/** Runs the engine the way the CLI does: an import record, then a preview or a commit. */
export function engineFor(database: TestDatabase, extra: { notifications?: Notifications; env?: Record<string, string> } = {}) {
  const env = readEnv({ DATABASE_URL: database.url, INTAKE_HASH_ROUNDS: '1000', ...extra.env });
  const passwords = new PasswordPool(hashingOf(env), 2);
  return {
    env,
    passwords,
    /** `batchRows`: rows per batch (small ones put many batches, and writes, in flight at once). */
    async run(bytes: ByteSource, settings: SettingsInput, mode: 'preview' | 'commit' = 'commit', actor: ImportActor = { id: 2, scope: siteScope }, batchRows?: number) {
      const parsed = settingsSchema.parse(settings);
      const [created] = await database.pool.query<ResultSetHeader>('INSERT INTO intake_import (public_id, source, created_by, status, file_name) VALUES (?, ?, ?, ?, ?)', [
        randomUUID(),
        parsed.source,
        actor.id,
        'running',
        'test.csv',
      ]);
      const importId = created.insertId;
      const result = await runImport({ database, env, passwords, notifications: extra.notifications }, { importId, bytes, settings: parsed, mode, actor, fileName: 'test.csv', ...(batchRows ? { batchRows } : {}) });
      return { ...result, importId };
    },
    /** The demo host's coordinator (Het Baken), with their scope as the API would read it. */
    async coordinator(): Promise<ImportActor> {
      const scope = await loadCoordinatorScope(database.pool, demoCoordinator.id, env.INTAKE_COORDINATOR_ROLE, 1);
      return { id: demoCoordinator.id, scope: scope! };
    },
    close: () => passwords.close(),
  };
}

export async function hostUsers(database: TestDatabase): Promise<RowDataPacket[]> {
  const [rows] = await database.pool.query<RowDataPacket[]>('SELECT * FROM mdl_user WHERE id > ? ORDER BY id', [lastSeededUserId]);
  return rows;
}
