import { requireComponentsBundle } from '../support/require-build.js';

/** Once per run: the browser tests need the built components bundle. */
export default function setup(): void {
  requireComponentsBundle();
}
