/**
 * What a host page loads with one script tag: it registers Intake's elements. The host then places
 * `<intake-import-wizard api-base="…" token="…" token-url="…" lang="…">` where the admin page wants it.
 */
import '../components/intake-import-wizard.js';

export { IntakeImportWizard } from '../components/intake-import-wizard.js';
