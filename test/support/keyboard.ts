import type { Page } from 'playwright-core';

/** The id of the element that has focus, looking through open shadow roots to the innermost one. */
export const focusedId = (page: Page) =>
  page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id ?? '';
  });

/**
 * Presses Tab (as a keyboard user does) until the element with this id has focus; fails after `limit`
 * presses, so a control out of the tab order is found out.
 */
export async function tabTo(page: Page, id: string, limit = 80): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} was not reached with ${limit} presses of Tab`);
}
