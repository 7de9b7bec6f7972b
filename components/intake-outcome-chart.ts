import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import type { Counts, StructureChanges } from '../server/contract/types.js';
import { formatNumber } from './localization.js';
import { countLabel } from './outcome-labels.js';
import { sharedStyles } from './shared-styles.js';

/** The row outcomes the picture shows, in the order a reader expects them. */
const outcomeKeys = ['created', 'updated', 'unchanged', 'skipped', 'errors', 'archived'] as const;

interface Bar {
  key: string;
  label: string;
  value: number;
}

/**
 * A picture of an import's outcome: rows by outcome, and rows by the groups they land in, as
 * horizontal bars. Every bar's number is text beside it (the bar itself is decoration), so a screen
 * reader reads a plain list and nothing depends on colour.
 */
export class IntakeOutcomeChart extends LitElement {
  static override properties = { counts: { attribute: false }, structure: { attribute: false } };

  static override styles = [
    sharedStyles,
    css`
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 1rem 2rem;
        margin: 1rem 0;
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-weight: 600;
        margin-bottom: 0.4rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: minmax(6rem, 40%) 1fr;
        gap: 0.5rem;
        align-items: center;
        font-size: 0.875rem;
        margin: 0.2rem 0;
      }
      .label {
        overflow-wrap: anywhere;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 0.4rem;
      }
      .fill {
        height: 0.9rem;
        min-width: 2px;
        border-radius: 2px;
        background: var(--intake-accent);
      }
      [data-key='created'] .fill {
        background: var(--intake-ok);
      }
      [data-key='errors'] .fill {
        background: var(--intake-danger);
      }
      [data-key='skipped'] .fill,
      [data-key='unchanged'] .fill {
        background: #8f959e;
      }
    `,
  ];

  declare counts: Counts | null;
  declare structure: StructureChanges | null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.counts = null;
    this.structure = null;
  }

  private chart(id: string, caption: string, bars: Bar[]) {
    const most = Math.max(1, ...bars.map((b) => b.value));
    return html`<figure id=${id} aria-labelledby="${id}-caption">
      <figcaption id="${id}-caption">${caption}</figcaption>
      <ul>
        ${bars.map(
          (b) => html`<li data-key=${b.key}>
            <span class="label">${b.label}</span>
            <span class="bar"><span class="fill" aria-hidden="true" style="width: ${(b.value / most) * 100}%"></span><span class="value">${formatNumber(b.value)}</span></span>
          </li>`,
        )}
      </ul>
    </figure>`;
  }

  override render() {
    const counts = this.counts;
    if (!counts || counts.rows === 0) return nothing;
    const outcomes = outcomeKeys.filter((key) => counts[key] > 0).map((key) => ({ key, label: countLabel(key), value: counts[key] }));
    const groups = (this.structure?.byGroup ?? []).map((g) => ({ key: 'group', label: g.name, value: g.rows }));
    return html`<div class="charts">
      ${this.chart('by-outcome', msg('Rows by outcome', { id: 'chart.byOutcome' }), outcomes)}
      ${groups.length > 0 ? this.chart('by-group', msg('Rows by group', { id: 'chart.byGroup' }), groups) : nothing}
    </div>`;
  }
}

customElements.define('intake-outcome-chart', IntakeOutcomeChart);

declare global {
  interface HTMLElementTagNameMap {
    'intake-outcome-chart': IntakeOutcomeChart;
  }
}
