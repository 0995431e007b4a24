import { uptime } from 'node:os';

/**
 * The time the server counts down and tells clients: the wall clock read once at start-up, carried forward
 * by the monotonic clock. A venue laptop often boots offline with a wrong clock that NTP corrects later, by
 * hours or by years; a countdown measured with the wall clock would jump with it (ten minutes left becoming
 * none, or an hour more), and phones would be told a server time that no longer matches their timers.
 * Clients only ever use this time relative to `serverTime`, so its distance from the wall clock does not matter.
 */
export class ServerClock {
  readonly #anchorWall: number;
  readonly #anchorMonotonic: number;
  readonly #anchorBoot: number;

  /** The clocks are injectable so that tests can step the wall clock without time passing, or let time pass. */
  constructor(
    /** Dates that are stored (creation, expiry): the wall clock, as it is. */
    readonly wall: () => number = Date.now,
    /** Milliseconds that really passed, from any origin; it stops while the machine sleeps. */
    readonly monotonic: () => number = () => performance.now(),
    /**
     * Milliseconds since the machine booted, sleep included: what tells a clock correction (the wall clock
     * moves, this does not) from a laptop waking up (both move).
     */
    readonly sinceBoot: () => number = () => uptime() * 1000,
  ) {
    this.#anchorWall = wall();
    this.#anchorMonotonic = monotonic();
    this.#anchorBoot = sinceBoot();
  }

  /** Milliseconds since the epoch as of start-up, moving only as time really passes. */
  now(): number {
    return this.#anchorWall + (this.monotonic() - this.#anchorMonotonic);
  }

  /** How far the wall clock has been stepped since start-up (positive: forward), in whole milliseconds. */
  steppedBy(): number {
    return Math.round(this.wall() - (this.#anchorWall + (this.sinceBoot() - this.#anchorBoot)));
  }
}
