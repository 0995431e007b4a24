import type { Timer } from '$shared/protocol/index.js';

/** Milliseconds a timer has left on this device, from the server's clock (never negative). */
export function timeLeft(timer: Timer | null, clockOffset: number, now = Date.now()): number {
  if (!timer) return 0;
  return timer.endsAt !== null ? Math.max(0, timer.endsAt - (now + clockOffset)) : (timer.remainingMs ?? 0);
}

/** "4:05": minutes and seconds, the way a countdown reads. */
export const clockText = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** A live countdown of the workshop's timer: what is left, ticking while it runs. Create it while a component initialises. */
export class Countdown {
  #now = $state(Date.now());
  readonly #timer: () => Timer | null;
  readonly #offset: () => number;

  constructor(timer: () => Timer | null, clockOffset: () => number) {
    this.#timer = timer;
    this.#offset = clockOffset;
    $effect(() => {
      const running = this.#timer();
      if (!running || running.endsAt === null) return;
      this.#now = Date.now(); // the page may have been idle since the last tick
      const tick = setInterval(() => (this.#now = Date.now()), 250);
      return () => clearInterval(tick);
    });
  }

  get seconds(): number {
    return Math.ceil(timeLeft(this.#timer(), this.#offset(), this.#now) / 1000);
  }

  get clock(): string {
    return clockText(this.seconds);
  }
}
