import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { fieldCatalog, fieldKeys, profileFieldPrefix, type FieldKey, type MappedField } from '../server/contract/catalog.js';
import type { ColumnMapping, ImportSummary } from '../server/contract/types.js';
import { chosenField, missingFields } from '../server/contract/required-fields.js';
import { uiLanguage } from './localization.js';
import { sharedStyles } from './shared-styles.js';
import { MappingChangeEvent, StepBackRequestedEvent, StepNextRequestedEvent, type MappingChoice } from './events.js';
import { valueOf } from './form-values.js';

/** The fields school exports fill, first; those only Moodle's own upload files carry, in a group after them. */
const schoolFields = fieldKeys.filter((key) => !fieldCatalog[key].uploadOnly);
const uploadOnlyFields = fieldKeys.filter((key) => fieldCatalog[key].uploadOnly);

/** The admin's choices: header → field, or null to leave the column out. */
/**
 * Step 2: the file's columns on the left, Intake's fields on the right. Auto-matched columns are
 * labelled; required fields are marked and any that no column provides are listed.
 *
 * @fires intake-mapping-change - detail `{ mapping }` after every change
 * @fires intake-step-next-requested - the admin is done mapping
 * @fires intake-step-back-requested - back to the upload
 */
export class IntakeMappingStep extends LitElement {
  static override properties = {
    columns: { attribute: false },
    requiredFields: { attribute: false },
    mapping: { attribute: false },
    profileFields: { attribute: false },
  };

  static override styles = [
    sharedStyles,
    css`
      td.sample {
        color: #495057;
        font-size: 0.875rem;
      }
      .missing {
        margin: 0;
      }
    `,
  ];

  declare columns: ColumnMapping[];
  declare requiredFields: FieldKey[];
  /** The current choice per header; columns not listed keep what the server matched. */
  declare mapping: MappingChoice;
  /** The host's custom profile fields, offered after the catalog's fields. */
  declare profileFields: ImportSummary['profileFields'];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.columns = [];
    this.requiredFields = [];
    this.mapping = {};
    this.profileFields = [];
  }

  private fieldOf(column: ColumnMapping): MappedField | null {
    return chosenField(column, this.mapping);
  }

  private choose(column: ColumnMapping, value: string) {
    const mapping = { ...this.mapping, [column.header]: value === '' ? null : (value as MappedField) };
    this.dispatchEvent(new MappingChangeEvent(mapping));
  }

  private missing(): FieldKey[] {
    return missingFields(this.columns.map((c) => ({ field: this.fieldOf(c) })), this.requiredFields);
  }

  private duplicates(): Set<MappedField> {
    const seen = new Set<MappedField>();
    const twice = new Set<MappedField>();
    for (const column of this.columns) {
      const field = this.fieldOf(column);
      // Fields that take several columns (group1, group2…) may appear more than once.
      if (!field || (field in fieldCatalog && fieldCatalog[field as FieldKey].multiple)) continue;
      if (seen.has(field)) twice.add(field);
      seen.add(field);
    }
    return twice;
  }

  override render() {
    const lang = uiLanguage();
    const missing = this.missing();
    const twice = this.duplicates();
    const required = new Set(this.requiredFields);
    return html`
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">${msg('Column in your file', { id: 'mapping.column' })}</th>
            <th scope="col">${msg('First values', { id: 'mapping.sample' })}</th>
            <th scope="col">${msg('Intake field', { id: 'mapping.field' })}</th>
          </tr>
        </thead>
        <tbody>
          ${this.columns.map((column) => {
            const field = this.fieldOf(column);
            const auto = column.how === 'auto' && !Object.hasOwn(this.mapping, column.header);
            const id = `field-${column.index}`;
            const option = (key: FieldKey) => html`<option value=${key} ?selected=${field === key}>${fieldCatalog[key].label[lang]}${required.has(key) ? ' *' : ''}</option>`;
            return html`<tr>
              <td><label for=${id}>${column.header || msg('(no header)', { id: 'mapping.noHeader' })}</label></td>
              <td class="sample" data-label=${msg('First values', { id: 'mapping.sample' })}>${column.sample.join('\u00a0· ')}</td>
              <td>
                <select id=${id} data-header=${column.header} ?disabled=${column.how === 'blocked'} @change=${(e: Event) => this.choose(column, valueOf(e))}>
                  <option value="" ?selected=${field === null}>${msg('— not imported —', { id: 'mapping.none' })}</option>
                  ${schoolFields.map(option)}
                  <optgroup label=${msg("Moodle's upload columns", { id: 'mapping.moodleFields' })}>${uploadOnlyFields.map(option)}</optgroup>
                  ${this.profileFields.length > 0
                    ? html`<optgroup label=${msg('Profile fields of this site', { id: 'mapping.profileFields' })}>
                        ${this.profileFields.map((p) => html`<option value=${`${profileFieldPrefix}${p.shortname}`} ?selected=${field === `${profileFieldPrefix}${p.shortname}`}>${p.name}</option>`)}
                      </optgroup>`
                    : nothing}
                </select>
                ${column.warning === 'national_id'
                  ? html`<div class="required" role="note">${msg('National identity numbers are never imported: this column will not be imported.', { id: 'mapping.nationalId' })}</div>`
                  : nothing}
                ${column.warning === 'names_nobody' && field === null
                  ? html`<div class="required" role="note">${msg('Not linked as supervisors: its first values are no account on this site (teacher codes?). Choose Supervisor to link them anyway.', { id: 'mapping.namesNobody' })}</div>`
                  : nothing}
                ${auto ? html`<span class="badge">${msg('matched automatically', { id: 'mapping.auto' })}</span>` : nothing}
                ${field && twice.has(field) ? html`<div class="required" role="alert" data-twice>${msg('Another column is mapped to this field too.', { id: 'mapping.twice' })}</div>` : nothing}
                ${field === null && column.header && column.how !== 'blocked' ? html`<div class="muted">${msg('This column will not be imported.', { id: 'mapping.skipped' })}</div>` : nothing}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      <p class="muted"><span class="required">*</span> ${msg('required', { id: 'mapping.requiredLegend' })}</p>
      ${missing.length > 0
        ? html`<div class="notice error" role="alert" id="next-blocked">
            <p class="missing">${msg(str`Required fields without a column: ${missing.map((f) => fieldCatalog[f].label[lang]).join(', ')}`, { id: 'mapping.missing' })}</p>
          </div>`
        : nothing}
      ${missing.length === 0 && twice.size > 0
        ? html`<div class="notice error" id="twice-blocked">${msg(str`Fields with more than one column: ${[...twice].map((f) => (f in fieldCatalog ? fieldCatalog[f as FieldKey].label[lang] : f)).join(', ')}`, { id: 'mapping.twiceBlocked' })}</div>`
        : nothing}
      <div class="actions">
        <button class="secondary" type="button" @click=${() => this.dispatchEvent(new StepBackRequestedEvent())}>
          ${msg('Back', { id: 'common.back' })}
        </button>
        <button id="next" type="button" ?disabled=${missing.length > 0 || twice.size > 0} aria-describedby=${missing.length > 0 ? 'next-blocked' : twice.size > 0 ? 'twice-blocked' : nothing} @click=${() => this.dispatchEvent(new StepNextRequestedEvent())}>
          ${msg('Next: settings', { id: 'mapping.next' })}
        </button>
      </div>
    `;
  }
}

customElements.define('intake-mapping-step', IntakeMappingStep);

declare global {
  interface HTMLElementTagNameMap {
    'intake-mapping-step': IntakeMappingStep;
  }
}
