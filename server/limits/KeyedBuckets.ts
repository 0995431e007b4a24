import { TokenBucket } from './TokenBucket.js';

/**
 * One token bucket per key (a client address), for limits that span connections: a script opening many
 * connections from one address still gets one address's share. Idle buckets are dropped now and then, so
 * a scan over many addresses cannot grow the map without end.
 */
export class KeyedBuckets {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {}

  take(key: string, now = Date.now()): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= 10_000) this.#buckets.clear(); // all full again: at worst a moment of leniency
      this.#buckets.set(key, (bucket = new TokenBucket(this.capacity, this.perSecond, now)));
    }
    return bucket.take(now);
  }
}
