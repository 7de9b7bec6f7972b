import type { MatchField } from '../../contract/catalog.js';
import { placeFields, type Candidate, type Place } from '../validate/validate.js';
import { KeySet } from './key-set.js';
import { keyOf } from './users.js';
import { listItems } from './placement.js';

/** Between a key and a row's signature: a character no cell keeps (cells are cleaned of control characters). */
const apart = '\u0000';

/**
 * A person an export lists once per group (Magister's and Somtoday's lesgroepen: one row per pupil and
 * lesgroep, sorted by pupil or by group) is that person once, in every group of their rows. Learnt in a
 * pass over the file before any row is planned, so the preview and the commit join the same rows however
 * the file is sorted or cut into batches: a later row with the same match key and every other value the
 * same as the first row of that key (names, class, supervisor, profile fields) gives its groups to that
 * first row and is skipped as `same_person`. A later row that differs in anything but its groups stays
 * a `duplicate_in_file` error: what belongs to whom is never guessed.
 *
 * But for where they are: a teacher (anyone who is not a pupil, `roams`) may be listed once per class and
 * per school (a municipality's staff list, a workbook with a sheet per school), and is then that person
 * at every place their rows name. A pupil has one class: a pupil listed in two stays a duplicate to fix.
 *
 * Held compactly (a million-row file of a hundred thousand pupils): the first row of each key, which is
 * also the file's keys for duplicates and the archive (`firstRows`), the key with the first row's
 * signature where it can be joined (both 64-bit hashes, KeySet), and only for people listed more than
 * once, the groups and places their later rows add. Whether a row is joined is decided again as it is
 * planned, from the same values: no set of joined rows is kept.
 */
export class RepeatedRows {
  /** Match key → the first row holding it, for the whole file. */
  readonly firstRows: KeySet;
  private readonly joinable: KeySet;
  /** First row → the groups its later rows add, `;`-separated. */
  private readonly addedGroups = new Map<number, string>();
  /** First row → the places its later rows add (placeKey), `betweenPlaces`-separated. */
  private readonly addedPlaces = new Map<number, string>();
  /**
   * Each list of groups once: the pupils of a class share theirs, so a million rows hold a few hundred
   * lists, not a hundred thousand.
   */
  private readonly lists = new Map<string, string>();

  /**
   * `joinsGroups`: the file has a group column, so anyone's later rows may add groups; `roams`: whether a
   * row's person may be at several places (not a pupil), as its role says. A row that can be joined
   * neither way (a pupil in a file without groups) is only noted by its key: nothing more is worked out.
   */
  constructor(
    private readonly matchOn: MatchField,
    expectedRows: number,
    private readonly joinsGroups = true,
    private readonly roams: (candidate: Candidate) => boolean = () => false,
  ) {
    this.firstRows = new KeySet(expectedRows);
    this.joinable = new KeySet(expectedRows);
  }

  /**
   * Whether a row must be learnt from all of its values, or its match key and role are enough (a pupil
   * in a file without groups, who can join no one: their key is noted, nothing else). Asked of a row
   * validated for those two fields only, so the first pass checks the rest only of rows that need it.
   */
  needsWhole(brief: Candidate): boolean {
    return this.joinsGroups || this.roams(brief);
  }

  /** The first pass: notes a validated row, in file order (one that needsWhole(), validated whole). */
  learn(candidate: Candidate): void {
    const value = candidate.values[this.matchOn];
    if (value === undefined) return;
    const key = keyOf(value);
    const first = this.firstRows.get(key);
    const roams = this.roams(candidate);
    if (first === undefined) {
      this.firstRows.set(key, candidate.row);
      // A first row that is an error or a note takes nobody in: its later rows stay duplicates.
      if ((this.joinsGroups || roams) && isPerson(candidate)) this.joinable.add(key + apart + this.signature(candidate, roams));
      return;
    }
    if (!this.joins(key, candidate, roams)) return;
    this.add(this.addedGroups, first, listItems(candidate.values.group), ';');
    if (roams) this.add(this.addedPlaces, first, [placeKey(candidate.values)], betweenPlaces);
  }

  /** Adds items to a first row's list of them, each once; the lists shared (interned) between rows. */
  private add(lists: Map<number, string>, first: number, items: readonly string[], separator: string): void {
    if (items.length === 0) return;
    let added = lists.get(first);
    for (const item of items) {
      if (added?.split(separator).includes(item)) continue;
      const list = added === undefined ? item : `${added}${separator}${item}`;
      added = this.lists.get(list);
      if (added === undefined) this.lists.set(list, (added = list));
    }
    if (added !== undefined) lists.set(first, added);
  }

  /** The second pass: a first row takes the groups of its later rows; a later row is marked as its person's. */
  apply(candidate: Candidate): void {
    const value = candidate.values[this.matchOn];
    if (value === undefined) return;
    const key = keyOf(value);
    const first = this.firstRows.get(key);
    if (first !== undefined && first !== candidate.row && this.joins(key, candidate, this.roams(candidate))) {
      candidate.sameAs = first;
      return;
    }
    const added = this.addedGroups.get(candidate.row);
    if (added) candidate.values.group = [...new Set([...listItems(candidate.values.group), ...added.split(';')])].join(';');
    const places = this.addedPlaces.get(candidate.row);
    if (places === undefined) return;
    const own = placeKey(candidate.values);
    const others = places.split(betweenPlaces).filter((place) => place !== own);
    if (others.length > 0) candidate.alsoAt = others.map(placeOf);
  }

  /** Whether a later row of a key is its first row again but for its groups (and, for who roams, its place). */
  private joins(key: string, candidate: Candidate, roams: boolean): boolean {
    return (this.joinsGroups || roams) && isPerson(candidate) && this.joinable.has(key + apart + this.signature(candidate, roams));
  }

  /** Every value of the row but its groups (and, for who roams, its place), in the file's column order (the same for every row). */
  private signature(candidate: Candidate, roams: boolean): string {
    let text = '';
    for (const field in candidate.values) {
      if (field === 'group' || (roams && (placeFields as readonly string[]).includes(field))) continue;
      text += `${field}=${candidate.values[field as keyof Candidate['values']]}${apart}`;
    }
    for (const field in candidate.profile) text += `${field}=${candidate.profile[field]}${apart}`;
    return `${text}${candidate.usernameBase ?? ''}`;
  }
}

/** Between the fields of a place, and between places: characters no cell keeps (cells are cleaned of control characters). */
const betweenFields = '\u0001';
const betweenPlaces = '\u0002';

/** A row's place as one string, to compare and keep. */
const placeKey = (values: Candidate['values']): string => placeFields.map((field) => values[field] ?? '').join(betweenFields);

function placeOf(key: string): Place {
  const parts = key.split(betweenFields);
  const place: Place = {};
  placeFields.forEach((field, i) => {
    if (parts[i]) place[field] = parts[i];
  });
  return place;
}

const isPerson = (candidate: Candidate) => !candidate.note && candidate.problems.length === 0;
