import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
// Keyed rows: a list that refreshes under the pointer never turns one import's Undo into another's.
import { repeat } from 'lit/directives/repeat.js';
import { isUndoable, searchMaxLength, type ImportSummary } from '../server/contract/types.js';
import { sharedStyles } from './shared-styles.js';
import { HistoryQueryEvent, UndoRequestedEvent } from './events.js';
import { pager, searchAsTyped } from './paging.js';
import { formatMoment, formatNumber, isOne, uiLanguage } from './localization.js';
import { errorText } from '../server/contract/messages.js';

/**
 * Earlier imports: when, which file, what they did, and undo for those that can still be undone.
 *
 * @fires intake-undo-requested - detail `{ id }`: reverse that import
 */
export class IntakeHistory extends LitElement {
  static override properties = {
    canUndo: { type: Boolean, attribute: 'can-undo' },
    imports: { attribute: false },
    total: { type: Number },
    query: { attribute: false },
    offset: { type: Number },
    perPage: { type: Number },
    credentialsUrl: { attribute: false },
    busy: { type: Boolean },
  };

  static override styles = [
    sharedStyles,
    css`
      table {
        font-size: 0.875rem;
      }
      h3 {
        font-size: 1rem;
        margin: 1.5rem 0 0.5rem;
      }
      /* The actions of a row are apart enough to be hit on a touch screen. */
      .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      a.download {
        display: inline-block;
        padding: 0.3rem 0;
      }
    `,
  ];

  declare imports: ImportSummary[];
  /** How many imports match in all (the list is one page of them). */
  declare total: number;
  declare query: string;
  declare offset: number;
  declare perPage: number;
  /** Where an import's one-time download of new logins is fetched. */
  declare credentialsUrl: (item: ImportSummary) => string;
  /** Whether the user may undo (the host's local/intake:undo); the server checks it again. */
  declare canUndo: boolean;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.imports = [];
    this.total = 0;
    this.query = '';
    this.offset = 0;
    this.perPage = 10;
    this.credentialsUrl = () => '';
    this.busy = false;
    this.canUndo = false;
  }

  private readonly search = searchAsTyped((query) => this.ask(query, 0));

  private ask(query: string, offset: number) {
    this.dispatchEvent(new HistoryQueryEvent(query, offset));
  }

  override render() {
    const done = this.imports;
    if (done.length === 0 && !this.query) return nothing;
    return html`<h3>${msg('Earlier imports', { id: 'history.title' })}</h3>
      <label
        >${msg('Search imports', { id: 'history.search' })}
        <input id="history-search" type="search" maxlength=${searchMaxLength} .value=${this.query} placeholder=${msg('file name or feed', { id: 'history.searchHint' })}
          @input=${this.search} /></label
      >
      <table id="history" class="stack">
        <thead>
          <tr>
            <th scope="col">${msg('When', { id: 'history.when' })}</th>
            <th scope="col">${msg('File', { id: 'history.file' })}</th>
            <th scope="col">${msg('Feed', { id: 'history.source' })}</th>
            <th scope="col">${msg('Result', { id: 'history.result' })}</th>
            <th scope="col">${msg('Actions', { id: 'history.actions' })}</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            done,
            (i) => i.id,
            (i) => html`<tr data-import=${i.id}>
              <td data-label=${msg('When', { id: 'history.when' })}>${formatMoment(new Date(i.finishedAt ?? i.createdAt))}</td>
              <td data-label=${msg('File', { id: 'history.file' })}>
                ${i.fileName}
                ${i.ranBy ? html`<div class="muted">${msg(str`by ${i.ranBy}`, { id: 'history.ranBy' })}</div>` : nothing}
              </td>
              <td data-label=${msg('Feed', { id: 'history.source' })}>${i.source}</td>
              <td data-label=${msg('Result', { id: 'history.result' })}>
                ${i.status === 'done' && i.counts
                  ? msg(str`${formatNumber(i.counts.created)} new, ${formatNumber(i.counts.updated)} updated, ${formatNumber(i.counts.archived)} archived, ${formatNumber(i.counts.errors)} with errors`, { id: 'history.counts' })
                  : i.status === 'undone'
                    ? i.undoneBy
                      ? msg(str`undone by ${i.undoneBy}`, { id: 'history.undoneBy' })
                      : msg('undone', { id: 'history.undone' })
                    : i.status === 'interrupted'
                      ? msg('interrupted (what it wrote can be undone)', { id: 'history.interrupted' })
                      : i.status === 'failed'
                        ? msg('failed', { id: 'history.failed' })
                        : i.status === 'undoing'
                          ? msg('being undone…', { id: 'history.undoing' })
                          : msg('running…', { id: 'history.running' })}
                ${i.error?.code === 'undo_failed' ? html`<div class="required">${errorText(i.error.code, i.error.params, uiLanguage())}</div>` : nothing}
                ${i.mailFailed
                  ? html`<div class="required">${isOne(i.mailFailed)
                      ? msg(str`${formatNumber(i.mailFailed)} message could not be delivered`, { id: 'history.mailFailed.one' })
                      : msg(str`${formatNumber(i.mailFailed)} messages could not be delivered`, { id: 'history.mailFailed' })}</div>`
                  : nothing}
              </td>
              <td>
                <div class="row-actions">
                ${i.downloadWaiting
                  ? html`<a class="download" href=${this.credentialsUrl(i)} download>${msg('Download new logins (once)', { id: 'history.download' })}</a>`
                  : nothing}
                ${isUndoable(i.status) && this.canUndo
                  ? html`<button class="secondary" type="button" ?disabled=${this.busy}
                      @click=${() => this.dispatchEvent(new UndoRequestedEvent(i.id))}>
                      ${msg('Undo', { id: 'history.undo' })}
                    </button>`
                  : nothing}
                </div>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${pager(this.offset, this.perPage, this.total, (offset) => this.ask(this.query, offset))}`;
  }
}

customElements.define('intake-history', IntakeHistory);

declare global {
  interface HTMLElementTagNameMap {
    'intake-history': IntakeHistory;
  }
}
