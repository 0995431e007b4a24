/**
 * Runs requests of one kind in batches inside a room's serialised queue: whatever arrived while the queue was
 * busy is handled by a single task. A burst of votes then costs one store transaction instead of one each, and
 * still never overlaps a change of state — a poll closing waits for the batch queued before it, and a vote that
 * arrives after the close is handled after it (and refused).
 */
export class SerialBatches<T, R> {
  #pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly serialise: (task: () => Promise<void>) => Promise<void>,
    private readonly run: (items: T[]) => Promise<R[]>,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      // After the event loop has read every message that is already waiting (setImmediate runs after I/O):
      // a burst of votes from many phones lands in one batch instead of one batch each.
      if (this.#pending.length === 1) setImmediate(() => void this.serialise(() => this.#flush()));
    });
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
