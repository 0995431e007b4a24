/**
 * One Yjs document held in memory by this server, with its WebSocket connections. A thin handler over
 * y-protocols rather than @y/websocket-server, because Roundtable needs two things that one lacks:
 *
 * - **Read-only connections.** Participants' providers may ask for the document (sync step 1) but every
 *   update they send (step 2, update) and their awareness are dropped, so nothing in the document or in
 *   awareness ever carries a participant's Yjs client id (see DESIGN.md, anonymity model 3).
 * - **Durable before visible.** Every update is appended to the store before it is relayed to anyone, and
 *   `flush()` lets a Socket.IO handler acknowledge only once its change is on disk. A writer's update is
 *   stored before it is even applied here, so a store that refuses it (a full disk) leaves this copy equal to
 *   what is stored: only that writer is disconnected (4507), and its provider sends the change again when it
 *   reconnects. The server's own writes are applied first; if one cannot be stored the copy is dropped.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { YjsCloseCode, type Role } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { storageFault } from '../store/storageFault.js';
import { holds, type Holder } from './TicketBook.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const PING_INTERVAL_MS = 30_000;

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

export type DocPersistence = {
  append(update: Uint8Array): Promise<number>;
  compact(state: Uint8Array, throughSeq: number): Promise<void>;
};

/** Compact the stored update log once this many updates have been appended since the last compaction. */
const COMPACT_AFTER = 200;
/** A compaction the store refused (a full disk) is tried again this often until it succeeds. */
const COMPACT_RETRY_MS = 30_000;

/** How the connections of a copy that could not be stored are closed: clients wait, then resync. */
function closeFor(error: unknown): { code: number; reason: string } {
  return storageFault(error)
    ? { code: YjsCloseCode.storageUnavailable, reason: 'the server cannot store changes now' }
    : { code: 1011, reason: 'could not store a change' };
}

export class SharedDoc {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly #connections = new Map<WebSocket, { access: DocAccess; role: Role; participantId?: string; awarenessIds: Set<number> }>();
  #persisted: Promise<void> = Promise.resolve();
  #appendedSinceCompaction = 0;
  #lastSeq = 0;
  #compactionRetry: NodeJS.Timeout | undefined;
  /** Set by `destroy()`: a compaction queued or retried after it must not write the document back. */
  #destroyed = false;

  constructor(
    readonly key: string,
    stored: Uint8Array[],
    private readonly persistence: DocPersistence,
    private readonly log: Logger,
    private readonly onIdle: () => void,
    private readonly onFailure: (close: { code: number; reason: string }) => void,
    private readonly peer?: DocPeer,
  ) {
    this.awareness.setLocalState(null);
    Y.transact(this.doc, () => stored.forEach((update) => this.#applyStored(update)), FROM_STORE);
    this.#appendedSinceCompaction = stored.length;
    // A log of several updates may still hold what a compaction refused before a restart (a hidden note's
    // text): it is compacted like any other. Every append to it goes through this copy's queue (several nodes
    // merge under a lock instead), so "through the last stored update" is everything stored.
    if (stored.length > 1) this.#lastSeq = Number.MAX_SAFE_INTEGER;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.#newcomers = {};
      if (origin === FROM_PEER) this.#relay(update);
      else if (origin === STORED_FIRST) {
        this.peer?.publish('update', update);
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
      if (this.peer && origin !== FROM_PEER) this.#publishAwareness(changed);
      this.#broadcast(this.#message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))));
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
      this.log.warn('skipped a stored document update that does not apply', { doc: this.key, error: String(error) });
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
    return this.#persisted;
  }

  /**
   * Runs `step` after every write queued before it. A failed step means this copy holds what the store does
   * not: it fails `flush()` for good (see `failed`) and the registry drops the copy.
   */
  #enqueue(step: () => Promise<void>): void {
    this.#persisted = this.#persisted.then(step).catch((error) => {
      this.failed = true;
      this.log.error('could not store a document update', { doc: this.key, error: String(error) });
      this.onFailure(closeFor(error));
      throw error;
    });
    this.#persisted.catch(() => undefined); // reported above; awaiting callers see the rejection
  }

  /** Set when a write failed: the registry drops this copy, and the next use reloads what is stored. */
  failed = false;

