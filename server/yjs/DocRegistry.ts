/**
 * The Yjs documents live on this server, loaded from the store on first use (concurrent loads share one
 * promise) and unloaded — flushed and compacted — a while after their last connection closes.
 */
import { YjsCloseCode } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { canMergeDocUpdates, type DocStore } from '../store/Store.js';
import * as Y from 'yjs';
import { SharedDoc, type DocPeer } from './SharedDoc.js';
import type { Holder } from './TicketBook.js';

/** How long a document without connections stays in memory (server writes keep it warm meanwhile). */
const IDLE_UNLOAD_MS = 30_000;

export class DocRegistry {
  readonly #docs = new Map<string, SharedDoc>();
  readonly #loading = new Map<string, Promise<SharedDoc>>();
  readonly #idleTimers = new Map<string, NodeJS.Timeout>();
  /** Documents being written out: a new load waits for it, so it reads the final state. */
  readonly #unloading = new Map<string, Promise<void>>();

  /**
   * `peers` (several nodes): each document's Redis channel, opened before the document is read from the
   * store, so that nothing another node publishes meanwhile is missed (updates apply twice harmlessly).
   */
  constructor(private readonly deps: { store: DocStore; log: Logger; peers?: DocPeers }) {
    if (deps.peers && !canMergeDocUpdates(deps.store)) throw new Error('several nodes need a store that can merge document logs (PostgreSQL)');
  }

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
    let early: [kind: 'update' | 'awareness', data: Uint8Array][] | undefined = [];
    let doc: SharedDoc | undefined;
    const peer = await this.deps.peers?.open(key, (kind, data) => (doc ? doc.applyPeer(kind, data) : early?.push([kind, data])));
    let stored: Uint8Array[];
    try {
      stored = await store.loadDocUpdates(workshopId, docName);
    } catch (error) {
      peer?.close();
      throw error;
    }
    const merge = canMergeDocUpdates(store) ? store.mergeDocUpdates.bind(store) : undefined;
    const live: SharedDoc = new SharedDoc({
      key,
      stored,
      persistence: {
        append: (update) => store.appendDocUpdate(workshopId, docName, update),
        // With other nodes appending too, the log is merged under the document's lock (see mergeDocUpdates).
        compact: (state, throughSeq) =>
          peer && merge ? merge(workshopId, docName, (all) => mergedState(state, all)) : store.compactDocUpdates(workshopId, docName, state, throughSeq),
      },
      log,
      onIdle: () => this.#scheduleUnload(key, live),
      onFailure: (close) => this.#evict(key, live, close),
      peer,
    });
    doc = live;
    for (const [kind, data] of early) live.applyPeer(kind, data);
    early = undefined;
    this.#docs.set(key, live);
    this.#scheduleUnload(key, live);
    return live;
  }

  /** Unloads `doc` after a quiet period unless someone connects meanwhile. */
  #scheduleUnload(key: string, doc: SharedDoc): void {
    clearTimeout(this.#idleTimers.get(key));
    this.#idleTimers.set(key, setTimeout(() => void this.#unloadIdle(key, doc), IDLE_UNLOAD_MS).unref());
  }

  /**
   * Unloads a document nobody uses. One whose compaction is owed (the store refused it) stays in memory,
   * retrying, until its log no longer holds what was deleted from it.
   */
  async #unloadIdle(key: string, doc: SharedDoc): Promise<void> {
    this.#idleTimers.delete(key);
    if (doc.connectionCount > 0 || this.#docs.get(key) !== doc) return;
    await doc.compact().catch(() => undefined);
    if (doc.connectionCount > 0 || this.#docs.get(key) !== doc) return;
    if (doc.compactionOwed && !doc.failed) return this.#scheduleUnload(key, doc);
    this.#docs.delete(key);
    void this.#unload(doc);
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

  /**
   * A copy whose write failed may hold what the store does not: drop it. Its clients are told why (4507 for a
   * full or failing disk), wait, and resync from the store.
   */
  #evict(key: string, doc: SharedDoc, close: { code: number; reason: string }): void {
    if (this.#docs.get(key) !== doc) return;
    this.#docs.delete(key);
    clearTimeout(this.#idleTimers.get(key));
    this.#idleTimers.delete(key);
    doc.destroy(close);
  }

  /** The workshops with a document in memory here. */
  workshopIds(): Set<string> {
    return new Set([...this.#docs.keys()].map((key) => key.slice(0, key.indexOf('/'))));
  }

  /**
   * Several nodes, after a gap in the link to the others: every document in memory reads its stored log
   * again, so what another node stored but could not publish meanwhile reaches this node's clients.
   */
  async catchUp(): Promise<void> {
    await Promise.all(
      [...this.#docs].map(async ([key, doc]) => {
        const slash = key.indexOf('/');
        try {
          const stored = await this.deps.store.loadDocUpdates(key.slice(0, slash), key.slice(slash + 1));
          if (this.#docs.get(key) === doc) doc.catchUp(stored);
        } catch (error) {
          this.deps.log.warn('could not catch up a document', { error: String(error) });
        }
      }),
    );
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
   * closes their connections with 4404 (the workshop no longer exists). `flush`: a workshop that ended, whose
   * documents are kept: what they still hold unwritten is written first.
   */
  async closeWorkshop(workshopId: string, options: { flush?: boolean } = {}): Promise<void> {
    const prefix = `${workshopId}/`;
    // A load under way finishes first, so its document is dropped here too rather than left behind.
    await Promise.all([...this.#loading].filter(([key]) => key.startsWith(prefix)).map(([, loading]) => loading.catch(() => undefined)));
    for (const [key, doc] of this.#docs) {
      if (!key.startsWith(prefix)) continue;
      this.#docs.delete(key);
      clearTimeout(this.#idleTimers.get(key));
      this.#idleTimers.delete(key);
      if (options.flush) await doc.flush();
      doc.destroy({ code: YjsCloseCode.notFound, reason: options.flush ? 'workshop ended' : 'workshop deleted' });
    }
  }

  /** Closes a holder's Yjs connections in a workshop (access withdrawn), on every node. */
  disconnect(workshopId: string, holder: Holder): void {
    this.disconnectHere(workshopId, holder);
    this.deps.peers?.disconnectElsewhere(workshopId, holder);
  }

  /** Closes a holder's Yjs connections in a workshop on this node only. */
  disconnectHere(workshopId: string, holder: Holder): void {
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

/** Several nodes: the Redis side of the documents (server/scale/DocChannels.ts). */
export type DocPeers = {
  open(key: string, receive: (kind: 'update' | 'awareness', data: Uint8Array) => void): Promise<DocPeer>;
  disconnectElsewhere(workshopId: string, holder: Holder): void;
};

/** One update holding `state` and everything stored: what another node appended is kept, deletions stay deleted. */
function mergedState(state: Uint8Array, stored: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  try {
    Y.transact(doc, () => [state, ...stored].forEach((update) => Y.applyUpdate(doc, update)));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
