import { inArray } from 'drizzle-orm';
import { CONTEXT_SYSTEM, config, configPlugins, context, course } from '../../../db/host/index.js';
import { and, eq, like } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { PasswordPolicy } from '../../core/validate/password-policy.js';
import { isTimeZone } from '../../core/validate/values.js';

/** The host settings an import depends on, read once per import. */
export interface Site {
  name: string;
  /** Default language of new accounts. */
  lang: string;
  mnetHostId: number;
  adminIds: Set<number>;
  guestId: number | null;
  allowSameEmail: boolean;
  /** $CFG->extendedusernamechars: usernames may hold any character (lower case, trimmed), not only a-z 0-9 _ - . @. */
  extendedUsernameChars: boolean;
  passwordPolicy: PasswordPolicy | null;
  /** Auth plugins enabled on the site; `manual` and `nologin` always are. */
  enabledAuth: Set<string>;
  systemContext: { id: number; path: string };
  /** Seconds a Moodle session lasts: how long a dirty-user flag must outlive it. */
  sessionTimeout: number;
  /**
   * Moodle's own plugin, local_intake, when the host has it: its version, and the site's address, which
   * lives only in Moodle's config.php and which the plugin stores for Intake's mails.
   */
  plugin: { version: number; wwwroot: string | null } | null;
  /** $CFG->noreplyaddress, where the site sets one: what Moodle's own mail comes from (siteSender). */
  noReplyAddress: string | null;
  /** What user_create_user() gives a new account the file says nothing about (core_user::get_property_default()). */
  userDefaults: UserDefaults;
  /** Language packs installed on the host, as its plugin reports them; null when no plugin says. */
  languages: ReadonlySet<string> | null;
  /** The zone a date of a new account is midnight in: $CFG->forcetimezone, else $CFG->timezone (IANA names). */
  timeZone: string;
  /** $CFG->forcetimezone holds a zone: everyone's dates are in it, whatever their own zone says. */
  timeZoneForced: boolean;
  /**
   * Themes a user may be given their own of, as get_list_of_themes() lists them: the admin's list
   * ($CFG->themelist) where there is one, else the installed themes (by their plugin's version); null
   * where $CFG->allowuserthemes does not let users have their own.
   */
  userThemes: ReadonlySet<string> | null;
}

export interface UserDefaults {
  calendartype: string;
  city: string;
  country: string;
  mailformat: number;
  maildigest: number;
  maildisplay: number;
  autosubscribe: number;
  trackforums: number;
}

const wanted = [
  'sessiontimeout',
  'noreplyaddress',
  'timezone',
  'forcetimezone',
  'calendartype',
  'defaultcity',
  'country',
  'defaultpreference_mailformat',
  'defaultpreference_maildigest',
  'defaultpreference_maildisplay',
  'defaultpreference_autosubscribe',
  'defaultpreference_trackforums',
  'lang',
  'mnet_localhost_id',
  'siteadmins',
  'siteguest',
  'allowaccountssameemail',
  'extendedusernamechars',
  'allowuserthemes',
  'themelist',
  'auth',
  'passwordpolicy',
  'minpasswordlength',
  'minpassworddigits',
  'minpasswordlower',
  'minpasswordupper',
  'minpasswordnonalphanum',
];

const ids = (list: string | undefined) =>
  new Set(
    (list ?? '')
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isInteger(n) && n > 0),
  );

/** A zone the site's configuration names ('99' and an empty value name none). */
const isZone = (zone: string | undefined): zone is string => !!zone && zone !== '99' && isTimeZone(zone);

