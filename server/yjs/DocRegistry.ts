/**
 * The Yjs documents live on this server, loaded from the store on first use (concurrent loads share one
 * promise) and unloaded — flushed and compacted — a while after their last connection closes.
 */
import type { Role } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import { SharedDoc } from './SharedDoc.js';

/** How long a document without connections stays in memory (server writes keep it warm meanwhile). */
const IDLE_UNLOAD_MS = 30_000;

export class DocRegistry {
  readonly #docs = new Map<string, SharedDoc>();
  readonly #loading = new Map<string, Promise<SharedDoc>>();
  readonly #idleTimers = new Map<string, NodeJS.Timeout>();

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
    await doc.flush();
    await doc.compact();
    doc.destroy();
  }

  /** Keeps a document in memory a while longer after a server-side write. */
  touch(doc: SharedDoc): void {
    if (doc.connectionCount === 0) this.#scheduleUnload(doc.key, doc);
  }

  /** Closes the Yjs connections of everyone holding `role` in a workshop. */
  disconnectRole(workshopId: string, role: Role): void {
    for (const [key, doc] of this.#docs) if (key.startsWith(`${workshopId}/`)) doc.disconnectRole(role);
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
