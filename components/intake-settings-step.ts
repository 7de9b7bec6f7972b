import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { fieldCatalog, matchFields, uiLanguages } from '../server/contract/catalog.js';
import { acceptedPasswordLength, settingsProblems, type SettingsProblem } from '../server/contract/settings-rules.js';
import { unreadableDates } from '../server/contract/dates.js';
import { accountStatuses, classPolicies, credentialRecipients, membershipPolicies, passwordLength, settingsDefaults, teacherRoles, type GroupOption, type NodeOption, type PersonOption, type RoleOption, type SettingsInput, type SsoIssuerOption } from '../server/contract/types.js';
import { checkedOf, choiceOf, optionalValueOf, valueOf } from './form-values.js';
import { defaultUsernameTemplate } from '../server/contract/username-template-rules.js';
import { authMethodLabel, commonAuthMethods } from '../server/contract/auth-methods.js';
import { formatNumber, languageName, uiLanguage } from './localization.js';
import { sharedStyles } from './shared-styles.js';
import { PeopleSearchRequestedEvent, PreviewRequestedEvent, SettingsChangeEvent, SourceChangeEvent, StepBackRequestedEvent } from './events.js';

/**
 * Step 3: what the import does. Edits a draft of the settings object the API and CLI share.
 *
 * @fires intake-settings-change - detail `{ settings }` after every change
 * @fires intake-source-change - detail `{ source }` when the feed name is settled (its saved choices may apply)
 * @fires intake-preview-requested - the admin asks for the dry run
 * @fires intake-step-back-requested - back to the mapping
 */
export class IntakeSettingsStep extends LitElement {
  static override properties = {
    settings: { attribute: false },
    groups: { attribute: false },
    nodes: { attribute: false },
    roles: { attribute: false },
    people: { attribute: false },
    peopleQuery: { attribute: false },
    coordinator: { type: Boolean },
    offered: { attribute: false },
    mappedFields: { attribute: false },
    ssoIssuers: { attribute: false },
    languages: { attribute: false },
    authMethods: { attribute: false },
    busy: { type: Boolean },
    supervisorNotFound: { state: true },
    groupFilter: { state: true },
  };

  static override styles = [
    sharedStyles,
    css`
      fieldset {
        border: 1px solid var(--intake-border);
        border-radius: 0.5rem;
        margin: 0 0 1rem;
        padding: 0.75rem 1rem;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.25rem;
        align-items: center;
      }
      .row + .row {
        margin-top: 0.75rem;
      }
      label {
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
      }
      ul.chosen {
        display: flex;
        gap: 0.5rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.chosen li {
        background: #e9ecef;
        border-radius: 1rem;
        padding: 0.1rem 0.25rem 0.1rem 0.6rem;
      }
      ul.chosen button {
        padding: 0 0.4rem;
      }
      /* The groups to choose from: a list of checkboxes (a multiple select hides how to choose several). */
      fieldset.group-choice {
        margin: 0;
        padding: 0.5rem 0.75rem;
        flex: 1 1 18rem;
        min-width: 0;
      }
      .group-list {
        display: flex;
        flex-direction: column;
        gap: 0.25rem;
        max-height: 12rem;
        overflow-y: auto;
        margin-top: 0.4rem;
      }
      /* Each box a row of its own, far enough from the next for a finger (WCAG 2.5.8: 24 px apart). */
      .group-list label {
        min-height: 1.75rem;
      }
      /* On a narrow column a field goes under its label and takes the width there is. */
      @container (max-width: 36rem) {
        label:has(> select, > input:not([type='checkbox'], [type='radio'])) {
          flex-wrap: wrap;
          min-width: 0;
          max-width: 100%;
        }
        label > select,
        label > input:not([type='checkbox'], [type='radio']) {
          flex: 1 1 100%;
          width: 100%;
        }
        ul.chosen {
          flex-wrap: wrap;
        }
      }
    `,
  ];

