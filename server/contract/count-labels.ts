import type { UiLanguage } from './catalog.js';
import type { Counts } from './types.js';

/**
 * What each outcome count is called, in every language of the interface: the wizard's tiles and the
 * report mail say the same. Like the catalog's field labels, kept here so the browser and the server
 * share one text.
 */
export const countLabels: Record<keyof Counts, Record<UiLanguage, string>> = {
  rows: { en: 'Rows', nl: 'Rijen', sv: 'Rader', fi: 'Rivit' },
  created: { en: 'New accounts', nl: 'Nieuwe accounts', sv: 'Nya konton', fi: 'Uudet tilit' },
  updated: { en: 'Updated', nl: 'Bijgewerkt', sv: 'Uppdaterade', fi: 'Päivitetyt' },
  unchanged: { en: 'Unchanged', nl: 'Ongewijzigd', sv: 'Oförändrade', fi: 'Ennallaan' },
  skipped: { en: 'Skipped', nl: 'Overgeslagen', sv: 'Överhoppade', fi: 'Ohitetut' },
  errors: { en: 'Errors', nl: 'Fouten', sv: 'Fel', fi: 'Virheet' },
  archived: { en: 'Archived', nl: 'Gearchiveerd', sv: 'Arkiverade', fi: 'Arkistoitu' },
  groupsCreated: { en: 'Groups created', nl: 'Groepen aangemaakt', sv: 'Grupper skapade', fi: 'Luodut ryhmät' },
  memberships: { en: 'Group memberships added', nl: 'Aan een groep toegevoegd', sv: 'Gruppmedlemskap tillagda', fi: 'Lisätyt ryhmäjäsenyydet' },
  nodesCreated: { en: 'Nodes created', nl: 'Locaties aangemaakt', sv: 'Platser skapade', fi: 'Luodut sijainnit' },
  membershipsRemoved: { en: 'Left a group', nl: 'Uit een groep gehaald', sv: 'Lämnade en grupp', fi: 'Poistui ryhmästä' },
  rolesAssigned: { en: 'Roles assigned', nl: 'Rollen toegekend', sv: 'Roller tilldelade', fi: 'Annetut roolit' },
  enrolments: { en: 'Course enrolments', nl: 'Cursusinschrijvingen', sv: 'Kursregistreringar', fi: 'Kurssirekisteröinnit' },
  supervisorLinks: { en: 'Supervisor links', nl: 'Koppelingen met begeleiders', sv: 'Kopplingar till handledare', fi: 'Ohjaajalinkit' },
  supervisionEnded: { en: 'Supervision ended', nl: 'Begeleiding beëindigd', sv: 'Handledning avslutad', fi: 'Ohjaus päättyi' },
};

/** The counts every outcome shows; the others only when the import did any of it (nodes, removals, roles, enrolments, supervision). */
export const countsAlwaysShown: (keyof Counts)[] = ['rows', 'created', 'updated', 'unchanged', 'skipped', 'errors', 'archived', 'groupsCreated', 'memberships'];
export const countsShownWhenUsed: (keyof Counts)[] = ['nodesCreated', 'membershipsRemoved', 'rolesAssigned', 'enrolments', 'supervisorLinks', 'supervisionEnded'];

/** The counts worth showing of an outcome, in their order. */
export const shownCounts = (counts: Counts): (keyof Counts)[] => [...countsAlwaysShown, ...countsShownWhenUsed.filter((key) => counts[key] > 0)];

/** Those counts in a language, each "name: number", the number written as the language writes it ("Rijen: 20.000"). */
export function countsSaid(counts: Counts, lang: UiLanguage): string[] {
  const number = new Intl.NumberFormat(lang);
  return shownCounts(counts).map((key) => `${countLabels[key][lang]}: ${number.format(counts[key])}`);
}
