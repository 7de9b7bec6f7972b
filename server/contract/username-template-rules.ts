/**
 * The tokens a username template may use. The rules live in the contract so the wizard checks a
 * template as the server does; core/validate/username-template.ts fills them in.
 */
export const templateTokens = ['firstname', 'lastname', 'f', 'l', 'idnumber', 'email'] as const;
export type TemplateToken = (typeof templateTokens)[number];

/** The template shown and used when a file has no username column. */
export const defaultUsernameTemplate = '{f}{lastname}';

/** A template is valid when every `{…}` in it is a known token and it has at least one. */
export function isValidTemplate(template: string): boolean {
  const known = new Set<string>(templateTokens);
  return [...template.matchAll(/\{([^}]*)\}/g)].every((m) => known.has(m[1]!)) && /\{[a-z]+\}/.test(template);
}
