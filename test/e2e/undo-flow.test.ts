import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { commit, preview, startDemo, tile, uploadFile, type DemoUnderTest } from '../support/e2e.js';
import { focusedId } from '../support/keyboard.js';

let demo: DemoUnderTest;

beforeAll(async () => {
  demo = await startDemo('undo');
});

afterAll(async () => {
  await demo?.close();
});

const first = ['username;firstname;lastname;email', 'undo1;Uma;Ndo;undo1@school.example', 'undo2;Ugo;Ndo;undo2@school.example', 'undo3;Ula;Ndo;undo3@school.example'].join('\n');
/** A later export of the same feed: two of the three have a new last name. */
const later = ['username;firstname;lastname;email', 'undo1;Uma;Ndo-Later;undo1@school.example', 'undo2;Ugo;Ndo-Later;undo2@school.example', 'undo3;Ula;Ndo;undo3@school.example'].join('\n');

async function importFile(page: import('playwright-core').Page, name: string, content: string) {
  await page.goto(`${demo.server.url}/`);
  await uploadFile(page, name, content);
  await page.click('intake-mapping-step #next');
  await page.fill('intake-settings-step #source', 'undo-feed');
  await preview(page);
  await commit(page);
}

describe('undo from history', () => {
  it('opens the import, says what undo does, warns that a later import changed the same people, and updates history after', async () => {
    const page = await demo.browser.newPage();
    await importFile(page, 'first.csv', first);
    expect(await tile(page, 'intake-result-step', 'created')).toBe('3');
    await importFile(page, 'later.csv', later);
    expect(await tile(page, 'intake-result-step', 'updated')).toBe('2');

    await page.click('intake-result-step #restart');
    await expect.poll(() => page.locator('intake-history #history tbody tr').count()).toBe(2);
    const firstRow = page.locator('intake-history #history tbody tr', { hasText: 'first.csv' });
    await firstRow.locator('button').click();
    // The first import's result, with the confirmation open at once (nothing is undone yet).
    await page.waitForSelector('intake-result-step #undo-confirmation');
    expect(await page.locator('intake-result-step #undo-text').innerText()).toContain('removes the new accounts (3)');
    await expect.poll(() => page.locator('intake-result-step #undo-later').innerText().catch(() => '')).toContain('later imports (1) changed 2 of these people');
    // By default what the later import changed stays; the admin may choose otherwise.
    expect(await page.locator('intake-result-step #undo-over-later').isChecked()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    const [[before]] = await demo.database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'undo%'");
    expect(before!.n).toBe(3);

    // Escape closes the question without undoing, and the focus goes back to the button that asked it.
    await page.focus('intake-result-step #confirm-undo');
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedId(page)).toBe('undo');
    expect(await page.locator('intake-result-step #undo-confirmation').count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('confirm-undo');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('intake-result-step #headline').innerText(), { timeout: 20_000 }).toContain('undone');
    const [[after]] = await demo.database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mdl_user WHERE username LIKE 'undo%'");
    expect(after!.n).toBe(0);
    // History says so without a reload.
    await page.click('intake-result-step #restart');
    await expect.poll(() => page.locator('intake-history #history tbody tr', { hasText: 'first.csv' }).innerText()).toContain('undone');
    await page.close();
  });
});