export async function loadSite(db: Db): Promise<Site> {
  const rows = await db.select({ name: config.name, value: config.value }).from(config).where(inArray(config.name, wanted));
  const cfg = new Map(rows.map((r) => [r.name, r.value]));
  const num = (name: string, fallback: number) => {
    const n = Number(cfg.get(name));
    return Number.isFinite(n) && cfg.has(name) ? n : fallback;
  };
  const [system] = await db
    .select({ id: context.id, path: context.path })
    .from(context)
    .where(and(eq(context.contextlevel, CONTEXT_SYSTEM), eq(context.instanceid, 0)));
  if (!system) throw new Error('The host has no system context: is DATABASE_URL pointing at an LMS database?');
  // Moodle's site name is the front page course's full name (course 1), not a config value.
  const [front] = await db.select({ fullname: course.fullname }).from(course).where(eq(course.id, 1));
  const pluginRows = await db
    .select({ name: configPlugins.name, value: configPlugins.value })
    .from(configPlugins)
    .where(and(eq(configPlugins.plugin, 'local_intake'), inArray(configPlugins.name, ['version', 'wwwroot', 'langs'])));
  const pluginCfg = new Map(pluginRows.map((r) => [r.name, r.value]));
  const themes = cfg.get('allowuserthemes') === '1' ? await userThemes(db, cfg.get('themelist')) : null;
  return {
    name: front?.fullname || 'Moodle',
    lang: cfg.get('lang') ?? 'en',
    mnetHostId: num('mnet_localhost_id', 1),
    adminIds: ids(cfg.get('siteadmins')),
    guestId: cfg.has('siteguest') ? num('siteguest', 0) : null,
    allowSameEmail: cfg.get('allowaccountssameemail') === '1',
    extendedUsernameChars: cfg.get('extendedusernamechars') === '1',
    passwordPolicy:
      cfg.get('passwordpolicy') === '1'
        ? {
            minLength: num('minpasswordlength', 8),
            minDigits: num('minpassworddigits', 1),
            minLower: num('minpasswordlower', 1),
            minUpper: num('minpasswordupper', 1),
            minSpecial: num('minpasswordnonalphanum', 1),
          }
        : null,
    enabledAuth: new Set(['manual', 'nologin', ...(cfg.get('auth') ?? '').split(',').map((s) => s.trim()).filter(Boolean)]),
    systemContext: { id: system.id, path: system.path ?? `/${system.id}` },
    sessionTimeout: num('sessiontimeout', 8 * 60 * 60),
    languages: pluginCfg.get('langs') ? new Set(pluginCfg.get('langs')!.split(',')) : null,
    timeZone: [cfg.get('forcetimezone'), cfg.get('timezone')].find(isZone) ?? 'UTC',
    timeZoneForced: isZone(cfg.get('forcetimezone')),
    userThemes: themes,
    userDefaults: {
      calendartype: cfg.get('calendartype') || 'gregorian',
      city: cfg.get('defaultcity') ?? '',
      // $CFG->country is '0' until an admin picks one; user_create_user() stores '' then.
      country: /^[A-Z]{2}$/.test(cfg.get('country') ?? '') ? cfg.get('country')! : '',
      mailformat: num('defaultpreference_mailformat', 1),
      maildigest: num('defaultpreference_maildigest', 0),
      maildisplay: num('defaultpreference_maildisplay', 2),
      autosubscribe: num('defaultpreference_autosubscribe', 1),
      trackforums: num('defaultpreference_trackforums', 0),
    },
    noReplyAddress: cfg.get('noreplyaddress')?.trim() || null,
    plugin: pluginCfg.has('version') ? { version: Number(pluginCfg.get('version')), wwwroot: pluginCfg.get('wwwroot') || null } : null,
  };
}

async function userThemes(db: Db, themeList: string | undefined): Promise<ReadonlySet<string>> {
  if (themeList) return new Set(themeList.split(',').map((t) => t.trim()).filter(Boolean));
  const installed = await db
    .select({ plugin: configPlugins.plugin })
    .from(configPlugins)
    .where(and(like(configPlugins.plugin, 'theme\\_%'), eq(configPlugins.name, 'version')));
  return new Set(installed.map((t) => t.plugin.slice('theme_'.length)));
}

export function protectedUserIds(site: Site): Set<number> {
  const ids = new Set(site.adminIds);
  if (site.guestId) ids.add(site.guestId);
  return ids;
}

/** A mail's sender, as nodemailer takes it. */
export interface MailSender {
  name: string;
  address: string;
}

/**
 * Who Intake's mail comes from on this site: its no-reply address, named for the site. Moodle sends what
 * no person sends (a new account's password, setnew_password_and_mail()) through email_to_user() from
 * `$CFG->noreplyaddress`, or where none is set `noreply@` and the host of its wwwroot (email_to_user()).
 * `siteUrl`: the site's address where the configuration gives it (INTAKE_SITE_URL), as the mails' links
 * take it before the plugin's. Null when nothing names the site (a demo host without the plugin).
 */
export function siteSender(site: Pick<Site, 'name' | 'noReplyAddress' | 'plugin'>, siteUrl?: string): MailSender | null {
  const wwwroot = siteUrl ?? site.plugin?.wwwroot;
  const address = site.noReplyAddress ?? (wwwroot ? `noreply@${hostOf(wwwroot)}` : null);
  return address ? { name: site.name, address } : null;
}

/** Moodle's get_host_from_url(): the host name of an address, without port or path. */
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
};
