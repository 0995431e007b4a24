/**
 * Several nodes, on the node that owns a workshop: the sockets of other nodes in its rooms, each a RemoteClient
 * served like this node's own (realtime/Connections.ts). Their node introduces them (`attach`), forwards their events (`event`), vouches for them every
 * second (`touch`) and says when they leave (a detach notice); one whose node stops vouching for
 * REMOTE_STALE_MS is counted as gone (its node died).
 */
import type { Connections } from '../realtime/Connections.js';
import type { ClientEvents } from '../realtime/defineHandler.js';
import type { ClientData } from '../rooms/ports.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import type { OwnerLeases } from './OwnerLeases.js';
import { freshClientData } from './freshClientData.js';
import { RemoteClient, type ClientNotice } from './RemoteClient.js';

/** What the owner answers a proxy's request. */
export type Reply = { ok?: true; ack?: unknown; notOwner?: true; unknown?: true; gone?: true; failed?: true; missing?: string[] };

/**
 * A remote socket whose node has not vouched for it this long is counted as gone. Not while this node is cut
 * off from Redis: nobody can vouch then, and the phones are most likely still there.
 */
const REMOTE_STALE_MS = 8_000;

type Remote = { client: RemoteClient; events: ClientEvents };

export class RemoteSockets {
  /** By `node/socketId`. */
  readonly #remotes = new Map<string, Remote>();
  /** Introductions under way, by `node/socketId`. */
  readonly #attaching = new Map<string, { detached: boolean }>();

  constructor(
    private readonly deps: {
      nodeId: string;
      leases: OwnerLeases;
      rooms: RoomRegistry;
      store: Store;
      connections: Connections;
      /** Sends a one-way notice to the node of a remote socket. */
      notify: (node: string, body: ClientNotice) => void;
    },
  ) {}

  /** A proxy's request: introduce a socket, run one of its events, or vouch for its sockets. */
  async answer(from: string, op: string, body: unknown): Promise<Reply> {
    if (op === 'attach') return this.#attach(from, body as { socketId: string; data: ClientData; address: string });
    if (op === 'event') {
      const { socketId, workshopId, event, args } = body as { socketId: string; workshopId: string; event: string; args: unknown[] };
      if (!this.deps.leases.holds(workshopId)) return { notOwner: true };
      const remote = this.#remotes.get(`${from}/${socketId}`);
      if (!remote?.client.connected) return { unknown: true };
      remote.client.lastSeen = Date.now();
      const run = remote.events.get(event);
      // An event nobody handles is not answered, as on a real socket.
      if (!run) return {};
      return new Promise((resolve) => void run([...(Array.isArray(args) ? args : []), (ack: unknown) => resolve({ ack })]));
    }
    if (op === 'touch') {
      const { workshopId, socketIds } = body as { workshopId: string; socketIds: string[] };
      if (!this.deps.leases.holds(workshopId)) return { notOwner: true };
      const now = Date.now();
      const missing = socketIds.filter((id) => {
        const remote = this.#remotes.get(`${from}/${id}`);
        if (remote) remote.client.lastSeen = now;
        return !remote;
      });
      return { ok: true, missing };
    }
    return { failed: true };
  }

  async #attach(from: string, { socketId, data, address }: { socketId: string; data: ClientData; address: string }): Promise<Reply> {
    const key = `${from}/${socketId}`;
    if (this.#remotes.has(key)) return { ok: true };
    // The socket may leave while this waits on Redis and the store: its detach notice marks the attempt.
    const attempt = { detached: false };
    this.#attaching.set(key, attempt);
    try {
      if ((await this.deps.leases.claim(data.workshopId)) !== this.deps.nodeId) return { notOwner: true };
      const room = await this.deps.rooms.getOrLoad(data.workshopId);
      if (!room) return { gone: true };
      const fresh = await freshClientData(this.deps.store, data);
      if (!fresh) {
        room.disposeIfEmpty();
        return { gone: true };
      }
      if (this.#remotes.has(key)) return { ok: true };
      if (attempt.detached) {
        room.disposeIfEmpty(); // loaded for nobody
        return { ok: true };
      }
      const client = new RemoteClient(from, socketId, fresh, address, (notice) => this.deps.notify(from, notice));
      const remote: Remote = { client, events: new Map() };
      // Known before it is served: the snapshot sent while attaching goes out through it.
      this.#remotes.set(key, remote);
      remote.events = this.deps.connections.serve(client, room);
      return { ok: true };
    } finally {
      if (this.#attaching.get(key) === attempt) this.#attaching.delete(key);
    }
  }

  /** The socket's node says it left. */
  detached(from: string, socketId: string): void {
    const key = `${from}/${socketId}`;
    const attaching = this.#attaching.get(key);
    if (attaching) attaching.detached = true;
    const remote = this.#remotes.get(key);
    this.#remotes.delete(key);
    remote?.client.gone();
  }

  /** Counts as gone the sockets nobody vouched for lately. Call only while connected to Redis. */
  sweep(): void {
    const now = Date.now();
    for (const [key, remote] of this.#remotes) {
      if (now - remote.client.lastSeen > REMOTE_STALE_MS) {
        this.#remotes.delete(key);
        remote.client.gone();
      }
    }
  }

  /** Back from a Redis outage: nobody could vouch meanwhile, which says nothing about the sockets. */
  vouchForAll(): void {
    const now = Date.now();
    for (const { client } of this.#remotes.values()) client.lastSeen = now;
  }

  /** Sends every remote socket its whole state again (broadcasts to it may have been lost). */
  resendSnapshots(): void {
    for (const { client } of this.#remotes.values()) {
      if (client.connected) this.deps.rooms.live(client.data.workshopId)?.resendSnapshot(client);
    }
  }

  /** Forgets a workshop's remote sockets: its room closed here (`gone`: tell the room they left, if it runs on). */
  forget(workshopId: string, { gone }: { gone: boolean }): void {
    for (const [key, { client }] of this.#remotes) {
      if (client.data.workshopId !== workshopId) continue;
      this.#remotes.delete(key);
      if (gone) client.gone();
    }
  }
}
