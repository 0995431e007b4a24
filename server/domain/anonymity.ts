/**
 * The k-threshold for counts by stakeholder group. A viewer may see a group's count only when at least
 * k people are in it; smaller groups, people who stated no group, and the workshop's own "other" group are
 * folded into one "other" bucket. That bucket must itself be zero or at least k — otherwise
 * `total − shown groups` would give a small group's size back — so while it is between 1 and k−1 the
 * smallest shown group is folded in too. Used for presence now and for poll breakdowns later.
 */
import { OTHER_GROUP_ID } from '../../shared/protocol/index.js';

export type GroupCounts = { total: number; groups: { id: string; count: number }[]; other: number };

/**
 * @param byGroup people per group id (`null` for "not stated")
 * @param k the workshop's anonymity threshold
 * @param order the workshop's groups as listed: of two groups of one size, the one listed last is folded first
 *   (without it, ties go by id, so that the result never depends on Map order)
 */
export function foldSmallGroups(byGroup: Map<string | null, number>, k: number, order: readonly string[] = []): GroupCounts {
  let total = 0;
  const candidates: { id: string; count: number }[] = [];
  for (const [id, count] of byGroup) {
    total += count;
    if (id !== null && id !== OTHER_GROUP_ID && count >= k) candidates.push({ id, count });
  }
  // Largest first; of equal ones the last listed (or the last id) ends up last, to be folded first.
  const listed = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  candidates.sort((a, b) => b.count - a.count || listed(a.id) - listed(b.id) || a.id.localeCompare(b.id));
  let other = total - candidates.reduce((sum, g) => sum + g.count, 0);
  while (other > 0 && other < k && candidates.length > 0) other += candidates.pop()!.count;
  return { total, groups: candidates, other };
}
