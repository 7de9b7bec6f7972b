import { inArray } from 'drizzle-orm';
import { CONTEXT_SYSTEM, config, context } from '../../../db/host/index.js';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import type { PasswordPolicy } from '../../core/validate/password-policy.js';

/** The host settings an import depends on, read once per import. */
export interface Site {
  name: string;
  /** Default language of new accounts. */
  lang: string;
  mnetHostId: number;
  adminIds: Set<number>;
  guestId: number | null;
  allowSameEmail: boolean;
  passwordPolicy: PasswordPolicy | null;
  /** Auth plugins enabled on the site; `manual` and `nologin` always are. */
  enabledAuth: Set<string>;
  systemContext: { id: number; path: string };
}

const wanted = [
  'sitename',
  'lang',
  'mnet_localhost_id',
  'siteadmins',
  'siteguest',
  'allowaccountssameemail',
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
  return {
    name: cfg.get('sitename') ?? 'Moodle',
    lang: cfg.get('lang') ?? 'en',
    mnetHostId: num('mnet_localhost_id', 1),
    adminIds: ids(cfg.get('siteadmins')),
    guestId: cfg.has('siteguest') ? num('siteguest', 0) : null,
    allowSameEmail: cfg.get('allowaccountssameemail') === '1',
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
  };
}

export function protectedUserIds(site: Site): Set<number> {
  const ids = new Set(site.adminIds);
  if (site.guestId) ids.add(site.guestId);
  return ids;
}
