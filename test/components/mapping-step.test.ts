/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { MappingChangeEvent } from '../../components/events.js';
import { nextEvent } from '../support/events.js';
import '../../components/intake-mapping-step.js';
import type { IntakeMappingStep } from '../../components/intake-mapping-step.js';
import type { ColumnMapping } from '../../server/contract/types.js';

const columns: ColumnMapping[] = [
  { index: 0, header: 'Gebruikersnaam', field: 'username', how: 'auto', sample: ['anna'] },
  { index: 1, header: 'Roepnaam', field: 'firstname', how: 'auto', sample: ['Anna'] },
  { index: 2, header: 'Klas', field: null, how: 'none', sample: ['2A'] },
];

async function render(mapping = {}) {
  return fixture<IntakeMappingStep>(html`<intake-mapping-step .columns=${columns} .requiredFields=${['username', 'firstname', 'lastname']} .mapping=${mapping}></intake-mapping-step>`);
}

describe('intake-mapping-step', () => {
  it('shows auto-matched fields, marks required ones and lists what is missing', async () => {
    const el = await render();
    const selects = el.shadowRoot!.querySelectorAll('select');
    expect(selects[0]!.value).to.equal('username');
    expect(selects[2]!.value).to.equal('');
    expect(el.shadowRoot!.querySelectorAll('.badge')).to.have.length(2);
    const lastname = [...selects[0]!.options].find((o) => o.value === 'lastname')!;
    expect(lastname.textContent).to.contain('*');
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('Last name');
    const next = [...el.shadowRoot!.querySelectorAll('button')].at(-1)!;
    expect(next.disabled).to.equal(true);
  });

  it('raises a mapping change when a dropdown changes, and enables next once complete', async () => {
    const el = await render();
    const select = el.shadowRoot!.querySelectorAll('select')[2]!;
    select.value = 'lastname';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    const event = await nextEvent(el, MappingChangeEvent);
    expect(event.mapping).to.deep.equal({ Klas: 'lastname' });
    el.mapping = event.mapping;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.notice.error')).to.equal(null);
    const next = [...el.shadowRoot!.querySelectorAll('button')].at(-1)!;
    expect(next.disabled).to.equal(false);
  });

  it('flags two columns mapped to the same field, but not numbered group columns', async () => {
    const el = await render({ Klas: 'username' });
    expect(el.shadowRoot!.textContent).to.contain('Another column is mapped to this field too.');
    const groups = await render({ Gebruikersnaam: 'group', Klas: 'group' });
    expect(groups.shadowRoot!.textContent).not.to.contain('Another column is mapped to this field too.');
  });
});

describe('intake-mapping-step, a column held back', () => {
  it('says why a Mentor column of codes is not linked, until the admin chooses Supervisor for it', async () => {
    const mentor: ColumnMapping = { index: 3, header: 'Mentor', field: null, how: 'none', warning: 'names_nobody', sample: ['JNS', 'PDV'] };
    const shown = (mapping = {}) => fixture<IntakeMappingStep>(html`<intake-mapping-step .columns=${[...columns, mentor]} .requiredFields=${['username']} .mapping=${mapping}></intake-mapping-step>`);
    const note = 'Not linked as supervisors: its first values are no account on this site';
    expect((await shown()).shadowRoot!.textContent).to.contain(note);
    expect((await shown({ Mentor: 'supervisor' })).shadowRoot!.textContent).not.to.contain(note);
  });
});
