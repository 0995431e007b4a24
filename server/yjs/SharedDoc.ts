/**
 * One Yjs document held in memory by this server, with its WebSocket connections. A thin handler over
 * y-protocols rather than @y/websocket-server, because Roundtable needs two things that one lacks:
 *
 * - **Read-only connections.** Participants' providers may ask for the document (sync step 1) but every
 *   update they send (step 2, update) and their awareness are dropped, so nothing in the document or in
 *   awareness ever carries a participant's Yjs client id (docs/ANONYMITY.md).
 * - **Durable before visible.** Every update is appended to the store before it is relayed to anyone, and
 *   `flush()` lets a Socket.IO handler acknowledge only once its change is on disk. A writer's update is
 *   stored before it is even applied here, so a store that refuses it (a full disk) leaves this copy equal to
 *   what is stored: only that writer is disconnected (4507), and its provider sends the change again when it
 *   reconnects. The server's own writes are applied first; if one cannot be stored the copy is dropped.
 */
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { YjsCloseCode, type Role } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { addsNothing } from './addsNothing.js';
import { AwarenessThrottle } from './AwarenessThrottle.js';
import { awarenessMessage, IncomingMessage, SyncAnswers, updateMessage } from './docMessages.js';
import { sendTo, serveSocket } from './docSocket.js';
import { holds, type Holder } from './TicketBook.js';
import { closeFor, UpdateLog, type DocPersistence } from './UpdateLog.js';

export type { DocPersistence } from './UpdateLog.js';

/** Transaction origin of updates read from the store: already persisted, nobody to tell. */
const FROM_STORE = Symbol('from-store');
/** Transaction origin of the server's own writes (participants' notes go in this way). */
export const SERVER_ORIGIN = Symbol('server');
/** Origin of what another node sent (several nodes): that node stored it already; relay it here only. */
const FROM_PEER = Symbol('from-peer');
/** Origin of a writer's update, applied once it is stored: relay and publish it, do not store it again. */
const STORED_FIRST = Symbol('stored-first');

/** Several nodes: the document's Redis channel. What this node stores is published there, and vice versa. */
export type DocPeer = {
  publish(kind: 'update' | 'awareness', data: Uint8Array): void;
  close(): void;
};
/** Awareness (cursors) goes to other nodes at most this often. */
const PEER_AWARENESS_MS = 100;

export type DocAccess = 'read' | 'write';

export type SharedDocOptions = {
  key: string;
  /** The stored update log, applied before anyone connects. */
  stored: Uint8Array[];
  persistence: DocPersistence;
  log: Logger;
  /** The last connection closed. */
  onIdle: () => void;
  /** A write could not be stored: the registry drops this copy, closing its connections with `close`. */
  onFailure: (close: { code: number; reason: string }) => void;
  peer?: DocPeer;
};

type Connection = { access: DocAccess; role: Role; participantId?: string; awarenessIds: Set<number> };

export class SharedDoc {
  readonly key: string;
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly #connections = new Map<WebSocket, Connection>();
  readonly #updates: UpdateLog;
  readonly #log: Logger;
  readonly #onIdle: () => void;
  readonly #peer: DocPeer | undefined;
  readonly #peerAwareness: AwarenessThrottle | undefined;
  readonly #sync = new SyncAnswers(this.doc);

