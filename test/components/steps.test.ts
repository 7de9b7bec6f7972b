/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/intake-import-wizard.js';
import { CommitRequestedEvent, FileOptionsChangeEvent, PeopleSearchRequestedEvent, RowsChangeEvent, SettingsChangeEvent, UploadCancelRequestedEvent, UploadRequestedEvent } from '../../components/events.js';
import { nextEvent } from '../support/events.js';
import { wizardSettings } from '../../components/wizard-settings.js';
import '../../components/intake-preview-step.js';
import '../../components/intake-settings-step.js';
import '../../components/intake-upload-step.js';
import '../../components/intake-progress-bar.js';
import '../../components/intake-format-panel.js';
import type { IntakeFormatPanel } from '../../components/intake-format-panel.js';
import type { IntakePreviewStep } from '../../components/intake-preview-step.js';
import type { IntakeProgressBar } from '../../components/intake-progress-bar.js';
import type { IntakeSettingsStep } from '../../components/intake-settings-step.js';
import type { IntakeUploadStep } from '../../components/intake-upload-step.js';
import { setLocale } from '../../components/localization.js';
import type { Counts, ImportSummary, PersonOption, RowPage } from '../../server/contract/types.js';
import '../../components/intake-history.js';
import '../../components/intake-result-step.js';
import type { IntakeHistory } from '../../components/intake-history.js';

const counts: Counts = { rows: 3, created: 1, updated: 1, unchanged: 0, skipped: 0, errors: 1, archived: 0, groupsCreated: 0, memberships: 0, nodesCreated: 0, membershipsRemoved: 0, rolesAssigned: 0, enrolments: 0, supervisorLinks: 0, supervisionEnded: 0 };
const page: RowPage = {
  total: 3,
  rows: [
    { row: 2, outcome: 'create', username: 'anna', userId: null, diff: null, problems: [] },
    { row: 3, outcome: 'update', username: 'bram', userId: 5, diff: { lastname: ['Boer', 'de Boer'] }, problems: [] },
    { row: 4, outcome: 'error', username: 'cees', userId: null, diff: null, problems: [{ code: 'invalid_email', field: 'email' }] },
  ],
};

describe('intake-upload-step', () => {
  it('offers a real button and raises the chosen file', async () => {
    const el = await fixture<IntakeUploadStep>(html`<intake-upload-step></intake-upload-step>`);
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.contain('Choose a file');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=file]')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['a;b\n1;2'], 'list.csv', { type: 'text/csv' }));
    input.files = transfer.files;
    setTimeout(() => input.dispatchEvent(new Event('change')));
    const event = await nextEvent(el, UploadRequestedEvent);
    expect(event.file.name).to.equal('list.csv');
  });

  it('accepts a dropped file', async () => {
    const el = await fixture<IntakeUploadStep>(html`<intake-upload-step></intake-upload-step>`);
    const zone = el.shadowRoot!.querySelector('.dropzone')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x'], 'dropped.csv'));
    setTimeout(() => zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true })));
    const event = await nextEvent(el, UploadRequestedEvent);
    expect(event.file.name).to.equal('dropped.csv');
  });

  it('shows the megabytes sent with a bar and a cancel button, then that the file is being read', async () => {
    const el = await fixture<IntakeUploadStep>(html`<intake-upload-step busy .progress=${{ sent: 12 * 1024 * 1024 + 400_000, total: 50 * 1024 * 1024 }}></intake-upload-step>`);
    const root = el.shadowRoot!;
    expect(root.querySelector('#upload-progress-text')!.textContent).to.contain('Uploading: 12 MB of 50 MB');
    expect(root.querySelector<HTMLProgressElement>('progress')!.value).to.equal(25);
    expect(root.querySelector('[aria-live]')!.textContent).to.equal('25%');
    setTimeout(() => root.querySelector<HTMLButtonElement>('#cancel-upload')!.click());
    await nextEvent(el, UploadCancelRequestedEvent);

    el.progress = { sent: 50_000_000, total: 50_000_000 };
    await el.updateComplete;
    expect(root.querySelector('#upload-progress-text')!.textContent).to.contain('Uploaded; reading the file');
    expect(root.querySelector('progress')!.hasAttribute('value')).to.equal(false);
    // Once sent, there is nothing left to cancel.
    expect(root.querySelector('#cancel-upload')).to.equal(null);

    el.busy = false;
    await el.updateComplete;
    expect(root.querySelector('progress')).to.equal(null);

    // A small file is sent in a moment: no bar flashes by.
    el.busy = true;
    el.progress = { sent: 0, total: 20_000 };
    await el.updateComplete;
    expect(root.querySelector('progress')).to.equal(null);
    expect(root.querySelector('#choose')!.textContent).to.contain('Uploading…');
  });
});

