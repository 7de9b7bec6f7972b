/**
 * What the wizard checks before it asks for a preview, by the same rules the server's schema applies
 * (engine/settings-schema.ts): a problem here would be a refusal there.
 */
import { reversedPeriod, unreadableDates } from './dates.js';
import { isValidTemplate } from './username-template-rules.js';
import { passwordLength, settingsDefaults, type SettingsInput } from './types.js';

export const settingsProblemCodes = ['source_missing', 'no_action', 'group_name_missing', 'group_choice_missing', 'invalid_template', 'group_required', 'invalid_date', 'invalid_period', 'sso_issuer_missing'] as const;
export type SettingsProblem = (typeof settingsProblemCodes)[number];

/** What else the rules depend on: who imports, which fields the file's columns fill, the site's SSO services. */
export interface SettingsSituation {
  coordinator: boolean;
  mappedFields: ReadonlySet<string>;
  /** How many single sign-on services people log in with (unknown: not checked here). */
  ssoIssuers?: number;
}

/** Fields that put a row's account in a group or give it a role: a place where a coordinator sees it. */
const placingFields = ['class', 'group', 'role'];

export function settingsProblems(settings: SettingsInput, situation: SettingsSituation = { coordinator: false, mappedFields: new Set() }): SettingsProblem[] {
  const actions = { ...settingsDefaults().actions, ...settings.actions };
  const problems: SettingsProblem[] = [];
  if (!settings.source?.trim()) problems.push('source_missing');
  if (!actions.add && !actions.update && !actions.archive) problems.push('no_action');
  if (settings.group && 'create' in settings.group && !settings.group.create.trim()) problems.push('group_name_missing');
  if (settings.group && 'existing' in settings.group && [settings.group.existing].flat().length === 0) problems.push('group_choice_missing');
  if (settings.usernameTemplate && !isValidTemplate(settings.usernameTemplate)) problems.push('invalid_template');
  if (unreadableDates(settings.validity).length > 0) problems.push('invalid_date');
  if (reversedPeriod(settings.validity)) problems.push('invalid_period');
  // The server refuses the same (assertCoordinatorPlacesNewAccounts): new accounts out of a coordinator's sight.
  const placed = !!settings.group || !!settings.role || placingFields.some((f) => situation.mappedFields.has(f));
  if (situation.coordinator && actions.add && !placed) problems.push('group_required');
  // The server refuses the same (resolveSsoIssuer): SSO IDs belong to one service, chosen when there are several.
  // (With none, the IDs stay unlinked: the preview says so.)
  if (situation.mappedFields.has('ssoId') && (situation.ssoIssuers ?? 0) > 1 && !settings.ssoIssuer) problems.push('sso_issuer_missing');
  return problems;
}

/** A generated password length the settings accept: within bounds, the default when unreadable. */
export function acceptedPasswordLength(value: number): number {
  const defaults = settingsDefaults().password;
  if (!Number.isFinite(value) || value === 0) return defaults.mode === 'generate' ? defaults.length : passwordLength.min;
  return Math.min(passwordLength.max, Math.max(passwordLength.min, Math.round(value)));
}
