import { fieldCatalog, fieldKeys, languages } from '../contract/catalog.js';

/** The README's field table, written from the catalog so the docs cannot drift from the code. */
export function fieldTableMarkdown(): string {
  const rows = fieldKeys.map((key) => {
    const def = fieldCatalog[key];
    const where = def.column ? `\`user.${def.column}\`` : def.profileField ? `profile field \`${def.profileField}\` (or the site's field named so)` : def.feeds ? `→ ${def.feeds}` : def.linksLogin ? 'linked login (`auth_oauth2_linked_login`)' : 'placement';
    const examples = languages.flatMap((lang) => (def.synonyms[lang] ?? []).slice(0, 2)).slice(0, 6).join(', ');
    // The columns only Moodle's own upload files carry, so an admin of a school export can pass them over.
    const label = def.uploadOnly ? `${def.label.en} (Moodle's upload)` : def.label.en;
    return `| \`${key}\` | ${label} | ${where} | ${def.required === 'create' ? 'yes' : ''} | ${examples} |`;
  });
  return ['| field | label | stored in | required for new accounts | headers that match (some) |', '|---|---|---|---|---|', ...rows].join('\n');
}

export const fieldTableMarkers = { start: '<!-- fields:start -->', end: '<!-- fields:end -->' };

/** Replaces the table between the markers. */
export function withFieldTable(readme: string): string {
  const start = readme.indexOf(fieldTableMarkers.start);
  const end = readme.indexOf(fieldTableMarkers.end);
  if (start === -1 || end === -1) throw new Error('README has no field table markers');
  return `${readme.slice(0, start + fieldTableMarkers.start.length)}\n${fieldTableMarkdown()}\n${readme.slice(end)}`;
}
