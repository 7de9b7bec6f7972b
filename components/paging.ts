import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import { formatNumber } from './localization.js';

/**
 * Previous, "1–50 of 20.000", Next for a list shown a page at a time; nothing when it fits on one page.
 * At either end the button says it cannot go further (aria-disabled) but keeps the focus: a keyboard
 * user who pressed Next to the last page is not dropped to the page's start, as a disabled button would.
 */
export function pager(offset: number, perPage: number, total: number, go: (offset: number) => void) {
  if (total <= perPage) return nothing;
  const step = (label: string, id: string, to: number, blocked: boolean) =>
    html`<button class="secondary" type="button" id=${id} aria-disabled=${blocked ? 'true' : 'false'} @click=${() => blocked || go(to)}>${label}</button>`;
  return html`<div class="pager">
    ${step(msg('Previous', { id: 'preview.previous' }), 'page-previous', Math.max(0, offset - perPage), offset === 0)}
    <span>${msg(str`${formatNumber(offset + 1)}–${formatNumber(Math.min(offset + perPage, total))} of ${formatNumber(total)}`, { id: 'preview.range' })}</span>
    ${step(msg('Next', { id: 'preview.next' }), 'page-next', offset + perPage, offset + perPage >= total)}
  </div>`;
}

/** A search box's handler: `search` runs once typing pauses, with the trimmed text, not on every key. */
export function searchAsTyped(search: (text: string) => void, pauseMs = 250): (event: Event) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (event) => {
    const text = (event.target as HTMLInputElement).value.trim();
    clearTimeout(timer);
    timer = setTimeout(() => search(text), pauseMs);
  };
}
