import { contextInScope, mayAssign, type Scope } from '../core/scope.js';
import type { ProfileField } from '../contract/catalog.js';
import type { Settings, SsoIssuerOption } from '../contract/types.js';
import type { MappedField } from '../contract/catalog.js';
import { fitToFile } from '../contract/file-defaults.js';
import { templateNeedsKeyMessage } from './settings-schema.js';
import { usableLoginIssuers } from '../host/read/sso.js';
import type { Database } from '../host/database.js';
import type { Notifications } from '../mail/notifications.js';
import { IntakeError } from '../core/errors.js';
import { usersInScope } from '../host/read/snapshot.js';
import { findPeople, personById } from '../host/read/people.js';
import type { Role, RoleDirectory } from '../core/plan/roles.js';
import type { Site } from '../host/read/site.js';
import type { Node, StructureIndex } from '../core/plan/structure.js';
import type { GroupWish } from '../core/plan/structure.js';
import { findNode, findNodeById } from '../host/read/structure.js';

/*
 * Settings checked against the site and the user before any row is read: each either resolves to
 * what the import needs (a node, a group, supervisors, a role) or refuses with a coded reason.
 */

/** A surname prefix bound for a profile field needs that field on the site. */
export function assertSurnamePrefixTarget(settings: Settings, profileFields: ProfileField[]): void {
  if (settings.surnamePrefix === 'lastname') return;
  const wanted = settings.surnamePrefix.profileField;
  if (!profileFields.some((f) => f.shortname === wanted)) {
    throw new IntakeError('invalid_settings', `The site has no profile field "${wanted}" for surname prefixes.`, { field: wanted });
  }
}

export function assertSettingsFitSite(settings: Settings, site: Site): void {
  // As a row's language is checked (validate.ts): only where the site says which it has installed.
  if (settings.lang && site.languages && !site.languages.has(settings.lang)) {
    const installed = [...site.languages].join(', ');
    throw new IntakeError('invalid_settings', `The language "${settings.lang}" is not installed on this site (${installed}).`, { setting: 'lang', lang: settings.lang, installed });
  }
  if (!site.enabledAuth.has(settings.auth)) {
    throw new IntakeError('auth_not_enabled', `The authentication method "${settings.auth}" is not enabled on this site.`, {
      auth: settings.auth,
      enabled: [...site.enabledAuth],
    });
  }
}

/**
 * The node an import lands under: the one the settings name (inside a coordinator's categories), or
 * a coordinator's only category. Without one (an administrator's choice), the site itself: a file's
 * schools and municipalities are found (at its top level, or as the one category of their name) or made at its top level.
 */
export async function resolveTop(database: Database, settings: Settings, scope: Scope): Promise<Node | null> {
  if (settings.hierarchy) {
    const top = await findNode(database.pool, settings.hierarchy.top);
    if (!top) throw new IntakeError('node_not_found', `There is no node (category) "${settings.hierarchy.top}".`, { node: settings.hierarchy.top });
    if (scope.kind === 'categories' && !scope.categoryIds.has(top.id)) {
      throw new IntakeError('out_of_scope', `The node "${top.name}" is outside the categories you manage.`, { what: top.name });
    }
    return top;
  }
  if (scope.kind === 'categories') {
    if (scope.roots.length === 1) return findNodeById(database.pool, scope.roots[0]!);
    // Named as the coordinator knows them, not by id.
    const roots = await Promise.all(scope.roots.map((id) => findNodeById(database.pool, id)));
    throw new IntakeError('hierarchy_required', 'Choose which of your nodes to import under.', { nodes: roots.map((node, i) => node?.name ?? String(scope.roots[i])) });
  }
  return null;
}

