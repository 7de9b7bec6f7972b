import type { UiLanguage } from '../contract/catalog.js';
/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A page dressed like an LMS admin page (header, navigation, breadcrumb), so the plugin is seen in place. */
/** Links to the page in Intake's other languages, each named in its own language. */
function languageLinks(current: string): string {
  const names: Record<UiLanguage, string> = { en: 'English', nl: 'Nederlands', sv: 'Svenska', fi: 'Suomi' };
  return Object.entries(names)
    .filter(([code]) => code !== current)
    .map(([code, name]) => `<a href="?lang=${code}" lang="${code}" hreflang="${code}">${name}</a>`)
    .join('');
}

export function hostPage(options: { title: string; breadcrumb: string[]; active: 'import' | 'users' | 'outbox'; lang: string; body: string; head?: string; user?: string }): string {
  const nav = (href: string, key: 'import' | 'users' | 'outbox', label: string) =>
    `<a href="${href}?lang=${options.lang}"${options.active === key ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a>`;
  const nl = options.lang === 'nl';
  return `<!doctype html>
<html lang="${nl ? 'nl' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(options.title)} | Demo College</title>
<style>
  :root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2125; background: #f8f9fa; }
  body { margin: 0; }
  header.navbar { background: #fff; border-bottom: 1px solid #dee2e6; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 2rem; padding: .5rem 1.5rem; }
  header .brand { font-weight: 700; font-size: 1.1rem; color: #0f6cbf; }
  header nav { display: flex; flex-wrap: wrap; gap: 0 1.25rem; }
  header nav a { color: #1d2125; text-decoration: none; padding: .5rem 0; border-bottom: 3px solid transparent; }
  header nav a[aria-current="page"] { border-bottom-color: #0f6cbf; font-weight: 600; }
  header .user { margin-left: auto; display: flex; gap: 1rem; align-items: center; font-size: .9rem; }
  main { max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
  @media (max-width: 36rem) { main { padding: 1rem .75rem; } header.navbar { padding: .5rem .75rem; } }
  .breadcrumb { font-size: .875rem; color: #6a737b; margin-bottom: .5rem; }
  h1 { font-size: 1.75rem; margin: 0 0 1rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; font-size: .9rem; }
  th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #dee2e6; }
  th { background: #f1f3f5; }
  .badge { display: inline-block; padding: .1rem .5rem; border-radius: .75rem; font-size: .75rem; background: #e9ecef; }
  .badge.suspended { background: #f8d7da; color: #842029; }
  .badge.active { background: #d1e7dd; color: #0f5132; }
  pre { white-space: pre-wrap; background: #f8f9fa; padding: .75rem; }
  section.card { background: #fff; border: 1px solid #dee2e6; border-radius: .5rem; padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
</style>
${options.head ?? ''}
</head>
<body>
<header class="navbar">
  <span class="brand">Demo College</span>
  <nav aria-label="${nl ? 'Sitebeheer' : 'Site administration'}">
    ${nav('/', 'import', nl ? 'Gebruikers importeren' : 'Import users')}
    ${nav('/users', 'users', nl ? 'Gebruikers en groepen' : 'Users and groups')}
    ${nav('/outbox', 'outbox', nl ? 'Uitgaande mail' : 'Outbox')}
  </nav>
  <div class="user">${languageLinks(options.lang)}<span>${escapeHtml(options.user ?? 'Admin User')}</span></div>
</header>
<main>
  <div class="breadcrumb">${options.breadcrumb.map(escapeHtml).join(' / ')}</div>
  <h1>${escapeHtml(options.title)}</h1>
  ${options.body}
</main>
</body>
</html>`;
}
