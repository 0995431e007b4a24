/**
 * Store work owed after a committed agenda change: what follows a stored change (sealing a closed box,
 * keeping a result, erasing a removed activity) and that the store refused (a full disk) is kept, in order,
 * and tried again in the room's queue until the store takes it, while the room is live.
 */
import type { Logger } from '../log.js';
import { storageFault } from '../store/storageFault.js';

/** Owed steps are tried again this often. */
const OWED_RETRY_MS = 30_000;

export class OwedWork {
  readonly #owed = new Set<() => Promise<void>>();
  #retry: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { workshopId: string; log: Logger; serialise: (task: () => Promise<void>) => Promise<void> }) {}

  /** Runs the work that follows a stored change, or owes it if the store refuses. Call in the room's queue. */
  async run(step: () => Promise<void>): Promise<void> {
    const { workshopId, log } = this.deps;
    try {
      await step();
    } catch (error) {
      if (!storageFault(error)) {
        // Not the disk: retrying would fail the same way. The change itself is stored, so it still goes out.
        log.error('an agenda change is stored but what follows it failed', { workshopId, error: String(error) });
        return;
      }
      log.warn('an agenda change is stored but what follows it is not yet; trying again', { workshopId, error: String(error) });
      this.#owed.add(step);
      this.#retry ??= setInterval(() => void this.deps.serialise(() => this.pay()), OWED_RETRY_MS).unref();
    }
  }

  /** Tries the owed steps again, in order; stops at the first refusal. Call in the room's queue. */
  async pay(): Promise<void> {
    for (const step of this.#owed) {
      try {
        await step();
      } catch {
        return;
      }
      this.#owed.delete(step);
    }
    this.stop();
  }

  /** Whether some store work is still owed (ending a workshop waits until nothing is). */
  get owes(): boolean {
    return this.#owed.size > 0;
  }

  /** The workshop is erased: nothing of it is owed any more. */
  forgive(): void {
    this.#owed.clear();
  }

  /** Stops retrying (the room is freed); what is owed is not forgotten until `forgive`. */
  stop(): void {
    clearInterval(this.#retry);
    this.#retry = undefined;
  }
}
