import { settingsDefaults, type SettingsInput } from '../server/contract/types.js';

/**
 * The settings the wizard starts with: the contract's defaults, a feed name to change, and one choice
 * of its own: generated passwords must reach someone, so by default the admin gets them once, on the
 * result screen.
 */
export const wizardSettings = (): SettingsInput => {
  const defaults = settingsDefaults();
  return {
    source: 'default',
    actions: defaults.actions,
    matchOn: defaults.matchOn,
    auth: defaults.auth,
    password: { mode: 'generate' },
    status: defaults.status,
    notify: { ...defaults.notify, credentials: 'download' },
  };
};
