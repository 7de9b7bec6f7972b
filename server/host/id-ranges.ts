/**
 * Ids as inclusive ranges: an import writes rows in consecutive blocks and logs each block once, so
 * undo reads, selects and deletes by range (`id BETWEEN a AND b`) rather than by lists of single ids.
 */
export interface IdRange {
  from: number;
  through: number;
}

/** Sorted, with overlapping and adjacent ranges joined. */
export function mergeRanges(ranges: readonly IdRange[]): IdRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const merged: IdRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.through + 1) last.through = Math.max(last.through, range.through);
    else merged.push({ ...range });
  }
  return merged;
}

export const idsIn = (ranges: readonly IdRange[]) => ranges.reduce((sum, r) => sum + r.through - r.from + 1, 0);

/** Whether one of the ranges holds the id. */
export const rangesHold = (ranges: readonly IdRange[], id: number) => ranges.some((r) => id >= r.from && id <= r.through);

/**
 * The ranges cut into groups of at most `size` ids (a long range is split), so that no one statement
 * touches more rows than a batch of the import did.
 */
export function* rangeChunks(ranges: readonly IdRange[], size = 5000): Generator<IdRange[]> {
  let chunk: IdRange[] = [];
  let count = 0;
  for (const range of ranges) {
    for (let from = range.from; from <= range.through; ) {
      const through = Math.min(range.through, from + (size - count) - 1);
      chunk.push({ from, through });
      count += through - from + 1;
      from = through + 1;
      if (count === size) {
        yield chunk;
        chunk = [];
        count = 0;
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** `(col BETWEEN ? AND ? OR …)` with its parameters; a single id is `col = ?`. */
export function inRanges(column: string, ranges: readonly IdRange[]): { sql: string; params: number[] } {
  if (ranges.length === 0) return { sql: 'FALSE', params: [] };
  const parts = ranges.map((r) => (r.from === r.through ? `${column} = ?` : `${column} BETWEEN ? AND ?`));
  return { sql: `(${parts.join(' OR ')})`, params: ranges.flatMap((r) => (r.from === r.through ? [r.from] : [r.from, r.through])) };
}
