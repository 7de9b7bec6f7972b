import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFieldTable } from '../../server/core/catalog-docs.js';
import { settingsSchema } from '../../server/engine/settings-schema.js';
import { readSettingsFile } from '../../plugin/settings-file.js';

describe('the README', () => {
  it("lists the catalog's fields as the catalog has them (npm run docs rewrites the table)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withFieldTable(readme));
  });

  it('shows a settings file the command takes as it is, comments and all', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /## Settings[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'intake-readme-'));
    try {
      const file = join(dir, 'settings.jsonc');
      writeFileSync(file, example!);
      const parsed = settingsSchema.safeParse(await readSettingsFile(file));
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data).toMatchObject({ source: 'numo', group: { create: 'Leerjaar 2026' }, file: { headerRow: 3 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
