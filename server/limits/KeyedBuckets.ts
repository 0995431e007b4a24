import { TokenBucket } from './TokenBucket.js';

/** Keys (addresses) remembered at most; beyond, the one idle longest is forgotten. */
const MAX_KEYS = 10_000;

/**
 * One token bucket per key (a client address), for limits that span connections: a script opening many
 * connections from one address still gets one address's share. The map is bounded: when it is full, the key
 * used least recently goes — its bucket has refilled the longest, so forgetting it costs least — never everyone's
 * at once, which would let someone with many addresses reset every other address's budget.
 */
export class KeyedBuckets {
  /** In order of last use, least recent first (a Map keeps insertion order; a used key is inserted again). */
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  take(key: string, now = Date.now()): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket) this.#buckets.delete(key);
    else {
      if (this.#buckets.size >= this.maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
      bucket = new TokenBucket(this.capacity, this.perSecond, now);
    }
    this.#buckets.set(key, bucket);
    return bucket.take(now);
  }
}
