/**
 * Runs requests of one kind in batches inside a room's serialised queue: whatever arrived while the queue was
 * busy is handled by a single task. A burst of votes then costs one store transaction instead of one each, and
 * still never overlaps a change of state — a poll closing waits for the batch queued before it, and a vote that
 * arrives after the close is handled after it (and refused).
 */
export class SerialBatches<T, R> {
  #pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  /** Set while a batch is collecting, not yet in the queue: what must run after it waits here. */
  #after: (() => void)[] | undefined;

  constructor(
    private readonly serialise: <U>(task: () => Promise<U>) => Promise<U>,
    private readonly run: (items: T[]) => Promise<R[]>,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      // After the event loop has read every message that is already waiting (setImmediate runs after I/O):
      // a burst of votes from many phones lands in one batch instead of one batch each.
      if (this.#pending.length === 1) {
        this.#after = [];
        setImmediate(() => {
          const after = this.#after ?? [];
          this.#after = undefined;
          void this.serialise(() => this.#flush());
          for (const queue of after) queue();
        });
      }
    });
  }

  /**
   * Runs `task` in the serialised queue after every item added so far: a read that must see them (a phone
   * sends its answer, then asks what its answer is — the batch would otherwise be queued after the question).
   */
  after<U>(task: () => Promise<U>): Promise<U> {
    const after = this.#after;
    if (!after) return this.serialise(task);
    return new Promise((resolve, reject) => after.push(() => void this.serialise(task).then(resolve, reject)));
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }
}
