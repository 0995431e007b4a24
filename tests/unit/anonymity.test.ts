import { describe, expect, it } from 'vitest';
import { foldSmallGroups } from '../../server/domain/anonymity.js';

const counts = (entries: [string | null, number][]) => new Map(entries);

describe('k-threshold for counts by group', () => {
  it('shows groups of at least k and folds smaller ones, "not stated" and "other" together', () => {
    expect(
      foldSmallGroups(
        counts([
          ['police', 5],
          ['residents', 7],
          ['youth', 2],
          [null, 1],
          ['other', 2],
        ]),
        5,
      ),
    ).toEqual({
      total: 17,
      groups: [
        { id: 'residents', count: 7 },
        { id: 'police', count: 5 },
      ],
      other: 5,
    });
  });

  it('folds the smallest shown group too when "other" would be below k', () => {
    // other would be 1 (youth) → reveal by subtraction; police (5) joins it.
    expect(
      foldSmallGroups(
        counts([
          ['police', 5],
          ['residents', 7],
          ['youth', 1],
        ]),
        5,
      ),
    ).toEqual({
      total: 13,
      groups: [{ id: 'residents', count: 7 }],
      other: 6,
    });
  });

  it('shows no group at all when there are fewer than k people', () => {
    expect(
      foldSmallGroups(
        counts([
          ['police', 2],
          ['residents', 2],
        ]),
        5,
      ),
    ).toEqual({ total: 4, groups: [], other: 4 });
  });

  it('lets "other" be zero: nothing to hide', () => {
    expect(
      foldSmallGroups(
        counts([
          ['police', 3],
          ['residents', 3],
        ]),
        3,
      ),
    ).toEqual({
      total: 6,
      groups: [
        { id: 'police', count: 3 },
        { id: 'residents', count: 3 },
      ],
      other: 0,
    });
  });

  it('never yields a bucket between 1 and k−1, whatever the counts', () => {
    for (let seed = 1; seed < 500; seed++) {
      let x = seed;
      const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
      const k = 3 + Math.floor(random() * 5);
      const entries: [string | null, number][] = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => [
        i === 0 ? null : `g${i}`,
        Math.floor(random() * 12),
      ]);
      const { total, groups, other } = foldSmallGroups(counts(entries), k);
      for (const bucket of [...groups.map((g) => g.count), other]) expect(bucket === 0 || bucket >= k || bucket === total).toBe(true);
      expect(groups.reduce((s, g) => s + g.count, 0) + other).toBe(total);
    }
  });
});