/** The groups every row joins: existing ones (in the actor's scope), or one to create in the top node. */
export function resolveImportGroups(structure: StructureIndex, group: Settings['group'], scope: Scope): GroupWish[] {
  if (!group) return [];
  if ('create' in group) return [{ path: [], name: group.create }];
  const names = Array.isArray(group.existing) ? group.existing : [group.existing];
  return [...new Set(names)].map((name) => {
    const found = structure.groupsNamed(name);
    const visible = found.filter((g) => contextInScope(g.contextId, scope));
    if (visible[0]) return { existing: { id: visible[0].id, name: visible[0].name } };
    if (found.length > 0) throw new IntakeError('out_of_scope', `The group "${name}" is outside the groups you manage.`, { what: name });
    throw new IntakeError('group_not_found', `There is no group with ID number or name "${name}".`, { group: name });
  });
}

/** The import's group supervisors, each a known user (and, for a coordinator, one they can see). */
export async function resolveSupervisors(database: Database, site: Site, settings: Settings, scope: Scope): Promise<number[]> {
  if (settings.supervisors.length === 0) return [];
  const found = await findPeople(database.pool, site, settings.supervisors);
  const ids = settings.supervisors.map((reference) => {
    const id = found.get(reference.trim().toLowerCase());
    if (id === undefined) throw new IntakeError('unknown_supervisor', `No single account is known as supervisor "${reference}".`, { supervisor: reference });
    return id;
  });
  if (scope.kind === 'categories') {
    const visible = await usersInScope(database.pool, ids, scope.contextIds);
    const outside = settings.supervisors.filter((_, i) => !visible.has(ids[i]!));
    if (outside.length > 0) throw new IntakeError('out_of_scope', `Supervisors outside the groups you manage: ${outside.join(', ')}.`, { what: outside.join(', ') });
  }
  return [...new Set(ids)];
}

/**
 * The one person named to receive every new login (`notify.supervisor`): a known account, one a
 * coordinator can see (the logins are of people in their scope), with an e-mail address to reach. A
 * name that is none of these is refused before a row is read: the logins would go to someone else, or
 * nowhere. Returns their id (null when nobody is named), which the notifications use as it is.
 */
export async function resolveCredentialsRecipient(database: Database, site: Site, settings: Settings, scope: Scope): Promise<number | null> {
  const named = settings.notify.supervisor;
  if (settings.notify.credentials !== 'supervisor' || !named) return null;
  const id = (await findPeople(database.pool, site, [named])).get(named.trim().toLowerCase());
  if (id === undefined) throw new IntakeError('unknown_supervisor', `No single account is known as supervisor "${named}".`, { supervisor: named });
  if (scope.kind === 'categories' && !(await usersInScope(database.pool, [id], scope.contextIds)).has(id)) {
    throw new IntakeError('out_of_scope', `Supervisors outside the groups you manage: ${named}.`, { what: named });
  }
  if (!(await personById(database.pool, id))?.email) {
    throw new IntakeError('invalid_settings', `"${named}" has no e-mail address: the new logins could not reach them.`, { setting: 'notify.supervisor' });
  }
  return id;
}

export function resolveRole(roles: RoleDirectory, settings: Settings, scope: Scope): Role | null {
  if (!settings.role) return null;
  const role = roles.resolve(settings.role, settings.teacherRole);
  if (!role) throw new IntakeError('role_not_found', `There is no role "${settings.role}".`, { role: settings.role });
  if (!mayAssign(role.id, scope)) throw new IntakeError('role_not_allowed', `You may not give the role "${role.shortname}".`, { role: role.shortname });
  return role;
}

/**
 * A coordinator's new accounts must land where they can see them: a group of the import, a class or group
 * column, or a role in their nodes (a role column, or roles in categories). Without any, the import is
 * refused before a row is read; a row that lands nowhere of theirs is refused on its own (group_required).
 */
export function assertCoordinatorPlacesNewAccounts(settings: Settings, scope: Scope, mapped: ReadonlySet<string | null>): void {
  if (scope.kind === 'site' || !settings.actions.add || settings.group || settings.role) return;
  if (mapped.has('class') || mapped.has('group') || mapped.has('role') || mapped.has('categoryRole')) return;
  throw new IntakeError('group_required', 'New accounts must land in one of your groups: choose a group, or map a class or group column.', {});
}

