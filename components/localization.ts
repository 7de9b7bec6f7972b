import { configureLocalization } from '@lit/localize';
import { uiLanguageOf, type UiLanguage } from '../server/contract/catalog.js';
/**
 * The translations, one module per language the catalog names (a test checks each is complete). Each is
 * its own chunk of the build (`dist/intake-locale-<lang>.js`), fetched only when a page uses it.
 */
const translations = {
  nl: () => import('./locales/nl.js'),
  sv: () => import('./locales/sv.js'),
  fi: () => import('./locales/fi.js'),
} satisfies Record<Exclude<UiLanguage, 'en'>, unknown>;

/**
 * Runtime localization: English is the source and needs nothing loaded. Messages carry explicit ids,
 * which the locale modules key on.
 */
export const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: Object.keys(translations),
  loadLocale: (locale) => translations[locale as keyof typeof translations](),
});

export function uiLanguage(): UiLanguage {
  return uiLanguageOf(getLocale());
}

/** Numbers as the reader's language writes them (20.000 in Dutch, 20,000 in English). */
export const formatNumber = (n: number) => new Intl.NumberFormat(uiLanguage()).format(n);
const bytesPerMegabyte = 1024 * 1024;
/**
 * A size in megabytes as the language writes it ("12.3 MB", "12,3 MB"), a tenth shown below 10 MB.
 * Megabytes of 1024 × 1024 bytes, as Moodle's display_size() and Windows Explorer count them and as the
 * upload limit is said (file_too_large): a file at the limit shows as the limit, not 5% over it.
 */
export const formatMegabytes = (bytes: number) =>
  new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit: 'megabyte', maximumFractionDigits: bytes < 10 * bytesPerMegabyte ? 1 : 0 }).format(bytes / bytesPerMegabyte);

/**
 * A moment as the language writes it, with the month by name: "1 Dec 2026, 05:05" reads the same to an
 * admin in Leiden and in Texas, where "12/1/2026" does not. English puts the day first, as Moodle's own
 * English does (its strftimedatetime: "1 December 2026, 5:05 AM").
 */
export const formatMoment = (moment: Date) =>
  new Intl.DateTimeFormat(uiLanguage() === 'en' ? 'en-GB' : uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(moment);

/** A language's name in the reader's language ("Nederlands", "Dutch"), from its Moodle code ("pt_br"); the code where the browser has none. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage()], { type: 'language' }).of(code.replace(/_/g, '-')) ?? code;
  } catch {
    return code;
  }
}

/**
 * Whether the reader's language says this count in the singular ("1 account", "1 tili"), by Intl's plural
 * rules: a message about a count has a `.one` form beside its plural one.
 */
export const isOne = (n: number) => new Intl.PluralRules(uiLanguage()).select(n) === 'one';
