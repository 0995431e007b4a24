import { describe, expect, it } from 'vitest';
import { KeyedBuckets } from '../../server/limits/KeyedBuckets.js';

describe('per-address buckets', () => {
  it('keep an exhausted address limited however many other addresses come by: only the idlest is forgotten', () => {
    const buckets = new KeyedBuckets(2, 0.001, 3);
    expect([buckets.take('busy', 0), buckets.take('busy', 0), buckets.take('busy', 0)]).toEqual([true, true, false]);
    // A crowd of new addresses, more than the map holds, while the busy one keeps trying.
    for (let i = 0; i < 50; i++) {
      expect(buckets.take(`other-${i}`, 1)).toBe(true);
      expect(buckets.take('busy', 1)).toBe(false);
    }
  });

  it('forget the address used least recently when full, which starts again with a full bucket', () => {
    const buckets = new KeyedBuckets(1, 0.001, 2);
    expect(buckets.take('a', 0)).toBe(true);
    expect(buckets.take('b', 0)).toBe(true);
    expect(buckets.take('a', 0)).toBe(false); // a is now the most recent
    expect(buckets.take('c', 0)).toBe(true); // b goes
    expect(buckets.take('a', 0)).toBe(false);
    expect(buckets.take('b', 0)).toBe(true); // forgotten: a new bucket
  });
});