/** Telling anyone anything needs the outbox, and the outbox needs a key. `mapped`: the file's fields (an auth column gives rows their own method). */
export function assertCanNotify(settings: Settings, notifications: Notifications | undefined, mapped: ReadonlySet<MappedField | null>): void {
  const wanted = settings.notify.credentials !== 'none' || settings.notify.updated || settings.notify.reportTo;
  if (wanted && !notifications) {
    throw new IntakeError('invalid_settings', 'Notifications need a key for the outbox: set INTAKE_SECRET or INTAKE_OUTBOX_KEY.', { setting: 'notify' });
  }
  if (settings.password.mode === 'keep' && ['user', 'supervisor', 'download'].includes(settings.notify.credentials)) {
    throw new IntakeError('invalid_settings', 'Passwords are kept, so there are no new logins to send: choose invitations or nobody.', { setting: 'notify.credentials' });
  }
  if (settings.notify.credentials === 'invite' && settings.auth !== 'manual' && !mapped.has('auth')) {
    throw new IntakeError('invalid_settings', 'Invitations set a password; single sign-on accounts have none here.', { setting: 'notify.credentials' });
  }
}

/**
 * The single sign-on service a file's SSO IDs are linked for: the one the settings name (by name or id),
 * else the site's only one; none (null) when the site has none people log in with (`issuers`, see
 * usableLoginIssuers), which the file-decided defaults report. Linked logins work only while Moodle's
 * OAuth 2 authentication is enabled: a service named while it is not is refused.
 */
export function resolveSsoIssuer(settings: Settings, site: Site, issuers: SsoIssuerOption[]): SsoIssuerOption | null {
  const names = issuers.map((i) => i.name).join(', ');
  const wanted = settings.ssoIssuer;
  if (wanted === undefined) {
    if (issuers.length <= 1) return issuers[0] ?? null;
    throw new IntakeError('sso_issuer_required', `Choose the single sign-on service the SSO IDs belong to: ${names}.`, { issuers: names });
  }
  if (!site.enabledAuth.has('oauth2')) {
    throw new IntakeError('auth_not_enabled', 'Single sign-on IDs need the authentication method "oauth2" enabled on this site.', { auth: 'oauth2', enabled: [...site.enabledAuth] });
  }
  const found = issuers.find((i) => String(i.id) === wanted || i.name.toLowerCase() === wanted.toLowerCase());
  if (!found) throw new IntakeError('sso_issuer_not_found', `There is no single sign-on service "${wanted}" people log in with; the site has: ${names}.`, { issuer: wanted, issuers: names });
  return found;
}

/**
 * The settings with those the caller left out decided by the file (fitToFile), as the preview route checks
 * them and the import runs them, and the site's single sign-on services that decision read.
 */
export async function settingsFittedToFile<S extends Settings>(database: Database, site: Site, settings: S, mapped: ReadonlySet<MappedField | null>, canHoldLogins: boolean) {
  const ssoIssuers = mapped.has('ssoId') ? await usableLoginIssuers(database.pool, site) : [];
  const fitted = fitToFile(settings, mapped, settings.omitted ?? [], ssoIssuers.map((i) => i.name), canHoldLogins);
  // A template given for a file that has nothing else to match on (only usernames): refused as the schema
  // refuses it beside an explicit matchOn "username".
  if (fitted.settings.usernameTemplate !== undefined && fitted.settings.matchOn === 'username') {
    throw new IntakeError('invalid_settings', `The settings are not valid: usernameTemplate: ${templateNeedsKeyMessage}; the file has no student number or e-mail column to match on.`, {
      issues: [{ path: 'usernameTemplate', message: templateNeedsKeyMessage }],
    });
  }
  return { ...fitted, ssoIssuers };
}