  declare settings: SettingsInput;
  declare groups: GroupOption[];
  declare nodes: NodeOption[];
  declare roles: RoleOption[];
  /** Candidates for supervisor, as found by the last search. */
  declare people: PersonOption[];
  /** The text `people` was found for (null: not said, as when the list is given whole). */
  declare peopleQuery: string | null;
  /** The feed's choices of last time, if it has any: offered, applied only when the admin takes them. */
  declare offered: SettingsInput | null;
  /** A coordinator's new accounts must land in a group of theirs (or get a role there). */
  declare coordinator: boolean;
  /** The fields the file's columns fill, as mapped. */
  declare mappedFields: string[];
  /** The single sign-on services people log in with (null: not known, the server decides). */
  declare ssoIssuers: SsoIssuerOption[] | null;
  /** The site's language and those installed on it (null: the site does not say; the interface's own are offered). */
  declare languages: { site: string; installed: string[] | null } | null;
  /** What narrows the list of existing groups. */
  declare private groupFilter: string;
  /** A supervisor typed that nobody in the admin's reach is: said at once, not after the preview. */
  declare private supervisorNotFound: string | null;
  /**
   * Supervisors asked for by name whose search has not answered yet, in the order asked: a second name
   * added before the first one's answer came (the wizard keeps only the newest answer) waits its turn.
   */
  private pendingSupervisors: string[] = [];
  /** The people chosen as supervisors in this visit, by username: their chips show their names. */
  private readonly chosenPeople = new Map<string, PersonOption>();

