/**
 * Settings left out default to what the file allows, the same in the CLI, the API and the wizard: match
 * on the student number when the file has one, else the username, else the e-mail address; single
 * sign-on accounts linked for the site's only single sign-on service when it has SSO IDs (none: the IDs
 * stay unlinked, and the accounts are what the other settings make them); passwords from the file when
 * it has a password column; usernames from the default template when it has no username column; the
 * logins of new accounts with generated passwords, told to nobody else, in a one-time download for whoever
 * ran the import (where the outbox can hold them sealed), so that no password is made that nobody knows.
 * Each choice made is reported with its reason, so the preview can say why.
 */
import type { MappedField, MatchField } from './catalog.js';
import type { DefaultChoice, DefaultReason, Defaultable, Settings } from './types.js';
import { defaultUsernameTemplate } from './username-template-rules.js';

/** Whether new accounts may get passwords made here (not only the file's): their logins must reach someone. */
export const generatesPasswords = (password: Settings['password']): boolean => password.mode === 'generate' || (password.mode === 'file' && password.generateMissing === true);

/**
 * The match field a file suggests: its student numbers, else its usernames, else its e-mail addresses.
 * Where the caller gave a username template, never the usernames: the names it makes cannot find anyone.
 */
export function matchFieldFor(mapped: ReadonlySet<MappedField | null>, templated = false): { value: MatchField; reason: DefaultReason } | null {
  if (mapped.has('idnumber')) return { value: 'idnumber', reason: 'idnumber_column' };
  if (mapped.has('username') && !templated) return { value: 'username', reason: 'username_column' };
  if (mapped.has('email')) return { value: 'email', reason: 'email_column' };
  return null;
}

/**
 * Fills the settings the caller left out (`omitted`) from the file's mapped fields. Settings the caller
 * gave are never touched.
 */
export function fitToFile<S extends Pick<Settings, 'matchOn' | 'password' | 'usernameTemplate' | 'auth' | 'actions' | 'ssoIssuer' | 'notify'>>(
  settings: S,
  mapped: ReadonlySet<MappedField | null>,
  omitted: readonly Defaultable[],
  /** The names of the site's single sign-on services people log in with (null: not known here). */
  ssoIssuers: readonly string[] | null = null,
  /** Whether new logins can be held sealed for a download (the outbox has a key). */
  canHoldLogins = false,
): { settings: S; chosen: DefaultChoice[] } {
  const chosen: DefaultChoice[] = [];
  const fitted = { ...settings };
  const match = omitted.includes('matchOn') ? matchFieldFor(mapped, !omitted.includes('usernameTemplate') && settings.usernameTemplate !== undefined) : null;
  if (match) {
    fitted.matchOn = match.value;
    chosen.push({ setting: 'matchOn', ...match });
  }
  // SSO IDs belong to the site's one service; with none they stay unlinked (with several, someone chooses).
  const services = mapped.has('ssoId') && omitted.includes('ssoIssuer') ? ssoIssuers : null;
  if (services?.length === 1) {
    fitted.ssoIssuer = services[0]!;
    chosen.push({ setting: 'ssoIssuer', value: services[0]!, reason: 'only_sso_issuer' });
  }
  if (services?.length === 0) chosen.push({ setting: 'ssoIssuer', value: '', reason: 'no_sso_issuer' });
  // People with a single sign-on identity log in through their service, not with a password of ours.
  if (omitted.includes('auth') && mapped.has('ssoId') && services?.length !== 0) {
    fitted.auth = 'oauth2';
    chosen.push({ setting: 'auth', value: 'oauth2', reason: 'sso_column' });
  }
  // Passwords are for manual accounts: the settings' method, or the one an auth column gives a row.
  const mayBeManual = fitted.auth === 'manual' || mapped.has('auth');
  if (omitted.includes('password') && mayBeManual && mapped.has('password')) {
    fitted.password = { mode: 'file' };
    chosen.push({ setting: 'password', value: 'file', reason: 'password_column' });
  }
  if (omitted.includes('usernameTemplate') && fitted.actions.add && fitted.matchOn !== 'username' && !mapped.has('username') && fitted.usernameTemplate === undefined) {
    fitted.usernameTemplate = defaultUsernameTemplate;
    chosen.push({ setting: 'usernameTemplate', value: defaultUsernameTemplate, reason: 'no_username_column' });
  }
  if (omitted.includes('notify.credentials') && canHoldLogins && fitted.actions.add && mayBeManual && generatesPasswords(fitted.password) && fitted.notify.credentials === 'none') {
    fitted.notify = { ...fitted.notify, credentials: 'download' };
    chosen.push({ setting: 'notify.credentials', value: 'download', reason: 'generated_passwords' });
  }
  return { settings: fitted, chosen };
}
