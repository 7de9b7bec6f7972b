import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../server/core/package-root.js';
import { axeViolations, horizontalOverflow } from '../support/axe.js';
import { commit, preview, startDemo, tile, uploadFile, type DemoUnderTest } from '../support/e2e.js';
import { focusedId, tabTo } from '../support/keyboard.js';

let demo: DemoUnderTest;

beforeAll(async () => {
  demo = await startDemo('a11y');
});

afterAll(async () => {
  await demo?.close();
});

/** A Somtoday-style export: no username column, a surname prefix, one invalid address. */
const somtoday = (prefix: string) =>
  [
    'Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;E-mailadres;Klas/Stamgroep',
    `${prefix}01;Anna;van;Dijk;anna.${prefix}@school.example;1A`,
    `${prefix}02;Bram;;Berg;bram.${prefix}@school.example;1B`,
    `${prefix}03;Cem;;Yılmaz;cem@@school;1B`,
  ].join('\n');

/** The README shows these, made by this test: `docs/screenshots/<lang>-<n>-<step>.png`. */
const screenshots = join(packageRoot, 'docs', 'screenshots');

async function checkStep(page: Page, lang: string, n: number, step: string) {
  expect(await axeViolations(page), `axe on ${step} (${lang})`).toEqual([]);
  if (!['en', 'nl'].includes(lang)) return;
  mkdirSync(screenshots, { recursive: true });
  await page.locator('intake-import-wizard').screenshot({ path: join(screenshots, `${lang}-${n}-${step}.png`) });
}

/** The first step's heading in each language: the interface really is in it. */
const uploadHeading = { en: 'Upload', nl: 'Uploaden', sv: 'Ladda upp', fi: 'Lataa' } as const;
const languageNames = { en: 'English', nl: 'Dutch', sv: 'Swedish', fi: 'Finnish' } as const;

