/**
 * PostgreSQL's counterpart of SQLite's `secure_delete`: a deleted row stays in its table's file as a dead
 * tuple until VACUUM. Two strengths:
 * - `rewrite` (`VACUUM (FULL)`): copies the table's live rows and rebuilds its indexes into new files; the old
 *   files are truncated to zero length at commit and unlinked at the next checkpoint. Afterwards no table or index
 *   file holds a deleted row. It locks the table against all reads and writes while it copies, so it is kept
 *   for rare events (sealing a box, deleting an activity or a workshop) and for small tables.
 * - `tidy` (plain `VACUUM`): frees dead tuples for reuse without locking out writers, but a freed tuple's bytes
 *   may stay in the page until the space is reused. Used after Yjs log compaction, which is frequent.
 *
 * Requests for the same table and strength are merged: one that arrives while a VACUUM of the table is running
 * waits for the next one (the running one may have started before the caller's delete committed), and every
 * request that arrives before that next one starts shares it.
 */
import type pg from 'pg';

export type ScrubStrength = 'rewrite' | 'tidy';

const WARNING = '01000';
/** How long a scrub owed after a committed deletion waits before it is tried again. */
export const SCRUB_RETRY_MS = 30_000;

/** What this class reads of a server notice (pg's NoticeMessage). */
type Notice = { code?: string; message?: string };

export class TableScrubber {
  readonly #pool: pg.Pool;
  /** Per table and strength: the run not yet started, which new requests join. */
  readonly #queued = new Map<string, Promise<void>>();
  /** Per table and strength: the run under way, which the queued one waits for. */
  readonly #running = new Map<string, Promise<void>>();
  /** Scrubs owed and waiting to be tried again, one per table and strength. */
  readonly #retries = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  constructor(
    pool: pg.Pool,
    private readonly onRetry: (error: unknown) => void = () => undefined,
  ) {
    this.#pool = pool;
  }

  /**
   * The scrub a committed deletion owes. Its failure (a full disk, a lost connection) is not the deletion's:
   * what was committed stays committed and is answered as done — a caller told "failed" would act as if
   * nothing had happened — and the scrub is tried again every SCRUB_RETRY_MS until it succeeds. Resolves once
   * the first attempt has ended, whatever its outcome.
   */
  async owe(tables: Iterable<string>, strength: ScrubStrength): Promise<void> {
    const list = [...tables];
    try {
      await this.scrub(list, strength);
    } catch (error) {
      this.onRetry(error);
      const key = `${strength} ${list.join(',')}`;
      if (this.#stopped || this.#retries.has(key)) return;
      const retry = setTimeout(() => {
        this.#retries.delete(key);
        void this.owe(list, strength);
      }, SCRUB_RETRY_MS);
      retry.unref();
      this.#retries.set(key, retry);
    }
  }

  /** Resolves once a VACUUM of each table that started after this call has finished. */
  async scrub(tables: Iterable<string>, strength: ScrubStrength): Promise<void> {
    await Promise.all([...new Set(tables)].map((table) => this.#request(table, strength)));
  }

  #request(table: string, strength: ScrubStrength): Promise<void> {
    const key = `${strength} ${table}`;
    const queued = this.#queued.get(key);
    if (queued) return queued;
    const previous = this.#running.get(key) ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => undefined)
      .then(async () => {
        this.#queued.delete(key);
        this.#running.set(key, run);
        try {
          await this.vacuumNow([table], strength);
        } finally {
          if (this.#running.get(key) === run) this.#running.delete(key);
        }
      });
    this.#queued.set(key, run);
    return run;
  }

  /**
   * Runs one VACUUM of `tables` at once, without merging. PostgreSQL answers a VACUUM it may not run (the role
   * does not own the table) with a warning, not an error: that becomes an error here, since the deletion it was
   * to complete would silently stay incomplete.
   */
  async vacuumNow(tables: readonly string[], strength: ScrubStrength): Promise<void> {
    const client = await this.#pool.connect();
    let refused: Notice | undefined;
    // "skipping "t" --- only table or database owner can vacuum it" (15), "permission denied to vacuum "t",
    // skipping it" (16+): a plain warning (SQLSTATE 01000) naming the table; messages may be translated.
    const listen = (notice: Notice) => {
      if (notice.code === WARNING && tables.some((table) => notice.message?.includes(`"${table}"`))) refused = notice;
    };
    client.on('notice', listen);
    try {
      // Table names come from the store's own constants, never from input.
      await client.query(`VACUUM ${strength === 'rewrite' ? '(FULL) ' : ''}${tables.join(', ')}`);
    } finally {
      client.off('notice', listen);
      client.release();
    }
    if (refused) {
      throw new Error(`PostgreSQL refused to VACUUM (${refused.message}): the role in DATABASE_URL must own Roundtable's tables`);
    }
  }

  /** Waits for every VACUUM under way or queued, and drops the retries (before the pool closes). */
  async settle(): Promise<void> {
    this.#stopped = true;
    for (const retry of this.#retries.values()) clearTimeout(retry);
    this.#retries.clear();
    await Promise.allSettled([...this.#queued.values(), ...this.#running.values()]);
  }
}
