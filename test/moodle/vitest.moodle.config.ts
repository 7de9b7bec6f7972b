import { defineConfig } from 'vitest/config';

/**
 * `npm run test:moodle`: Intake against a real Moodle 4.1 site (MOODLE_SRC, default ../shared/hosts/moodle),
 * checked with Moodle's own PHP API, CLI and pages.
 */
export default defineConfig({
  test: {
    name: 'moodle',
    include: ['test/moodle/**/*.test.ts'],
    globalSetup: ['test/moodle/global-setup.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
