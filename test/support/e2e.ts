import type { Browser, Page } from 'playwright-core';
import { readEnv } from '../../server/engine/env.js';
import { startServer, type RunningServer } from '../../server/main.js';
import { launchBrowser } from './browser.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface DemoUnderTest {
  database: TestDatabase;
  server: RunningServer;
  browser: Browser;
  /** Everything the server logged. */
  logs: string[];
  close(): Promise<void>;
}

/** The demo host on a port of its own, against a fresh database, with a Chromium to drive it. */
export async function startDemo(label: string, env: Record<string, string> = {}): Promise<DemoUnderTest> {
  const database = await createTestDatabase(label);
  const logs: string[] = [];
  const server = await startServer(readEnv({ DATABASE_URL: database.url, INTAKE_SECRET: `e2e-secret-${label}-0123456789`, INTAKE_HASH_ROUNDS: '1000', ...env }), {
    demo: true,
    port: 0,
    pollMs: 100,
    log: (line) => logs.push(line),
  });
  const browser = await launchBrowser();
  return {
    database,
    server,
    browser,
    logs,
    async close() {
      await browser.close();
      await server.close();
      await database.drop();
    },
  };
}

export async function uploadFile(page: Page, name: string, content: Uint8Array | string) {
  await page.setInputFiles('intake-upload-step input[type=file]', { name, mimeType: 'application/octet-stream', buffer: Buffer.from(content) });
  await page.waitForSelector('intake-mapping-step select');
}

export const tile = (page: Page, step: string, key: string) => page.locator(`${step} intake-counts [data-key=${key}] dd`).innerText();

export async function preview(page: Page) {
  await page.click('intake-settings-step #preview');
  await page.waitForSelector('intake-preview-step #rows tbody tr');
}

/** "Import now", confirming once when the preview has errors or an archive (the wizard asks then). */
export async function commit(page: Page) {
  await page.click('intake-preview-step #commit');
  if (await page.locator('intake-preview-step #confirm-commit').isVisible().catch(() => false)) await page.click('intake-preview-step #confirm-commit');
  await page.waitForSelector('intake-result-step #headline');
}
