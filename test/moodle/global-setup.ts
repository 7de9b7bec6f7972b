import { installMoodleWithPlugin } from '../support/moodle.js';
import { requireComponentsBundle } from '../support/require-build.js';

/** Once per run: a fresh Moodle 4.1 site with local_intake installed, dumped for every test file to copy. */
export default async function setup(): Promise<void> {
  requireComponentsBundle();
  await installMoodleWithPlugin((msg) => process.stderr.write(`moodle: ${msg}\n`));
}
