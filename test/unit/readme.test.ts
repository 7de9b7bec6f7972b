import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withFieldTable } from '../../server/core/catalog-docs.js';

describe('the README', () => {
  it("lists the catalog's fields as the catalog has them (npm run docs rewrites the table)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withFieldTable(readme));
  });
});
