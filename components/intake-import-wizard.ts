import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { isUndoable, searchMaxLength } from '../server/contract/types.js';
import type { ErrorBody, FileOptions, GroupOption, ImportSummary, LaterChanges, Me, NodeOption, Outcome, PersonOption, Progress, RoleOption, RowPage, SettingsInput, SsoIssuerOption } from '../server/contract/types.js';
import type { MailStatus } from '../server/contract/types.js';
import { fileDefaultable, settingsDefaults, type FileDefaultable } from '../server/contract/types.js';
import { closestUiLanguage, type MappedField } from '../server/contract/catalog.js';
import { reportDelimiterFor } from '../server/contract/report-delimiter.js';
import { errorText } from '../server/contract/messages.js';
import { chosenField, requiredFields } from '../server/contract/required-fields.js';
import { ApiError, IntakeApi } from './api-client.js';
import { wizardSettings } from './wizard-settings.js';
import './intake-format-panel.js';
import './intake-history.js';
import './intake-mapping-step.js';
import type { MappingChoice } from './events.js';
import './intake-preview-step.js';
import { rowsPerPage, type FixableColumn, type IntakePreviewStep } from './intake-preview-step.js';
import './intake-progress-bar.js';
import './intake-result-step.js';
import './intake-settings-step.js';
import './intake-upload-step.js';
import type { UploadProgress } from './intake-upload-step.js';
import { setLocale, uiLanguage } from './localization.js';
import { sharedStyles } from './shared-styles.js';
import { fitToFile } from '../server/contract/file-defaults.js';
import { RowFixRequestedEvent, CommitRequestedEvent, FileOptionsChangeEvent, HistoryQueryEvent, ImportCompleteEvent, MappingChangeEvent, PeopleSearchRequestedEvent, RowsChangeEvent, SettingsChangeEvent, SourceChangeEvent, UndoRequestedEvent, UploadRequestedEvent } from './events.js';

/** Earlier imports shown per page. */
const historyPerPage = 10;

type Step = 'upload' | 'mapping' | 'settings' | 'preview' | 'progress' | 'result';

/**
 * The settings the file decides, chosen as the server chooses them when they are left out (the same
 * `fitToFile`): its student numbers to match on, its passwords, and usernames from the shown template
 * when it has no username column.
 */
function fileSuggestions(fields: ReadonlySet<MappedField | null>, settings: SettingsInput, fromFile: readonly FileDefaultable[], ssoIssuers: readonly string[] | null): Pick<SettingsInput, FileDefaultable> {
  const defaults = settingsDefaults();
  const base = {
    matchOn: defaults.matchOn,
    password: defaults.password,
    auth: fromFile.includes('auth') ? defaults.auth : (settings.auth ?? defaults.auth),
    actions: { ...defaults.actions, ...settings.actions },
    usernameTemplate: undefined,
    ssoIssuer: fromFile.includes('ssoIssuer') ? undefined : settings.ssoIssuer,
    // Who is told new logins is the wizard's own choice (a download by default), never left to the server.
    notify: { ...defaults.notify, ...settings.notify },
  };
  const { settings: fitted } = fitToFile(base, fields, fileDefaultable, ssoIssuers);
  return { matchOn: fitted.matchOn, auth: fitted.auth, password: fitted.password, usernameTemplate: fitted.usernameTemplate, ssoIssuer: fitted.ssoIssuer };
}

/**
 * The import wizard a host page mounts: upload → mapping → settings → preview → progress → result.
 * It owns the state and talks to the API; the steps only render and raise events.
 *
 * @attr api-base - where the API lives, e.g. `/api`
 * @attr token - a host-signed token for the logged-in user
 * @attr token-url - where to fetch a fresh token when it expires (same origin, host session)
 * @attr lang - interface language (`en`, `nl`; host codes like `nl_wp` work)
 * @fires intake-import-complete - detail `{ summary }` when an import finished
 * @csspart step - the current step's container
 */
