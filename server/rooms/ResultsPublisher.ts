/**
 * When results may go out. Everyone is answered from the last publication, never from a live count, and a
 * new count is published only once at least k different people have changed their ballot since the last
 * one — so comparing two publications never isolates one person's choice. Publications are also batched:
 * at most one per interval per box.
 */
export class ResultsPublisher<T> {
  readonly #published = new Map<string, T>();
  /** Voter tags (memory only) that changed a ballot since the last publication, per box. */
  readonly #changedSince = new Map<string, Set<string>>();
  readonly #timers = new Map<string, { timer: NodeJS.Timeout; recount: boolean }>();

  constructor(
    private readonly options: {
      threshold: number;
      intervalMs: number;
      count: (key: string) => Promise<T>;
      /**
       * What to answer before anything was published (a new vote, or a server just restarted): never a
       * fresh count, which could differ from the last publication by fewer than k changes.
       */
      initial: (key: string) => Promise<T>;
      emit: (key: string, snapshot: T) => void;
      /** Runs a task in the owner's queue, so counting never interleaves with voting. */
      serialise: <R>(task: () => Promise<R>) => Promise<R>;
      onError: (key: string, error: unknown) => void;
    },
  ) {}

  /** The last publication, or the initial answer if there is none yet. */
  async snapshot(key: string): Promise<T> {
    let snapshot = this.#published.get(key);
    if (snapshot === undefined) this.#published.set(key, (snapshot = await this.options.initial(key)));
    return snapshot;
  }

  /** Replaces the publication without counting (an item left the board): sent at the next tick. */
  amend(key: string, change: (snapshot: T) => T): void {
    const snapshot = this.#published.get(key);
    if (snapshot !== undefined) this.#published.set(key, change(snapshot));
    this.republish(key);
  }

  /** Counts a person's change (call only when their answer really changed). */
  noteChange(key: string, voterTag: string): void {
    const changed = this.#changedSince.get(key) ?? new Set<string>();
    changed.add(voterTag);
    this.#changedSince.set(key, changed);
    if (changed.size >= this.options.threshold) this.#schedule(key, true);
  }

  /** Sends the current publication again (its audience changed), without counting anew. */
  republish(key: string): void {
    this.#schedule(key, false);
  }

  /** Counts now and publishes: the vote is over, the final count is everyone's. Call inside the queue. */
  async final(key: string): Promise<T> {
    const snapshot = await this.options.count(key);
    this.#published.set(key, snapshot);
    this.#changedSince.delete(key);
    this.republish(key);
    return snapshot;
  }

  #schedule(key: string, recount: boolean): void {
    const pending = this.#timers.get(key);
    if (pending && (pending.recount || !recount)) return;
    clearTimeout(pending?.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.options
        .serialise(async () => {
          if (recount) {
            this.#published.set(key, await this.options.count(key));
            this.#changedSince.delete(key);
          }
          this.options.emit(key, await this.snapshot(key));
        })
        .catch((error) => this.options.onError(key, error));
    }, this.options.intervalMs);
    this.#timers.set(key, { timer, recount });
  }

  forget(key: string): void {
    clearTimeout(this.#timers.get(key)?.timer);
    this.#timers.delete(key);
    this.#published.delete(key);
    this.#changedSince.delete(key);
  }

  dispose(): void {
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
