import { fieldCatalog, fieldKeys, languages, type FieldDefinition } from '../contract/catalog.js';
import { headerSynonyms } from './map/header-synonyms.js';

/** Where a field's value ends up, as the table says it. */
function storedIn(def: FieldDefinition): string {
  if (def.column) return `\`user.${def.column}\``;
  if (def.profileField) return `profile field \`${def.profileField}\` (or the site's field named so)`;
  if (def.feeds) return `→ ${def.feeds}`;
  if (def.linksLogin) return 'linked login (`auth_oauth2_linked_login`)';
  if (def.tagsAccount) return "the account's tags, set by Moodle (`useredit_update_interests()`, through the plugin)";
  return 'placement';
}

/** The README's field table, written from the catalog so the docs cannot drift from the code. */
export function fieldTableMarkdown(): string {
  const rows = fieldKeys.map((key) => {
    const def = fieldCatalog[key];
    const where = storedIn(def);
    const examples = languages.flatMap((lang) => (headerSynonyms[key][lang] ?? []).slice(0, 2)).slice(0, 6).join(', ');
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
