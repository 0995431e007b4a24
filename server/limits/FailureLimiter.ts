/**
 * Counts failed handshakes per client address in a fixed window, so that guessing join codes or keys from
 * one address is slow. Successful handshakes are not counted: a whole room joining from behind one
 * venue router is fine.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, { count: number; windowEnds: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  isBlocked(address: string, now = Date.now()): boolean {
    const entry = this.#failures.get(address);
    return !!entry && entry.windowEnds > now && entry.count >= this.maxFailures;
  }

  recordFailure(address: string, now = Date.now()): void {
    const entry = this.#failures.get(address);
    if (!entry || entry.windowEnds <= now) {
      if (this.#failures.size > 10_000) this.#sweep(now);
      this.#failures.set(address, { count: 1, windowEnds: now + this.windowMs });
    } else {
      entry.count++;
    }
  }

  #sweep(now: number): void {
    for (const [address, entry] of this.#failures) if (entry.windowEnds <= now) this.#failures.delete(address);
  }
}
