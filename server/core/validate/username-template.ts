import { fieldCatalog, type FieldKey } from '../../contract/catalog.js';
import type { TemplateToken } from '../../contract/username-template-rules.js';

const tokens: Record<TemplateToken, (v: Partial<Record<FieldKey, string>>) => string> = {
  firstname: (v) => v.firstname ?? '',
  lastname: (v) => v.lastname ?? '',
  f: (v) => (v.firstname ?? '').slice(0, 1),
  l: (v) => (v.lastname ?? '').slice(0, 1),
  idnumber: (v) => v.idnumber ?? '',
  email: (v) => (v.email ?? '').split('@')[0] ?? '',
};

/** Moodle's user.username holds 100 characters: a longer name would fail the whole batch's insert. */
const usernameMax = fieldCatalog.username.maxLength;

/**
 * The template's name number `n` of a base: `jjansen`, `jjansen2`, `jjansen3`…, the base cut short where
 * the number would not fit in a username.
 */
export const numberedName = (base: string, n: number) => {
  const suffix = n === 1 ? '' : String(n);
  return `${base.slice(0, usernameMax - suffix.length)}${suffix}`;
};

/** Letters that carry no accent to drop but have a plain Latin spelling: transliterated, never dropped. */
const transliterations: Record<string, string> = { ı: 'i', İ: 'i', ø: 'o', Ø: 'o', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ß: 'ss', ð: 'd', Ð: 'd', đ: 'd', Đ: 'd', ł: 'l', Ł: 'l', þ: 'th', Þ: 'th' };

/**
 * The username a template gives for a row, made acceptable to Moodle: accents dropped, letters such as
 * the Turkish ı or the Danish ø transliterated, lower case, only `a-z 0-9 _ - . @`. "{f}{lastname}" for
 * Chloé de Vries gives "cdevries", for Ayşe Yılmaz "ayilmaz".
 */
export function usernameFromTemplate(template: string, values: Partial<Record<FieldKey, string>>): string {
  return template
    .replace(/\{([a-z]+)\}/g, (_, token: string) => (token in tokens ? tokens[token as TemplateToken](values) : ''))
    .replace(/[ıİøØæÆœŒßðÐđĐłŁþÞ]/g, (letter) => transliterations[letter] ?? letter)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.@-]+/g, '')
    .slice(0, usernameMax);
}
