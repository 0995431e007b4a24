/**
 * Deletes workshops: at once when the lead facilitator asks, and automatically once their retention period
 * is over (a sweep at start-up, then periodically). The store erases first, so nothing can be written for the
 * workshop afterwards (every row needs the workshop's row); then its live room and Yjs documents are closed
 * without writing anything back, and their clients are told the workshop no longer exists.
 *
 * Retention is measured by the wall clock, which a venue laptop may have wrong when it boots offline and have
 * corrected by NTP while it runs, by hours or by years. A step of the wall clock is not time passing: a sweep
 * that finds the clock stepped since the last one deletes nothing, and first moves the dates of the workshops
 * this process created (stamped by the clock before the step) with it, in the store, so that their retention
 * is what it was — after a restart too. A workshop created here is never deleted before its retention has
 * passed by the monotonic clock either.
 */
import type { Logger } from '../log.js';
import type { ServerClock } from '../ServerClock.js';
import type { RetentionStore, WorkshopStore } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import type { RoomRegistry } from './RoomRegistry.js';

/** How often expired workshops are looked for, unless configured otherwise. */
export const DEFAULT_PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** A wall-clock step larger than this (beyond the time that really passed) is a correction of the clock. */
export const CLOCK_STEP_MS = 2 * 60 * 1000;

/** How often the clock is looked at for a step between sweeps. */
const CLOCK_LOOK_MS = 30_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export class WorkshopEraser {
  #sweep: Promise<number> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #clockTimer: NodeJS.Timeout | undefined;
  /** Workshops this process created: when (monotonic ms) and for how long they are to be kept. */
  readonly #createdHere = new Map<string, { at: number; retentionMs: number }>();
  /** How far the wall clock had been stepped since start-up when last looked at. */
  #stepped: number;
  /** Shifting dates after a step, once at a time: a creation and a sweep may both notice it. */
  #following: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly deps: {
      store: RetentionStore & Pick<WorkshopStore, 'getWorkshop'>;
      rooms: RoomRegistry;
      docs: DocRegistry;
      tickets: Tickets;
      log: Logger;
      /** Retention is measured by its wall clock; steps are told by its monotonic one (server/ServerClock.ts). */
      clock: ServerClock;
      /** Several nodes: tells the others, which close the workshop's room and documents too. */
      erasedElsewhere?: (workshopId: string) => void;
      /** Finishes the erasure of ended workshops that a refused write or a stop left unfinished (WorkshopEnding). */
      finishEndings?: () => Promise<number>;
    },
  ) {
    this.#stepped = deps.clock.steppedBy();
  }

  /**
   * A workshop is about to be stored, stamped by the wall clock as it is now. Registered before it is stored,
   * so that a step noticed meanwhile moves its dates too; never fails (a shift that failed is logged).
   */
  async created(workshopId: string, retentionDays: number): Promise<void> {
    await this.#followClock();
    this.#createdHere.set(workshopId, { at: this.deps.clock.sinceBoot(), retentionMs: retentionDays * DAY_MS });
  }

  /**
   * Notices a step of the wall clock since the last look and moves the dates of the workshops created here by
   * it; resolves with the step (0 if none).
   */
  #followClock(): Promise<number> {
    this.#following = this.#following.then(async () => {
      const stepped = this.deps.clock.steppedBy();
      const step = stepped - this.#stepped;
      if (Math.abs(step) <= CLOCK_STEP_MS) return 0;
      try {
        if (this.#createdHere.size > 0) await this.deps.store.shiftWorkshopDates([...this.#createdHere.keys()], step);
      } catch (error) {
        // Not shifted (a full disk): tried again at the next look, and this sweep deletes nothing meanwhile.
        this.deps.log.error('the wall clock was stepped, and the retention of new workshops could not follow it yet', { error: String(error) });
        return step;
      }
      this.#stepped = stepped;
      this.deps.log.warn('the wall clock was stepped: retention of the workshops created since start-up moved with it', { minutes: Math.round(step / 60_000) });
      return step;
    });
    return this.#following;
  }

  /** Created here and kept for less than its retention by the monotonic clock: not to be deleted yet. */
  #tooYoung(workshopId: string): boolean {
    const created = this.#createdHere.get(workshopId);
    if (!created) return false;
    if (this.deps.clock.sinceBoot() - created.at < created.retentionMs) return true;
    this.#createdHere.delete(workshopId);
    return false;
  }

  /** Erases one workshop and everything it stored; false if there was no such workshop. */
  async erase(workshopId: string): Promise<boolean> {
    const { store, rooms, docs, tickets } = this.deps;
    const existed = await store.deleteWorkshop(workshopId);
    this.#createdHere.delete(workshopId);
    tickets.revokeWorkshop(workshopId);
    await rooms.close(workshopId);
    await docs.closeWorkshop(workshopId);
    this.deps.erasedElsewhere?.(workshopId);
    return existed;
  }

  /**
   * Erases every workshop whose retention period is over; resolves with how many. A sweep asked for while one
   * runs joins it. Failures are logged, never thrown: the next sweep tries again.
   */
  purgeExpired(): Promise<number> {
    this.#sweep ??= (async () => {
      let erased = 0;
      await this.deps.finishEndings?.();
      try {
        // A clock stepped since the last sweep: nothing is deleted by this one (a clock that jumped once may
        // jump back before the next).
        if ((await this.#followClock()) !== 0) {
          this.deps.log.warn('retention sweep skipped: the wall clock was stepped since the last one');
          return 0;
        }
        // Deleted by another process (`npm run admin -- delete`): what is still open of it here closes now.
        for (const id of this.deps.rooms.liveIds()) if (!(await this.deps.store.getWorkshop(id))) await this.erase(id);
        for (const id of await this.deps.store.expiredWorkshopIds(this.deps.clock.wall())) {
          if (!this.#tooYoung(id) && (await this.erase(id))) erased++;
        }
        // No ids in the log: the line would outlive what it is about.
        if (erased > 0) this.deps.log.info('expired workshops deleted', { count: erased });
      } catch (error) {
        this.deps.log.error('could not delete expired workshops', { error: String(error) });
      }
      return erased;
    })().finally(() => (this.#sweep = undefined));
    return this.#sweep;
  }

  /**
   * Sweeps every `intervalMs` until `stop()`, and looks at the clock more often: a step must be followed before
   * the server stops, or the next start's sweep would take the old dates for expired ones.
   */
  start(intervalMs: number): void {
    clearInterval(this.#timer);
    clearInterval(this.#clockTimer);
    this.#timer = setInterval(() => void this.purgeExpired(), intervalMs).unref();
    this.#clockTimer = setInterval(() => void this.#followClock(), Math.min(intervalMs, CLOCK_LOOK_MS)).unref();
  }

  /** Stops the periodic sweeps, follows a last clock step, and waits for a sweep under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#clockTimer);
    this.#timer = undefined;
    await this.#followClock();
    await this.#sweep;
  }
}