describe('every step is usable by everyone', () => {
  for (const lang of ['en', 'nl', 'sv', 'fi'] as const) {
    it(`has no axe violations on any step, in ${languageNames[lang]}`, async () => {
      const page = await demo.browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(`${demo.server.url}/?lang=${lang}`);
      await page.waitForSelector('intake-upload-step button');
      await expect.poll(() => page.locator('intake-import-wizard #step-heading').innerText()).toBe(uploadHeading[lang]);
      await checkStep(page, lang, 1, 'upload');
      await uploadFile(page, `somtoday-${lang}.csv`, somtoday(`${lang}`));
      await checkStep(page, lang, 2, 'mapping');
      await page.click('intake-mapping-step #next');
      await page.fill('intake-settings-step #source', `somtoday-${lang}`);
      await checkStep(page, lang, 3, 'settings');
      // The settings' other states: existing groups ticked in a list, a new group's name, and back to none.
      await page.locator('intake-settings-step input[name=group]').nth(1).check();
      await page.locator('intake-settings-step .group-list input').first().check();
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('intake-settings-step input[name=group]').nth(2).check();
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('intake-settings-step input[name=group]').nth(0).check();
      await preview(page);
      await checkStep(page, lang, 4, 'preview');
      // The confirmation that "Import now" asks for, with a row in error.
      await page.click('intake-preview-step #commit');
      await page.waitForSelector('intake-preview-step #confirmation');
      expect(await axeViolations(page)).toEqual([]);
      await page.click('intake-preview-step #confirm-commit');
      await page.waitForSelector('intake-result-step #headline');
      await checkStep(page, lang, 5, 'result');
      await page.click('intake-result-step #undo');
      await page.waitForSelector('intake-result-step #undo-confirmation');
      expect(await axeViolations(page)).toEqual([]);
      await page.click('intake-result-step #restart');
      await page.waitForSelector('intake-history #history tbody tr');
      await checkStep(page, lang, 6, 'history');
      await page.close();
    });
  }

  it('takes a keyboard user through a whole import, with focus on each new step', async () => {
    const page = await demo.browser.newPage();
    // Listened for from the start: Playwright intercepts file choosers only once a listener is in place,
    // and turning that on races a key pressed right after it.
    const choosers: FileChooser[] = [];
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.goto(`${demo.server.url}/`);
    await page.waitForSelector('intake-upload-step button');
    // The file chooser is a real button that Enter opens.
    await tabTo(page, 'choose');
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    await choosers[0]!.setFiles({ name: 'keyboard.csv', mimeType: 'text/csv', buffer: Buffer.from(somtoday('kb')) });
    await page.waitForSelector('intake-mapping-step select');
    expect(await focusedId(page)).toBe('step-heading');
    // Arrowing through the delimiters reads the file again at each one; the focus stays on the delimiter
    // (the control is disabled while the file is read, which would drop it to the page's start).
    await tabTo(page, 'delimiter');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('intake-mapping-step select').count()).toBe(1);
    await expect.poll(() => focusedId(page)).toBe('delimiter');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('intake-mapping-step select').count()).toBeGreaterThan(1);
    await expect.poll(() => focusedId(page)).toBe('delimiter');
    await tabTo(page, 'next');
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-settings-step #source');
    expect(await focusedId(page)).toBe('step-heading');
    await tabTo(page, 'source');
    await page.keyboard.type('keyboard-feed');
    await tabTo(page, 'preview');
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-preview-step #rows tbody tr');
    expect(await focusedId(page)).toBe('step-heading');
    // No username column: names come from the template, and the preview says so and shows who.
    expect(await page.locator('intake-preview-step #defaults-chosen').innerText()).toContain('{f}{lastname}');
    expect(await page.locator('intake-preview-step tr[data-row="2"]').innerText()).toContain('Anna van Dijk');
    expect(await page.locator('intake-preview-step tr[data-row="4"]').innerText()).toContain('Cem Yılmaz');
    // A picture of the outcome, its numbers as text: rows by outcome and by the groups they land in.
    expect(await page.locator('intake-preview-step intake-outcome-chart #by-outcome li[data-key=created]').innerText()).toMatch(/New accounts\s+2/);
    expect(await page.locator('intake-preview-step intake-outcome-chart #by-outcome li[data-key=errors]').innerText()).toMatch(/Errors\s+1/);
    expect(await page.locator('intake-preview-step intake-outcome-chart #by-group').innerText()).toMatch(/1A\s+1[\s\S]*1B\s+1/);
    await tabTo(page, 'commit');
    await page.keyboard.press('Enter');
    // The confirmation takes focus; Escape would cancel, Enter goes ahead.
    expect(await focusedId(page)).toBe('confirm-commit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('intake-result-step #headline');
    expect(await focusedId(page)).toBe('step-heading');
    expect(await tile(page, 'intake-result-step', 'created')).toBe('2');
    await page.close();
  });

  it('fits a 390 px phone screen without sideways scrolling, and says why a button is disabled', async () => {
    const page = await demo.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${demo.server.url}/?lang=nl`);
    await page.waitForSelector('intake-upload-step button');
    expect(await horizontalOverflow(page)).toBe(0);
    await uploadFile(page, 'smal.csv', somtoday('sm'));
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // Taking the last-name column away disables "Next", and the button names the reason.
    await page.selectOption('intake-mapping-step select[data-header="Achternaam"]', '');
    await expect.poll(() => page.locator('intake-mapping-step #next').isDisabled()).toBe(true);
    const reason = await page.locator('intake-mapping-step #next').getAttribute('aria-describedby');
    expect(await page.locator(`intake-mapping-step #${reason}`).innerText()).toContain('Achternaam');
    await page.selectOption('intake-mapping-step select[data-header="Achternaam"]', 'lastname');
    await page.click('intake-mapping-step #next');
    expect(await horizontalOverflow(page)).toBe(0);
    // An empty feed name: the preview button is disabled and described by what is missing.
    await page.fill('intake-settings-step #source', '');
    await expect.poll(() => page.locator('intake-settings-step #preview').isDisabled()).toBe(true);
    expect(await page.locator('intake-settings-step #preview-blocked').innerText()).toContain('Geef de bron een naam');
    expect(await page.locator('intake-settings-step #preview').getAttribute('aria-describedby')).toBe('preview-blocked');
    await page.fill('intake-settings-step #source', 'smal');
    // Dates are typed as a Dutch admin writes them, whatever the browser's language; one that is not a
    // date holds the preview back and says why.
    expect(await page.locator('intake-settings-step #valid-until').getAttribute('placeholder')).toBe('dd-mm-jjjj');
    await page.fill('intake-settings-step #valid-until', 'eind juli');
    await page.press('intake-settings-step #valid-until', 'Tab');
    await expect.poll(() => page.locator('intake-settings-step #preview-blocked').innerText()).toContain('Een geldigheidsdatum is geen datum');
    expect(await page.locator('intake-settings-step #valid-until').getAttribute('aria-invalid')).toBe('true');
    await page.fill('intake-settings-step #valid-until', '31-07-2099');
    await page.press('intake-settings-step #valid-until', 'Tab');
    await expect.poll(() => page.locator('intake-settings-step #preview').isDisabled()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(0);
    await preview(page);
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await commit(page);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.close();
  });
});