describe('intake-settings-step', () => {
  it('edits the settings draft, and blocks the preview once the feed name is cleared', async () => {
    // As the wizard does: it starts the step with its settings and applies each change the step sends.
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${wizardSettings()}></intake-settings-step>`);
    el.addEventListener(SettingsChangeEvent.eventName, (event) => (el.settings = event.settings));
    const preview = el.shadowRoot!.querySelector<HTMLButtonElement>('#preview')!;
    expect(preview.disabled).to.equal(false);

    const archive = el.shadowRoot!.querySelector<HTMLInputElement>('#action-archive')!;
    archive.checked = true;
    setTimeout(() => archive.dispatchEvent(new Event('change')));
    const event = await nextEvent(el, SettingsChangeEvent);
    expect(event.settings.actions).to.deep.equal({ add: true, update: true, archive: true });

    const source = el.shadowRoot!.querySelector<HTMLInputElement>('#source')!;
    source.value = '  ';
    source.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(preview.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('[data-problem=source_missing]')!.textContent).to.contain('Give the feed a name');
  });

  it('blocks the preview of a validity that ends before it starts, and says so', async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ ...wizardSettings(), validity: { from: '31-12-2026', until: '01-01-2026' } }}></intake-settings-step>`);
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('#preview')!.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('[data-problem=invalid_period]')!.textContent).to.contain('ends before it starts');
    el.settings = { ...wizardSettings(), validity: { from: '01-01-2026', until: '31-12-2026' } };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-problem=invalid_period]')).to.equal(null);
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('#preview')!.disabled).to.equal(false);
  });

  it("offers the languages installed on the site for new accounts, the site's own first, and leaves the setting out for it", async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${wizardSettings()} .languages=${{ site: 'en', installed: ['en', 'nl', 'sv'] }}></intake-settings-step>`);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#lang')!;
    expect([...select.options].map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([['', "The site's (English)"], ['nl', 'Dutch'], ['sv', 'Swedish']]);
    select.value = 'nl';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, SettingsChangeEvent)).settings.lang).to.equal('nl');
    el.settings = { ...el.settings, lang: 'nl' };
    await el.updateComplete;
    select.value = '';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, SettingsChangeEvent)).settings.lang).to.equal(undefined);
  });

  it("asks a coordinator for a group of theirs unless the file places the accounts", async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${wizardSettings()} coordinator></intake-settings-step>`);
    const preview = el.shadowRoot!.querySelector<HTMLButtonElement>('#preview')!;
    expect(preview.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('[data-problem=group_required]')).to.not.equal(null);
    el.mappedFields = ['username', 'class'];
    await el.updateComplete;
    expect(preview.disabled).to.equal(false);
    el.coordinator = false;
    el.mappedFields = [];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-problem=group_required]')).to.equal(null);
  });

  it('lets every row join one or more existing groups by ticking them, none chosen for the admin, with a filter for many', async () => {
    const levels = [{ id: 1, name: 'Level A', idnumber: 'HUD-A' }, { id: 2, name: 'Level B', idnumber: 'HUD-B' }];
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'huddle' }} .groups=${levels}></intake-settings-step>`);
    el.addEventListener(SettingsChangeEvent.eventName, (event) => (el.settings = event.settings));
    const root = el.shadowRoot!;
    const existing = [...root.querySelectorAll<HTMLInputElement>('input[name=group]')][1]!;
    setTimeout(() => existing.click());
    expect((await nextEvent(el, SettingsChangeEvent)).settings.group).to.deep.equal({ existing: [] });
    await el.updateComplete;
    expect(root.querySelector('[data-problem=group_choice_missing]')).to.not.equal(null);
    const tick = (key: string) => {
      setTimeout(() => root.querySelector<HTMLInputElement>(`input[data-group="${key}"]`)!.click());
      return nextEvent(el, SettingsChangeEvent);
    };
    expect((await tick('HUD-A')).settings.group).to.deep.equal({ existing: 'HUD-A' });
    await el.updateComplete;
    expect((await tick('HUD-B')).settings.group).to.deep.equal({ existing: ['HUD-A', 'HUD-B'] });
    await el.updateComplete;
    expect(root.querySelector('#group-existing legend')!.textContent).to.contain('2 chosen');
    expect(root.querySelector('[data-problem=group_choice_missing]')).to.equal(null);
    expect(root.querySelector('#group-filter')).to.equal(null);

    // Many groups: a filter, and what is ticked stays in sight whatever it shows.
    el.groups = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: i < 2 ? levels[i]!.name : `Class ${i}`, idnumber: i < 2 ? levels[i]!.idnumber : null }));
    await el.updateComplete;
    const filter = root.querySelector<HTMLInputElement>('#group-filter')!;
    filter.value = 'class 1';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect([...root.querySelectorAll<HTMLInputElement>('.group-list input')].map((i) => i.dataset.group)).to.deep.equal(['HUD-A', 'HUD-B', 'Class 10', 'Class 11']);

    // A group chosen last time that the site no longer has stays ticked, and says so; unticked, it goes.
    el.settings = { source: 'huddle', group: { existing: ['HUD-A', 'HUD-Z'] } };
    await el.updateComplete;
    const gone = root.querySelector<HTMLInputElement>('input[data-group="HUD-Z"]')!;
    expect(gone.checked).to.equal(true);
    expect(gone.parentElement!.textContent).to.contain('not found on this site');
    setTimeout(() => gone.click());
    expect((await nextEvent(el, SettingsChangeEvent)).settings.group).to.deep.equal({ existing: 'HUD-A' });
  });

  /** The wizard's answer to a people search, as it hands it down after the event that asked: the people found and the search they answer. */
  const answerSearch = (el: IntakeSettingsStep, q: string, people: PersonOption[]) =>
    setTimeout(() => {
      el.people = people;
      el.peopleQuery = q;
    });

  it('adds a supervisor only when the search finds them, by name, username or e-mail, and says at once when nobody is called so', async () => {
    const marijke = { id: 7, username: 'mbakker', name: 'Marijke Bakker', email: 'm.bakker@school.example' };
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'toets' }} .people=${[marijke]}></intake-settings-step>`);
    el.addEventListener(SettingsChangeEvent.eventName, (event) => (el.settings = event.settings));
    const root = el.shadowRoot!;
    const input = root.querySelector<HTMLInputElement>('#supervisor-search')!;
    const add = root.querySelector<HTMLButtonElement>('#add-supervisor')!;
    input.value = 'M.Bakker@School.example';
    setTimeout(() => add.click());
    expect((await nextEvent(el, SettingsChangeEvent)).settings.supervisors).to.deep.equal(['mbakker']);
    await el.updateComplete;
    expect(root.querySelector('[data-supervisor=mbakker]')!.textContent).to.contain('Marijke Bakker (mbakker)');
    expect(input.value).to.equal('');

    // Not among the suggestions yet: searched for, then refused when the answer has nobody.
    input.value = 'teach';
    setTimeout(() => add.click());
    expect((await nextEvent(el, PeopleSearchRequestedEvent)).q).to.equal('teach');
    // An answer for other text (a search typed earlier) decides nothing yet.
    el.people = [marijke];
    el.peopleQuery = 'tea';
    await el.updateComplete;
    expect(root.querySelector('#supervisor-not-found')).to.equal(null);
    el.people = [];
    el.peopleQuery = 'teach';
    await el.updateComplete;
    await el.updateComplete;
    expect(root.querySelector('#supervisor-not-found')!.textContent).to.contain('Nobody you may choose is called “teach”');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(el.settings.supervisors).to.deep.equal(['mbakker']);

    // Typed faster than the suggestions came: added when the search answers with them.
    input.value = 'Jan de Vries';
    input.dispatchEvent(new Event('input'));
    setTimeout(() => add.click());
    await nextEvent(el, PeopleSearchRequestedEvent);
    answerSearch(el, 'Jan de Vries', [{ id: 8, username: 'jdevries', name: 'Jan de Vries', email: 'j.devries@school.example' }]);
    expect((await nextEvent(el, SettingsChangeEvent)).settings.supervisors).to.deep.equal(['mbakker', 'jdevries']);
    await el.updateComplete;
    expect(root.querySelector('#supervisor-not-found')).to.equal(null);
  });

  it('adds two supervisors added one after the other before either search answered, though only the newer answer comes', async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'toets' }} .people=${[]}></intake-settings-step>`);
    el.addEventListener(SettingsChangeEvent.eventName, (event) => (el.settings = event.settings));
    const root = el.shadowRoot!;
    const input = root.querySelector<HTMLInputElement>('#supervisor-search')!;
    const add = root.querySelector<HTMLButtonElement>('#add-supervisor')!;
    for (const name of ['mbakker', 'jdekker']) {
      input.value = name;
      setTimeout(() => add.click());
      expect((await nextEvent(el, PeopleSearchRequestedEvent)).q).to.equal(name);
    }
    // The wizard keeps only the newest answer: jdekker's. Marijke is asked for again, not dropped.
    answerSearch(el, 'jdekker', [{ id: 9, username: 'jdekker', name: 'Joost Dekker', email: 'j.dekker@school.example' }]);
    const [changed, askedAgain] = await Promise.all([nextEvent(el, SettingsChangeEvent), nextEvent(el, PeopleSearchRequestedEvent)]);
    expect(changed.settings.supervisors).to.deep.equal(['jdekker']);
    expect(askedAgain.q).to.equal('mbakker');
    answerSearch(el, 'mbakker', [{ id: 7, username: 'mbakker', name: 'Marijke Bakker', email: 'm.bakker@school.example' }]);
    expect((await nextEvent(el, SettingsChangeEvent)).settings.supervisors).to.deep.equal(['jdekker', 'mbakker']);
    await el.updateComplete;
    expect(root.querySelector('#supervisor-not-found')).to.equal(null);
  });

  it('suggests people for the one teacher who gets every login, as typed', async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'toets', notify: { credentials: 'supervisor' } }}></intake-settings-step>`);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('#notify-supervisor')!;
    expect(input.getAttribute('list')).to.equal('people');
    input.value = 'bak';
    setTimeout(() => input.dispatchEvent(new Event('input')));
    expect((await nextEvent(el, PeopleSearchRequestedEvent)).q).to.equal('bak');
  });

  it("offers the sign-in methods the site has enabled, by Moodle's names, and keeps a saved one the site no longer has", async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'staff' }} .authMethods=${['manual', 'oauth2', 'nologin']}></intake-settings-step>`);
    const options = () => [...el.shadowRoot!.querySelectorAll<HTMLOptionElement>('#auth option')].map((o) => [o.value, o.textContent!.trim()]);
    expect(options()).to.deep.equal([
      ['manual', 'Manual accounts (password)'],
      ['oauth2', 'OAuth 2'],
      ['nologin', 'No login'],
    ]);
    el.settings = { source: 'staff', auth: 'ldap' };
    await el.updateComplete;
    expect(options().map(([value]) => value)).to.deep.equal(['manual', 'oauth2', 'nologin', 'ldap']);
    expect(el.shadowRoot!.querySelector<HTMLSelectElement>('#auth')!.value).to.equal('ldap');
  });

  it('asks which single sign-on service SSO IDs belong to when the site has several, and says they stay unlinked when it has none', async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'binogi', auth: 'oauth2' }} .mappedFields=${['email', 'ssoId']}
      .ssoIssuers=${[{ id: 1, name: 'Google' }, { id: 2, name: 'Microsoft' }]}></intake-settings-step>`);
    el.addEventListener(SettingsChangeEvent.eventName, (event) => (el.settings = event.settings));
    const preview = el.shadowRoot!.querySelector<HTMLButtonElement>('#preview')!;
    expect(preview.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('[data-problem=sso_issuer_missing]')).to.not.equal(null);
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#sso-issuer')!;
    select.value = 'Microsoft';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, SettingsChangeEvent)).settings.ssoIssuer).to.equal('Microsoft');
    await el.updateComplete;
    expect(preview.disabled).to.equal(false);

    el.ssoIssuers = [];
    el.settings = { source: 'binogi' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#sso-issuer')).to.equal(null);
    expect(el.shadowRoot!.querySelector('#sso-unlinked')!.textContent).to.contain('will not be linked');
    expect(preview.disabled).to.equal(false);
    // Without SSO IDs in the file the service is not mentioned.
    el.mappedFields = ['email'];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#sso-unlinked')).to.equal(null);
  });

  it('offers, with passwords from the file, to generate one where the file has none', async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'x', password: { mode: 'generate' } }}></intake-settings-step>`);
    expect(el.shadowRoot!.querySelector('#password-generate-missing')).to.equal(null);
    el.settings = { source: 'x', password: { mode: 'file' } };
    await el.updateComplete;
    const box = el.shadowRoot!.querySelector<HTMLInputElement>('#password-generate-missing')!;
    expect(box.checked).to.equal(false);
    box.checked = true;
    setTimeout(() => box.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, SettingsChangeEvent)).settings.password).to.deep.equal({ mode: 'file', generateMissing: true });
  });

  it('hides password choices for single sign-on, unless an auth column makes some rows manual accounts', async () => {
    const el = await fixture<IntakeSettingsStep>(html`<intake-settings-step .settings=${{ source: 'x', auth: 'saml2' }}></intake-settings-step>`);
    expect(el.shadowRoot!.querySelector('#password-generate')).to.equal(null);
    expect(el.shadowRoot!.querySelector('#notify-credentials option[value=download]')).to.equal(null);
    el.mappedFields = ['username', 'auth'];
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#password-generate')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('#notify-credentials option[value=download]')).to.not.equal(null);
  });
});

describe('intake-preview-step', () => {
  afterEach(() => setLocale('en'));

  it('shows counts, diffs and coded problems as text, in Dutch too', async () => {
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page} .errorReportUrl=${"/r.csv"}></intake-preview-step>`);
    const text = () => el.shadowRoot!.querySelector('#rows')!.textContent!;
    expect(text()).to.contain('Last name: Boer → de Boer');
    expect(text()).to.contain('Email address is not a valid e-mail address');
    expect(el.shadowRoot!.querySelector('#error-report')!.getAttribute('href')).to.equal('/r.csv');
    await setLocale('nl');
    await el.updateComplete;
    expect(text()).to.contain('E-mailadres is geen geldig e-mailadres');
    expect(text()).to.contain('Bijgewerkt');
  });

  it("shows where a row lands, with its supervisors and its validity's days, in Dutch and Finnish too", async () => {
    const placed: RowPage = {
      total: 1,
      rows: [{ row: 2, outcome: 'create', username: 'kand', userId: null, diff: null, problems: [], placement: { groups: ['Examen 2027'], role: 'candidate', supervisors: ['mbakker', 'jdekker'], validFrom: '2027-01-01', validUntil: '2027-07-31' } }],
    };
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${placed}></intake-preview-step>`);
    const text = () => el.shadowRoot!.querySelector('#rows li.muted')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(text()).to.equal('Examen 2027 · candidate · supervisor: mbakker, jdekker · from 2027-01-01 · until 2027-07-31');
    await setLocale('nl');
    await el.updateComplete;
    expect(text()).to.equal('Examen 2027 · candidate · begeleider: mbakker, jdekker · vanaf 2027-01-01 · tot 2027-07-31');
    // Finnish says the day first.
    await setLocale('fi');
    await el.updateComplete;
    expect(text()).to.equal('Examen 2027 · candidate · ohjaaja: mbakker, jdekker · 2027-01-01 alkaen · 2027-07-31 asti');
  });

  it('writes numbers as the language does (20.000 in Dutch, 20,000 in English)', async () => {
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${{ ...counts, rows: 20000, created: 20000 }} .page=${page}></intake-preview-step>`);
    const tile = () => el.shadowRoot!.querySelector('intake-counts')!.shadowRoot!.querySelector('[data-key=created] dd')!.textContent;
    expect(tile()).to.equal('20,000');
    await setLocale('nl');
    await el.updateComplete;
    await el.shadowRoot!.querySelector<IntakePreviewStep>('intake-counts')!.updateComplete;
    expect(tile()).to.equal('20.000');
  });

  it('asks for another page of rows by outcome', async () => {
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page}></intake-preview-step>`);
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-outcome=error]')!;
    setTimeout(() => button.click());
    const event = await nextEvent(el, RowsChangeEvent);
    expect({ outcome: event.outcome, offset: event.offset }).to.deep.equal({ outcome: 'error', offset: 0 });
  });

  it('pages with Next and Previous that keep the focus at either end, where they say they cannot go further', async () => {
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${{ ...page, total: 120 }} .offset=${50}></intake-preview-step>`);
    const root = el.shadowRoot!;
    const next = root.querySelector<HTMLButtonElement>('#page-next')!;
    expect(next.getAttribute('aria-disabled')).to.equal('false');
    setTimeout(() => next.click());
    expect((await nextEvent(el, RowsChangeEvent)).offset).to.equal(100);
    // The last page: Next stays focusable (a disabled button would drop the focus) but asks for nothing.
    next.focus();
    el.offset = 100;
    await el.updateComplete;
    expect(next.getAttribute('aria-disabled')).to.equal('true');
    expect(root.activeElement).to.equal(next);
    let asked = false;
    el.addEventListener(RowsChangeEvent.eventName, () => (asked = true));
    next.click();
    await el.updateComplete;
    expect(asked).to.equal(false);
    setTimeout(() => root.querySelector<HTMLButtonElement>('#page-previous')!.click());
    expect((await nextEvent(el, RowsChangeEvent)).offset).to.equal(50);
  });

  it('asks once before importing with rows in error, and confirms a held archive by its number', async () => {
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page}></intake-preview-step>`);
    const root = el.shadowRoot!;
    root.querySelector<HTMLButtonElement>('#commit')!.click();
    await el.updateComplete;
    expect(root.querySelector('#confirmation')!.textContent).to.contain('1 of 3 rows will not be imported');
    root.querySelector<HTMLButtonElement>('#cancel-commit')!.click();
    await el.updateComplete;
    expect(root.querySelector('#confirmation')).to.equal(null);
    // Focus goes back to where the question was asked from, not to the page's start.
    await el.updateComplete;
    expect(root.activeElement?.id).to.equal('commit');
    // Escape closes it the same way.
    root.querySelector<HTMLButtonElement>('#commit')!.click();
    await el.updateComplete;
    root.querySelector('#confirmation')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await el.updateComplete;
    await el.updateComplete;
    expect(root.querySelector('#confirmation')).to.equal(null);
    expect(root.activeElement?.id).to.equal('commit');

    el.counts = { ...counts, rows: 10, errors: 0, archived: 4 };
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('#commit')!.click();
    await el.updateComplete;
    expect(root.querySelector('#confirmation')!.textContent).to.contain('4 accounts will be suspended');
    setTimeout(() => root.querySelector<HTMLButtonElement>('#confirm-commit')!.click());
    const event = await nextEvent(el, CommitRequestedEvent);
    expect(event.confirmArchive).to.equal(4);

    // One account, in the singular, on the notice and in the question.
    el.counts = { ...counts, rows: 5, errors: 0, archived: 1 };
    await el.updateComplete;
    expect(root.textContent).to.contain('1 account is no longer in the file and will be suspended.');
    root.querySelector<HTMLButtonElement>('#commit')!.click();
    await el.updateComplete;
    expect(root.querySelector('#confirmation')!.textContent).to.contain('1 account will be suspended.');
  });

  it('says why nothing is archived when rows do not say who they are, in the reader\'s language', async () => {
    const structure = { newNodes: [], newGroups: [], toArchive: [], archiveHeld: { rows: 2 } };
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page} .structure=${structure}></intake-preview-step>`);
    expect(el.shadowRoot!.querySelector('#archive-held')!.textContent).to.contain('Nothing is archived: 2 rows do not say who they are');
    await setLocale('nl');
    try {
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('#archive-held')!.textContent).to.contain('Er wordt niets gearchiveerd: 2 rijen');
      // One row is one row, in every language.
      el.structure = { ...structure, archiveHeld: { rows: 1 } };
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('#archive-held')!.textContent).to.contain('Er wordt niets gearchiveerd: 1 rij zegt niet wie het is');
      await setLocale('fi');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('#archive-held')!.textContent).to.contain('Mitään ei arkistoida: 1 rivi ei kerro');
    } finally {
      await setLocale('en');
    }
  });

  it('says which supervisors the file was to make are not linked, as their own rows have errors', async () => {
    const structure = { newNodes: [], newGroups: [], supervisorsUnanswered: ['jbad', 'k.kwaad@school.example'] };
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page} .structure=${structure}></intake-preview-step>`);
    expect(el.shadowRoot!.querySelector('#supervisors-unanswered')!.textContent).to.contain('Not linked as supervisors: jbad, k.kwaad@school.example.');
    el.structure = { newNodes: [], newGroups: [] };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#supervisors-unanswered')).to.equal(null);
  });

  it('says how many rows list a person again for another group, and that each person comes once', async () => {
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page} .structure=${{ newNodes: [], newGroups: [], joinedRows: 9 }}></intake-preview-step>`);
    expect(el.shadowRoot!.querySelector('#joined-rows')!.textContent).to.contain('9 rows list a person again for another group: each person is imported once');
    el.structure = { newNodes: [], newGroups: [], joinedRows: 1 };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#joined-rows')!.textContent).to.contain('1 row lists a person again for another group');
    el.structure = { newNodes: [], newGroups: [] };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#joined-rows')).to.equal(null);
  });

  it('says where a school is made anew because several nodes have its name, and how to choose one of them', async () => {
    const structure = { newNodes: ['De Regenboog'], newGroups: [], ambiguousNodes: [{ name: 'De Regenboog', places: ['Schools / De Regenboog', 'Archief / De Regenboog'] }] };
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page} .structure=${structure}></intake-preview-step>`);
    expect(el.shadowRoot!.querySelector('#new-structure')!.textContent).to.contain(
      '“De Regenboog” is made at the top level: several nodes have that name (Schools / De Regenboog; Archief / De Regenboog). To use one, make the node above it the top node.',
    );
    el.structure = { newNodes: ['De Regenboog'], newGroups: [] };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#new-structure')!.textContent).not.to.contain('made at the top level');
  });
});

describe('intake-format-panel', () => {
  it("names a workbook's other sheets of data, so that nobody takes them for imported, and reads one when chosen", async () => {
    const format = { type: 'xlsx' as const, sheet: 'Elever', sheets: ['Instruktioner', 'Elever', 'Lärare'], otherDataSheets: ['Lärare'], headerRow: 1 };
    const el = await fixture<IntakeFormatPanel>(html`<intake-format-panel .format=${format}></intake-format-panel>`);
    expect(el.shadowRoot!.querySelector('#other-sheets')!.textContent).to.contain('Only the sheet “Elever” is imported. Other sheets hold data too: Lärare.');
    const sheet = el.shadowRoot!.querySelector<HTMLSelectElement>('#sheet')!;
    sheet.value = 'Lärare';
    setTimeout(() => sheet.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, FileOptionsChangeEvent)).file).to.deep.equal({ sheet: 'Lärare', headerRow: undefined });
    el.format = { ...format, otherDataSheets: [] };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#other-sheets')).to.equal(null);
  });
});

describe('intake-format-panel, with sheets read together', () => {
  it('says which sheets are read as one, offers each alone, and Intake\'s choice back', async () => {
    const format = { type: 'xlsx' as const, sheet: 'Engelbrektskolan', sheets: ['Instruktioner', 'Engelbrektskolan', 'Sörgårdsskolan'], sheetsRead: ['Engelbrektskolan', 'Sörgårdsskolan'], otherDataSheets: [], headerRow: 2 };
    const el = await fixture<IntakeFormatPanel>(html`<intake-format-panel .format=${format}></intake-format-panel>`);
    expect(el.shadowRoot!.querySelector('#sheets-together')!.textContent).to.contain('The sheets Engelbrektskolan, Sörgårdsskolan hold the first one’s columns (or some of them): they are read together');
    const sheet = el.shadowRoot!.querySelector<HTMLSelectElement>('#sheet')!;
    expect(sheet.selectedOptions[0]!.textContent).to.equal('Engelbrektskolan + Sörgårdsskolan');
    sheet.value = 'Sörgårdsskolan';
    setTimeout(() => sheet.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, FileOptionsChangeEvent)).file).to.deep.equal({ sheet: 'Sörgårdsskolan', headerRow: undefined });
    // Read alone, the choice that reads them together stays on offer.
    el.format = { type: 'xlsx', sheet: 'Sörgårdsskolan', sheets: format.sheets, otherDataSheets: ['Engelbrektskolan'], headerRow: 1 };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#sheets-together')).to.equal(null);
    expect(sheet.selectedOptions[0]!.value).to.equal('Sörgårdsskolan');
    sheet.value = '';
    setTimeout(() => sheet.dispatchEvent(new Event('change')));
    expect((await nextEvent(el, FileOptionsChangeEvent)).file).to.deep.equal({ sheet: undefined, headerRow: undefined });
  });

  it('fits a 390 px screen however many sheets are read together', async () => {
    const names = ['Engelbrektskolan', 'Sörgårdsskolan', 'Västerskolan', 'Österskolan', 'Norrskolan', 'Söderskolan'];
    const format = { type: 'xlsx' as const, sheet: names[0]!, sheets: names, sheetsRead: names, sheetColumn: 'school' as const, otherDataSheets: [], headerRow: 1 };
    const box = await fixture<HTMLDivElement>(html`<div style="width: 390px"><intake-format-panel .format=${format}></intake-format-panel></div>`);
    const el = box.querySelector('intake-format-panel')!;
    await el.updateComplete;
    expect(el.scrollWidth).to.be.at.most(390);
    expect(el.shadowRoot!.querySelector('#sheet')!.getBoundingClientRect().right).to.be.at.most(box.getBoundingClientRect().right);
  });

  it('says when each row takes its role from its sheet', async () => {
    const format = { type: 'xlsx' as const, sheet: 'Elever', sheets: ['Elever', 'Lärare'], sheetsRead: ['Elever', 'Lärare'], sheetColumn: 'role' as const, otherDataSheets: [], headerRow: 1 };
    const el = await fixture<IntakeFormatPanel>(html`<intake-format-panel .format=${format}></intake-format-panel>`);
    expect(el.shadowRoot!.querySelector('#sheets-together')!.textContent).to.contain('each row\'s sheet name is its role (the column “role”)');
  });
});

describe('intake-preview-step, with sheets read together', () => {
  it('names each row with its sheet, and the sheets left out as holding other columns', async () => {
    const format = { type: 'xlsx' as const, sheet: 'Engelbrektskolan', sheets: ['Engelbrektskolan', 'Sörgårdsskolan', 'Lärare'], sheetsRead: ['Engelbrektskolan', 'Sörgårdsskolan'], otherDataSheets: ['Lärare'], headerRow: 1 };
    const rows: RowPage = { total: 2, rows: [page.rows[0]!, { ...page.rows[1]!, row: 10_000_004 }] };
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${rows} .format=${format}></intake-preview-step>`);
    const cells = [...el.shadowRoot!.querySelectorAll('#rows tbody tr td:first-child')].map((td) => td.textContent!.trim());
    expect(cells).to.deep.equal(['2 (Engelbrektskolan)', '4 (Sörgårdsskolan)']);
    expect(el.shadowRoot!.querySelector('#other-sheets')!.textContent).to.contain('The sheets Engelbrektskolan, Sörgårdsskolan are imported together. Other sheets hold data in other columns: Lärare.');
  });
});

