import type { MatchField } from '../../contract/catalog.js';
import type { Candidate } from '../validate/validate.js';
import { IdSet } from './id-set.js';
import { KeySet } from './key-set.js';
import { keyOf } from './users.js';

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
 * Held compactly (a million-row file of a hundred thousand pupils): the first row of each key, the key
 * with the first row's signature where it can be joined (both 64-bit hashes, KeySet), the joined rows
 * (IdSet), and only for people listed more than once, the groups their later rows add.
 */
export class RepeatedRows {
  private readonly firstRows: KeySet;
  private readonly joinable: KeySet;
  private readonly joined = new IdSet();
  /** First row → the groups its later rows add (a handful each: arrays, not sets). */
  private readonly addedGroups = new Map<number, string[]>();
  /** Each group's name once: a million rows name a few hundred groups, not a million strings. */
  private readonly groupNames = new Map<string, string>();

  constructor(
    private readonly matchOn: MatchField,
    expectedRows: number,
  ) {
    this.firstRows = new KeySet(expectedRows);
    this.joinable = new KeySet(expectedRows);
  }

  /** How many rows were joined into an earlier row of their person. */
  get joinedRows(): number {
    return this.joined.size;
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
    if (!isPerson(candidate) || !this.joinable.has(key + apart + signature(candidate))) return;
    this.joined.add(candidate.row);
    const groups = candidate.values.group?.split(';') ?? [];
    if (groups.length === 0) return;
    let added = this.addedGroups.get(first);
    if (!added) this.addedGroups.set(first, (added = []));
    for (const group of groups) {
      let name = this.groupNames.get(group);
      if (name === undefined) this.groupNames.set(group, (name = group));
      if (!added.includes(name)) added.push(name);
    }
  }

  /** The second pass: a first row takes the groups of its later rows; a later row is marked as its person's. */
  apply(candidate: Candidate): void {
    if (this.joined.has(candidate.row)) {
      candidate.sameAs = this.firstRows.get(keyOf(candidate.values[this.matchOn]!));
      return;
    }
    const added = this.addedGroups.get(candidate.row);
    if (added) candidate.values.group = [...new Set([...(candidate.values.group?.split(';') ?? []), ...added])].join(';');
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
