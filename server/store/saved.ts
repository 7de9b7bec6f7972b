import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Pool } from 'mysql2/promise';
import { savedSettings } from '../../db/plugin/schema.js';
import { drizzleOf } from '../host/database.js';
import type { MappedField } from '../contract/catalog.js';
import type { ColumnMapping, Settings } from '../contract/types.js';
import { normalizeHeader } from '../core/map/map-columns.js';

/** Files with the same columns (in any order, any spelling of case and accents) share a signature. */
export function headerSignature(headers: string[]): string {
  return createHash('sha1').update(headers.map(normalizeHeader).sort().join('|')).digest('hex');
}

type SavedKind = (typeof savedSettings.$inferSelect)['kind'];

async function save(pool: Pool, kind: SavedKind, name: string, value: typeof savedSettings.$inferInsert.value): Promise<void> {
  await drizzleOf(pool)
    .insert(savedSettings)
    .values({ kind, name, value })
    .onDuplicateKeyUpdate({ set: { value, updatedAt: sql`NOW(3)` } });
}

async function load(pool: Pool, kind: SavedKind, name: string) {
  const [row] = await drizzleOf(pool)
    .select({ value: savedSettings.value })
    .from(savedSettings)
    .where(and(eq(savedSettings.kind, kind), eq(savedSettings.name, name)));
  return row?.value ?? null;
}

/** The choices of the last completed import of a source, offered again next time (never a mapping of another file). */
export const saveSourceSettings = (pool: Pool, settings: Settings) => save(pool, 'settings', settings.source, { ...settings, mapping: undefined });
// The kind column decides which of the two a value holds.
export const loadSourceSettings = async (pool: Pool, source: string) => (await load(pool, 'settings', source)) as Settings | null;

/** What this site mapped each header to, for the next file with the same header set. */
export const saveMapping = (pool: Pool, columns: ColumnMapping[]) =>
  save(pool, 'mapping', headerSignature(columns.map((c) => c.header)), Object.fromEntries(columns.map((c) => [c.header, c.field])));
export const loadMapping = async (pool: Pool, headers: string[]) => (await load(pool, 'mapping', headerSignature(headers))) as Record<string, MappedField | null> | null;
