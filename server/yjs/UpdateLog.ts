/**
 * A document's stored update log, written in order through one queue: appends, and the compactions that
 * replace the log with one update holding the current state.
 */
import { YjsCloseCode } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { storageFault } from '../store/storageFault.js';

export type DocPersistence = {
  append(update: Uint8Array): Promise<number>;
  compact(state: Uint8Array, throughSeq: number): Promise<void>;
};

/** Compact the stored update log once this many updates have been appended since the last compaction. */
const COMPACT_AFTER = 200;
/** A compaction the store refused (a full disk) is tried again this often until it succeeds. */
const COMPACT_RETRY_MS = 30_000;

/** How the connections of a copy that could not be stored are closed: clients wait, then resync. */
export function closeFor(error: unknown): { code: number; reason: string } {
  return storageFault(error)
    ? { code: YjsCloseCode.storageUnavailable, reason: 'the server cannot store changes now' }
    : { code: 1011, reason: 'could not store a change' };
}

export type UpdateLogOptions = {
  key: string;
  /** How many updates the log holds already (what the document was loaded from). */
  storedCount: number;
  persistence: DocPersistence;
  log: Logger;
  /** The document's whole state, for a compaction. */
  state: () => Uint8Array;
  /** A write failed: the copy holds what the store does not. */
  onFailure: (close: { code: number; reason: string }) => void;
};

export class UpdateLog {
  readonly #key: string;
  readonly #persistence: DocPersistence;
  readonly #log: Logger;
  readonly #state: () => Uint8Array;
  readonly #onFailure: (close: { code: number; reason: string }) => void;
  #persisted: Promise<void> = Promise.resolve();
  #failed = false;
  #appendedSinceCompaction: number;
  #lastSeq = 0;
  #compactionRetry: NodeJS.Timeout | undefined;
  /** Set by `destroy()`: a compaction queued or retried after it must not write the document back. */
  #destroyed = false;

  constructor(options: UpdateLogOptions) {
    this.#key = options.key;
    this.#persistence = options.persistence;
    this.#log = options.log;
    this.#state = options.state;
    this.#onFailure = options.onFailure;
    this.#appendedSinceCompaction = options.storedCount;
    // A log of several updates may still hold what a compaction refused before a restart (a hidden note's
    // text): it is compacted like any other. Every append to it goes through this copy's queue (several nodes
    // merge under a lock instead), so "through the last stored update" is everything stored.
    if (options.storedCount > 1) this.#lastSeq = Number.MAX_SAFE_INTEGER;
  }

  /** Set once a write failed, for good. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Resolves once every step queued so far is done; rejects if one failed. */
  flush(): Promise<void> {
    return this.#persisted;
  }

  /**
   * Runs `step` after every write queued before it. A failed step means this copy holds what the store does
   * not: it fails `flush()` for good (see `failed`) and the registry drops the copy.
   */
  enqueue(step: () => Promise<void>): void {
    this.#persisted = this.#persisted.then(step).catch((error) => {
      this.#failed = true;
      this.#log.error('could not store a document update', { doc: this.#key, error: String(error) });
      this.#onFailure(closeFor(error));
      throw error;
    });
    this.#persisted.catch(() => undefined); // reported above; awaiting callers see the rejection
  }

  /** Appends one update; call from a queued step, then `appended()` once it is relayed. */
  async append(update: Uint8Array): Promise<void> {
    this.#lastSeq = await this.#persistence.append(update);
  }

  /** Counts an append, and compacts once enough have been made. */
  async appended(): Promise<void> {
    if (++this.#appendedSinceCompaction >= COMPACT_AFTER) await this.#compactNow();
  }

  /** Queues a compaction; resolves once it and every write before it are done. */
  compact(): Promise<void> {
    this.enqueue(() => this.#compactNow());
    return this.#persisted;
  }

  /** A compaction was refused and is tried again until it succeeds: the stored log still holds old content. */
  get compactionOwed(): boolean {
    return this.#compactionRetry !== undefined;
  }

  async #compactNow(): Promise<void> {
    if (this.#destroyed || this.#lastSeq === 0 || this.#appendedSinceCompaction === 0) return;
    try {
      await this.#persistence.compact(this.#state(), this.#lastSeq);
    } catch (error) {
      this.#log.warn('could not compact a document; will try again', { doc: this.#key, error: String(error) });
      if (this.#destroyed) return;
      this.#compactionRetry ??= setInterval(() => this.enqueue(() => this.#compactNow()), COMPACT_RETRY_MS).unref();
      return;
    }
    this.#appendedSinceCompaction = 0;
    clearInterval(this.#compactionRetry);
    this.#compactionRetry = undefined;
  }

  /** Stops retrying; nothing queued from then on writes the document back. */
  destroy(): void {
    this.#destroyed = true;
    clearInterval(this.#compactionRetry);
  }
}
