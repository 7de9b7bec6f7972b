import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { archiveHoldShare, archiveIsHeld, outcomes, searchMaxLength, type Counts, type DefaultChoice, type DetectedFormat, type Outcome, type RowOutcome, type RowPage, type StructureChanges } from '../server/contract/types.js';
import { changeValue, fieldLabel, problemText, skipText } from '../server/contract/messages.js';
import { rowLabel, sheetsReadOf } from '../server/contract/row-label.js';
import './intake-counts.js';
import './intake-outcome-chart.js';
import { formatNumber, isOne, uiLanguage } from './localization.js';
import { pager, searchAsTyped } from './paging.js';
import { archiveHeldText, outcomeLabel } from './outcome-labels.js';
import { sharedStyles } from './shared-styles.js';
import { focusAfterRender } from './focus.js';
import { CommitRequestedEvent, RowFixRequestedEvent, RowsChangeEvent, StepBackRequestedEvent } from './events.js';

export const rowsPerPage = 50;

/** A column whose cells can be corrected in the preview, and the field it fills. */
export interface FixableColumn {
  index: number;
  header: string;
  field: string;
}

/**
 * Step 4: the dry run. Counts, every row's outcome (filterable, paged), the error report, and the
 * button that starts the real import.
 *
 * @fires intake-rows-change - detail `{ outcome, offset }`: show another page or filter
 * @fires intake-commit-requested - run the import
 * @fires intake-step-back-requested - back to the settings
 */