describe('intake-preview-step, with a workbook', () => {
  it('says again before the import which sheets of data it leaves out', async () => {
    const format = { type: 'xlsx' as const, sheet: 'Elever', sheets: ['Elever', 'Lärare'], otherDataSheets: ['Lärare'], headerRow: 1 };
    const el = await fixture<IntakePreviewStep>(html`<intake-preview-step .counts=${counts} .page=${page} .format=${format}></intake-preview-step>`);
    expect(el.shadowRoot!.querySelector('#other-sheets')!.textContent).to.contain('Only the sheet “Elever” is imported. Other sheets hold data too: Lärare.');
    el.format = { ...format, otherDataSheets: [] };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#other-sheets')).to.equal(null);
  });
});

describe('intake-progress-bar', () => {
  it('shows rows done of total as a percentage', async () => {
    const el = await fixture<IntakeProgressBar>(html`<intake-progress-bar .progress=${{ phase: 'writing', done: 250, total: 1000 }}></intake-progress-bar>`);
    expect(el.shadowRoot!.querySelector('progress')!.value).to.equal(25);
    expect(el.shadowRoot!.textContent).to.contain('250 of 1,000 rows');
  });

  it('tells the time the rows still need at their pace, once that pace says enough, and announces only the phase and each quarter', async () => {
    let clock = 0;
    const el = await fixture<IntakeProgressBar>(html`<intake-progress-bar .now=${() => clock} .progress=${{ phase: 'writing', done: 0, total: 10000 }}></intake-progress-bar>`);
    const root = el.shadowRoot!;
    clock = 2_000;
    el.progress = { phase: 'writing', done: 1000, total: 10000 };
    await el.updateComplete;
    expect(root.querySelector('#time-left')).to.equal(null);
    // 2,000 rows in 10 s: the 8,000 left take 40 s more.
    clock = 10_000;
    el.progress = { phase: 'writing', done: 2000, total: 10000 };
    await el.updateComplete;
    expect(root.querySelector('#time-left')!.textContent).to.contain('about 40 seconds left');
    expect(root.querySelector('[aria-live]')!.textContent!.trim()).to.equal('Writing accounts… 0%');
    clock = 60_000;
    el.progress = { phase: 'writing', done: 2600, total: 10000 };
    await el.updateComplete;
    expect(root.querySelector('#time-left')!.textContent).to.contain('about 3 minutes left');
    expect(root.querySelector('[aria-live]')!.textContent!.trim()).to.equal('Writing accounts… 25%');
    // Hashing takes turns with writing, batch by batch: the same pass, the same pace.
    el.progress = { phase: 'hashing', done: 2700, total: 10000 };
    await el.updateComplete;
    expect(root.querySelector('#time-left')!.textContent).to.contain('minutes left');
    // A pass that counts from the start again has a pace of its own.
    el.progress = { phase: 'planning', done: 0, total: 10000 };
    await el.updateComplete;
    expect(root.querySelector('#time-left')).to.equal(null);
    await setLocale('nl');
    try {
      el.progress = { phase: 'planning', done: 2600, total: 10000 };
      clock = 70_000;
      el.progress = { phase: 'planning', done: 5000, total: 10000 };
      await el.updateComplete;
      expect(root.querySelector('#time-left')!.textContent).to.contain('nog ongeveer 10 seconden');
    } finally {
      await setLocale('en');
    }
  });

  it('shows an undo by its share done (its units are the rows it removes or puts back, not the file\'s)', async () => {
    const el = await fixture<IntakeProgressBar>(html`<intake-progress-bar .progress=${{ phase: 'undoing', done: 0, total: 0 }}></intake-progress-bar>`);
    expect(el.shadowRoot!.querySelector('#progress-text')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Undoing the import…');
    expect(el.shadowRoot!.querySelector('progress')!.hasAttribute('value')).to.equal(false);
    el.progress = { phase: 'undoing', done: 120000, total: 300000 };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#progress-text')!.textContent).to.contain('Undoing the import… 40%');
    expect(el.shadowRoot!.querySelector('#progress-text')!.textContent).not.to.contain('rows');
  });

  it('writes its numbers as the reader\'s language does', async () => {
    const el = await fixture<IntakeProgressBar>(html`<intake-progress-bar .progress=${{ phase: 'writing', done: 12500, total: 20000 }}></intake-progress-bar>`);
    await setLocale('nl');
    try {
      await el.updateComplete;
      expect(el.shadowRoot!.textContent).to.contain('12.500 van 20.000 rijen');
    } finally {
      await setLocale('en');
    }
  });
});

describe('intake-import-wizard', () => {
  it('names every background list it could not load instead of showing empty choices', async () => {
    // The test server has no API here: every request answers 404.
    const el = await fixture<HTMLElement>(html`<intake-import-wizard api-base="/no-api-here" token="t"></intake-import-wizard>`);
    const notices = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('#unavailable [data-what]')].map((n) => n.dataset.what).sort();
    await waitUntil(() => notices().length === 7, 'the wizard should report what it could not load', { timeout: 5000 });
    expect(notices()).to.deep.equal(['groups', 'history', 'me', 'nodes', 'people', 'roles', 'ssoIssuers']);
    expect(el.shadowRoot!.querySelector('#unavailable')!.getAttribute('role')).to.equal('status');
  });

  it('says the server cannot be reached when no answer comes at all, not that something went wrong on it', async () => {
    // Nothing listens on port 9: every request fails in the browser, as one to a server that is down does.
    const el = await fixture<HTMLElement>(html`<intake-import-wizard api-base="http://127.0.0.1:9/api" token="t"></intake-import-wizard>`);
    const notice = () => el.shadowRoot!.querySelector<HTMLElement>('#unavailable [data-what="me"]')?.textContent ?? '';
    await waitUntil(() => notice() !== '', 'the wizard should report what it could not load', { timeout: 5000 });
    expect(notice()).to.contain('cannot be reached from this browser');
    expect(notice()).not.to.contain('went wrong on the server');
  });
});

