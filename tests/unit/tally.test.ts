import { describe, expect, it } from 'vitest';
import type { Ballot } from '../../shared/protocol/index.js';
import { median, tallyDots, tallyImpactEffort, tallyRanking, tallyUpvotes } from '../../server/domain/board/tally.js';
import { validateBallot } from '../../server/domain/board/validateBallot.js';

const items = [
  { id: 'a', label: 'Lighting' },
  { id: 'b', label: 'Patrols' },
  { id: 'c', label: 'Youth centre' },
];
const ranks = (ranked: { id: string; rank: number; score: number }[]) => ranked.map(({ id, rank, score }) => [id, rank, score]);

describe('dot voting tally', () => {
  it('adds dots per item and ranks by total', () => {
    expect(ranks(tallyDots(items, [{ dots: { a: 2, b: 1 } }, { dots: { b: 2 } }, { dots: { c: 1 } }]))).toEqual([
      ['b', 1, 3],
      ['a', 2, 2],
      ['c', 3, 1],
    ]);
  });

  it('gives tied items the same rank and keeps board order between them', () => {
    expect(ranks(tallyDots(items, [{ dots: { c: 2, a: 2 } }, { dots: { b: 1 } }]))).toEqual([
      ['a', 1, 2],
      ['c', 1, 2],
      ['b', 3, 1],
    ]);
  });

  it('ignores dots on items that have left the board (hidden notes)', () => {
    expect(ranks(tallyDots(items.slice(0, 1), [{ dots: { a: 1, gone: 2 } }]))).toEqual([['a', 1, 1]]);
  });
});

describe('ranking (Borda count over the top N)', () => {
  it('gives N points for first place down to 1 for N-th', () => {
    const ballots = [{ ranking: ['a', 'b', 'c'] }, { ranking: ['b', 'a'] }, { ranking: ['b'] }];
    expect(ranks(tallyRanking(items, ballots, 3))).toEqual([
      ['b', 1, 2 + 3 + 3],
      ['a', 2, 3 + 2],
      ['c', 3, 1],
    ]);
  });

  it('ties when points are equal', () => {
    expect(ranks(tallyRanking(items, [{ ranking: ['a', 'b'] }, { ranking: ['b', 'a'] }], 2))).toEqual([
      ['a', 1, 3],
      ['b', 1, 3],
      ['c', 3, 0],
    ]);
  });
});

describe('impact/effort', () => {
  it('takes the median of each axis and puts quick wins (high impact, low effort) first', () => {
    const ballots: Ballot[] = [
      { placements: { a: { impact: 0.9, effort: 0.2 }, b: { impact: 0.5, effort: 0.9 } } },
      { placements: { a: { impact: 0.7, effort: 0.4 }, b: { impact: 0.6, effort: 0.8 } } },
      { placements: { a: { impact: 0.8, effort: 0.3 } } },
    ];
    const ranked = tallyImpactEffort(items, ballots);
    expect(ranked[0]).toMatchObject({ id: 'a', rank: 1, impact: 0.8, effort: 0.3, score: 0.5 });
    expect(ranked[1]).toMatchObject({ id: 'b', rank: 2, impact: 0.55, effort: 0.85, score: -0.3 });
    expect(ranked[2]).toMatchObject({ id: 'c', rank: 3, score: -1 }); // never placed: last
  });

  it('computes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('Q&A upvotes', () => {
  it('counts each person once per question', () => {
    expect(ranks(tallyUpvotes(items, [{ upvotes: ['a', 'b'] }, { upvotes: ['b'] }]))).toEqual([
      ['b', 1, 2],
      ['a', 2, 1],
      ['c', 3, 0],
    ]);
  });
});

describe('ballot validation', () => {
  const ids = new Set(['a', 'b', 'c']);
  const dots = { method: 'dots', budget: 3, maxPerItem: 2 } as const;

  it('accepts a ballot within the budget, even an empty one (taking dots back)', () => {
    expect(validateBallot({ dots: { a: 2, b: 1 } }, dots, ids)).toBeNull();
    expect(validateBallot({ dots: {} }, dots, ids)).toBeNull();
  });

  it.each([
    [{ dots: { a: 3 } }, dots, /at most 2 dots on one item/],
    [{ dots: { a: 2, b: 2 } }, dots, /at most 3 dots in all/],
    [{ dots: { z: 1 } }, dots, /not on the board/],
    [{ ranking: ['a', 'a'] }, { method: 'ranking', topN: 3 }, /ranked twice/],
    [{ ranking: ['a', 'b', 'c'] }, { method: 'ranking', topN: 2 }, /at most 2/],
    [{ placements: { z: { impact: 1, effort: 0 } } }, { method: 'impactEffort' }, /not on the board/],
    [{ upvotes: ['a', 'a'] }, { method: 'upvotes' }, /one upvote per question/],
    [{ dots: { a: 1 } }, { method: 'none' }, /no vote/],
    [{ upvotes: ['a'] }, dots, /takes dots/],
  ] as const)('refuses %j for %j', (ballot, method, message) => {
    expect(validateBallot(ballot as never, method as never, ids)).toMatch(message);
  });
});
