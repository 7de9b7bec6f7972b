import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.js';
import { commit, preview, startDemo, tile, uploadFile, type DemoUnderTest } from '../support/e2e.js';
import { focusedId } from '../support/keyboard.js';

let demo: DemoUnderTest;

beforeAll(async () => {
  demo = await startDemo('fix');
});

afterAll(async () => {
  await demo?.close();
});

const file = [
  'username;firstname;lastname;email',
  'fixa;Fien;Ix;fien@school.example',
  'fixb;Fons;Ix;fons@@school',
  'fixc;;Ix;fixc@school.example',
  // A VLOOKUP that found nothing, as Dutch Excel writes it into a CSV, and no address: both said at once.
  'fixd;Fenna;#N/B;',
].join('\n');

describe('fix in place', () => {
  it('corrects invalid cells in the preview, checks the rows again with the file, and imports the corrected values', async () => {
    const page = await demo.browser.newPage();
    await page.goto(`${demo.server.url}/`);
    await uploadFile(page, 'fix.csv', file);
    await page.click('intake-mapping-step #next');
    await page.fill('intake-settings-step #source', 'fix-feed');
    await preview(page);
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('3');
    const previewText = await page.locator('intake-preview-step #rows tbody').innerText();
    expect(previewText).toContain('Last name holds #N/B, the error of a formula in the spreadsheet');
    expect(previewText).toContain('Email address is required');

    // The e-mail row: its field opens with the value the problem names, focused.
    await page.click('intake-preview-step button[data-fix="3"]');
    const email = page.locator('intake-preview-step #fix-3-3');
    expect(await email.inputValue()).toBe('fons@@school');
    expect(await email.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // Escape closes the form and gives the focus back to the row's "Correct", not to the top of the page.
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedId(page)).toBe('correct-3');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('fix-3-3');
    await email.fill('fons@school.example');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('intake-preview-step #rechecked').innerText().catch(() => ''), { timeout: 20_000 }).toContain('Row 3 was checked again: New');
    // The keyboard user lands on what became of the row they corrected.
    await expect.poll(() => focusedId(page)).toBe('rechecked');
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('2');

    // The missing first name: an empty field for it.
    await page.click('intake-preview-step button[data-fix="4"]');
    await page.fill('intake-preview-step #fix-4-1', 'Floor');
    await page.click('intake-preview-step #recheck');
    await expect.poll(() => page.locator('intake-preview-step #rechecked').innerText().catch(() => ''), { timeout: 20_000 }).toContain('Row 4 was checked again: New');
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('1');

    // Both of a row's problems in one correction: the formula's error shown as it was, the missing address empty.
    await page.click('intake-preview-step button[data-fix="5"]');
    expect(await page.locator('intake-preview-step #fix-5-2').inputValue()).toBe('#N/B');
    await page.fill('intake-preview-step #fix-5-2', 'Dekker');
    await page.fill('intake-preview-step #fix-5-3', 'fenna@school.example');
    await page.click('intake-preview-step #recheck');
    await expect.poll(() => page.locator('intake-preview-step #rechecked').innerText().catch(() => ''), { timeout: 20_000 }).toContain('Row 5 was checked again: New');
    expect(await tile(page, 'intake-preview-step', 'errors')).toBe('0');
    expect(await tile(page, 'intake-preview-step', 'created')).toBe('4');

    // The commit reads the file as the preview did: with the corrections.
    await commit(page);
    expect(await tile(page, 'intake-result-step', 'created')).toBe('4');
    const [rows] = await demo.database.pool.query<RowDataPacket[]>("SELECT username, firstname, lastname, email FROM mdl_user WHERE username LIKE 'fix%' ORDER BY username");
    expect(rows.map((r) => `${r.username}:${r.firstname}:${r.email}`)).toEqual(['fixa:Fien:fien@school.example', 'fixb:Fons:fons@school.example', 'fixc:Floor:fixc@school.example', 'fixd:Fenna:fenna@school.example']);
    expect(rows[3]!.lastname).toBe('Dekker');
    // The corrections were file data: they went with the file when the import finished.
    const [[record]] = await demo.database.pool.query<RowDataPacket[]>("SELECT format FROM intake_import WHERE file_name = 'fix.csv'");
    expect(JSON.stringify(record!.format)).not.toContain('Floor');
    await page.close();
  });
});