export class IntakePreviewStep extends LitElement {
  static override properties = {
    counts: { attribute: false },
    structure: { attribute: false },
    format: { attribute: false },
    page: { attribute: false },
    filter: { attribute: false },
    offset: { type: Number },
    query: { attribute: false },
    errorReportUrl: { attribute: false },
    busy: { type: Boolean },
    fixable: { attribute: false },
    recheckedRow: { attribute: false },
    confirming: { state: true },
    fixing: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      .filters {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        margin: 1rem 0 0.5rem;
      }
      .filters label {
        display: inline-flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem;
      }
      /* Wide enough for its hint ("name, username, e-mail, node or group"), never wider than a phone. */
      #row-search {
        width: 22rem;
      }
      .filters button[aria-pressed='false'] {
        background: #fff;
        color: var(--intake-accent);
      }
      td.outcome-error {
        color: var(--intake-danger);
        font-weight: 600;
      }
      .fix-form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: flex-end;
        margin-top: 0.4rem;
      }
      .fix-form label {
        display: flex;
        flex-direction: column;
        gap: 0.2rem;
        font-size: 0.875rem;
      }
      .fix-form .actions {
        margin-top: 0;
      }
      button.fix {
        margin-top: 0.3rem;
        padding: 0.2rem 0.7rem;
      }
      td.who .name {
        font-weight: 600;
      }
      td.outcome-create {
        color: var(--intake-ok);
        font-weight: 600;
      }
      ul {
        margin: 0;
        padding-left: 1rem;
      }
      .pager {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        margin-top: 0.5rem;
      }
    `,
  ];

  declare counts: Counts | null;
  /** Nodes and groups the import will create. */
  declare structure: StructureChanges | null;
  /** How the file was read: a workbook's sheets of data left out are said again before the import. */
  declare format: DetectedFormat | null;
  declare page: RowPage | null;
  declare filter: Outcome | null;
  declare offset: number;
  /** The search over all rows in force. */
  declare query: string;
  declare errorReportUrl: string;
  declare busy: boolean;
  /** Columns whose cells can be corrected here (mapped, never a password's). */
  declare fixable: FixableColumn[];
  /** The row last corrected and checked again: what became of it is said. */
  declare recheckedRow: number | null;
  /** "Import now" was pressed on a preview with errors or an archive: it asks once before it goes. */
  declare private confirming: boolean;
  /** The row whose cells are being corrected. */
  declare private fixing: number | null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.counts = null;
    this.structure = null;
    this.format = null;
    this.page = null;
    this.filter = null;
    this.offset = 0;
    this.query = '';
    this.errorReportUrl = '';
    this.busy = false;
    this.fixable = [];
    this.recheckedRow = null;
    this.confirming = false;
    this.fixing = null;
  }

  private readonly search = searchAsTyped((query) => this.rowsChange(this.filter, 0, query));

  private rowsChange(outcome: Outcome | null, offset: number, query = this.query) {
    this.dispatchEvent(new RowsChangeEvent(outcome, offset, query));
  }

  /** The columns an error row's problems point at, with the value the problem names (if any). */
  private fixesFor(row: RowOutcome): { column: FixableColumn; value: string }[] {
    if (row.outcome !== 'error') return [];
    return row.problems.flatMap((p) => {
      const column = this.fixable.find((c) => c.field === p.field);
      const value = p.params?.value;
      return column ? [{ column, value: typeof value === 'string' ? value : '' }] : [];
    }).filter((f, i, all) => all.findIndex((g) => g.column.index === f.column.index) === i);
  }

  /** Fix in place: the cells a row's problems point at, corrected here and checked again with the file. */
  private renderFix(row: RowOutcome) {
    const fixes = this.fixesFor(row);
    if (fixes.length === 0) return nothing;
    if (this.fixing !== row.row) {
      return html`<button type="button" class="secondary fix" id="correct-${row.row}" data-fix=${row.row} ?disabled=${this.busy} @click=${() => this.startFix(row.row)}>${msg('Correct', { id: 'preview.fix' })}</button>`;
    }
    const submit = (e: Event) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const cells = Object.fromEntries(fixes.map(({ column }) => [String(column.index), form.querySelector<HTMLInputElement>(`[name="c${column.index}"]`)!.value]));
      this.fixing = null;
      this.dispatchEvent(new RowFixRequestedEvent(row.row, cells));
    };
    return html`<form class="fix-form" data-row=${row.row} @submit=${submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelFix(row.row)}>
      ${fixes.map(
        ({ column, value }) => html`<label
          >${column.header} <input type="text" name="c${column.index}" id="fix-${row.row}-${column.index}" .value=${value} autocomplete="off"
        /></label>`,
      )}
      <div class="actions">
        <button class="secondary" type="button" @click=${() => this.cancelFix(row.row)}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button type="submit" id="recheck">${msg('Check again', { id: 'preview.recheck' })}</button>
      </div>
    </form>`;
  }

  private startFix(row: number) {
    this.fixing = row;
    focusAfterRender(this, `.fix-form[data-row="${row}"] input`);
  }

  /** The form closes and focus goes back to the row's "Correct" (not to the page's start). */
  private cancelFix(row: number) {
    this.fixing = null;
    focusAfterRender(this, `#correct-${row}`);
  }

  /** After a corrected row was checked again, focus goes to what became of it (not back to the step's top). */
  async focusRechecked(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#rechecked')?.focus();
  }

  /** What became of the row corrected last, when it is on this page. */
  private renderRechecked() {
    const line = this.recheckedRow;
    if (line === null) return nothing;
    const row = this.page?.rows.find((r) => r.row === line);
    const label = rowLabel(line, sheetsReadOf(this.format));
    return html`<p role="status" id="rechecked" class="notice" tabindex="-1">
      ${row
        ? msg(str`Row ${label} was checked again: ${outcomeLabel(row.outcome)}.`, { id: 'preview.rechecked' })
        : msg(str`Row ${label} was checked again.`, { id: 'preview.recheckedElsewhere' })}
    </p>`;
  }

  private details(row: RowOutcome) {
    const lang = uiLanguage();
    if (row.outcome === 'skip' && row.reason) return skipText(row.reason, lang);
    const problems = row.problems.map((p) => html`<li>${problemText(p, lang)}</li>`);
    const changes = Object.entries(row.diff ?? {}).map(([field, [before, after]]) => html`<li>${fieldLabel(field, lang)}: ${changeValue(field, before, lang) || '∅'} → ${changeValue(field, after, lang) || '∅'}</li>`);
    const lands = row.placement;
    const placement = lands
      ? html`<li class="muted">${[
          lands.node,
          lands.groups?.join(', '),
          lands.role,
          lands.courses?.join(', '),
          lands.supervisors ? msg(str`supervisor: ${lands.supervisors.join(', ')}`, { id: 'preview.supervisors' }) : '',
          // Finnish puts the day first ("2027-07-31 asti"): the day is the message's own parameter.
          lands.validFrom ? msg(str`from ${lands.validFrom}`, { id: 'preview.from' }) : '',
          lands.validUntil ? msg(str`until ${lands.validUntil}`, { id: 'preview.until' }) : '',
        ]
          .filter(Boolean)
          .join(' · ')}</li>`
      : nothing;
    return problems.length + changes.length > 0 || lands ? html`<ul>${problems}${changes}${placement}</ul>` : '';
  }

  /** The person by name, then the username the account has or gets, the e-mail address, student number and single sign-on ID. */
  private who(row: RowOutcome) {
    const person = row.person;
    const ids = [row.username, person?.email, person?.idnumber, person?.ssoId].filter(Boolean).join(' · ');
    return html`${person?.name ? html`<span class="name">${person.name}</span>` : nothing}${ids ? html`<div class="muted">${ids}</div>` : nothing}`;
  }

  /** Settings left out that the file decided, and why: an admin sees what was chosen for them. */
  private renderDefaultsChosen() {
    const chosen = this.structure?.defaultsChosen ?? [];
    if (chosen.length === 0) return nothing;
    const texts: Record<DefaultChoice['reason'], string> = {
      idnumber_column: msg('Existing accounts are found by student number: the file has student numbers.', { id: 'preview.defaultIdnumber' }),
      username_column: msg('Existing accounts are found by username: the file has usernames and no student numbers.', { id: 'preview.defaultUsername' }),
      email_column: msg('Existing accounts are found by e-mail address: the file has neither usernames nor student numbers.', { id: 'preview.defaultEmail' }),
      password_column: msg('New accounts get the passwords in the file: it has a password column.', { id: 'preview.defaultPassword' }),
      sso_column: msg('Accounts log in through single sign-on: the file has SSO IDs, linked to each account.', { id: 'preview.defaultSso' }),
      only_sso_issuer: msg(str`The SSO IDs are linked for ${chosen.find((c) => c.setting === 'ssoIssuer')?.value ?? ''}, the site's only single sign-on service.`, { id: 'preview.defaultSsoIssuer' }),
      no_sso_issuer: msg('The SSO IDs are not linked: this site has no single sign-on (OAuth 2) service people log in with.', { id: 'preview.noSsoIssuer' }),
      no_username_column: msg(str`Usernames of new accounts are made as ${chosen.find((c) => c.setting === 'usernameTemplate')?.value ?? ''}: the file has no usernames.`, { id: 'preview.defaultTemplate' }),
      generated_passwords: msg('The new logins wait for you in a one-time download after the import: their passwords are generated and nobody else is told them.', { id: 'preview.defaultDownload' }),
    };
    return html`<div class="notice" id="defaults-chosen">
      <ul>${chosen.map((c) => html`<li data-setting=${c.setting}>${texts[c.reason]}</li>`)}</ul>
    </div>`;
  }

  override render() {
    const counts = this.counts;
    const page = this.page;
    const withProblems = (counts?.errors ?? 0) + (counts?.skipped ?? 0);
    const nothingToDo =
      !!counts &&
      counts.created + counts.updated + counts.archived + counts.memberships + counts.membershipsRemoved + counts.nodesCreated + counts.groupsCreated + counts.rolesAssigned + counts.enrolments + counts.supervisorLinks + counts.supervisionEnded === 0;
    return html`
      <intake-counts .counts=${counts}></intake-counts>
      <intake-outcome-chart .counts=${counts} .structure=${this.structure}></intake-outcome-chart>
      ${this.renderDefaultsChosen()}
      ${this.structure?.joinedRows
        ? html`<div class="notice" id="joined-rows">
            <p>${isOne(this.structure.joinedRows)
              ? msg(str`${formatNumber(this.structure.joinedRows)} row lists a person again for another group: each person is imported once, in every group of their rows.`, { id: 'preview.joinedRows.one' })
              : msg(str`${formatNumber(this.structure.joinedRows)} rows list a person again for another group: each person is imported once, in every group of their rows.`, { id: 'preview.joinedRows' })}</p>
          </div>`
        : nothing}
      ${this.format?.type === 'xlsx' && this.format.otherDataSheets?.length
        ? html`<div class="notice" id="other-sheets">
            <p>${this.format.sheetsRead
              ? msg(str`The sheets ${this.format.sheetsRead.join(', ')} are imported together. Other sheets hold data in other columns: ${this.format.otherDataSheets.join(', ')}. Import each in a run of its own (choose its sheet on the Columns step).`, { id: 'preview.otherSheetsBeside' })
              : msg(str`Only the sheet “${this.format.sheet}” is imported. Other sheets hold data too: ${this.format.otherDataSheets.join(', ')}. Import each in a run of its own (choose its sheet on the Columns step).`, { id: 'preview.otherSheets' })}</p>
          </div>`
        : nothing}
      ${this.structure && this.structure.newNodes.length + this.structure.newGroups.length > 0
        ? html`<div class="notice" id="new-structure">
            ${this.structure.newNodes.length > 0 ? html`<p><strong>${msg('New nodes', { id: 'preview.newNodes' })}:</strong> ${this.structure.newNodes.join(', ')}</p>` : nothing}
            ${(this.structure.ambiguousNodes ?? []).map(
              ({ name, places }) => html`<p>${msg(str`“${name}” is made at the top level: several nodes have that name (${places.join('; ')}). To use one, make the node above it the top node.`, { id: 'preview.ambiguousNode' })}</p>`,
            )}
            ${this.structure.newGroups.length > 0 ? html`<p><strong>${msg('New groups', { id: 'preview.newGroups' })}:</strong> ${this.structure.newGroups.join(', ')}</p>` : nothing}
            ${this.structure.hostCategoryCache === 'purge_needed'
              ? html`<p>${msg('The site shows new nodes only after its caches are purged (its Intake plugin is not installed).', { id: 'preview.purgeNeeded' })}</p>`
              : nothing}
          </div>`
        : nothing}
      ${this.structure?.supervisorsUnanswered
        ? html`<div class="notice" id="supervisors-unanswered">
            <p>${msg(str`Not linked as supervisors: ${this.structure.supervisorsUnanswered.join(', ')}. This file makes their accounts, and their own rows have errors: the rows naming them are imported without them.`, { id: 'preview.supervisorsUnanswered' })}</p>
          </div>`
        : nothing}
      ${this.structure?.archiveHeld
        ? html`<div class="notice" id="archive-held">
            <p>${archiveHeldText(this.structure.archiveHeld.rows)}</p>
          </div>`
        : nothing}
      ${counts && counts.archived > 0
        ? html`<div class="notice" id="archiving">
            <p>${isOne(counts.archived)
              ? msg(str`${formatNumber(counts.archived)} account is no longer in the file and will be suspended.`, { id: 'preview.archiveNotice.one' })
              : msg(str`${formatNumber(counts.archived)} accounts are no longer in the file and will be suspended.`, { id: 'preview.archiveNotice' })}</p>
            ${this.structure?.toArchive?.length
              ? html`<details>
                  <summary>${msg('Who', { id: 'preview.archiveWho' })}</summary>
                  <ul>${this.structure.toArchive.map((u) => html`<li data-username=${u.username}>${u.name} (${u.username})</li>`)}</ul>
                </details>`
              : nothing}
          </div>`
        : nothing}
      <div class="filters" role="group" aria-label=${msg('Show rows', { id: 'preview.filter' })}>
        <button type="button" aria-pressed=${this.filter === null ? 'true' : 'false'} @click=${() => this.rowsChange(null, 0)}>${msg('All', { id: 'preview.all' })}</button>
        ${outcomes.map((o) => html`<button type="button" data-outcome=${o} aria-pressed=${this.filter === o ? 'true' : 'false'} @click=${() => this.rowsChange(o, 0)}>${outcomeLabel(o)}</button>`)}
        <label
          >${msg('Search all rows', { id: 'preview.search' })}
          <input id="row-search" type="search" maxlength=${searchMaxLength} .value=${this.query} placeholder=${msg('name, username, e-mail, node or group', { id: 'preview.searchHint' })}
            @input=${this.search} /></label
        >
      </div>
      ${this.renderRechecked()}
      <table id="rows" class="stack">
        <thead>
          <tr>
            <th scope="col">${msg('Row', { id: 'preview.row' })}</th>
            <th scope="col">${msg('Outcome', { id: 'preview.outcome' })}</th>
            <th scope="col">${msg('Who', { id: 'preview.who' })}</th>
            <th scope="col">${msg('Details', { id: 'preview.details' })}</th>
          </tr>
        </thead>
        <tbody>
          ${page?.rows.map(
            (row) => html`<tr data-row=${row.row}>
              <td data-label=${msg('Row', { id: 'preview.row' })}>${rowLabel(row.row, sheetsReadOf(this.format))}</td>
              <td class="outcome-${row.outcome}">${outcomeLabel(row.outcome)}</td>
              <td class="who">${this.who(row)}</td>
              <td>${this.details(row)} ${this.renderFix(row)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${page ? pager(this.offset, rowsPerPage, page.total, (offset) => this.rowsChange(this.filter, offset)) : nothing}
      ${withProblems > 0 ? html`<p><a id="error-report" href=${this.errorReportUrl} download>${msg('Download the error report (CSV)', { id: 'preview.errorReport' })}</a></p>` : nothing}
      ${nothingToDo
        ? html`<p class="muted" id="commit-blocked">${msg('Nothing to import: no row adds, changes or suspends an account or a membership.', { id: 'preview.nothingToDo' })}</p>`
        : nothing}
      <div class="actions">
        <button class="secondary" type="button" @click=${() => this.dispatchEvent(new StepBackRequestedEvent())}>${msg('Back', { id: 'common.back' })}</button>
        <button id="commit" type="button" ?disabled=${this.busy || this.confirming || !counts || nothingToDo} aria-describedby=${nothingToDo ? 'commit-blocked' : nothing} @click=${() => this.requestCommit()}>
          ${msg('Import now', { id: 'preview.commit' })}
        </button>
      </div>
      ${this.confirming && counts ? this.renderConfirmation(counts) : nothing}
    `;
  }

  /** Asks once when rows will not be imported or accounts suspended; otherwise the import goes at once. */
  private requestCommit() {
    const counts = this.counts;
    if (counts && (counts.errors > 0 || counts.archived > 0)) {
      this.confirming = true;
      focusAfterRender(this, '#confirm-commit');
      return;
    }
    this.dispatchEvent(new CommitRequestedEvent());
  }

  /** The question closes and focus goes back to "Import now", where the person asked it from. */
  private cancelCommit() {
    this.confirming = false;
    focusAfterRender(this, '#commit');
  }

  private renderConfirmation(counts: Counts) {
    const held = archiveIsHeld(counts);
    return html`<div class="notice" id="confirmation" role="alertdialog" aria-labelledby="confirmation-text" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelCommit()}>
      <div id="confirmation-text">
        ${counts.errors > 0 ? html`<p>${msg(str`${formatNumber(counts.errors)} of ${formatNumber(counts.rows)} rows will not be imported (they have errors).`, { id: 'preview.confirmErrors' })}</p>` : nothing}
        ${counts.archived > 0
          ? html`<p>${isOne(counts.archived)
              ? msg(str`${formatNumber(counts.archived)} account will be suspended.`, { id: 'preview.confirmArchive.one' })
              : msg(str`${formatNumber(counts.archived)} accounts will be suspended.`, { id: 'preview.confirmArchive' })}</p>`
          : nothing}
        ${held ? html`<p><strong>${msg(str`That is more than ${archiveHoldShare * 100}% of the file: check the list of who is suspended first.`, { id: 'preview.confirmHeld' })}</strong></p>` : nothing}
      </div>
      <div class="actions">
        <button class="secondary" type="button" id="cancel-commit" @click=${() => this.cancelCommit()}>${msg('Cancel', { id: 'common.cancel' })}</button>
        <button type="button" id="confirm-commit" @click=${() => {
          this.confirming = false;
          this.dispatchEvent(new CommitRequestedEvent(held ? counts.archived : undefined));
        }}>${held
          ? // Held only above a tenth of the file (at least two accounts): always the plural.
            msg(str`Suspend ${formatNumber(counts.archived)} accounts and import`, { id: 'preview.confirmHeldButton' })
          : msg('Import the other rows', { id: 'preview.confirmButton' })}</button>
      </div>
    </div>`;
  }
}

customElements.define('intake-preview-step', IntakePreviewStep);

declare global {
  interface HTMLElementTagNameMap {
    'intake-preview-step': IntakePreviewStep;
  }
}
