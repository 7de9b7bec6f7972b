import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder, found from this file whether it runs as TypeScript from `server/` or
 * compiled from `dist/node/server/`: paths to migrations and the built bundle start here.
 */
export const packageRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'db', 'migrations'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Intake cannot find its package folder.');
    dir = parent;
  }
  return dir;
})();

/** This Intake's version, as its package.json says. */
export const intakeVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