describe('intake-history', () => {
  const summary = (id: string, status: ImportSummary['status'], more: Partial<ImportSummary> = {}): ImportSummary => ({
    id, status, source: 'feed', fileName: `${id}.csv`, format: null, fileOptions: {}, columns: [], requiredFields: [], profileFields: [], settings: null,
    counts: { ...counts, rows: 20000, created: 20000, errors: 1 }, structure: null, changedSincePreview: null, progress: { phase: 'done', done: 0, total: 0 }, error: null,
    createdAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:01:00.000Z', ...more,
  });

  it('writes counts as the language does, says which import is being undone, and why an undo failed', async () => {
    const failedUndo = summary('b', 'done', { error: { code: 'undo_failed', message: 'x', params: { reason: 'Table gone' }, requestId: 'job-2' } });
    const el = await fixture<IntakeHistory>(html`<intake-history .imports=${[summary('a', 'undoing'), failedUndo]} .total=${2}></intake-history>`);
    const row = (id: string) => el.shadowRoot!.querySelector(`tr[data-import="${id}"]`)!.textContent!.replace(/\s+/g, ' ');
    expect(row('a')).to.contain('being undone…');
    expect(row('b')).to.contain('20,000 new, 1 updated, 0 archived, 1 with errors');
    expect(row('b')).to.contain('The undo stopped and changed nothing: Table gone. The import can be undone again.');
    // When, with the month by name (the browser's time zone decides the hour): never 11/30/2026.
    expect(row('b')).to.contain('30 Nov 2026');
    await setLocale('nl');
    try {
      await el.updateComplete;
      expect(row('a')).to.contain('wordt ongedaan gemaakt…');
      expect(row('b')).to.contain('20.000 nieuw');
      expect(row('b')).to.contain('30 nov 2026');
    } finally {
      await setLocale('en');
    }
  });

  it("names who ran someone else's import and who undid one", async () => {
    const theirs = summary('c', 'undone', { ranBy: 'Carla Coordinator', undoneBy: 'Anna Admin' });
    const el = await fixture<IntakeHistory>(html`<intake-history .imports=${[theirs, summary('d', 'undone')]} .total=${2}></intake-history>`);
    const row = (id: string) => el.shadowRoot!.querySelector(`tr[data-import="${id}"]`)!.textContent!.replace(/\s+/g, ' ');
    expect(row('c')).to.contain('by Carla Coordinator');
    expect(row('c')).to.contain('undone by Anna Admin');
    expect(row('d')).not.to.contain(' by ');
    await setLocale('nl');
    try {
      await el.updateComplete;
      expect(row('c')).to.contain('ongedaan gemaakt door Anna Admin');
    } finally {
      await setLocale('en');
    }
  });
});

