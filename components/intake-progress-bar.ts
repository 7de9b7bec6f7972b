import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { Progress } from '../server/contract/types.js';
import { phaseLabel } from './outcome-labels.js';
import { formatNumber, uiLanguage } from './localization.js';
import { sharedStyles } from './shared-styles.js';

/** Before this many seconds of a phase its pace says too little to tell how long the rest takes. */
const estimateAfterSeconds = 3;

/** "2 minutes", "40 seconds", in the reader's language, rounded as a person would say it. */
function durationText(seconds: number): string {
  const inMinutes = seconds >= 90;
  const value = inMinutes ? Math.round(seconds / 60) : Math.max(5, Math.round(seconds / 5) * 5);
  return new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit: inMinutes ? 'minute' : 'second', unitDisplay: 'long' }).format(value);
}

/**
 * A long task's progress: phase, rows done of total, the time the rows still need at the pace so far,
 * and a bar. Screen readers hear the phase and each quarter, not every batch (the visible text changes
 * a hundred times in a large import).
 *
 * @csspart bar - the progress element
 */
export class IntakeProgressBar extends LitElement {
  static override properties = { progress: { attribute: false } };

  static override styles = [sharedStyles];

  declare progress: Progress;
  /**
   * Where the current pass over the rows began (when, and how many were done then): its pace tells what is
   * left. Hashing and writing take turns batch by batch within one pass; a new total or a count that
   * starts again from below is a new pass.
   */
  private passStart: { total: number; at: number; done: number } | null = null;
  /** The rows done as last shown: a count below it starts a new pass. */
  private lastDone = 0;
  /** The clock, replaceable in tests. */
  now: () => number = () => Date.now();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.progress = { phase: 'queued', done: 0, total: 0 };
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has('progress')) return;
    const { done, total } = this.progress;
    if (this.passStart?.total !== total || done < this.lastDone) this.passStart = { total, at: this.now(), done };
    this.lastDone = done;
  }

  /** Seconds the pass still needs at its pace so far; null until that pace says enough. */
  private secondsLeft(): number | null {
    const { done, total } = this.progress;
    const start = this.passStart;
    if (!start || total <= 0 || done <= start.done || done >= total) return null;
    const elapsed = (this.now() - start.at) / 1000;
    return elapsed < estimateAfterSeconds ? null : ((total - done) * elapsed) / (done - start.done);
  }

  override render() {
    const { phase, done, total } = this.progress;
    const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
    const left = this.secondsLeft();
    const quarter = percent === null ? null : Math.floor(percent / 25) * 25;
    return html`
      <p id="progress-text">
        ${phaseLabel(phase)} ${total === 0 ? '' : phase === 'undoing' ? `${formatNumber(percent ?? 0)}%` : msg(str`${formatNumber(done)} of ${formatNumber(total)} rows`, { id: 'progress.rows' })}
        ${left === null ? nothing : html`<span id="time-left">· ${msg(str`about ${durationText(left)} left`, { id: 'progress.timeLeft' })}</span>`}
      </p>
      ${percent === null
        ? html`<progress part="bar" aria-labelledby="progress-text"></progress>`
        : html`<progress part="bar" aria-labelledby="progress-text" max="100" .value=${percent}>${percent}%</progress>`}
      <p class="announcement" aria-live="polite">${phaseLabel(phase)}${quarter === null ? '' : ` ${quarter}%`}</p>
    `;
  }
}

customElements.define('intake-progress-bar', IntakeProgressBar);

declare global {
  interface HTMLElementTagNameMap {
    'intake-progress-bar': IntakeProgressBar;
  }
}
