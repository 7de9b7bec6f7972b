/** Min and median of repeated measurements: the bench reports both, never a single lucky run. */
export function spread(values: number[]): { min: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return { min: sorted[0]!, median: sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2 };
}

/** "min 1.21 · median 1.34 (goal ≤ 1.3: met)" */
export function ratioLine(ratios: number[], goal: { atMost?: number; atLeast?: number }): string {
  const { min, median } = spread(ratios);
  const met = goal.atMost !== undefined ? median <= goal.atMost : median >= goal.atLeast!;
  const bound = goal.atMost !== undefined ? `≤ ${goal.atMost}` : `≥ ${goal.atLeast}`;
  return `min ${min.toFixed(2)} · median ${median.toFixed(2)}  (goal ${bound}: ${met ? 'met' : 'NOT met'})`;
}
