import { defineConfig } from 'vitest/config';

/**
 * Vite builds the components bundle a host page loads (`dist/intake.js`); Vitest runs the unit and
 * integration tests. Components run in Chromium under @web/test-runner, end-to-end tests under
 * test/e2e/vitest.e2e.config.ts.
 */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    lib: { entry: 'plugin/loader.ts', formats: ['es'], fileName: () => 'intake.js' },
    // Translations load on demand, next to intake.js under names the server serves (lower case, no hash).
    // Minified (the source map keeps it readable): lib mode leaves whitespace in an ES build otherwise.
    rollupOptions: { output: { chunkFileNames: 'intake-locale-[name].js', minify: true } },
    sourcemap: true,
  },
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
