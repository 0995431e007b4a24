/**
 * Deletes workshops: at once when the lead facilitator asks, and automatically once their retention period
 * is over (a sweep at start-up, then periodically). The store erases first, so nothing can be written for the
 * workshop afterwards (every row needs the workshop's row); then its live room and Yjs documents are closed
 * without writing anything back, and their clients are told the workshop no longer exists.
 */
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import type { RoomRegistry } from './RoomRegistry.js';

/** How often expired workshops are looked for, unless configured otherwise. */
export const DEFAULT_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export class WorkshopEraser {
  #sweep: Promise<number> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      rooms: RoomRegistry;
      docs: DocRegistry;
      tickets: Tickets;
      log: Logger;
      /** The clock retention is measured with (injectable for tests). */
      now: () => number;
      /** Several nodes: tells the others, which close the workshop's room and documents too. */
      erasedElsewhere?: (workshopId: string) => void;
    },
  ) {}

  /** Erases one workshop and everything it stored; false if there was no such workshop. */
  async erase(workshopId: string): Promise<boolean> {
    const { store, rooms, docs, tickets } = this.deps;
    const existed = await store.deleteWorkshop(workshopId);
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
      try {
        for (const id of await this.deps.store.expiredWorkshopIds(this.deps.now())) if (await this.erase(id)) erased++;
        // No ids in the log: the line would outlive what it is about.
        if (erased > 0) this.deps.log.info('expired workshops deleted', { count: erased });
      } catch (error) {
        this.deps.log.error('could not delete expired workshops', { error: String(error) });
      }
      return erased;
    })().finally(() => (this.#sweep = undefined));
    return this.#sweep;
  }

  /** Sweeps every `intervalMs` until `stop()`. */
  start(intervalMs: number): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.purgeExpired(), intervalMs).unref();
  }

  /** Stops the periodic sweeps and waits for one under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweep;
  }
}
