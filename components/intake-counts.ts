import { updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import type { Counts } from '../server/contract/types.js';
import { countLabel } from './outcome-labels.js';
import { shownCounts } from '../server/contract/count-labels.js';
import { sharedStyles } from './shared-styles.js';
import { formatNumber } from './localization.js';

/**
 * The outcome counts of a preview or an import, as tiles.
 *
 * @csspart tile - one count
 */
export class IntakeCounts extends LitElement {
  static override properties = { counts: { attribute: false } };

  static override styles = [
    sharedStyles,
    css`
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.75rem;
        margin: 0;
      }
      div {
        border: 1px solid var(--intake-border);
        border-radius: 0.5rem;
        padding: 0.5rem 0.75rem;
        background: #fff;
      }
      dt {
        font-size: 0.8rem;
        color: #495057;
        /* Long Dutch and Finnish compounds break inside the tile, not out of it. */
        hyphens: auto;
        overflow-wrap: anywhere;
      }
      dd {
        margin: 0;
        font-size: 1.5rem;
        font-weight: 600;
      }
      [data-key='errors'] dd {
        color: var(--intake-danger);
      }
      [data-key='created'] dd {
        color: var(--intake-ok);
      }
    `,
  ];

  declare counts: Counts | null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.counts = null;
  }

  override render() {
    const counts = this.counts;
    if (!counts) return html``;
    return html`<dl>
      ${shownCounts(counts).map((key) => html`<div part="tile" data-key=${key}><dt>${countLabel(key)}</dt><dd>${formatNumber(counts[key])}</dd></div>`)}
    </dl>`;
  }
}

customElements.define('intake-counts', IntakeCounts);

declare global {
  interface HTMLElementTagNameMap {
    'intake-counts': IntakeCounts;
  }
}
