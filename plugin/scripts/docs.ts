/** `npm run docs`: rewrites the README's field table from the catalog. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withFieldTable } from '../../server/core/catalog-docs.js';

const path = new URL('../../README.md', import.meta.url);
writeFileSync(path, withFieldTable(readFileSync(path, 'utf8')));
