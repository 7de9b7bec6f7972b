/** Levenshtein distance (edits from one text to the other), stopping early once it passes `limit`. */
export function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** A name as a person may slip in writing it: case, hyphens, underscores and spaces do not count. */
const plainName = (name: string) => name.toLowerCase().replace(/[-_ ]/g, '');

/**
 * The known name a mistyped one was probably meant to be, for "did you mean": one written differently
 * only in case and separators ("match_on", "--dryrun") first, else the nearest within two slips of the
 * keyboard ("improt", "matchOm"); undefined when none is that near.
 */
export function nearestName(typed: string, known: Iterable<string>): string | undefined {
  const plain = plainName(typed);
  let nearest: { name: string; edits: number } | undefined;
  for (const name of known) {
    const edits = distance(plain, plainName(name), 2);
    if (edits <= 2 && (nearest === undefined || edits < nearest.edits)) nearest = { name, edits };
  }
  return nearest?.name;
}
