/**
 * Several nodes, on the node that owns a workshop: the sockets of other nodes in its rooms, each stood in for by
 * a RemoteSocket. Their node introduces them (`attach`), forwards their events (`event`), vouches for them every
 * second (`touch`) and says when they leave (a detach notice); one whose node stops vouching for
 * REMOTE_STALE_MS is counted as gone (its node died).
 */
import type { RoundtableSocket, SocketData } from '../realtime/types.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import type { Store } from '../store/Store.js';
import type { OwnerLeases } from './OwnerLeases.js';
import { freshSocketData } from './freshSocketData.js';
import { RemoteSocket } from './RemoteSocket.js';

export type Serve = (socket: RoundtableSocket, room: WorkshopRoom) => void;
/** What the owner answers a proxy's request. */
export type Reply = { ok?: true; ack?: unknown; notOwner?: true; unknown?: true; gone?: true; failed?: true; missing?: string[] };

/**
 * A remote socket whose node has not vouched for it this long is counted as gone. Not while this node is cut
 * off from Redis: nobody can vouch then, and the phones are most likely still there.
 */
const REMOTE_STALE_MS = 8_000;

export class RemoteSockets {
  /** By `node/socketId`. */
  readonly #remotes = new Map<string, RemoteSocket>();
  /** Introductions under way, by `node/socketId`. */
  readonly #attaching = new Map<string, { detached: boolean }>();

  constructor(
    private readonly deps: {
      nodeId: string;
      leases: OwnerLeases;
      rooms: RoomRegistry;
      store: Store;
      serve: () => Serve;
      /** Sends a one-way notice to the node of a remote socket. */
      notify: (node: string, body: unknown) => void;
    },
  ) {}

  /** A proxy's request: introduce a socket, run one of its events, or vouch for its sockets. */
  async answer(from: string, op: string, body: unknown): Promise<Reply> {
    if (op === 'attach') return this.#attach(from, body as { socketId: string; data: SocketData; address: string });
    if (op === 'event') {
      const { socketId, workshopId, event, args } = body as { socketId: string; workshopId: string; event: string; args: unknown[] };
      if (!this.deps.leases.holds(workshopId)) return { notOwner: true };
      const remote = this.#remotes.get(`${from}/${socketId}`);
      if (!remote || remote.disconnected) return { unknown: true };
      remote.lastSeen = Date.now();
      return remote.dispatch(event, Array.isArray(args) ? args : []);
    }
    if (op === 'touch') {
      const { workshopId, socketIds } = body as { workshopId: string; socketIds: string[] };
      if (!this.deps.leases.holds(workshopId)) return { notOwner: true };
      const now = Date.now();
      const missing = socketIds.filter((id) => {
        const remote = this.#remotes.get(`${from}/${id}`);
        if (remote) remote.lastSeen = now;
        return !remote;
      });
      return { ok: true, missing };
    }
    return { failed: true };
  }

  async #attach(from: string, { socketId, data, address }: { socketId: string; data: SocketData; address: string }): Promise<Reply> {
    const key = `${from}/${socketId}`;
    if (this.#remotes.has(key)) return { ok: true };
    // The socket may leave while this waits on Redis and the store: its detach notice marks the attempt.
    const attempt = { detached: false };
    this.#attaching.set(key, attempt);
    try {
      if ((await this.deps.leases.claim(data.workshopId)) !== this.deps.nodeId) return { notOwner: true };
      const room = await this.deps.rooms.getOrLoad(data.workshopId);
      if (!room) return { gone: true };
      const fresh = await freshSocketData(this.deps.store, data);
      if (!fresh) {
        room.disposeIfEmpty();
        return { gone: true };
      }
      if (this.#remotes.has(key)) return { ok: true };
      if (attempt.detached) {
        room.disposeIfEmpty(); // loaded for nobody
        return { ok: true };
      }
      const remote = new RemoteSocket(from, socketId, fresh, { address }, (body) => this.deps.notify(from, body));
      this.#remotes.set(key, remote);
      this.deps.serve()(remote as unknown as RoundtableSocket, room);
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
    remote?.gone();
  }

  /** Counts as gone the sockets nobody vouched for lately. Call only while connected to Redis. */
  sweep(): void {
    const now = Date.now();
    for (const [key, remote] of this.#remotes) {
      if (now - remote.lastSeen > REMOTE_STALE_MS) {
        this.#remotes.delete(key);
        remote.gone();
      }
    }
  }

  /** Back from a Redis outage: nobody could vouch meanwhile, which says nothing about the sockets. */
  vouchForAll(): void {
    const now = Date.now();
    for (const remote of this.#remotes.values()) remote.lastSeen = now;
  }

  /** Sends every remote socket its whole state again (broadcasts to it may have been lost). */
  resendSnapshots(): void {
    for (const remote of this.#remotes.values()) {
      if (!remote.disconnected) this.deps.rooms.live(remote.data.workshopId)?.resendSnapshot(remote as unknown as RoundtableSocket);
    }
  }

  /** Forgets a workshop's remote sockets: its room closed here (`gone`: tell the room they left, if it runs on). */
  forget(workshopId: string, { gone }: { gone: boolean }): void {
    for (const [key, remote] of this.#remotes) {
      if (remote.data.workshopId !== workshopId) continue;
      this.#remotes.delete(key);
      if (gone) remote.gone();
    }
  }
}
