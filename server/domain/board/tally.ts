/**
 * Counting anonymous ballots into a ranked list. Pure: ballots in, ranking out. Items with equal scores
 * share a rank ("1, 2, 2, 4") and keep the board's order between them.
 */
import type { Ballot, Prioritisation, RankedItem } from '../../../shared/protocol/index.js';

type Item = { id: string; label: string };
type Scored = Item & { score: number; impact?: number; effort?: number };

function rank(scored: Scored[]): RankedItem[] {
  const sorted = scored
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.score - a.s.score || a.i - b.i)
    .map(({ s }) => s);
  return sorted.map((item, i) => {
    const first = sorted.findIndex((other) => other.score === item.score);
    return { ...item, rank: (first === -1 ? i : first) + 1 };
  });
}

/** Ranks again what is left of a ranking (an item was taken off the board), by the scores it was given. */
export function rerank(items: RankedItem[]): RankedItem[] {
  return rank(items);
}

/** Placements come from sliders; three decimals is more than anyone can place by hand. */
const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Dots per item. */
export function tallyDots(items: Item[], ballots: Ballot[]): RankedItem[] {
  const totals = new Map(items.map((item) => [item.id, 0]));
  for (const ballot of ballots) {
    if (!('dots' in ballot)) continue;
    for (const [id, dots] of Object.entries(ballot.dots)) if (totals.has(id)) totals.set(id, totals.get(id)! + dots);
  }
  return rank(items.map((item) => ({ ...item, score: totals.get(item.id)! })));
}

/** Borda count over each person's top N: first place gets N points, N-th place 1. */
export function tallyRanking(items: Item[], ballots: Ballot[], topN: number): RankedItem[] {
  const points = new Map(items.map((item) => [item.id, 0]));
  for (const ballot of ballots) {
    if (!('ranking' in ballot)) continue;
    ballot.ranking.slice(0, topN).forEach((id, position) => {
      if (points.has(id)) points.set(id, points.get(id)! + (topN - position));
    });
  }
  return rank(items.map((item) => ({ ...item, score: points.get(item.id)! })));
}

/**
 * Median impact and effort of every placement of an item (0–1 each). Ranked by impact minus effort:
 * quick wins (high impact, low effort) first.
 */
export function tallyImpactEffort(items: Item[], ballots: Ballot[]): RankedItem[] {
  const placed = new Map(items.map((item) => [item.id, { impact: [] as number[], effort: [] as number[] }]));
  for (const ballot of ballots) {
    if (!('placements' in ballot)) continue;
    for (const [id, p] of Object.entries(ballot.placements)) {
      placed.get(id)?.impact.push(p.impact);
      placed.get(id)?.effort.push(p.effort);
    }
  }
  return rank(
    items.map((item) => {
      const { impact, effort } = placed.get(item.id)!;
      const m = { impact: round3(median(impact)), effort: round3(median(effort)) };
      return { ...item, ...m, score: impact.length === 0 ? -1 : round3(m.impact - m.effort) };
    }),
  );
}

/** Upvotes per question (Q&A boards). */
export function tallyUpvotes(items: Item[], ballots: Ballot[]): RankedItem[] {
  const counts = new Map(items.map((item) => [item.id, 0]));
  for (const ballot of ballots) {
    if (!('upvotes' in ballot)) continue;
    for (const id of new Set(ballot.upvotes)) if (counts.has(id)) counts.set(id, counts.get(id)! + 1);
  }
  return rank(items.map((item) => ({ ...item, score: counts.get(item.id)! })));
}

export function tally(prioritisation: Prioritisation | { method: 'upvotes' }, items: Item[], ballots: Ballot[]): RankedItem[] {
  switch (prioritisation.method) {
    case 'dots':
      return tallyDots(items, ballots);
    case 'ranking':
      return tallyRanking(items, ballots, prioritisation.topN);
    case 'impactEffort':
      return tallyImpactEffort(items, ballots);
    case 'upvotes':
      return tallyUpvotes(items, ballots);
    case 'none':
      return [];
  }
}
