/**
 * Per-connection rate limit: a bucket of `capacity` tokens refilled at `perSecond`. Generous enough for a
 * person tapping quickly (and a facilitator dragging notes), far too slow for a script flooding a board.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now = Date.now(),
  ) {
    this.#tokens = capacity;
    this.#last = now;
  }

  take(now = Date.now()): boolean {
    // A wall clock stepped back must not drain the bucket for as long as it stepped (a whole room refused).
    this.#tokens = Math.min(this.capacity, this.#tokens + (Math.max(0, now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