  /** The sign-in methods the site has enabled (null: not known, the common ones are offered and the server decides). */
  declare authMethods: string[] | null;
  declare busy: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.settings = { source: '' };
    this.groups = [];
    this.nodes = [];
    this.roles = [];
    this.people = [];
    this.peopleQuery = null;
    this.coordinator = false;
    this.offered = null;
    this.mappedFields = [];
    this.ssoIssuers = null;
    this.languages = null;
    this.authMethods = null;
    this.busy = false;
    this.supervisorNotFound = null;
    this.groupFilter = '';
  }

  /** The language of new accounts whose row names none: the site's, or one installed on it. */
  private renderLanguage() {
    if (!this.languages) return nothing;
    const { site, installed } = this.languages;
    const chosen = this.settings.lang;
    const others = [...new Set([...(installed ?? uiLanguages), ...(chosen ? [chosen] : [])])].filter((code) => code !== site);
    return html`<label
      >${msg('Language of new accounts', { id: 'settings.lang' })}
      <select id="lang" @change=${(e: Event) => this.change({ lang: optionalValueOf(e) })}>
        <option value="" ?selected=${!chosen}>${msg(str`The site's (${languageName(site)})`, { id: 'settings.langSite' })}</option>
        ${others.map((code) => html`<option value=${code} ?selected=${chosen === code}>${languageName(code)}</option>`)}
      </select></label
    >`;
  }

  /** The site's methods, and the one the settings hold even where the site has not enabled it (the preview then says so). */
  private offeredAuthMethods(): string[] {
    const chosen = this.settings.auth ?? 'manual';
    const methods = this.authMethods ?? commonAuthMethods;
    return methods.includes(chosen) ? [...methods] : [...methods, chosen];
  }

  /** New accounts may get passwords: manual is the method, or the file's auth column gives rows their own. */
  private mayCreateManualAccounts(): boolean {
    return (this.settings.auth ?? 'manual') === 'manual' || this.mappedFields.includes('auth');
  }

  /** Kept passwords leave no logins to send: only invitations remain a way to tell new users. */
  private keepPasswords() {
    const notify = { ...settingsDefaults().notify, ...this.settings.notify };
    const credentials = notify.credentials === 'invite' ? 'invite' : 'none';
    this.change({ password: { mode: 'keep' }, notify: { ...notify, credentials } });
  }

  private renderNotify() {
    const s = this.settings;
    const notify = { ...settingsDefaults().notify, ...s.notify };
    const set = (patch: Partial<NonNullable<SettingsInput['notify']>>) => this.change({ notify: { ...notify, ...patch } });
    const manual = this.mayCreateManualAccounts();
    return html`<fieldset>
      <legend>${msg('Who is told', { id: 'settings.notify' })}</legend>
      <div class="row">
        <label
          >${msg('New login details', { id: 'settings.credentials' })}
          <select id="notify-credentials" @change=${(e: Event) => set({ credentials: choiceOf(e, credentialRecipients, 'none') })}>
            <option value="none" ?selected=${notify.credentials === 'none'}>${msg('Nobody (users reset their password)', { id: 'settings.credentialsNone' })}</option>
            ${manual
              ? html`<option value="download" ?selected=${notify.credentials === 'download'}>${msg('Me: a one-time download after the import', { id: 'settings.credentialsDownload' })}</option>
                  <option value="user" ?selected=${notify.credentials === 'user'}>${msg('Each new user, by e-mail', { id: 'settings.credentialsUser' })}</option>
                  <option value="supervisor" ?selected=${notify.credentials === 'supervisor'}>${msg('Their supervisors: printable slips (PDF) and a list', { id: 'settings.credentialsSupervisor' })}</option>
                  <option value="invite" ?selected=${notify.credentials === 'invite'}>${msg('Each new user: a link to choose their own password', { id: 'settings.credentialsInvite' })}</option>`
              : nothing}
          </select></label
        >
        ${notify.credentials === 'supervisor'
          ? html`<label
              >${msg('Or all to one teacher or coordinator', { id: 'settings.namedSupervisor' })}
              <input id="notify-supervisor" type="text" list="people" autocomplete="off" .value=${notify.supervisor ?? ''}
                @input=${(e: Event) => this.dispatchEvent(new PeopleSearchRequestedEvent(valueOf(e)))}
                @change=${(e: Event) => set({ supervisor: optionalValueOf(e) })}
            /></label>`
          : nothing}
      </div>
      <div class="row">
        <label><input id="notify-updated" type="checkbox" .checked=${notify.updated} @change=${(e: Event) => set({ updated: checkedOf(e) })} />${msg('Tell updated users what changed', { id: 'settings.notifyUpdated' })}</label>
        <label
          >${msg('Send a report to', { id: 'settings.reportTo' })}
          <input id="notify-report" type="email" placeholder="office@school.example" .value=${notify.reportTo ?? ''} @change=${(e: Event) => set({ reportTo: optionalValueOf(e) })}
        /></label>
      </div>
    </fieldset>`;
  }

  /** The one person the search found by this username, e-mail address or name, if exactly one. */
  private personNamed(typed: string): PersonOption | undefined {
    const wanted = typed.toLowerCase();
    const found = this.people.filter((p) => [p.username, p.email, p.name].some((known) => known.toLowerCase() === wanted));
    return found.length === 1 ? found[0] : undefined;
  }

  /** Adds the supervisor typed, once the search for them has answered: a person found, or a message why not. */
  private addSupervisor() {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#supervisor-search')!;
    const typed = input.value.trim();
    if (!typed) return;
    const person = this.personNamed(typed);
    if (person) {
      this.addPerson(typed, person);
      return;
    }
    // The suggestions may be for what was typed a moment ago: ask for this, and decide when it answers.
    if (!this.pendingSupervisors.includes(typed)) this.pendingSupervisors = [...this.pendingSupervisors, typed];
    this.dispatchEvent(new PeopleSearchRequestedEvent(typed));
  }

  /**
   * Settles the supervisors waiting for a search with the answer that came: each found is added, the one
   * it answered and did not find is said so, and the first still waiting (its answer overtaken by a later
   * search) is asked again.
   */
  private settlePendingSupervisors() {
    const waiting: string[] = [];
    for (const typed of this.pendingSupervisors) {
      const person = this.personNamed(typed);
      if (person) this.addPerson(typed, person);
      else if (this.peopleQuery === typed) this.supervisorNotFound = typed;
      else waiting.push(typed);
    }
    this.pendingSupervisors = waiting;
    if (waiting.length > 0) this.dispatchEvent(new PeopleSearchRequestedEvent(waiting[0]!));
  }

  private addPerson(typed: string, person: PersonOption) {
    this.supervisorNotFound = null;
    this.chosenPeople.set(person.username, person);
    const supervisors = this.settings.supervisors ?? [];
    if (!supervisors.includes(person.username)) this.change({ supervisors: [...supervisors, person.username] });
    // Cleared only of this name: the next one may be typed in already.
    const input = this.renderRoot.querySelector<HTMLInputElement>('#supervisor-search')!;
    if (input.value.trim() === typed) input.value = '';
  }

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('people') && this.pendingSupervisors.length > 0) this.settlePendingSupervisors();
  }

  private renderPlacement() {
    const s = this.settings;
    const supervisors = s.supervisors ?? [];
    return html`<fieldset>
      <legend>${msg('Where the accounts land', { id: 'settings.placement' })}</legend>
      <div class="row">
        <label
          >${msg('Top node', { id: 'settings.top' })}
          <select id="hierarchy-top" @change=${(e: Event) => {
            const top = valueOf(e);
            this.change({ hierarchy: top ? { top } : undefined });
          }}>
            <option value="" ?selected=${!s.hierarchy}>${msg('— none (site level) —', { id: 'settings.topNone' })}</option>
            ${this.nodes.map((n) => html`<option value=${n.idnumber || n.name} ?selected=${s.hierarchy?.top === (n.idnumber || n.name)}>${n.label}</option>`)}
          </select></label
        >
        <label
          >${msg('Role', { id: 'settings.role' })}
          <select id="role" @change=${(e: Event) => this.change({ role: optionalValueOf(e) })}>
            <option value="" ?selected=${!s.role}>${msg('— from the file, or none —', { id: 'settings.roleNone' })}</option>
            ${this.roles.map((r) => html`<option value=${r.shortname} ?selected=${s.role === r.shortname}>${r.name}</option>`)}
          </select></label
        >
        <label
          >${msg('"Teacher" in the file means', { id: 'settings.teacherRole' })}
          <select id="teacher-role" @change=${(e: Event) => this.change({ teacherRole: choiceOf(e, teacherRoles, 'editingteacher') })}>
            <option value="editingteacher" ?selected=${(s.teacherRole ?? 'editingteacher') === 'editingteacher'}>${msg('Teacher (may edit courses)', { id: 'settings.teacherEditing' })}</option>
            <option value="teacher" ?selected=${s.teacherRole === 'teacher'}>${msg('Non-editing teacher', { id: 'settings.teacherNonEditing' })}</option>
          </select></label
        >
        <label
          >${msg('Group membership', { id: 'settings.membership' })}
          <select id="membership" @change=${(e: Event) => this.change({ membership: choiceOf(e, membershipPolicies, 'add') })}>
            <option value="add" ?selected=${(s.membership ?? 'add') === 'add'}>${msg('Add (never remove)', { id: 'settings.membershipAdd' })}</option>
            <option value="sync" ?selected=${s.membership === 'sync'}>${msg('Sync (members missing from the file leave)', { id: 'settings.membershipSync' })}</option>
          </select></label
        >
        <label
          >${msg('Class groups', { id: 'settings.classes' })}
          <select id="classes" @change=${(e: Event) => this.change({ classes: choiceOf(e, classPolicies, 'follow') })}>
            <option value="follow" ?selected=${(s.classes ?? 'follow') === 'follow'}>${msg("Follow the file (a pupil in a new class or school leaves last year's)", { id: 'settings.classesFollow' })}</option>
            <option value="add" ?selected=${s.classes === 'add'}>${msg('Add only (nobody leaves a class)', { id: 'settings.classesAdd' })}</option>
          </select></label
        >
      </div>
      <div class="row">
        <label
          >${msg('Supervisors of the groups', { id: 'settings.supervisors' })}
          <input id="supervisor-search" type="text" list="people" autocomplete="off" aria-invalid=${this.supervisorNotFound ? 'true' : 'false'}
            aria-describedby=${this.supervisorNotFound ? 'supervisor-not-found' : nothing}
            @input=${(e: Event) => {
              this.supervisorNotFound = null;
              this.dispatchEvent(new PeopleSearchRequestedEvent(valueOf(e)));
            }}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                this.addSupervisor();
              }
            }} />
          <datalist id="people">${this.people.map((p) => html`<option value=${p.username}>${p.name} (${p.email})</option>`)}</datalist>
        </label>
        <button class="secondary" id="add-supervisor" type="button" @click=${() => this.addSupervisor()}>${msg('Add', { id: 'settings.addSupervisor' })}</button>
        <ul class="chosen" aria-label=${msg('Chosen supervisors', { id: 'settings.chosenSupervisors' })}>
          ${supervisors.map((name) => {
            const who = this.chosenPeople.has(name) ? `${this.chosenPeople.get(name)!.name} (${name})` : name;
            return html`<li data-supervisor=${name}>${who} <button class="secondary" type="button" aria-label=${msg(str`Remove ${who}`, { id: 'settings.removeSupervisor' })}
              @click=${() => this.change({ supervisors: supervisors.filter((x) => x !== name) })}>×</button></li>`;
          })}
        </ul>
      </div>
      ${this.supervisorNotFound
        ? html`<p id="supervisor-not-found" class="required" role="alert">
            ${msg(str`Nobody you may choose is called “${this.supervisorNotFound}”: pick a person from the suggestions (by name, username or e-mail address).`, { id: 'settings.supervisorNotFound' })}
          </p>`
        : nothing}
      <div class="row">
        ${this.dateField('from', msg('Valid from', { id: 'settings.validFrom' }))} ${this.dateField('until', msg('Valid until', { id: 'settings.validUntil' }))}
      </div>
    </fieldset>`;
  }

  /**
   * A validity date typed as the admin's language writes dates (its pattern is the placeholder and the
   * hint), not the browser's: an English browser would show a Dutch admin mm/dd/yyyy.
   */
  private dateField(end: 'from' | 'until', label: string) {
    const s = this.settings;
    const unreadable = unreadableDates(s.validity).includes(end);
    const pattern = msg('dd-mm-yyyy', { id: 'settings.datePattern' });
    return html`<label
      >${label}
      <input id="valid-${end}" type="text" inputmode="numeric" autocomplete="off" size="11" placeholder=${pattern} aria-invalid=${unreadable ? 'true' : 'false'}
        .value=${s.validity?.[end] ?? ''} @change=${(e: Event) => this.change({ validity: { ...s.validity, [end]: optionalValueOf(e) } })}
    /></label>`;
  }

  private change(patch: Partial<SettingsInput>) {
    const settings = { ...this.settings, ...patch };
    this.dispatchEvent(new SettingsChangeEvent(settings));
  }

  private get actions() {
    return { add: true, update: true, archive: false, ...this.settings.actions };
  }

  private groupMode(): 'none' | 'existing' | 'create' {
    const group = this.settings.group;
    return !group ? 'none' : 'existing' in group ? 'existing' : 'create';
  }

  private renderGroup() {
    const mode = this.groupMode();
    const group = this.settings.group;
    // "Existing group" starts with none ticked: the admin chooses, nothing is chosen for them.
    const radio = (value: typeof mode, label: string) =>
      html`<label><input type="radio" name="group" .checked=${mode === value} @change=${() =>
        this.change({ group: value === 'none' ? undefined : value === 'existing' ? { existing: [] } : { create: '' } })} />${label}</label>`;
    return html`<fieldset>
      <legend>${msg('Group', { id: 'settings.group' })}</legend>
      <div class="row">
        ${radio('none', msg('No group', { id: 'settings.groupNone' }))} ${radio('existing', msg('Existing group', { id: 'settings.groupExisting' }))}
        ${radio('create', msg('New group', { id: 'settings.groupCreate' }))}
      </div>
      ${group && 'existing' in group ? html`<div class="row">${this.renderExistingGroups([group.existing].flat())}</div>` : nothing}
      ${group && 'create' in group
        ? html`<div class="row">
            <label
              >${msg('Name of the new group', { id: 'settings.groupName' })}
              <input id="group-create" type="text" .value=${group.create} @input=${(e: Event) => this.change({ group: { create: valueOf(e) } })}
            /></label>
          </div>`
        : nothing}
    </fieldset>`;
  }

  /**
   * The groups every row joins, ticked one or more at a time (Huddle's levels A and B at once); with many
   * groups a filter narrows the list, and what is ticked stays ticked whatever the filter shows.
   */
  private renderExistingGroups(chosen: string[]) {
    const keyOf = (g: GroupOption) => g.idnumber || g.name;
    const filter = this.groupFilter.toLowerCase();
    const shown = this.groups.filter((g) => !filter || chosen.includes(keyOf(g)) || `${g.name} ${g.idnumber ?? ''}`.toLowerCase().includes(filter));
    // One group is sent as a name, several as a list.
    const choose = (key: string, on: boolean) => {
      const next = on ? [...chosen.filter((k) => k !== key), key] : chosen.filter((k) => k !== key);
      this.change({ group: { existing: next.length === 1 ? next[0]! : next } });
    };
    return html`<fieldset class="group-choice" id="group-existing">
      <legend>${msg(str`Groups every row joins (${formatNumber(chosen.length)} chosen)`, { id: 'settings.groupsChosen' })}</legend>
      ${this.groups.length > 8
        ? html`<label
            >${msg('Find a group', { id: 'settings.groupFilter' })}
            <input id="group-filter" type="search" .value=${this.groupFilter} @input=${(e: Event) => (this.groupFilter = valueOf(e))}
          /></label>`
        : nothing}
      <div class="group-list">
        ${chosen
          .filter((key) => !this.groups.some((g) => keyOf(g) === key))
          .map(
            // Chosen last time (saved choices) but not among the groups offered now: ticked, and said so.
            (key) => html`<label
              ><input type="checkbox" data-group=${key} checked @change=${(e: Event) => choose(key, checkedOf(e))} />${key}
              <span class="required">${msg('(not found on this site)', { id: 'settings.groupGone' })}</span></label
            >`,
          )}
        ${shown.map(
          (g) => html`<label
            ><input type="checkbox" data-group=${keyOf(g)} .checked=${chosen.includes(keyOf(g))} @change=${(e: Event) => choose(keyOf(g), checkedOf(e))} />${g.name}${g.idnumber
              ? html` <span class="muted">(${g.idnumber})</span>`
              : nothing}</label
          >`,
        )}
      </div>
    </fieldset>`;
  }

  /** With SSO IDs in the file: the service they belong to (the only one is taken as it is). */
  private renderSsoIssuer() {
    const issuers = this.ssoIssuers;
    if (!this.mappedFields.includes('ssoId') || !issuers) return nothing;
    if (issuers.length === 0) {
      return html`<p class="muted" id="sso-unlinked">
        ${msg('The SSO IDs will not be linked: this site has no single sign-on (OAuth 2) service people log in with.', { id: 'settings.noSsoIssuer' })}
      </p>`;
    }
    const chosen = this.settings.ssoIssuer;
    return html`<div class="row">
      <label
        >${msg('Single sign-on service of the SSO IDs', { id: 'settings.ssoIssuer' })} ${issuers.length > 1 ? html`<span class="required">*</span>` : nothing}
        <select id="sso-issuer" ?required=${issuers.length > 1} @change=${(e: Event) => this.change({ ssoIssuer: optionalValueOf(e) })}>
          ${issuers.length > 1 ? html`<option value="" ?selected=${!chosen}>${msg('Choose…', { id: 'settings.choose' })}</option>` : nothing}
          ${issuers.map((i) => html`<option value=${i.name} ?selected=${chosen === i.name || issuers.length === 1}>${i.name}</option>`)}
        </select></label
      >
      <span class="muted">${msg('Each account is linked to its SSO ID, so its first login through the service finds it.', { id: 'settings.ssoIssuerHint' })}</span>
    </div>`;
  }

  override render() {
    const lang = uiLanguage();
    const s = this.settings;
    const actions = this.actions;
    const password = s.password ?? settingsDefaults().password;
    const problems = settingsProblems(s, { coordinator: this.coordinator, mappedFields: new Set(this.mappedFields), ...(this.ssoIssuers ? { ssoIssuers: this.ssoIssuers.length } : {}) });
    return html`
      <fieldset>
        <legend>${msg('Source', { id: 'settings.source' })}</legend>
        <label
          >${msg('Name of this feed', { id: 'settings.sourceLabel' })} <span class="required">*</span>
          <input id="source" type="text" required .value=${s.source ?? ''} @input=${(e: Event) => this.change({ source: valueOf(e) })}
            @change=${(e: Event) => this.dispatchEvent(new SourceChangeEvent(valueOf(e)))}
        /></label>
        <p class="muted">${msg('Archiving only reaches users that earlier imports of the same feed brought in, or members of the chosen group.', { id: 'settings.sourceHint' })}</p>
        ${this.offered
          ? html`<p class="notice" role="status">
              ${msg('This feed was imported before.', { id: 'settings.offered' })}
              <button id="use-saved" class="secondary" type="button" @click=${() => this.offered && this.dispatchEvent(new SettingsChangeEvent(this.offered))}>
                ${msg("Use last time's choices for this feed", { id: 'settings.useSaved' })}
              </button>
            </p>`
          : nothing}
      </fieldset>
      <fieldset>
        <legend>${msg('What to do', { id: 'settings.actions' })}</legend>
        <div class="row">
          <label><input id="action-add" type="checkbox" .checked=${actions.add} @change=${(e: Event) => this.change({ actions: { ...actions, add: checkedOf(e) } })} />${msg('Add new accounts', { id: 'settings.add' })}</label>
          <label><input id="action-update" type="checkbox" .checked=${actions.update} @change=${(e: Event) => this.change({ actions: { ...actions, update: checkedOf(e) } })} />${msg('Update existing accounts', { id: 'settings.update' })}</label>
          <label><input id="action-archive" type="checkbox" .checked=${actions.archive} @change=${(e: Event) => this.change({ actions: { ...actions, archive: checkedOf(e) } })} />${msg('Archive (suspend) accounts missing from the file', { id: 'settings.archive' })}</label>
        </div>
        <div class="row">
          <label
            >${msg('Find existing accounts by', { id: 'settings.matchOn' })}
            <select id="match-on" @change=${(e: Event) => {
              const matchOn = choiceOf(e, matchFields, 'username');
              this.change({ matchOn, ...(matchOn === 'username' ? { usernameTemplate: undefined } : {}) });
            }}>
              ${matchFields.map((f) => html`<option value=${f} ?selected=${(s.matchOn ?? 'username') === f}>${fieldCatalog[f].label[lang]}</option>`)}
            </select></label
          >
          ${(s.matchOn ?? 'username') !== 'username'
            ? html`<label
                >${msg('Usernames for new accounts without one', { id: 'settings.usernameTemplate' })}
                <input id="username-template" type="text" placeholder=${defaultUsernameTemplate} .value=${s.usernameTemplate ?? ''}
                  @input=${(e: Event) => this.change({ usernameTemplate: optionalValueOf(e) })} /></label>
              <span class="muted">${msg('{firstname} {lastname} {f} {l} {idnumber} {email}; taken names get 2, 3, …', { id: 'settings.usernameTokens' })}</span>`
            : nothing}
        </div>
      </fieldset>
      <fieldset>
        <legend>${msg('Accounts', { id: 'settings.accounts' })}</legend>
        <div class="row">
          <label
            >${msg('Authentication', { id: 'settings.auth' })}
            <select id="auth" @change=${(e: Event) => this.change({ auth: valueOf(e) })}>
              ${this.offeredAuthMethods().map(
                (a) => html`<option value=${a} ?selected=${(s.auth ?? 'manual') === a}>${a === 'manual' ? msg('Manual accounts (password)', { id: 'settings.authManual' }) : authMethodLabel(a, lang)}</option>`,
              )}
            </select></label
          >
          <label
            >${msg('Status', { id: 'settings.status' })}
            <select id="status" @change=${(e: Event) => this.change({ status: choiceOf(e, accountStatuses, 'active') })}>
              <option value="active" ?selected=${(s.status ?? 'active') === 'active'}>${msg('Active', { id: 'settings.active' })}</option>
              <option value="suspended" ?selected=${s.status === 'suspended'}>${msg('Suspended', { id: 'settings.suspended' })}</option>
            </select></label
          >
          ${this.renderLanguage()}
        </div>
        ${this.mayCreateManualAccounts()
          ? html`<div class="row">
              <label><input type="radio" name="password" id="password-generate" .checked=${password.mode === 'generate'} @change=${() => this.change({ password: { mode: 'generate' } })} />${msg('Generate passwords for new accounts', { id: 'settings.passwordGenerate' })}</label>
              ${password.mode === 'generate'
                ? html`<label
                    >${msg('Length', { id: 'settings.passwordLength' })}
                    <input id="password-length" type="number" min=${passwordLength.min} max=${passwordLength.max} style="width:4.5rem" .value=${String(password.length ?? acceptedPasswordLength(0))}
                      @change=${(e: Event) => this.change({ password: { mode: 'generate', length: acceptedPasswordLength(Number(valueOf(e))) } })}
                  /></label>`
                : nothing}
              <label><input type="radio" name="password" id="password-file" .checked=${password.mode === 'file'} @change=${() => this.change({ password: { mode: 'file' } })} />${msg('Take passwords from the file', { id: 'settings.passwordFile' })}</label>
              ${password.mode === 'file'
                ? html`<label
                    ><input type="checkbox" id="password-generate-missing" .checked=${password.generateMissing ?? false}
                      @change=${(e: Event) => this.change({ password: { mode: 'file', generateMissing: checkedOf(e) } })}
                    />${msg('Generate one where the file has none', { id: 'settings.passwordGenerateMissing' })}</label
                  >`
                : nothing}
              <label><input type="radio" name="password" id="password-keep" .checked=${password.mode === 'keep'} @change=${() => this.keepPasswords()} />${msg('Set none (users choose theirs by invitation or reset)', { id: 'settings.passwordKeep' })}</label>
              <label><input type="checkbox" id="force-change" .checked=${s.forcePasswordChange ?? false} @change=${(e: Event) => this.change({ forcePasswordChange: checkedOf(e) })} />${msg('Require a new password at first login', { id: 'settings.forceChange' })}</label>
            </div>`
          : html`<p class="muted">${msg('Single sign-on accounts get no password in this site.', { id: 'settings.ssoHint' })}</p>`}
        ${this.renderSsoIssuer()}
      </fieldset>
      ${this.renderGroup()} ${this.renderPlacement()} ${this.renderNotify()}
      <div id="preview-blocked">${problems.map((problem) => html`<p class="required" role="alert" data-problem=${problem}>${settingsProblemText(problem)}</p>`)}</div>
      <div class="actions">
        <button class="secondary" type="button" @click=${() => this.dispatchEvent(new StepBackRequestedEvent())}>${msg('Back', { id: 'common.back' })}</button>
        <!-- A disabled button says why: the problems above are its description. -->
        <button id="preview" type="button" ?disabled=${this.busy || problems.length > 0} aria-describedby=${problems.length > 0 ? 'preview-blocked' : nothing} @click=${() => this.dispatchEvent(new PreviewRequestedEvent())}>
          ${msg('Preview (dry run)', { id: 'settings.preview' })}
        </button>
      </div>
    `;
  }
}

function settingsProblemText(problem: SettingsProblem): string {
  switch (problem) {
    case 'source_missing':
      return msg('Give the feed a name.', { id: 'settings.sourceMissing' });
    case 'no_action':
      return msg('Choose at least one action.', { id: 'settings.noAction' });
    case 'group_name_missing':
      return msg('Give the new group a name.', { id: 'settings.groupNameMissing' });
    case 'group_choice_missing':
      return msg('Choose at least one group.', { id: 'settings.groupChoiceMissing' });
    case 'invalid_template':
      return msg('The username template uses a token that does not exist.', { id: 'settings.invalidTemplate' });
    case 'group_required':
      return msg('Choose a group for the new accounts (yours, or a new one), or map a class or group column: otherwise you could not see them afterwards.', { id: 'settings.groupRequired' });
    case 'invalid_date':
      return msg('A validity date is not a date: write it as dd-mm-yyyy.', { id: 'settings.invalidDate' });
    case 'invalid_period':
      return msg('The validity ends before it starts: "Valid until" is before "Valid from".', { id: 'settings.invalidPeriod' });
    case 'sso_issuer_missing':
      return msg('Choose the single sign-on service the SSO IDs belong to.', { id: 'settings.ssoIssuerMissing' });
  }
}

customElements.define('intake-settings-step', IntakeSettingsStep);

declare global {
  interface HTMLElementTagNameMap {
    'intake-settings-step': IntakeSettingsStep;
  }
}
