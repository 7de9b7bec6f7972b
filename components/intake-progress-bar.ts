import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import type { Progress } from '../server/contract/types.js';
import { phaseLabel } from './outcome-labels.js';
import { formatNumber } from './localization.js';
import { sharedStyles } from './shared-styles.js';

/**
 * A long task's progress: phase, rows done of total, and a bar. Announced politely to screen readers.
 *
 * @csspart bar - the progress element
 */
export class IntakeProgressBar extends LitElement {
  static override properties = { progress: { attribute: false } };

  static override styles = [
    sharedStyles,
    css`
      progress {
        width: 100%;
        height: 1.25rem;
        accent-color: var(--intake-accent);
      }
    `,
  ];

  declare progress: Progress;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.progress = { phase: 'queued', done: 0, total: 0 };
  }

  override render() {
    const { phase, done, total } = this.progress;
    const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
    return html`
      <p aria-live="polite">${phaseLabel(phase)} ${total > 0 ? msg(str`${formatNumber(done)} of ${formatNumber(total)} rows`, { id: 'progress.rows' }) : ''}</p>
      ${percent === null ? html`<progress part="bar"></progress>` : html`<progress part="bar" max="100" .value=${percent}>${percent}%</progress>`}
    `;
  }
}

customElements.define('intake-progress-bar', IntakeProgressBar);

declare global {
  interface HTMLElementTagNameMap {
    'intake-progress-bar': IntakeProgressBar;
  }
}
