import { msg, str } from '@lit/localize';
import type { Counts, Outcome } from '../server/contract/types.js';
import { countLabels } from '../server/contract/count-labels.js';
import { formatNumber, isOne, uiLanguage } from './localization.js';

/** Localised names of row outcomes and count keys; a function so they follow the current locale. */
export function outcomeLabel(outcome: Outcome): string {
  switch (outcome) {
    case 'create':
      return msg('New', { id: 'outcome.create' });
    case 'update':
      return msg('Updated', { id: 'outcome.update' });
    case 'unchanged':
      return msg('Unchanged', { id: 'outcome.unchanged' });
    case 'skip':
      return msg('Skipped', { id: 'outcome.skip' });
    case 'error':
      return msg('Error', { id: 'outcome.error' });
  }
}

/** A count's name in the reader's language (the contract's, shared with the report mail). */
export const countLabel = (key: keyof Counts): string => countLabels[key][uiLanguage()];

export function phaseLabel(phase: string): string {
  switch (phase) {
    case 'queued':
      return msg('Waiting for a worker…', { id: 'phase.queued' });
    case 'checking':
      return msg('Checking the file…', { id: 'phase.checking' });
    case 'planning':
      return msg('Working out what changes…', { id: 'phase.planning' });
    case 'writing':
      return msg('Writing accounts…', { id: 'phase.writing' });
    case 'hashing':
      return msg('Securing passwords…', { id: 'phase.hashing' });
    case 'archiving':
      return msg('Archiving accounts that left…', { id: 'phase.archiving' });
    case 'undoing':
      return msg('Undoing the import…', { id: 'phase.undoing' });
    case 'done':
      return msg('Finished', { id: 'phase.done' });
    default:
      return msg('Working…', { id: 'phase.working' });
  }
}

/** Why an archive waits: rows that do not say who they are (the preview and the result say it alike). */
export function archiveHeldText(rows: number): string {
  return isOne(rows)
    ? msg(str`Nothing is archived: ${formatNumber(rows)} row does not say who it is (no value to find accounts by). Fix it, or turn archiving off.`, { id: 'preview.archiveHeld.one' })
    : msg(str`Nothing is archived: ${formatNumber(rows)} rows do not say who they are (no value to find accounts by). Fix them, or turn archiving off.`, { id: 'preview.archiveHeld' });
}
