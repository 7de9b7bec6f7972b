import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The pages these suites open load the components bundle that `npm run build` writes (`npm test` builds
 * it first). Without it every page waits for a wizard that never comes; say so at once instead.
 */
export function requireComponentsBundle(): void {
  const bundle = fileURLToPath(new URL('../../dist/intake.js', import.meta.url));
  if (!existsSync(bundle)) throw new Error('dist/intake.js is missing: run `npm run build` first (`npm test` does).');
}
