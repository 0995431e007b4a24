/**
 * The Yjs documents live on this server, loaded from the store on first use (concurrent loads share one
 * promise) and unloaded — flushed and compacted — a while after their last connection closes.
 */
import { YjsCloseCode } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import { SharedDoc } from './SharedDoc.js';
import type { Holder } from './TicketBook.js';

/** How long a document without connections stays in memory (server writes keep it warm meanwhile). */
const IDLE_UNLOAD_MS = 30_000;

export class DocRegistry {
  readonly #docs = new Map<string, SharedDoc>();
  readonly #loading = new Map<string, Promise<SharedDoc>>();
  readonly #idleTimers = new Map<string, NodeJS.Timeout>();
  /** Documents being written out: a new load waits for it, so it reads the final state. */
  readonly #unloading = new Map<string, Promise<void>>();

  constructor(private readonly deps: { store: Store; log: Logger }) {}

  /** The document `docName` of a workshop, loaded if needed. */
  get(workshopId: string, docName: string): Promise<SharedDoc> {
    const key = `${workshopId}/${docName}`;
    const live = this.#docs.get(key);
    if (live) return Promise.resolve(live);
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(workshopId, docName, key).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #load(workshopId: string, docName: string, key: string): Promise<SharedDoc> {
    const { store, log } = this.deps;
    await this.#unloading.get(key);
    const stored = await store.loadDocUpdates(workshopId, docName);
    const doc: SharedDoc = new SharedDoc(
      key,
      stored,
      {
        append: (update) => store.appendDocUpdate(workshopId, docName, update),
        compact: (state, throughSeq) => store.compactDocUpdates(workshopId, docName, state, throughSeq),
      },
      log,
      () => this.#scheduleUnload(key, doc),
      () => this.#evict(key, doc),
    );
    this.#docs.set(key, doc);
    this.#scheduleUnload(key, doc);
    return doc;
  }

  /** Unloads `doc` after a quiet period unless someone connects meanwhile. */
  #scheduleUnload(key: string, doc: SharedDoc): void {
    clearTimeout(this.#idleTimers.get(key));
    this.#idleTimers.set(
      key,
      setTimeout(() => {
        this.#idleTimers.delete(key);
        if (doc.connectionCount > 0) return;
        this.#docs.delete(key);
        void this.#unload(doc);
      }, IDLE_UNLOAD_MS).unref(),
    );
  }

  async #unload(doc: SharedDoc): Promise<void> {
    const unloading = (async () => {
      await doc.compact().catch(() => undefined); // a failed write was logged; what is stored stays
      doc.destroy();
    })();
    this.#unloading.set(doc.key, unloading);
    await unloading;
    if (this.#unloading.get(doc.key) === unloading) this.#unloading.delete(doc.key);
  }

  /** A copy whose write failed may hold what the store does not: drop it, clients resync from the store. */
  #evict(key: string, doc: SharedDoc): void {
    if (this.#docs.get(key) !== doc) return;
    this.#docs.delete(key);
    clearTimeout(this.#idleTimers.get(key));
    this.#idleTimers.delete(key);
    doc.destroy();
  }

  /** Keeps a document in memory a while longer after a server-side write. */
  touch(doc: SharedDoc): void {
    if (doc.connectionCount === 0) this.#scheduleUnload(doc.key, doc);
  }

  /** Closes a document and deletes it from the store (its activity was removed). */
  async forget(workshopId: string, docName: string): Promise<void> {
    const key = `${workshopId}/${docName}`;
    const doc = this.#docs.get(key);
    if (doc) {
      this.#docs.delete(key);
      await doc.flush().catch(() => undefined);
      doc.destroy();
    }
    await this.deps.store.deleteDoc(workshopId, docName);
  }

  /**
   * Drops every document of a workshop that was erased from the store, without writing anything back, and
   * closes their connections with 4404 (the workshop no longer exists).
   */
  async closeWorkshop(workshopId: string): Promise<void> {
    const prefix = `${workshopId}/`;
    // A load under way finishes first, so its document is dropped here too rather than left behind.
    await Promise.all([...this.#loading].filter(([key]) => key.startsWith(prefix)).map(([, loading]) => loading.catch(() => undefined)));
    for (const [key, doc] of this.#docs) {
      if (!key.startsWith(prefix)) continue;
      this.#docs.delete(key);
      clearTimeout(this.#idleTimers.get(key));
      this.#idleTimers.delete(key);
      doc.destroy({ code: YjsCloseCode.notFound, reason: 'workshop deleted' });
    }
  }

  /** Closes a holder's Yjs connections in a workshop (access withdrawn). */
  disconnect(workshopId: string, holder: Holder): void {
    for (const [key, doc] of this.#docs) if (key.startsWith(`${workshopId}/`)) doc.disconnect(holder);
  }

  /** Flushes and closes every document: for shutdown. */
  async closeAll(): Promise<void> {
    for (const timer of this.#idleTimers.values()) clearTimeout(timer);
    this.#idleTimers.clear();
    const docs = [...this.#docs.values()];
    this.#docs.clear();
    await Promise.all(docs.map((doc) => this.#unload(doc)));
  }
}