describe('intake-result-step', () => {
  const done = (hostFollowUp?: 'started' | 'at_next_cron'): ImportSummary => ({
    id: 'r', status: 'done', source: 'feed', fileName: 'r.csv', format: null, fileOptions: {}, columns: [], requiredFields: [], profileFields: [], settings: null,
    counts, structure: { newNodes: [], newGroups: [], ...(hostFollowUp ? { hostFollowUp } : {}) }, changedSincePreview: null, progress: { phase: 'done', done: 3, total: 3 }, error: null,
    createdAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:01:00.000Z',
  });

  it("says when Moodle will log an import only at its next cron run, and not when it was told at once", async () => {
    const el = await fixture<HTMLElement>(html`<intake-result-step .summary=${done('at_next_cron')}></intake-result-step>`);
    expect(el.shadowRoot!.querySelector('#follow-up-at-cron')!.textContent).to.contain('next cron run');
    const told = await fixture<HTMLElement>(html`<intake-result-step .summary=${done('started')}></intake-result-step>`);
    expect(told.shadowRoot!.querySelector('#follow-up-at-cron')).to.equal(null);
  });

  it('says when Moodle deletes the accounts of an undone import only at its next cron run, and not when it was told at once', async () => {
    const undone = (undoFollowUp: 'started' | 'at_next_cron'): ImportSummary => ({ ...done('at_next_cron'), status: 'undone', undoFollowUp });
    const el = await fixture<HTMLElement>(html`<intake-result-step .summary=${undone('at_next_cron')}></intake-result-step>`);
    // The headline itself says the accounts are suspended, not removed, until Moodle's cron deletes them.
    expect(el.shadowRoot!.querySelector('#headline')!.textContent).to.contain('suspended until Moodle deletes them');
    expect(el.shadowRoot!.querySelector('#undo-follow-up-at-cron')!.textContent).to.contain('could not reach Moodle');
    // The import's own follow-up is history once it is undone.
    expect(el.shadowRoot!.querySelector('#follow-up-at-cron')).to.equal(null);
    const told = await fixture<HTMLElement>(html`<intake-result-step .summary=${undone('started')}></intake-result-step>`);
    expect(told.shadowRoot!.querySelector('#undo-follow-up-at-cron')).to.equal(null);
    expect(told.shadowRoot!.querySelector('#headline')!.textContent).to.contain('are removed');
  });
});
