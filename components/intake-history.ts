import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { isUndoable, type ImportSummary } from '../server/contract/types.js';
import { sharedStyles } from './shared-styles.js';
import { UndoRequestedEvent } from './events.js';

/**
 * Earlier imports: when, which file, what they did, and undo for those that can still be undone.
 *
 * @fires intake-undo-requested - detail `{ id }`: reverse that import
 */
export class IntakeHistory extends LitElement {
  static override properties = { canUndo: { type: Boolean, attribute: 'can-undo' }, imports: { attribute: false }, busy: { type: Boolean } };

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
    `,
  ];

  declare imports: ImportSummary[];
  /** Whether the user may undo (the host's local/intake:undo); the server checks it again. */
  declare canUndo: boolean;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.imports = [];
    this.busy = false;
    this.canUndo = false;
  }

  override render() {
    const done = this.imports.filter((i) => ['done', 'undone', 'failed', 'interrupted'].includes(i.status)).slice(0, 10);
    if (done.length === 0) return nothing;
    return html`<h3>${msg('Earlier imports', { id: 'history.title' })}</h3>
      <table id="history">
        <thead>
          <tr>
            <th scope="col">${msg('When', { id: 'history.when' })}</th>
            <th scope="col">${msg('File', { id: 'history.file' })}</th>
            <th scope="col">${msg('Feed', { id: 'history.source' })}</th>
            <th scope="col">${msg('Result', { id: 'history.result' })}</th>
            <th scope="col"></th>
          </tr>
        </thead>
        <tbody>
          ${done.map(
            (i) => html`<tr data-import=${i.id}>
              <td>${new Date(i.finishedAt ?? i.createdAt).toLocaleString()}</td>
              <td>${i.fileName}</td>
              <td>${i.source}</td>
              <td>
                ${i.status === 'done' && i.counts
                  ? msg(str`${i.counts.created} new, ${i.counts.updated} updated, ${i.counts.archived} archived, ${i.counts.errors} errors`, { id: 'history.counts' })
                  : i.status === 'undone'
                    ? msg('undone', { id: 'history.undone' })
                    : i.status === 'interrupted'
                      ? msg('interrupted (what it wrote can be undone)', { id: 'history.interrupted' })
                      : msg('failed', { id: 'history.failed' })}
                ${i.mailFailed ? html`<div class="required">${msg(str`${i.mailFailed} messages could not be delivered`, { id: 'history.mailFailed' })}</div>` : nothing}
              </td>
              <td>
                ${isUndoable(i.status) && this.canUndo
                  ? html`<button class="secondary" type="button" ?disabled=${this.busy}
                      @click=${() => this.dispatchEvent(new UndoRequestedEvent(i.id))}>
                      ${msg('Undo', { id: 'history.undo' })}
                    </button>`
                  : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

customElements.define('intake-history', IntakeHistory);

declare global {
  interface HTMLElementTagNameMap {
    'intake-history': IntakeHistory;
  }
}
