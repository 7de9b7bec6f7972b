import { configureLocalization } from '@lit/localize';
import { uiLanguages, type UiLanguage } from '../server/contract/catalog.js';
import * as nl from './locales/nl.js';

/**
 * Runtime localization: English is the source; Dutch templates are bundled (they are small) so that
 * switching needs no extra request. Messages carry explicit ids, which the locale modules key on.
 */
export const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['nl'],
  loadLocale: async () => nl,
});

export function uiLanguage(): UiLanguage {
  const locale = getLocale();
  return (uiLanguages as readonly string[]).includes(locale) ? (locale as UiLanguage) : 'en';
}

/** Picks the closest supported language for a host language code such as `nl_wp` or `en-GB`. */
export function supportedLanguage(lang: string | null | undefined): UiLanguage {
  const base = (lang ?? '').toLowerCase().split(/[-_]/)[0];
  return (uiLanguages as readonly string[]).includes(base ?? '') ? (base as UiLanguage) : 'en';
}

/** Numbers as the reader's language writes them (20.000 in Dutch, 20,000 in English). */
export const formatNumber = (n: number) => new Intl.NumberFormat(uiLanguage()).format(n);
