/**
 * What the wizard checks before it asks for a preview, by the same rules the server's schema applies
 * (engine/settings-schema.ts): a problem here would be a refusal there.
 */
import { isValidTemplate } from './username-template-rules.js';
import { passwordLength, settingsDefaults, type SettingsInput } from './types.js';

export const settingsProblemCodes = ['source_missing', 'no_action', 'group_name_missing', 'invalid_template'] as const;
export type SettingsProblem = (typeof settingsProblemCodes)[number];

export function settingsProblems(settings: SettingsInput): SettingsProblem[] {
  const actions = { ...settingsDefaults().actions, ...settings.actions };
  const problems: SettingsProblem[] = [];
  if (!settings.source?.trim()) problems.push('source_missing');
  if (!actions.add && !actions.update && !actions.archive) problems.push('no_action');
  if (settings.group && 'create' in settings.group && !settings.group.create.trim()) problems.push('group_name_missing');
  if (settings.usernameTemplate && !isValidTemplate(settings.usernameTemplate)) problems.push('invalid_template');
  return problems;
}

/** A generated password length the settings accept: within bounds, the default when unreadable. */
export function acceptedPasswordLength(value: number): number {
  const defaults = settingsDefaults().password;
  if (!Number.isFinite(value) || value === 0) return defaults.mode === 'generate' ? defaults.length : passwordLength.min;
  return Math.min(passwordLength.max, Math.max(passwordLength.min, Math.round(value)));
}
