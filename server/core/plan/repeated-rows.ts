import type { MatchField } from '../../contract/catalog.js';
import type { Candidate } from '../validate/validate.js';
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
 * Held compactly (a million-row file of a hundred thousand pupils): the first row of each key, which is
 * also the file's keys for duplicates and the archive (`firstRows`), the key with the first row's
 * signature where it can be joined (both 64-bit hashes, KeySet), and only for people listed more than
 * once, the groups their later rows add. Whether a row is joined is decided again as it is planned, from
 * the same values: no set of joined rows is kept.
 */
export class RepeatedRows {
  /** Match key → the first row holding it, for the whole file. */
  readonly firstRows: KeySet;
  private readonly joinable: KeySet;
  /** First row → the groups its later rows add, `;`-separated. */
  private readonly addedGroups = new Map<number, string>();
  /**
   * Each list of groups once: the pupils of a class share theirs, so a million rows hold a few hundred
   * lists, not a hundred thousand.
   */
  private readonly lists = new Map<string, string>();

  constructor(
    private readonly matchOn: MatchField,
    expectedRows: number,
  ) {
    this.firstRows = new KeySet(expectedRows);
    this.joinable = new KeySet(expectedRows);
  }

  /** The first pass: notes a validated row, in file order. */
  learn(candidate: Candidate): void {
    const value = candidate.values[this.matchOn];
    if (value === undefined) return;
    const key = keyOf(value);
    const first = this.firstRows.get(key);
    if (first === undefined) {
      this.firstRows.set(key, candidate.row);
      // A first row that is an error or a note takes nobody in: its later rows stay duplicates.
      if (isPerson(candidate)) this.joinable.add(key + apart + signature(candidate));
      return;
    }
    if (!this.joins(key, candidate)) return;
    const groups = listItems(candidate.values.group);
    if (groups.length === 0) return;
    let added = this.addedGroups.get(first);
    for (const group of groups) {
      if (added?.split(';').includes(group)) continue;
      const list = added === undefined ? group : `${added};${group}`;
      added = this.lists.get(list);
      if (added === undefined) this.lists.set(list, (added = list));
    }
    if (added !== undefined) this.addedGroups.set(first, added);
  }

  /** The second pass: a first row takes the groups of its later rows; a later row is marked as its person's. */
  apply(candidate: Candidate): void {
    const value = candidate.values[this.matchOn];
    if (value === undefined) return;
    const key = keyOf(value);
    const first = this.firstRows.get(key);
    if (first !== undefined && first !== candidate.row && this.joins(key, candidate)) {
      candidate.sameAs = first;
      return;
    }
    const added = this.addedGroups.get(candidate.row);
    if (added) candidate.values.group = [...new Set([...listItems(candidate.values.group), ...added.split(';')])].join(';');
  }

  /** Whether a later row of a key is its first row again but for its groups. */
  private joins(key: string, candidate: Candidate): boolean {
    return isPerson(candidate) && this.joinable.has(key + apart + signature(candidate));
  }
}

const isPerson = (candidate: Candidate) => !candidate.note && candidate.problems.length === 0;

/** Every value of the row but its groups, in the file's column order (the same for every row). */
function signature(candidate: Candidate): string {
  let text = '';
  for (const field in candidate.values) if (field !== 'group') text += `${field}=${candidate.values[field as keyof Candidate['values']]}${apart}`;
  for (const field in candidate.profile) text += `${field}=${candidate.profile[field]}${apart}`;
  return `${text}${candidate.usernameBase ?? ''}`;
}
