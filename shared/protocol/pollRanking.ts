/**
 * A ranking poll's result read as an order: best rank first (ties share a rank and keep option order). The
 * tally itself stays in option order, which the per-group breakdown's columns rely on.
 */
export function byRank<T extends { rank?: number }>(options: readonly T[]): T[] {
  return [...options].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
}
