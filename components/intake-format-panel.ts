import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { delimiters, encodings, type DetectedFormat, type FileOptions } from '../server/contract/types.js';
import { fieldLabel } from '../server/contract/messages.js';
import { uiLanguage } from './localization.js';
import { sharedStyles } from './shared-styles.js';
import { FileOptionsChangeEvent } from './events.js';
import { choiceOf, valueOf } from './form-values.js';

const delimiterNames: Record<string, () => string> = {
  ',': () => msg('comma (,)', { id: 'format.comma' }),
  ';': () => msg('semicolon (;)', { id: 'format.semicolon' }),
  '\t': () => msg('tab', { id: 'format.tab' }),
  '|': () => msg('pipe (|)', { id: 'format.pipe' }),
};

/**
 * How the file was read (encoding, delimiter or sheet, header row), each changeable when detection
 * guessed wrong: mojibake in the samples means another encoding, one long column another delimiter.
 * A workbook's sheets read together are named, with what their names give the rows, and offered one by
 * one; its other sheets that hold data are named too, so none is left out unseen.
 *
 * @fires intake-file-options-change - detail `{ file }`: read the file again this way
 */
export class IntakeFormatPanel extends LitElement {
  static override properties = { format: { attribute: false }, options: { attribute: false }, busy: { type: Boolean } };

  static override styles = [
    sharedStyles,
    css`
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 1.25rem;
        align-items: center;
        margin-bottom: 1rem;
        font-size: 0.9rem;
      }
      label {
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
        max-width: 100%;
      }
      /* A select is as wide as its longest option ("Engelbrektskolan + Sörgårdsskolan + …"): it shrinks to the screen instead. */
      label select {
        min-width: 0;
        flex: 1 1 auto;
      }
    `,
  ];

  declare format: DetectedFormat | null;
  declare options: FileOptions;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.format = null;
    this.options = {};
    this.busy = false;
  }

  /** The control that had focus as a re-read began: disabled meanwhile, it gets the focus back after it. */
  private focusedBeforeBusy: string | null = null;

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('busy') && this.busy) this.focusedBeforeBusy = this.shadowRoot?.activeElement?.id || null;
  }

  protected override updated(changed: PropertyValues<this>) {
    // A keyboard user who arrows through the delimiters stays on the delimiter, not at the page's start.
    if (changed.has('busy') && !this.busy && this.focusedBeforeBusy) {
      this.renderRoot.querySelector<HTMLElement>(`#${this.focusedBeforeBusy}`)?.focus();
      this.focusedBeforeBusy = null;
    }
  }

  private change(patch: FileOptions) {
    const file = { ...this.options, ...patch };
    this.dispatchEvent(new FileOptionsChangeEvent(file));
  }

  override render() {
    const format = this.format;
    if (!format) return nothing;
    return html`<div class="row" role="group" aria-label=${msg('How the file is read', { id: 'format.label' })}>
      ${format.type === 'csv'
        ? html`<label
              >${msg('Encoding', { id: 'format.encoding' })}
              <select id="encoding" ?disabled=${this.busy} @change=${(e: Event) => this.change({ encoding: choiceOf(e, encodings, 'utf-8') })}>
                ${encodings.map((enc) => html`<option value=${enc} ?selected=${format.encoding === enc}>${enc === 'windows-1252' ? 'Windows-1252 (ANSI)' : enc.toUpperCase()}</option>`)}
              </select></label
            >
            <label
              >${msg('Delimiter', { id: 'format.delimiter' })}
              <select id="delimiter" ?disabled=${this.busy} @change=${(e: Event) => this.change({ delimiter: choiceOf(e, delimiters, ';') })}>
                ${Object.entries(delimiterNames).map(([d, name]) => html`<option value=${d} ?selected=${format.delimiter === d}>${name()}</option>`)}
              </select></label
            >`
        : html`<label
            >${msg('Sheet', { id: 'format.sheet' })}
            <select id="sheet" ?disabled=${this.busy} @change=${(e: Event) => this.change({ sheet: valueOf(e) || undefined, headerRow: undefined })}>
              ${format.sheets.length > 1
                ? // Intake's own choice: the first sheet with data, and the sheets after it with the same columns.
                  html`<option value="" ?selected=${format.sheetsRead !== undefined}>${format.sheetsRead ? format.sheetsRead.join(' + ') : msg('The first with data', { id: 'format.sheetAuto' })}</option>`
                : nothing}
              ${format.sheets.map((sheet) => html`<option value=${sheet} ?selected=${!format.sheetsRead && format.sheet === sheet}>${sheet}</option>`)}
            </select></label
          >`}
      <label
        >${msg('Header row', { id: 'format.headerRow' })}
        <input id="header-row" type="number" min="1" max="1000" style="width:5rem" .value=${String(format.headerRow)} ?disabled=${this.busy}
          @change=${(e: Event) => {
            const value = Number(valueOf(e));
            if (Number.isInteger(value) && value >= 1) this.change({ headerRow: value });
          }} /></label>
    </div>
    ${format.type === 'xlsx' && format.sheetsRead
      ? html`<p class="notice" id="sheets-together">
          ${format.sheetColumn
            ? msg(
                str`The sheets ${format.sheetsRead.join(', ')} hold the first one’s columns (or some of them): they are read together, and each row's sheet name is its ${fieldLabel(format.sheetColumn, uiLanguage()).toLowerCase()} (the column “${format.sheetColumn}”). Choose one above to read it alone.`,
                { id: 'format.sheetsTogetherColumn' },
              )
            : msg(str`The sheets ${format.sheetsRead.join(', ')} hold the first one’s columns (or some of them): they are read together, and each row is named with its sheet. Choose one above to read it alone.`, { id: 'format.sheetsTogether' })}
        </p>`
      : nothing}
    ${format.type === 'xlsx' && format.otherDataSheets?.length
      ? html`<p class="notice" id="other-sheets">
          ${format.sheetsRead
            ? msg(str`Other sheets hold data in other columns: ${format.otherDataSheets.join(', ')}. Choose one above to import it in a run of its own.`, { id: 'format.otherSheetsBeside' })
            : msg(str`Only the sheet “${format.sheet}” is imported. Other sheets hold data too: ${format.otherDataSheets.join(', ')}. Choose one above to import it in a run of its own.`, { id: 'format.otherSheets' })}
        </p>`
      : nothing}`;
  }
}

customElements.define('intake-format-panel', IntakeFormatPanel);

declare global {
  interface HTMLElementTagNameMap {
    'intake-format-panel': IntakeFormatPanel;
  }
}
