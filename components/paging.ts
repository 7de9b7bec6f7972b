import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import { formatNumber } from './localization.js';

/** Previous, "1–50 of 20.000", Next for a list shown a page at a time; nothing when it fits on one page. */
export function pager(offset: number, perPage: number, total: number, go: (offset: number) => void) {
  if (total <= perPage) return nothing;
  return html`<div class="pager">
    <button class="secondary" type="button" ?disabled=${offset === 0} @click=${() => go(Math.max(0, offset - perPage))}>${msg('Previous', { id: 'preview.previous' })}</button>
    <span>${msg(str`${formatNumber(offset + 1)}–${formatNumber(Math.min(offset + perPage, total))} of ${formatNumber(total)}`, { id: 'preview.range' })}</span>
    <button class="secondary" type="button" ?disabled=${offset + perPage >= total} @click=${() => go(offset + perPage)}>${msg('Next', { id: 'preview.next' })}</button>
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
