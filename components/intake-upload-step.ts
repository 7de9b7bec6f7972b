import { msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { updateWhenLocaleChanges } from '@lit/localize';
import { sharedStyles } from './shared-styles.js';

/**
 * Step 1: choose a file, by dropping it or with a real button (keyboard and screen-reader users).
 *
 * @fires intake-upload-requested - detail `{ file: File }` when a file was chosen
 * @csspart dropzone - the drop area
 */
export class IntakeUploadStep extends LitElement {
  static override properties = {
    busy: { type: Boolean },
    dragging: { state: true },
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
  declare private dragging: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.busy = false;
    this.dragging = false;
  }

  private choose(file: File | undefined) {
    if (!file || this.busy) return;
    this.dispatchEvent(new CustomEvent('intake-upload-requested', { detail: { file }, bubbles: true, composed: true }));
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
        <label>
          <input type="file" accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" @change=${(e: Event) => this.choose((e.target as HTMLInputElement).files?.[0])} />
          <button type="button" ?disabled=${this.busy} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()}>
            ${this.busy ? msg('Uploading…', { id: 'upload.busy' }) : msg('Choose a file', { id: 'upload.choose' })}
          </button>
        </label>
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
