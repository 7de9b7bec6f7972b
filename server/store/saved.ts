import { createHash } from 'node:crypto';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { jsonColumn } from '../host/database.js';
import type { FieldKey } from '../contract/catalog.js';
import type { ColumnMapping, Settings } from '../contract/types.js';
import { normalizeHeader } from '../core/map/map-columns.js';

/** Files with the same columns (in any order, any spelling of case and accents) share a signature. */
export function headerSignature(headers: string[]): string {
  return createHash('sha1').update(headers.map(normalizeHeader).sort().join('|')).digest('hex');
}

async function save(pool: Pool, kind: 'settings' | 'mapping', name: string, value: unknown): Promise<void> {
  await pool.query('INSERT INTO intake_saved_setting (kind, name, value) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = NOW(3)', [
    kind,
    name,
    JSON.stringify(value),
  ]);
}

async function load<T>(pool: Pool, kind: 'settings' | 'mapping', name: string): Promise<T | null> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT value FROM intake_saved_setting WHERE kind = ? AND name = ?', [kind, name]);
  const value = rows[0]?.value;
  return jsonColumn<T>(value);
}

/** The choices of the last completed import of a source, offered again next time (never a mapping of another file). */
export const saveSourceSettings = (pool: Pool, settings: Settings) => save(pool, 'settings', settings.source, { ...settings, mapping: undefined });
export const loadSourceSettings = (pool: Pool, source: string) => load<Settings>(pool, 'settings', source);

/** What this site mapped each header to, for the next file with the same header set. */
export const saveMapping = (pool: Pool, columns: ColumnMapping[]) =>
  save(pool, 'mapping', headerSignature(columns.map((c) => c.header)), Object.fromEntries(columns.map((c) => [c.header, c.field])));
export const loadMapping = (pool: Pool, headers: string[]) => load<Record<string, FieldKey | null>>(pool, 'mapping', headerSignature(headers));