  constructor(options: SharedDocOptions) {
    const { key, stored, persistence, log, onFailure, peer } = options;
    this.key = key;
    this.#log = log;
    this.#onIdle = options.onIdle;
    this.#peer = peer;
    this.#updates = new UpdateLog({ key, persistence, log, onFailure, storedCount: stored.length, state: () => Y.encodeStateAsUpdate(this.doc) });
    if (peer) {
      const send = (ids: number[]) => peer.publish('awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
      this.#peerAwareness = new AwarenessThrottle({ intervalMs: PEER_AWARENESS_MS, send });
    }
    this.awareness.setLocalState(null);
    Y.transact(this.doc, () => stored.forEach((update) => this.#applyStored(update)), FROM_STORE);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.#sync.forget();
      if (origin === FROM_PEER) this.#relay(update);
      else if (origin === STORED_FIRST) {
        this.#peer?.publish('update', update);
        this.#relay(update);
      } else if (origin !== FROM_STORE) this.#persistThenRelay(update);
    });
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      const entry = this.#connections.get(origin as WebSocket);
      if (entry) {
        added!.forEach((id) => entry.awarenessIds.add(id));
        removed!.forEach((id) => entry.awarenessIds.delete(id));
      }
      const changed = [...added!, ...updated!, ...removed!];
      if (origin !== FROM_PEER) this.#peerAwareness?.add(changed);
      this.#broadcast(awarenessMessage(this.awareness, changed));
    });
  }

  /**
   * A writer's update is stored before it is applied, having decoded whole; one that decodes but still fails
   * to apply must not make the whole document unreadable from then on.
   */
  #applyStored(update: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, update);
    } catch (error) {
      this.#log.warn('skipped a stored document update that does not apply', { doc: this.key, error: String(error) });
    }
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Resolves once every change made so far is in the store; rejects if one could not be stored, so that
   * nothing is acknowledged that is not on disk.
   */
  flush(): Promise<void> {
    return this.#updates.flush();
  }

  /** Set when a write failed: the registry drops this copy, and the next use reloads what is stored. */
  get failed(): boolean {
    return this.#updates.failed;
  }

  #persistThenRelay(update: Uint8Array): void {
    this.#updates.enqueue(async () => {
      await this.#updates.append(update);
      this.#peer?.publish('update', update);
      this.#relay(update);
      await this.#updates.appended();
    });
  }

  /**
   * A writer's update: stored, then applied (which relays it). One that adds nothing (the step 2 every
   * reconnecting writer sends) is not stored. One the store refuses is not applied, and its writer is
   * disconnected so that it stops sending until it can be stored.
   */
  #storeThenApply(ws: WebSocket, update: Uint8Array): void {
    this.#updates.enqueue(async () => {
      if (this.failed || addsNothing(this.doc, update)) return;
      try {
        await this.#updates.append(update);
      } catch (error) {
        this.#log.warn("could not store a writer's update; it stays with the writer", { doc: this.key, error: String(error) });
        const close = closeFor(error);
        ws.close(close.code, close.reason);
        return;
      }
      try {
        Y.applyUpdate(this.doc, update, STORED_FIRST);
      } catch (error) {
        this.#log.warn('a stored writer update does not apply', { doc: this.key, error: String(error) });
        ws.close(1003, 'malformed message');
      }
      await this.#updates.appended();
    });
  }

  /**
   * Replaces the stored log with one update holding the current state, after every write queued so far.
   * Deleted content (a hidden note's text, an overwritten edit) is garbage-collected in memory, so it
   * leaves the store here too. Resolves once every change is stored; a compaction the store refuses is
   * owed (see `compactionOwed`), not a failure of the changes it follows.
   */
  compact(): Promise<void> {
    return this.#updates.compact();
  }

  /** A compaction was refused and is tried again until it succeeds: the stored log still holds old content. */
  get compactionOwed(): boolean {
    return this.#updates.compactionOwed;
  }

  /** Applies what another node stored (an update) or heard from its writers (awareness). */
  applyPeer(kind: 'update' | 'awareness', data: Uint8Array): void {
    try {
      if (kind === 'update') Y.applyUpdate(this.doc, data, FROM_PEER);
      else awarenessProtocol.applyAwarenessUpdate(this.awareness, data, FROM_PEER);
    } catch (error) {
      this.#log.warn('unreadable message from another node', { doc: this.key, error: String(error) });
    }
  }

  /**
   * Several nodes, after this node's link to Redis was cut: applies the stored log again (what is already here
   * changes nothing; what other nodes stored meanwhile is relayed to this node's clients, not stored again).
   * Access withdrawn meanwhile was announced on that link too, so writers whose access can be withdrawn
   * (co-facilitators, drafters) are disconnected: they reconnect with a fresh ticket if they still may.
   */
  catchUp(stored: Uint8Array[]): void {
    try {
      Y.transact(this.doc, () => stored.forEach((update) => Y.applyUpdate(this.doc, update)), FROM_PEER);
    } catch (error) {
      this.#log.warn('could not catch up from the store', { doc: this.key, error: String(error) });
    }
    for (const [ws, entry] of this.#connections) {
      if (entry.access === 'write' && entry.role !== 'facilitator') ws.close(1012, 'catching up');
    }
  }

  /** Serves one WebSocket: sync, updates (from writers only) and awareness (from writers only). */
  attach(ws: WebSocket, grant: { access: DocAccess; role: Role; participantId?: string }): void {
    const { access } = grant;
    this.#connections.set(ws, { access, role: grant.role, participantId: grant.participantId, awarenessIds: new Set() });
    serveSocket(ws, {
      message: (data) => this.#receive(ws, access, data),
      error: (error) => this.#log.warn('Yjs connection error', { doc: this.key, error: String(error) }),
      close: () => this.#detach(ws),
    });

    sendTo(ws, this.#sync.stepOne());
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) sendTo(ws, awarenessMessage(this.awareness, states));
  }

  /** Closes the connections of a holder whose access was withdrawn. */
  disconnect(holder: Holder): void {
    for (const [ws, entry] of this.#connections) if (holds(entry, holder)) ws.close(YjsCloseCode.forbidden, 'access withdrawn');
  }

  #receive(ws: WebSocket, access: DocAccess, data: Uint8Array): void {
    try {
      const message = new IncomingMessage(data);
      if (message.kind === 'syncStep1') {
        sendTo(ws, this.#sync.stepTwo(message.payload()));
      } else if (message.kind === 'update') {
        // A reader's step 2 or update is dropped: it changes nothing for anyone. A writer's is applied here
        // rather than by syncProtocol.readSyncStep2, which would swallow a broken update.
        if (access === 'write') this.#storeWhole(ws, message.payload());
      } else if (message.kind === 'awareness') {
        if (access === 'write') awarenessProtocol.applyAwarenessUpdate(this.awareness, message.payload(), ws);
      } else {
        sendTo(ws, awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
      }
    } catch (error) {
      // A malformed message closes only its own connection.
      this.#log.warn('malformed Yjs message', { doc: this.key, error: String(error) });
      ws.close(1003, 'malformed message');
    }
  }

  /**
   * Takes an update only if all of it reads: Yjs integrates an update's items before it reads its deletions,
   * so a truncated one would otherwise be half applied (and stored, and relayed) before it failed.
   */
  #storeWhole(ws: WebSocket, update: Uint8Array): void {
    Y.decodeUpdate(update);
    this.#storeThenApply(ws, update);
  }

  #detach(ws: WebSocket): void {
    const entry = this.#connections.get(ws);
    if (!entry) return;
    this.#connections.delete(ws);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...entry.awarenessIds], null);
    if (this.#connections.size === 0) this.#onIdle();
  }

  #relay(update: Uint8Array): void {
    this.#broadcast(updateMessage(update));
  }

  #broadcast(message: Uint8Array): void {
    for (const ws of this.#connections.keys()) sendTo(ws, message);
  }

  /**
   * Closes every connection and frees the document. Call after `flush()`, unless the document is being
   * erased. By default clients are told the server is restarting, and reconnect.
   */
  destroy(close: { code: number; reason: string } = { code: 1012, reason: 'server restarting' }): void {
    for (const ws of this.#connections.keys()) ws.close(close.code, close.reason);
    this.#updates.destroy();
    this.#connections.clear();
    this.#peerAwareness?.stop();
    this.#peer?.close();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