export class IntakeImportWizard extends LitElement {
  static override properties = {
    apiBase: { attribute: 'api-base' },
    token: {},
    tokenUrl: { attribute: 'token-url' },
    lang: {},
    step: { state: true },
    summary: { state: true },
    mapping: { state: true },
    settings: { state: true },
    offered: { state: true },
    me: { state: true },
    unavailable: { state: true },
    groups: { state: true },
    nodes: { state: true },
    roles: { state: true },
    people: { state: true },
    peopleQuery: { state: true },
    ssoIssuers: { state: true },
    page: { state: true },
    rowFilter: { state: true },
    rowOffset: { state: true },
    rowQuery: { state: true },
    progress: { state: true },
    mail: { state: true },
    history: { state: true },
    historyTotal: { state: true },
    historyQuery: { state: true },
    historyOffset: { state: true },
    askingUndo: { state: true },
    recheckedRow: { state: true },
    laterChanges: { state: true },
    busy: { state: true },
    uploadProgress: { state: true },
    error: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      :host {
        background: #fff;
        border: 1px solid var(--intake-border);
        border-radius: 0.5rem;
        padding: 1.25rem 1.5rem;
      }
      @media (max-width: 30rem) {
        :host {
          padding: 1rem 0.75rem;
        }
      }
      ol.steps {
        display: flex;
        gap: 0.5rem;
        list-style: none;
        padding: 0;
        margin: 0 0 1.25rem;
        flex-wrap: wrap;
      }
      ol.steps li {
        padding: 0.25rem 0.75rem;
        border-radius: 1rem;
        background: #f1f3f5;
        font-size: 0.875rem;
      }
      ol.steps li[aria-current='step'] {
        background: var(--intake-accent);
        color: #fff;
      }
      h2 {
        font-size: 1.25rem;
        margin: 0 0 1rem;
      }
    `,
  ];

  declare apiBase: string;
  declare token: string;
  declare tokenUrl: string | null;
  declare lang: string;
  declare private step: Step;
  declare private summary: ImportSummary | null;
  declare private mapping: MappingChoice;
  declare private settings: SettingsInput;
  /** The settings the file decides until the admin changes them (see `settingsWithMapping`). */
  declare private fromFile: FileDefaultable[];
  /** The feed's choices of last time, offered until taken or the feed name changes. */
  declare private offered: SettingsInput | null;
  declare private groups: GroupOption[];
  declare private nodes: NodeOption[];
  declare private roles: RoleOption[];
  declare private people: PersonOption[];
  /** What `people` answers (the text searched for). */
  declare private peopleQuery: string | null;
  /** Searches asked so far: only the latest one's answer is shown, however the answers arrive. */
  private peopleAsked = 0;
  /** The single sign-on services a file's SSO IDs may belong to (null: not loaded). */
  declare private ssoIssuers: SsoIssuerOption[] | null;
  /** Who is signed in: a coordinator's settings ask for a group of theirs. */
  declare private me: Me | null;
  declare private page: RowPage | null;
  declare private rowFilter: Outcome | null;
  declare private rowOffset: number;
  declare private rowQuery: string;
  declare private progress: Progress;
  declare private mail: MailStatus | null;
  /** The row last corrected in the preview: it says what became of it. */
  declare private recheckedRow: number | null;
  /** The result was opened to undo (from history): its confirmation shows at once. */
  declare private askingUndo: boolean;
  /** What later imports changed of the people of the import shown. */
  declare private laterChanges: LaterChanges | null;
  declare private history: ImportSummary[];
  declare private historyTotal: number;
  declare private historyQuery: string;
  declare private historyOffset: number;
  declare private busy: boolean;
  /** How far the file being uploaded is (bytes sent of its size); null when none is on its way. */
  declare private uploadProgress: UploadProgress | null;
  /** Cancels the upload on its way. */
  private uploadAborter: AbortController | null = null;
  declare private error: ErrorBody['error'] | null;
  /** Lists and statuses that could not be loaded in the background: the wizard stays usable and says so. */
  declare private unavailable: { what: BackgroundLoad; error: ErrorBody['error'] }[];
  private api: IntakeApi | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.apiBase = '/api';
    this.token = '';
    this.tokenUrl = null;
    this.lang = 'en';
    this.groups = [];
    this.history = [];
    this.historyTotal = 0;
    this.historyQuery = '';
    this.historyOffset = 0;
    this.nodes = [];
    this.roles = [];
    this.people = [];
    this.peopleQuery = null;
    this.ssoIssuers = null;
    this.me = null;
    this.unavailable = [];
    this.reset();
  }

  private reset() {
    this.step = 'upload';
    this.summary = null;
    this.mapping = {};
    this.settings = wizardSettings();
    this.fromFile = [];
    this.offered = null;
    this.page = null;
    this.rowFilter = null;
    this.rowOffset = 0;
    this.rowQuery = '';
    this.progress = { phase: 'queued', done: 0, total: 0 };
    this.mail = null;
    this.askingUndo = false;
    this.laterChanges = null;
    this.recheckedRow = null;
    this.busy = false;
    this.uploadProgress = null;
    this.error = null;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('lang')) void setLocale(closestUiLanguage(this.lang));
    if (changed.has('apiBase') || changed.has('token') || changed.has('tokenUrl')) this.api = new IntakeApi(this.apiBase, this.token, this.tokenUrl);
  }

  protected override updated(changed: PropertyValues) {
    // A new step moves focus to its heading, so keyboard and screen-reader users start there, not at the
    // top of the host's page. Not on the first render: the page decides where focus starts.
    if (changed.has('step') && changed.get('step') !== undefined) this.renderRoot.querySelector<HTMLElement>('#step-heading')?.focus();
  }

  /** Runs an API call with the busy flag and one place that turns failures into a message. */
  private async attempt<T>(work: (api: IntakeApi) => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = null;
    try {
      return await work(this.api!);
    } catch (error) {
      this.error = error instanceof ApiError ? error.body : { code: 'internal', message: String(error), requestId: '' };
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Loads something the wizard can do without (a list to choose from, the history, mail status). A
   * failure does not block the step, but it is never silent: the wizard names what is missing and why.
   */
  private async background<T>(what: BackgroundLoad, work: (api: IntakeApi) => Promise<T>): Promise<T | null> {
    if (!this.api) return null;
    try {
      const result = await work(this.api);
      this.unavailable = this.unavailable.filter((u) => u.what !== what);
      return result;
    } catch (error) {
      const body = error instanceof ApiError ? error.body : { code: 'internal' as const, message: String(error), requestId: '' };
      this.unavailable = [...this.unavailable.filter((u) => u.what !== what), { what, error: body }];
      return null;
    }
  }

  /**
   * What the server is sent. Settings the file decided and the admin left alone are left out, so the
   * server decides them from the file as mapped in the end and the preview says what it chose and why.
   */
  private settingsWithMapping(): SettingsInput {
    const sent: SettingsInput = { ...this.settings, mapping: Object.keys(this.mapping).length > 0 ? this.mapping : undefined, file: this.summary?.fileOptions };
    for (const key of this.fromFile) delete sent[key];
    return sent;
  }

  /** Shows the choices the file makes (for the settings the admin has not touched) as the mapping stands. */
  private suggestFromFile() {
    const suggested = fileSuggestions(new Set(this.mappedFields() as MappedField[]), this.settings, this.fromFile, this.ssoIssuers?.map((i) => i.name) ?? null);
    this.settings = { ...this.settings, ...Object.fromEntries(this.fromFile.map((key) => [key, suggested[key]])) };
  }

  /** The fields the file's columns fill: detected, with the admin's choices over them. */
  private mappedFields(): string[] {
    return (this.summary?.columns ?? []).flatMap((c) => {
      const field = chosenField(c, this.mapping);
      return field ? [field] : [];
    });
  }

  private requiredNow() {
    return requiredFields(this.settings);
  }

  private async onUpload(file: File) {
    const aborter = (this.uploadAborter = new AbortController());
    this.uploadProgress = { sent: 0, total: file.size };
    const summary = await this.attempt((api) => api.upload(file, { onSent: (sent, total) => (this.uploadProgress = { sent, total }), signal: aborter.signal }));
    this.uploadProgress = null;
    this.uploadAborter = null;
    // Cancelled by the admin: back to choosing a file, with nothing to explain.
    if (aborter.signal.aborted) this.error = null;
    if (!summary) return;
    this.summary = summary;
    this.mapping = {};
    this.fromFile = [...fileDefaultable];
    this.suggestFromFile();
    this.step = 'mapping';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.loadGroups();
  }

  /** What the settings offer, limited by the server to what this user may use. */
  private async loadGroups() {
    await this.updateComplete;
    // Each list on its own: one that fails leaves the others (and the wizard) usable.
    const [me, groups, nodes, roles, people, issuers] = await Promise.all([
      this.background('me', (api) => api.me()),
      this.background('groups', (api) => api.groups()),
      this.background('nodes', (api) => api.nodes()),
      this.background('roles', (api) => api.roles()),
      this.background('people', (api) => api.people()),
      this.background('ssoIssuers', (api) => api.ssoIssuers()),
    ]);
    this.me = me;
    this.groups = groups?.groups ?? [];
    this.nodes = nodes?.nodes ?? [];
    this.roles = roles?.roles ?? [];
    this.people = people?.people ?? [];
    this.ssoIssuers = issuers?.issuers ?? null;
    void this.loadHistory().then(() => this.reattach());
    // A coordinator with one node imports there unless they choose otherwise. An administrator's site
    // with one category (a new Moodle's "Category 1") is not a choice made: without one, as on the
    // command line, new nodes and groups land at the site level.
    if (me?.scope.kind === 'categories' && this.nodes.length === 1 && !this.settings.hierarchy) this.settings = { ...this.settings, hierarchy: { top: this.nodes[0]!.idnumber || this.nodes[0]!.name } };
  }

  private async onFileOptions(file: FileOptions) {
    const id = this.summary!.id;
    const summary = await this.attempt((api) => api.inspect(id, file));
    if (!summary) return;
    this.summary = summary;
    this.mapping = {};
  }

  private async loadHistory() {
    const page = await this.background('history', (api) => api.history({ written: true, limit: historyPerPage, offset: this.historyOffset, q: this.historyQuery }));
    this.history = page?.imports ?? [];
    this.historyTotal = page?.total ?? 0;
  }

  /**
   * A page reloaded (or a tab closed and opened again) while one of this user's imports runs on the
   * server: the wizard picks it up again where it is, from the server's record, not the tab's memory.
   */
  private async reattach() {
    if (this.step !== 'upload' || this.summary) return;
    const recent = (await this.background('history', (api) => api.history({ limit: 20 })))?.imports ?? [];
    const active = recent.find((i) => i.mine && ['previewing', 'queued', 'running', 'undoing'].includes(i.status));
    if (!active) return;
    this.summary = active;
    const previewing = active.status === 'previewing';
    const summary = await this.follow(active.id);
    if (!summary) return;
    if (previewing && summary.status === 'previewed') {
      this.step = 'preview';
      await this.loadRows(null, 0);
      return;
    }
    this.step = 'result';
    if (summary.status === 'failed') this.error = summary.error;
    await this.loadResultDetails();
    await this.loadHistory();
  }

  /**
   * A feed imported before offers its choices (not its mapping: that follows the file's headers). They
   * are offered, never applied over what the admin set meanwhile: one click takes them.
   */
  private async offerSavedSettings(source: string) {
    const saved = source.trim() ? (await this.background('savedSettings', (api) => api.savedSettings(source.trim())))?.settings : null;
    this.offered = saved ? { ...saved, source: source.trim(), mapping: undefined, file: undefined } : null;
  }

  private onSettingsChange(settings: SettingsInput) {
    // A setting the admin changes is theirs from then on: the file no longer decides it.
    this.fromFile = this.fromFile.filter((key) => JSON.stringify(settings[key]) === JSON.stringify(this.settings[key]));
    this.settings = settings;
    // Taking the offer (the step sends that very object) ends it; so does naming another feed.
    if (settings === this.offered || settings.source?.trim() !== this.offered?.source) this.offered = null;
  }

  /** Undo from history opens the import's result, with the confirmation (and what it warns) open. */
  private async undoEarlier(id: string) {
    const summary = await this.follow(id);
    if (!summary) return;
    this.summary = summary;
    this.askingUndo = true;
    this.step = 'result';
    await this.loadResultDetails();
  }

  /** What later imports changed of the same people: the undo confirmation warns about it. */
  private async loadLaterChanges() {
    const summary = this.summary;
    this.laterChanges = null;
    if (!summary || !isUndoable(summary.status) || !this.me?.mayUndo) return;
    this.laterChanges = await this.background('laterChanges', (api) => api.laterChanges(summary.id));
  }

  private async searchPeople(q: string) {
    const asked = ++this.peopleAsked;
    // Past the longest a name or address can be nothing more is matched: the server takes no longer search.
    const found = await this.background('people', (api) => api.people(q.slice(0, searchMaxLength)));
    // A slow answer for "ja" never replaces the one for "jan" that came before it.
    if (!found || asked !== this.peopleAsked) return;
    this.people = found.people;
    this.peopleQuery = q;
  }

  private async follow(id: string): Promise<ImportSummary | undefined> {
    this.step = 'progress';
    return this.attempt((api) =>
      api.follow(id, (s) => {
        this.summary = s;
        this.progress = s.progress;
      }),
    );
  }

  /** The columns a preview row's cells may be corrected in: mapped ones, never a password's. */
  private fixableColumns(): FixableColumn[] {
    return (this.summary?.columns ?? []).flatMap((c) => {
      const field = chosenField(c, this.mapping);
      return field && field !== 'password' ? [{ index: c.index, header: c.header, field }] : [];
    });
  }

  /** Fix in place: the corrected row is checked again with the whole file, and the same page comes back. */
  private async onRowFix(event: RowFixRequestedEvent) {
    const id = this.summary!.id;
    if (!(await this.attempt((api) => api.fixRow(id, event.row, event.cells)))) return;
    const summary = await this.follow(id);
    if (!summary) return;
    if (summary.status !== 'previewed') {
      this.error = summary.error;
      this.step = 'settings';
      return;
    }
    this.step = 'preview';
    this.recheckedRow = event.row;
    await this.loadRows(this.rowFilter, this.rowOffset, this.rowQuery);
    // The step's heading took the focus as the preview came back: the person was at this row, not at the top.
    await this.updateComplete;
    await this.renderRoot.querySelector<IntakePreviewStep>('intake-preview-step')?.focusRechecked();
  }

  private async onPreview() {
    const id = this.summary!.id;
    const queued = await this.attempt((api) => api.preview(id, this.settingsWithMapping()));
    if (!queued) return;
    const summary = await this.follow(id);
    if (!summary) return;
    if (summary.status !== 'previewed') {
      this.error = summary.error;
      this.step = summary.error?.code === 'missing_column' || summary.error?.code === 'mapping_conflict' ? 'mapping' : 'settings';
      return;
    }
    this.step = 'preview';
    this.recheckedRow = null;
    await this.loadRows(null, 0);
  }

  private async loadRows(outcome: Outcome | null, offset: number, query = '') {
    const id = this.summary!.id;
    const page = await this.attempt((api) => api.rows(id, { outcome: outcome ?? undefined, offset, limit: rowsPerPage, q: query }));
    if (!page) return;
    this.page = page;
    this.rowFilter = outcome;
    this.rowOffset = offset;
    this.rowQuery = query;
  }

  private async onCommit(event: CommitRequestedEvent) {
    const id = this.summary!.id;
    if (!(await this.attempt((api) => api.commit(id, event.confirmArchive)))) return;
    const summary = await this.follow(id);
    if (!summary) return;
    this.step = 'result';
    if (summary.status === 'failed') this.error = summary.error;
    await this.loadResultDetails();
    this.dispatchEvent(new ImportCompleteEvent(summary));
  }

  /** What the result shows beside its counts: the mail status, and what undo would warn about. */
  private async loadResultDetails() {
    await Promise.all([this.loadMail(), this.loadLaterChanges()]);
  }

  /** Mail status of the result; while messages wait, it is looked at again every few seconds. */
  private async loadMail() {
    const id = this.summary?.id;
    if (!id) return;
    this.mail = await this.background('mail', (api) => api.mail(id));
    if (this.mail && this.mail.pending > 0) {
      setTimeout(() => {
        if (this.step === 'result' && this.summary?.id === id) void this.loadMail();
      }, 2000);
    }
  }

  private async onUndo(event: UndoRequestedEvent) {
    const id = this.summary!.id;
    this.askingUndo = false;
    if (!(await this.attempt((api) => api.undo(id, event.overLaterChanges)))) return;
    const summary = await this.follow(id);
    this.step = 'result';
    // An undo that failed changed nothing: the import is back as it was, and says why.
    if (summary && summary.status !== 'undone') this.error = summary.error;
    this.laterChanges = null;
    // The earlier imports' list shows it undone, and what became undoable or not.
    await this.loadHistory();
  }

  private back() {
    const previous: Partial<Record<Step, Step>> = { mapping: 'upload', settings: 'mapping', preview: 'settings' };
    this.error = null;
    this.step = previous[this.step] ?? 'upload';
  }

  private renderStep() {
    const summary = this.summary;
    switch (this.step) {
      case 'upload':
        return html`<intake-upload-step
          ?busy=${this.busy}
          .groups=${this.groups}
          .templateUrl=${(layout: string) => this.api!.templateUrl(layout, uiLanguage())}
          .exportUrl=${(layout: string, group: number | null) => this.api!.exportUrl(layout, uiLanguage(), group)}
          .progress=${this.uploadProgress}
          @intake-upload-requested=${(e: UploadRequestedEvent) => this.onUpload(e.file)}
          @intake-upload-cancel-requested=${() => this.uploadAborter?.abort()}
        ></intake-upload-step>
        <intake-history .imports=${this.history} .total=${this.historyTotal} .query=${this.historyQuery} .offset=${this.historyOffset} .perPage=${historyPerPage}
          .credentialsUrl=${(item: ImportSummary) => this.api!.credentialsUrl(item.id, reportDelimiterFor(item.format, uiLanguage()))} ?can-undo=${this.me?.mayUndo ?? false} ?busy=${this.busy}
          @intake-history-query=${(e: HistoryQueryEvent) => {
            this.historyQuery = e.query;
            this.historyOffset = e.offset;
            void this.loadHistory();
          }}
          @intake-undo-requested=${(e: UndoRequestedEvent) => e.id && this.undoEarlier(e.id)}></intake-history>`;
      case 'mapping':
        return html`<intake-format-panel
            .format=${summary?.format ?? null}
            .options=${summary?.fileOptions ?? {}}
            ?busy=${this.busy}
            @intake-file-options-change=${(e: FileOptionsChangeEvent) => this.onFileOptions(e.file)}
          ></intake-format-panel>
          <intake-mapping-step
          .columns=${summary?.columns ?? []}
          .requiredFields=${this.requiredNow()}
          .mapping=${this.mapping}
          .profileFields=${summary?.profileFields ?? []}
          @intake-mapping-change=${(e: MappingChangeEvent) => {
            this.mapping = e.mapping;
            this.suggestFromFile();
          }}
          @intake-step-next-requested=${() => {
            this.error = null;
            this.step = 'settings';
          }}
          @intake-step-back-requested=${this.back}
        ></intake-mapping-step>`;
      case 'settings':
        return html`<intake-settings-step
          .settings=${this.settings}
          .groups=${this.groups}
          .nodes=${this.nodes}
          .roles=${this.roles}
          .people=${this.people}
          .peopleQuery=${this.peopleQuery}
          ?coordinator=${this.me?.scope.kind === 'categories'}
          .mappedFields=${this.mappedFields()}
          .ssoIssuers=${this.ssoIssuers}
          .languages=${this.me ? { site: this.me.siteLang, installed: this.me.languages } : null}
          .authMethods=${this.me?.authMethods ?? null}
          ?busy=${this.busy}
          @intake-people-search-requested=${(e: PeopleSearchRequestedEvent) => this.searchPeople(e.q)}
          .offered=${this.offered}
          @intake-source-change=${(e: SourceChangeEvent) => this.offerSavedSettings(e.source)}
          @intake-settings-change=${(e: SettingsChangeEvent) => this.onSettingsChange(e.settings)}
          @intake-preview-requested=${this.onPreview}
          @intake-step-back-requested=${this.back}
        ></intake-settings-step>`;
      case 'preview':
        return html`<intake-preview-step
          .counts=${summary?.counts ?? null}
          .structure=${summary?.structure ?? null}
          .format=${summary?.format ?? null}
          .page=${this.page}
          .filter=${this.rowFilter}
          .offset=${this.rowOffset}
          .query=${this.rowQuery}
          .errorReportUrl=${this.api!.errorReportUrl(summary!.id, uiLanguage(), reportDelimiterFor(summary!.format, uiLanguage()))}
          ?busy=${this.busy}
          .fixable=${this.fixableColumns()}
          .recheckedRow=${this.recheckedRow}
          @intake-rows-change=${(e: RowsChangeEvent) => this.loadRows(e.outcome, e.offset, e.query)}
          @intake-row-fix-requested=${this.onRowFix}
          @intake-commit-requested=${this.onCommit}
          @intake-step-back-requested=${this.back}
        ></intake-preview-step>`;
      case 'progress':
        return html`<intake-progress-bar .progress=${this.progress}></intake-progress-bar>`;
      case 'result':
        return html`<intake-result-step
          .summary=${summary}
          .errorReportUrl=${this.api!.errorReportUrl(summary!.id, uiLanguage(), reportDelimiterFor(summary!.format, uiLanguage()))}
          .mail=${this.mail}
          .credentialsUrl=${this.api!.credentialsUrl(summary!.id, reportDelimiterFor(summary!.format, uiLanguage()))}
          ?can-undo=${this.me?.mayUndo ?? false}
          ?asking-undo=${this.askingUndo}
          .laterChanges=${this.laterChanges}
          ?busy=${this.busy}
          @intake-credentials-taken=${() => this.loadMail()}
          @intake-undo-requested=${this.onUndo}
          @intake-restart-requested=${() => {
            this.reset();
            void this.loadHistory();
          }}
        ></intake-result-step>`;
    }
  }

  private stepTitle(step: Step): string {
    switch (step) {
      case 'upload':
        return msg('Upload', { id: 'step.upload' });
      case 'mapping':
        return msg('Columns', { id: 'step.mapping' });
      case 'settings':
        return msg('Settings', { id: 'step.settings' });
      case 'preview':
        return msg('Preview', { id: 'step.preview' });
      case 'progress':
        return msg('Progress', { id: 'step.progress' });
      case 'result':
        return msg('Result', { id: 'step.result' });
    }
  }

  override render() {
    const steps: Step[] = ['upload', 'mapping', 'settings', 'preview', 'progress', 'result'];
    const error = this.error;
    return html`
      <ol class="steps" aria-label=${msg('Import steps', { id: 'wizard.steps' })}>
        ${steps.map((s) => html`<li aria-current=${s === this.step ? 'step' : 'false'}>${this.stepTitle(s)}</li>`)}
      </ol>
      <h2 id="step-heading" tabindex="-1">${this.stepTitle(this.step)}${this.summary && this.step !== 'upload' ? html` <span class="muted">— ${this.summary.fileName}</span>` : nothing}</h2>
      <div role="alert" aria-live="assertive">
        ${error ? html`<div class="notice error" id="error" data-code=${error.code}>${errorText(error.code, error.params, uiLanguage())}</div>` : nothing}
      </div>
      <div role="status" aria-live="polite" id="unavailable">
        ${this.unavailable.map((u) => html`<p class="notice" data-what=${u.what}>${unavailableText(u.what)} ${errorText(u.error.code, u.error.params, uiLanguage())}</p>`)}
      </div>
      <div part="step">${this.renderStep()}</div>
    `;
  }
}

/** What the wizard loads in the background. */
type BackgroundLoad = 'me' | 'groups' | 'nodes' | 'roles' | 'people' | 'ssoIssuers' | 'history' | 'laterChanges' | 'savedSettings' | 'mail';

function unavailableText(what: BackgroundLoad): string {
  switch (what) {
    case 'me':
      return msg('Who you are could not be loaded; the settings cannot check what you may import.', { id: 'unavailable.me' });
    case 'groups':
      return msg('The groups to choose from could not be loaded.', { id: 'unavailable.groups' });
    case 'nodes':
      return msg('The nodes to choose from could not be loaded.', { id: 'unavailable.nodes' });
    case 'roles':
      return msg('The roles to choose from could not be loaded.', { id: 'unavailable.roles' });
    case 'people':
      return msg('The people to choose as supervisors could not be loaded.', { id: 'unavailable.people' });
    case 'ssoIssuers':
      return msg('The single sign-on services could not be loaded.', { id: 'unavailable.ssoIssuers' });
    case 'history':
      return msg('Earlier imports could not be loaded.', { id: 'unavailable.history' });
    case 'laterChanges':
      return msg('What later imports changed of the same people could not be loaded; undo keeps their newer values all the same.', { id: 'unavailable.laterChanges' });
    case 'savedSettings':
      return msg("This feed's saved choices could not be loaded.", { id: 'unavailable.savedSettings' });
    case 'mail':
      return msg('The mail status could not be loaded.', { id: 'unavailable.mail' });
  }
}

customElements.define('intake-import-wizard', IntakeImportWizard);

declare global {
  interface HTMLElementTagNameMap {
    'intake-import-wizard': IntakeImportWizard;
  }
}
