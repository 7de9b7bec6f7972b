import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { isUndoable, type ImportSummary, type LaterChanges, type MailStatus } from '../server/contract/types.js';
import './intake-counts.js';
import './intake-outcome-chart.js';
import { archiveHeldText, countLabel } from './outcome-labels.js';
import { formatNumber } from './localization.js';
import { sharedStyles } from './shared-styles.js';
import { focusAfterRender } from './focus.js';
import { CredentialsTakenEvent, RestartRequestedEvent, UndoRequestedEvent } from './events.js';

/**
 * Step 6: what the import did, the error report, and undo.
 *
 * @fires intake-undo-requested - reverse this import
 * @fires intake-restart-requested - start over with another file
 */
export class IntakeResultStep extends LitElement {
  static override properties = {
    summary: { attribute: false },
    canUndo: { type: Boolean, attribute: 'can-undo' },
    errorReportUrl: { attribute: false },
    mail: { attribute: false },
    credentialsUrl: { attribute: false },
    busy: { type: Boolean },
    laterChanges: { attribute: false },
    askingUndo: { type: Boolean, attribute: 'asking-undo' },
    confirmingUndo: { state: true },
  };

  private askUndo() {
    this.confirmingUndo = true;
    focusAfterRender(this, '#confirm-undo');
  }

  /** The question closes and focus goes back to "Undo this import", where the person asked it from. */
  private cancelUndo() {
    this.confirmingUndo = false;
    focusAfterRender(this, '#undo');
  }

  /** What undo reverses, from the import's own counts, before it does it. */
  private renderUndoConfirmation(summary: ImportSummary) {
    const c = summary.counts;
    return html`<div class="notice" id="undo-confirmation" role="alertdialog" aria-labelledby="undo-text" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelUndo()}>
      ${this.laterChanges && this.laterChanges.imports > 0
        ? html`<p id="undo-later" class="required"><strong>${msg(
            str`Careful: later imports (${formatNumber(this.laterChanges.imports)}) changed ${formatNumber(this.laterChanges.people)} of these people since. What they changed stays: undo puts back this import's values only where no later import changed them. Accounts this import created go, even where a later import updated them.`,
            { id: 'result.undoLater' },
          )}</strong></p>
          <p><label><input type="checkbox" id="undo-over-later" />${msg("Put back this import's values for them too", { id: 'result.undoOverLater' })}</label></p>`
        : nothing}
      <p id="undo-text">
        ${msg(
          str`Undo removes the new accounts (${formatNumber(c?.created ?? 0)}), puts back what the updated accounts had (${formatNumber(c?.updated ?? 0)}), lifts the suspensions (${formatNumber(c?.archived ?? 0)}) and removes the groups and nodes it made. People changed by a later import keep those later changes where undo does not touch them.`,
          { id: 'result.undoConfirm' },
        )}
        ${(c?.enrolments ?? 0) > 0 ? msg(str`It also ends the course enrolments it made (${formatNumber(c!.enrolments)}).`, { id: 'result.undoEnrolments' }) : nothing}
      </p>
      <div class="actions">
        <button class="secondary" type="button" id="cancel-undo" @click=${() => this.cancelUndo()}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button type="button" id="confirm-undo" @click=${() => {
          const overLater = this.renderRoot.querySelector<HTMLInputElement>('#undo-over-later')?.checked ?? false;
          this.confirmingUndo = false;
          this.dispatchEvent(new UndoRequestedEvent(null, overLater));
        }}>${msg('Undo the import', { id: 'result.undoConfirmButton' })}</button>
      </div>
    </div>`;
  }

  static override styles = [sharedStyles];

