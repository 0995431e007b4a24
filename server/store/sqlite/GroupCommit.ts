import type Database from 'better-sqlite3';

type PendingWrite = { write: () => unknown; resolve: (result: never) => void; reject: (error: unknown) => void };

/**
 * Group commit for the writes that come in bursts (ballots, joins, document updates): those asked for in
 * the same turn of the event loop share one transaction, so one sync to disk serves them all, and each is
 * still durable before its promise resolves. Each runs in its own savepoint: one failing fails alone,
 * unless SQLite rolled the whole transaction back (a full disk), when all of them fail with that error.
 */
export class GroupCommit {
  readonly #db: Database.Database;
  #writes: PendingWrite[] = [];

  constructor(db: Database.Database) {
    this.#db = db;
  }

  write<T>(write: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#writes.push({ write, resolve: resolve as (result: never) => void, reject });
      if (this.#writes.length === 1) setImmediate(() => this.commit());
    });
  }

  /** Commits the writes asked for so far (at once, before the database closes). */
  commit(): void {
    const batch = this.#writes;
    if (batch.length === 0) return; // already written by close()
    this.#writes = [];
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      outcomes = this.#db.transaction(() =>
        batch.map(({ write }) => {
          try {
            return { ok: true as const, value: this.#db.transaction(write)() };
          } catch (error) {
            // A full disk or an I/O error can make SQLite roll the whole transaction back by itself: then
            // nothing of the batch is written, and the writes after this one must not run on their own.
            if (!this.#db.inTransaction) throw error;
            return { ok: false as const, error };
          }
        }),
      )();
    } catch (error) {
      for (const b of batch) b.reject(error);
      return;
    }
    batch.forEach((b, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) b.resolve(outcome.value as never);
      else b.reject(outcome.error);
    });
  }
}
