import { msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import { layouts, type Layout } from '../server/contract/layout-names.js';
import type { GroupOption } from '../server/contract/types.js';
import { sharedStyles } from './shared-styles.js';
import { UploadCancelRequestedEvent, UploadRequestedEvent } from './events.js';
import { valueOf } from './form-values.js';
import { formatMegabytes } from './localization.js';

/** How far an upload is: bytes sent of the file's. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/** A smaller file is sent in a moment: its button's "Uploading…" says enough, without a bar that flashes by. */
const shownFrom = 256 * 1024;


/**
 * Step 1: choose a file, by dropping it or with a real button (keyboard and screen-reader users).
 *
 * @fires intake-upload-requested - detail `{ file: File }` when a file was chosen
 * @fires intake-upload-cancel-requested - when the admin cancels an upload on its way
 * @csspart dropzone - the drop area
 * @csspart bar - the upload's progress element
 */
export class IntakeUploadStep extends LitElement {
  static override properties = {
    busy: { type: Boolean },
    progress: { attribute: false },
    templateUrl: { attribute: false },
    exportUrl: { attribute: false },
    groups: { attribute: false },
    dragging: { state: true },
    exportGroup: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .dropzone {
        border: 2px dashed #8f959e;
        border-radius: 0.5rem;
        padding: 2.5rem 1rem;
        text-align: center;
        background: #fff;
      }
      .dropzone.dragging {
        border-color: var(--intake-accent);
        background: #eef5fb;
      }
      .files {
        margin-top: 1rem;
        font-size: 0.9rem;
      }
      progress {
        max-width: 28rem;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];

  /** True while the upload is in flight. */
  declare busy: boolean;
  /** How far the upload in flight is (null: none, or not known yet). */
  declare progress: UploadProgress | null;
  /** Link to an example file in a layout. */
  declare templateUrl: (layout: Layout) => string;
  /** Link to an export of a group's (or all) users in a layout. */
  declare exportUrl: (layout: Layout, group: number | null) => string;
  declare groups: GroupOption[];
  declare private dragging: boolean;
  declare private exportGroup: number | null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
    this.progress = null;
    this.templateUrl = () => '';
    this.exportUrl = () => '';
    this.groups = [];
    this.dragging = false;
    this.exportGroup = null;
  }

  private renderLayouts(href: (layout: Layout) => string, kind: string) {
    const names: Record<Layout, string> = { 'csv-semicolon': 'CSV (;)', 'csv-comma': 'CSV (,)', xlsx: 'Excel (.xlsx)' };
    return layouts.map((layout, i) => html`${i > 0 ? ' · ' : ''}<a id=${`${kind}-${layout}`} href=${href(layout)} download>${names[layout]}</a>`);
  }

  private choose(file: File | undefined) {
    if (!file || this.busy) return;
    this.dispatchEvent(new UploadRequestedEvent(file));
  }

  /**
   * Bytes sent of the file's, then (all sent) the server reading it: a large export takes minutes on a
   * school's line, and a workbook some seconds to read. Screen readers hear each quarter, not every step.
   */
  private renderProgress({ sent, total }: UploadProgress) {
    const reading = sent >= total;
    const percent = total > 0 ? Math.min(100, Math.round((sent / total) * 100)) : 0;
    const text = reading
      ? msg('Uploaded; reading the file…', { id: 'upload.reading' })
      : msg(str`Uploading: ${formatMegabytes(sent)} of ${formatMegabytes(total)}`, { id: 'upload.progress' });
    return html`
      <p id="upload-progress-text">${text}</p>
      ${reading
        ? html`<progress part="bar" aria-labelledby="upload-progress-text"></progress>`
        : html`<progress part="bar" aria-labelledby="upload-progress-text" max="100" .value=${percent}>${percent}%</progress>`}
      <p class="announcement" aria-live="polite">${reading ? text : `${Math.floor(percent / 25) * 25}%`}</p>
      ${reading ? nothing : html`<p><button id="cancel-upload" class="secondary" type="button" @click=${this.cancel}>${msg('Cancel the upload', { id: 'upload.cancel' })}</button></p>`}
    `;
  }

  /** Whether focus goes back to "Choose a file" once the cancelled upload has stopped (its button goes with it). */
  private refocus = false;
  /** Whether the cancel button was there at the last render. */
  private cancelShown = false;

  private cancel() {
    this.refocus = true;
    this.dispatchEvent(new UploadCancelRequestedEvent());
  }

  protected override updated() {
    const cancel = this.renderRoot.querySelector<HTMLButtonElement>('#cancel-upload');
    // "Choose a file" is disabled while the file goes, and a disabled button loses the focus: a keyboard
    // user lands on what can be done now, not at the top of the page.
    if (cancel && !this.cancelShown) {
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost || (this.renderRoot as ShadowRoot).activeElement?.id === 'choose') cancel.focus();
    }
    this.cancelShown = cancel !== null;
    if (!this.refocus || this.busy) return;
    this.refocus = false;
    this.renderRoot.querySelector<HTMLButtonElement>('#choose')?.focus();
  }

  private onDrop(event: DragEvent) {
    event.preventDefault();
    this.dragging = false;
    this.choose(event.dataTransfer?.files[0]);
  }

  override render() {
    return html`
      <div
        part="dropzone"
        class="dropzone ${this.dragging ? 'dragging' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${this.onDrop}
      >
        <p><strong>${msg('Drop a CSV or Excel file here', { id: 'upload.drop' })}</strong></p>
        <p class="muted">${msg('Exports from Magister, Somtoday, ParnasSys, Osiris or Excel (.xlsx): any delimiter, UTF-8, UTF-16 or Windows-1252.', { id: 'upload.hint' })}</p>
        ${this.busy && this.progress && this.progress.total >= shownFrom ? this.renderProgress(this.progress) : nothing}
        <div>
          <!-- The button opens it: one tab stop that shows its focus, not an invisible one before it. -->
          <input type="file" tabindex="-1" aria-hidden="true" accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" @change=${(e: Event) => this.choose(e.currentTarget instanceof HTMLInputElement ? e.currentTarget.files?.[0] : undefined)} />
          <button id="choose" type="button" ?disabled=${this.busy} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}>
            ${this.busy ? msg('Uploading…', { id: 'upload.busy' }) : msg('Choose a file', { id: 'upload.choose' })}
          </button>
        </div>
      </div>
      <div class="files">
        <p>${msg('Example file with every column, explained:', { id: 'upload.templates' })} ${this.renderLayouts(this.templateUrl, 'template')}</p>
        <p>
          <label
            >${msg('Export users to edit and import again:', { id: 'upload.export' })}
            <select id="export-group" @change=${(e: Event) => (this.exportGroup = Number(valueOf(e)) || null)}>
              <option value="">${msg('All users', { id: 'upload.exportAll' })}</option>
              ${this.groups.map((g) => html`<option value=${g.id}>${g.name}</option>`)}
            </select></label
          >
          ${this.renderLayouts((layout) => this.exportUrl(layout, this.exportGroup), 'export')}
        </p>
      </div>
    `;
  }
}

customElements.define('intake-upload-step', IntakeUploadStep);

declare global {
  interface HTMLElementTagNameMap {
    'intake-upload-step': IntakeUploadStep;
  }
}
