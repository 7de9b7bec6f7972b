import type { UiLanguage } from './catalog.js';

/**
 * What Moodle calls its authentication plugins (each plugin's `pluginname` string in Moodle 4.1's
 * language packs), so the wizard names a sign-in method as the site's own pages do. A method not
 * listed here (a site's own plugin) is shown by its plugin name.
 */
const authMethodLabels: Readonly<Record<string, Record<UiLanguage, string>>> = {
  nologin: { en: 'No login', nl: 'Geen login', sv: 'Ingen inloggning', fi: 'Ei kirjautumista' },
  email: { en: 'Email-based self-registration', nl: 'Registratie via e-mail', sv: 'E-postbaserad självregistrering', fi: 'Sähköpostiin perustuva itserekisteröinti' },
  oauth2: { en: 'OAuth 2', nl: 'OAuth 2', sv: 'OAuth 2', fi: 'OAuth 2' },
  saml2: { en: 'SAML2', nl: 'SAML2', sv: 'SAML2', fi: 'SAML2' },
  ldap: { en: 'LDAP server', nl: 'LDAP-server', sv: 'LDAP-server', fi: 'LDAP-palvelin' },
  cas: { en: 'CAS server (SSO)', nl: 'CAS-server (SSO)', sv: 'CAS-server (SSO)', fi: 'CAS-palvelin (SSO)' },
  shibboleth: { en: 'Shibboleth', nl: 'Shibboleth', sv: 'Shibboleth', fi: 'Shibboleth' },
  lti: { en: 'LTI', nl: 'LTI', sv: 'LTI', fi: 'LTI' },
  db: { en: 'External database', nl: 'Externe database', sv: 'Extern databas', fi: 'Ulkoinen tietokanta' },
  mnet: { en: 'MNet authentication', nl: 'MNet-authenticatie', sv: 'MNet-autentisering', fi: 'MNet-todennus' },
  webservice: { en: 'Web services authentication', nl: 'Webservice-authenticatie', sv: 'Autentisering för webbtjänster', fi: 'Verkkopalveluiden todennus' },
  none: { en: 'No authentication', nl: 'Geen authenticatie', sv: 'Ingen autentisering', fi: 'Ei todennusta' },
};

/** The name of a sign-in method other than manual accounts (which the wizard names with its password). */
export const authMethodLabel = (method: string, lang: UiLanguage): string => authMethodLabels[method]?.[lang] ?? method;

/**
 * The methods an account can be given when the site does not say which it has enabled: manual accounts
 * and the single sign-on services schools use.
 */
export const commonAuthMethods: readonly string[] = ['manual', 'oauth2', 'saml2', 'ldap', 'cas', 'shibboleth'];

/**
 * The enabled methods in the order a person picks from: manual accounts first, the site's own in the
 * order its configuration lists them (Moodle's get_enabled_auth_plugins()), "No login" last.
 */
export function offeredAuthMethods(enabled: ReadonlySet<string>): string[] {
  const own = [...enabled].filter((method) => method !== 'manual' && method !== 'nologin');
  return ['manual', ...own, ...(enabled.has('nologin') ? ['nologin'] : [])];
}