  #persistThenRelay(update: Uint8Array): void {
    this.#enqueue(async () => {
      this.#lastSeq = await this.persistence.append(update);
      this.peer?.publish('update', update);
      this.#relay(update);
      await this.#afterAppend();
    });
  }

  /**
   * A writer's update: stored, then applied (which relays it). One that adds nothing (the step 2 every
   * reconnecting writer sends) is not stored. One the store refuses is not applied, and its writer is
   * disconnected so that it stops sending until it can be stored.
   */
  #storeThenApply(ws: WebSocket, update: Uint8Array): void {
    this.#enqueue(async () => {
      if (this.failed || addsNothing(this.doc, update)) return;
      try {
        this.#lastSeq = await this.persistence.append(update);
      } catch (error) {
        this.log.warn('could not store a writer\'s update; it stays with the writer', { doc: this.key, error: String(error) });
        const close = closeFor(error);
        ws.close(close.code, close.reason);
        return;
      }
      try {
        Y.applyUpdate(this.doc, update, STORED_FIRST);
      } catch (error) {
        this.log.warn('a stored writer update does not apply', { doc: this.key, error: String(error) });
        ws.close(1003, 'malformed message');
      }
      await this.#afterAppend();
    });
  }

  async #afterAppend(): Promise<void> {
    if (++this.#appendedSinceCompaction >= COMPACT_AFTER) await this.#compactNow();
  }

  /**
   * Replaces the stored log with one update holding the current state, after every write queued so far.
   * Deleted content (a hidden note's text, an overwritten edit) is garbage-collected in memory, so it
   * leaves the store here too. Resolves once every change is stored; a compaction the store refuses is
   * owed (see `compactionOwed`), not a failure of the changes it follows.
   */
  compact(): Promise<void> {
    this.#enqueue(() => this.#compactNow());
    return this.#persisted;
  }

  /** A compaction was refused and is tried again until it succeeds: the stored log still holds old content. */
  get compactionOwed(): boolean {
    return this.#compactionRetry !== undefined;
  }

  async #compactNow(): Promise<void> {
    if (this.#destroyed || this.#lastSeq === 0 || this.#appendedSinceCompaction === 0) return;
    try {
      await this.persistence.compact(Y.encodeStateAsUpdate(this.doc), this.#lastSeq);
    } catch (error) {
      this.log.warn('could not compact a document; will try again', { doc: this.key, error: String(error) });
      if (this.#destroyed) return;
      this.#compactionRetry ??= setInterval(() => this.#enqueue(() => this.#compactNow()), COMPACT_RETRY_MS).unref();
      return;
    }
    this.#appendedSinceCompaction = 0;
    clearInterval(this.#compactionRetry);
    this.#compactionRetry = undefined;
  }

  /** Applies what another node stored (an update) or heard from its writers (awareness). */
  applyPeer(kind: 'update' | 'awareness', data: Uint8Array): void {
    try {
      if (kind === 'update') Y.applyUpdate(this.doc, data, FROM_PEER);
      else awarenessProtocol.applyAwarenessUpdate(this.awareness, data, FROM_PEER);
    } catch (error) {
      this.log.warn('unreadable message from another node', { doc: this.key, error: String(error) });
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
      this.log.warn('could not catch up from the store', { doc: this.key, error: String(error) });
    }
    for (const [ws, entry] of this.#connections) {
      if (entry.access === 'write' && entry.role !== 'facilitator') ws.close(1012, 'catching up');
    }
  }

  #peerAwareness = new Set<number>();
  #peerAwarenessTimer: NodeJS.Timeout | undefined;

  #publishAwareness(changed: number[]): void {
    changed.forEach((id) => this.#peerAwareness.add(id));
    this.#peerAwarenessTimer ??= setTimeout(() => {
      this.#peerAwarenessTimer = undefined;
      const ids = [...this.#peerAwareness];
      this.#peerAwareness.clear();
      this.peer?.publish('awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    }, PEER_AWARENESS_MS);
  }

  /** Serves one WebSocket: sync, updates (from writers only) and awareness (from writers only). */
  attach(ws: WebSocket, grant: { access: DocAccess; role: Role; participantId?: string }): void {
    const { access } = grant;
    ws.binaryType = 'arraybuffer';
    this.#connections.set(ws, { access, role: grant.role, participantId: grant.participantId, awarenessIds: new Set() });
    // Yjs speaks binary; a text frame is some other client.
    ws.on('message', (data: ArrayBuffer, isBinary: boolean) =>
      isBinary ? this.#receive(ws, access, new Uint8Array(data)) : ws.close(1003, 'binary messages only'),
    );
    // ws closes the connection itself on a protocol error (a message over maxPayload, a broken frame); the
    // listener is what keeps that error from ending the whole process.
    ws.on('error', (error) => this.log.warn('Yjs connection error', { doc: this.key, error: String(error) }));
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return void ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    ws.on('pong', () => (alive = true));
    ws.on('close', () => {
      clearInterval(ping);
      this.#detach(ws);
    });

    this.#send(ws, (this.#newcomers.stepOne ??= this.#message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, this.doc))));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) {
      this.#send(ws, this.#message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))));
    }
  }

  /** Closes the connections of a holder whose access was withdrawn. */
  disconnect(holder: Holder): void {
    for (const [ws, entry] of this.#connections) if (holds(entry, holder)) ws.close(YjsCloseCode.forbidden, 'access withdrawn');
  }

  /**
   * What every newcomer is sent, kept until the document changes: a client that has nothing yet (a joiner)
   * gets the same whole state as all the others, so a thousand joiners cost one encoding, not a thousand.
   */
  #newcomers: { stepOne?: Uint8Array; wholeState?: Uint8Array } = {};

  #answerStepOne(stateVector: Uint8Array): Uint8Array {
    if (Y.decodeStateVector(stateVector).size === 0) {
      return (this.#newcomers.wholeState ??= this.#message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, this.doc)));
    }
    return this.#message(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, this.doc, stateVector));
  }

  #receive(ws: WebSocket, access: DocAccess, data: Uint8Array): void {
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          this.#send(ws, this.#answerStepOne(decoding.readVarUint8Array(decoder)));
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          // A reader's step 2 or update is dropped: it changes nothing for anyone. A writer's is applied here
          // rather than by syncProtocol.readSyncStep2, which would swallow a broken update.
          if (access === 'write') this.#storeWhole(ws, decoding.readVarUint8Array(decoder));
        } else {
          throw new Error(`unknown sync message ${syncType}`);
        }
      } else if (type === MESSAGE_AWARENESS) {
        if (access === 'write') awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), ws);
      } else if (type === MESSAGE_QUERY_AWARENESS) {
        const states = [...this.awareness.getStates().keys()];
        this.#send(ws, this.#message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))));
      } else {
        throw new Error(`unknown message type ${type}`);
      }
    } catch (error) {
      // A malformed message closes only its own connection.
      this.log.warn('malformed Yjs message', { doc: this.key, error: String(error) });
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
    if (this.#connections.size === 0) this.onIdle();
  }

  #message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    write(encoder);
    return encoding.toUint8Array(encoder);
  }

  #relay(update: Uint8Array): void {
    this.#broadcast(this.#message(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update)));
  }

  #broadcast(message: Uint8Array): void {
    for (const ws of this.#connections.keys()) this.#send(ws, message);
  }

  #send(ws: WebSocket, message: Uint8Array): void {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(message, (error) => error && ws.terminate());
  }

  /**
   * Closes every connection and frees the document. Call after `flush()`, unless the document is being
   * erased. By default clients are told the server is restarting, and reconnect.
   */
  destroy(close: { code: number; reason: string } = { code: 1012, reason: 'server restarting' }): void {
    for (const ws of this.#connections.keys()) ws.close(close.code, close.reason);
    this.#destroyed = true;
    this.#connections.clear();
    clearTimeout(this.#peerAwarenessTimer);
    clearInterval(this.#compactionRetry);
    this.peer?.close();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/**
 * Whether `update` holds nothing `doc` lacks: no item it does not have, no deletion it has not made. A
 * reconnecting writer's step 2 is such an update (its whole delete set, nothing new), and storing it would
 * grow the log on every reconnection.
 */
function addsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)));
  if (structs.length > 0) return false;
  if (ds.clients.size === 0) return true;
  const deleted = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (let at = clock; at < clock + len; at++) if (!Y.isDeleted(deleted, Y.createID(client, at))) return false;
    }
  }
  return true;
}