  declare summary: ImportSummary | null;
  declare errorReportUrl: string;
  /** What became of the import's mail, and whether the one-time download waits. */
  declare mail: MailStatus | null;
  declare credentialsUrl: string;
  /** Whether the user may undo (the host's local/intake:undo); the server checks it again. */
  declare canUndo: boolean;
  declare busy: boolean;
  /** What later imports changed of the same people, when known: undo warns about it. */
  declare laterChanges: LaterChanges | null;
  /** Opened to undo (from history): the confirmation shows at once. */
  declare askingUndo: boolean;
  /** Undo was pressed: it says what it will reverse and asks once. */
  declare private confirmingUndo: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.summary = null;
    this.errorReportUrl = '';
    this.mail = null;
    this.credentialsUrl = '';
    this.busy = false;
    this.canUndo = false;
    this.laterChanges = null;
    this.askingUndo = false;
    this.confirmingUndo = false;
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('askingUndo') && this.askingUndo && this.summary && isUndoable(this.summary.status) && this.canUndo) this.askUndo();
  }

  private headline({ status, undoFollowUp }: ImportSummary) {
    if (status === 'done') return msg('The import is complete.', { id: 'result.done' });
    // Until Moodle's own code deletes them, the accounts are suspended, not gone: the headline says which.
    if (status === 'undone' && undoFollowUp === 'at_next_cron') {
      return msg('The import was undone: its changes are reversed, and the accounts it created are suspended until Moodle deletes them at its next cron run.', { id: 'result.undoneAtCron' });
    }
    if (status === 'undone') return msg('The import was undone: the accounts it created are removed and its changes reversed.', { id: 'result.undone' });
    return msg('The import failed; nothing after the failing batch was written.', { id: 'result.failed' });
  }

  /** The commit plans again against the host as it is then: anything that came out differently is said. */
  private renderSincePreview(summary: ImportSummary) {
    const changes = summary.changedSincePreview;
    if (summary.status !== 'done' || !changes) return nothing;
    if (changes.length === 0) return html`<p id="since-preview" class="muted">${msg('The import did exactly what the preview showed.', { id: 'result.asPreviewed' })}</p>`;
    return html`<div id="since-preview" class="notice">
      <p>${msg('The site changed after the preview; the import differed here:', { id: 'result.changedSincePreview' })}</p>
      <ul>
        ${changes.map((c) => html`<li data-field=${c.field}>${countLabel(c.field)}: ${c.preview} → ${c.commit}</li>`)}
      </ul>
    </div>`;
  }

  private renderMail() {
    const mail = this.mail;
    if (!mail) return nothing;
    const total = mail.pending + mail.sent + mail.failed + mail.expired;
    return html`<div id="mail" aria-live="polite">
      ${mail.download
        ? html`<p class="notice">
            ${msg('The new login details can be downloaded once. Keep the file safe.', { id: 'result.downloadOnce' })}
            <a id="download-credentials" href=${this.credentialsUrl} download="credentials.csv"
              @click=${() => setTimeout(() => this.dispatchEvent(new CredentialsTakenEvent()), 1000)}
              >${msg('Download login details (CSV)', { id: 'result.download' })}</a
            >
          </p>`
        : nothing}
      ${total > 0
        ? html`<p>${msg(str`Mail: ${formatNumber(mail.sent)} sent, ${formatNumber(mail.pending)} waiting, ${formatNumber(mail.failed + mail.expired)} failed.`, { id: 'result.mail' })}</p>
            ${mail.failures.length > 0 ? html`<ul class="required">${mail.failures.map((f) => html`<li>${f.recipient}: ${f.error}</li>`)}</ul>` : nothing}`
        : nothing}
    </div>`;
  }

  override render() {
    const summary = this.summary;
    if (!summary) return nothing;
    const problems = (summary.counts?.errors ?? 0) + (summary.counts?.skipped ?? 0);
    return html`
      <p role="status" id="headline"><strong>${this.headline(summary)}</strong></p>
      <intake-counts .counts=${summary.counts}></intake-counts>
      <intake-outcome-chart .counts=${summary.counts} .structure=${summary.structure}></intake-outcome-chart>
      ${this.renderSincePreview(summary)}
      ${summary.status === 'done' && summary.structure?.hostCategoryCache === 'purge_needed'
        ? html`<p class="notice" id="purge-needed">${msg('The site shows new nodes only after its caches are purged (its Intake plugin is not installed).', { id: 'preview.purgeNeeded' })}</p>`
        : nothing}
      ${summary.status === 'done' && summary.structure?.hostFollowUp === 'at_next_cron'
        ? html`<p class="notice" id="follow-up-at-cron">${msg('Moodle logs this import, and does what follows from it (such as enrolments by cohort sync), at its next cron run: Intake could not reach it to have that done now.', { id: 'result.followUpAtCron' })}</p>`
        : nothing}
      ${summary.status === 'undone' && summary.undoFollowUp === 'at_next_cron'
        ? html`<p class="notice" id="undo-follow-up-at-cron">${msg('Intake could not reach Moodle to have that done now (the accounts deleted and the undo logged).', { id: 'result.undoFollowUpAtCron' })}</p>`
        : nothing}
      ${summary.status === 'done' && summary.structure?.archiveHeld
        ? html`<p class="notice" id="archive-held">${archiveHeldText(summary.structure.archiveHeld.rows)}</p>`
        : nothing}
      ${problems > 0 && summary.status === 'done' ? html`<p><a id="error-report" href=${this.errorReportUrl} download>${msg('Download the error report (CSV)', { id: 'preview.errorReport' })}</a></p>` : nothing}
      ${this.renderMail()}
      <div class="actions">
        ${isUndoable(summary.status) && this.canUndo
          ? html`<button id="undo" class="secondary" type="button" ?disabled=${this.busy || this.confirmingUndo} @click=${() => this.askUndo()}>${msg('Undo this import', { id: 'result.undo' })}</button>`
          : nothing}
        <button id="restart" type="button" @click=${() => this.dispatchEvent(new RestartRequestedEvent())}>${msg('Import another file', { id: 'result.restart' })}</button>
      </div>
      ${this.confirmingUndo ? this.renderUndoConfirmation(summary) : nothing}
    `;
  }
}

customElements.define('intake-result-step', IntakeResultStep);

declare global {
  interface HTMLElementTagNameMap {
    'intake-result-step': IntakeResultStep;
  }
}
