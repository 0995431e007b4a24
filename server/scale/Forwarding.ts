/**
 * Several nodes: one node — the lease holder (OwnerLeases) — runs each live workshop's room, so its
 * serialised queue, ballots, thresholds, batching, presence and drafting work exactly as on one node.
 * Every other node is a proxy for its own sockets: it forwards their attach, events and detach to the
 * owner over NodeBus, relays acks and what the owner emits to one socket (snapshot, `session:you`), and
 * joins them to the workshop's Socket.IO rooms so room broadcasts reach them through the adapter.
 *
 * If the owner stops answering, its lease lapses; the proxies' watch (every WATCH_MS) notices, one of them
 * takes the lease, loads the room from the store as after a restart, and the others re-attach their sockets.
 * The owner's side of all this — the other nodes' sockets in its rooms — is RemoteSockets.
 */
import { ErrorCode } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import type { Connections } from '../realtime/Connections.js';
import type { LocalSockets } from '../realtime/localSockets.js';
import type { RoundtableSocket } from '../realtime/types.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import type { Store } from '../store/Store.js';
import { NodeBus } from './NodeBus.js';
import { OwnerLeases } from './OwnerLeases.js';
import type { RedisLink } from './RedisLink.js';
import { ProxiedSocket, serveHere } from './ProxiedSocket.js';
import type { ClientNotice } from './RemoteClient.js';
import { RemoteSockets, type Reply } from './RemoteSockets.js';

const WATCH_MS = 1_000;
/** How long a proxy waits for the owner to answer or to say it is working on it (NodeBus). */
const ATTACH_TIMEOUT_MS = 3_000;
const EVENT_TIMEOUT_MS = 4_000;
/**
 * How long a proxy waits in all for an owner that says it is still working: slow work there (a ballot while
 * PostgreSQL is busy) is then answered "done", not "try again". Participants' contributions wait for their
 * answer without a limit of their own; facilitators' requests give up after 10 s in the page.
 */
const PATIENCE_MS = 30_000;
/** `silent`: the owner did not answer the last touch (it may be gone). */
type Workshop = { owner: string; sockets: Map<string, ProxiedSocket>; silent: boolean };

export class Forwarding {
  readonly #bus: NodeBus;
  readonly leases: OwnerLeases;
  /** Workshops this node proxies, by id. */
  readonly #proxied = new Map<string, Workshop>();
  /** Sockets of other nodes in rooms this node owns. */
  readonly #remotes: RemoteSockets;
  #timer: NodeJS.Timeout | undefined;
  #watching: Promise<void> | undefined;

  constructor(private readonly deps: { redis: RedisLink; sockets: LocalSockets; rooms: RoomRegistry; connections: Connections; store: Store; log: Logger }) {
    this.#bus = new NodeBus(deps.redis, deps.log, {
      request: (from, op, body) => this.#remotes.answer(from, op, body),
      notice: (from, body) => this.#notice(from, body),
    });
    this.leases = new OwnerLeases(deps.redis, deps.log, (workshopId) => this.#lost(workshopId));
    this.#remotes = new RemoteSockets({
      nodeId: deps.redis.nodeId,
      leases: this.leases,
      rooms: deps.rooms,
      store: deps.store,
      connections: deps.connections,
      notify: (node, body) => this.#bus.notify(node, body),
    });
  }

  async start(): Promise<void> {
    await this.#bus.start();
    this.leases.start();
    this.#timer = setInterval(() => void this.#watch(), WATCH_MS);
    // Nobody could answer or vouch while Redis was away: that says nothing about owners or sockets now.
    this.deps.redis.onReconnect(() => {
      for (const workshop of this.#proxied.values()) workshop.silent = false;
      this.#remotes.vouchForAll();
    });
  }

  /**
   * Called for every new connection: serves it here if this node owns (or now takes) its workshop. A workshop
   * this node already proxies goes to the owner it knows (the watch follows a change of owner): a lease that
   * Redis lost in a restart is not taken from an owner that is still running the room.
   */
  async place(socket: RoundtableSocket): Promise<'here' | 'proxied'> {
    const { workshopId } = socket.data;
    const known = this.#proxied.get(workshopId);
    const owner = known && !known.silent ? known.owner : await this.leases.claim(workshopId);
    if (owner === this.deps.redis.nodeId) return 'here';
    this.#proxy(socket, owner);
    return 'proxied';
  }

  get forwardedWorkshops(): number {
    return this.#proxied.size;
  }

  /** The room of a workshop closed here (emptied or deleted): its lease goes, another node may take it. */
  released(workshopId: string): void {
    this.#remotes.forget(workshopId, { gone: false });
    void this.leases.release(workshopId);
  }

  // ——— proxy side ———

  #proxy(socket: RoundtableSocket, owner: string): void {
    const { workshopId } = socket.data;
    let workshop = this.#proxied.get(workshopId);
    if (!workshop) this.#proxied.set(workshopId, (workshop = { owner, sockets: new Map(), silent: false }));
    const onDisconnect = () => {
      workshop.sockets.delete(socket.id);
      if (workshop.sockets.size === 0 && this.#proxied.get(workshopId) === workshop) this.#proxied.delete(workshopId);
      this.#bus.notify(workshop.owner, { detach: socket.id, workshopId });
    };
    const proxied: ProxiedSocket = new ProxiedSocket(socket, (event, args) => void this.#forward(proxied, event, args), onDisconnect);
    workshop.sockets.set(socket.id, proxied);
    // Gone while its workshop was being placed: no disconnect event will come.
    if (socket.disconnected) return onDisconnect();
    void this.#attach(proxied);
  }

  /**
   * Introduces a socket to the owner (who sends it its snapshot); resolves false if that did not work. One at a
   * time, unless `fresh` (the owner changed: an introduction in flight went to the old one).
   */
  #attach(proxied: ProxiedSocket, fresh = false): Promise<boolean> {
    if (proxied.attaching && proxied.attached && !fresh) return proxied.attached;
    const { socket } = proxied;
    const workshop = this.#proxied.get(socket.data.workshopId);
    if (!workshop) return Promise.resolve(false);
    proxied.attaching = true;
    const attached = (async () => {
      try {
        // Not the address itself: the owner needs only a stable name for its per-address limits.
        const body = { socketId: socket.id, data: socket.data, address: this.deps.redis.cipher.name(socket.handshake.address) };
        const reply = (await this.#bus.request(workshop.owner, 'attach', body, ATTACH_TIMEOUT_MS, PATIENCE_MS)) as Reply;
        if (reply.gone) socket.disconnect(true);
        return reply.ok === true;
      } catch {
        return false; // the owner may be gone: the watch takes it from here
      }
    })();
    proxied.attached = attached;
    void attached.finally(() => {
      if (proxied.attached === attached) proxied.attaching = false;
    });
    return attached;
  }

  async #forward(proxied: ProxiedSocket, event: string, args: unknown[]): Promise<void> {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (response: unknown) => void) : undefined;
    const failed = { ok: false, code: ErrorCode.internal, message: 'the server could not do that; please try again' };
    const { socket } = proxied;
    for (let attempt = 0; attempt < 2; attempt++) {
      const attaching = proxied.attached ?? this.#attach(proxied);
      // A newer introduction (to a new owner) may have started meanwhile: its outcome decides.
      const attached = (await attaching) || (proxied.attached !== undefined && proxied.attached !== attaching && (await proxied.attached));
      if (!attached) {
        proxied.attached = undefined;
        return ack?.(failed);
      }
      const workshop = this.#proxied.get(socket.data.workshopId);
      if (!workshop || socket.disconnected) return;
      let reply: Reply;
      try {
        const body = { socketId: socket.id, workshopId: socket.data.workshopId, event, args };
        reply = (await this.#bus.request(workshop.owner, 'event', body, EVENT_TIMEOUT_MS, PATIENCE_MS)) as Reply;
      } catch {
        return ack?.(failed); // the owner died (or took too long): unknown whether it was done; the client may resend
      }
      if (reply.unknown || reply.notOwner) {
        // Not done: the owner restarted or moved. Find it again and send once more.
        proxied.attached = undefined;
        if (reply.notOwner) {
          try {
            await this.#replace(socket.data.workshopId);
          } catch {
            return ack?.(failed); // cut off from Redis just now: nobody to ask who the owner is
          }
        }
        if (!this.#proxied.get(socket.data.workshopId)?.sockets.has(socket.id)) {
          // This node took the workshop over: the socket is served here now, and so is this event.
          const run = proxied.served?.get(event);
          if (!run) return ack?.(failed);
          return void run(ack ? [...args, ack] : args);
        }
        continue;
      }
      if (reply.failed) return ack?.(failed);
      if ('ack' in reply) ack?.(reply.ack);
      return;
    }
    ack?.(failed);
  }

  /** Looks up the workshop's owner again; takes it over if nobody holds it. */
  async #replace(workshopId: string): Promise<void> {
    const workshop = this.#proxied.get(workshopId);
    if (!workshop) return;
    const owner = await this.leases.claim(workshopId);
    if (owner === this.deps.redis.nodeId) return this.#takeOver(workshopId, workshop);
    if (owner !== workshop.owner) {
      workshop.owner = owner;
      workshop.silent = false;
      for (const proxied of workshop.sockets.values()) void this.#attach(proxied, true);
    }
  }

  /** This node now owns a workshop it proxied: its sockets are served here, by a room loaded from the store. */
  async #takeOver(workshopId: string, workshop: Workshop): Promise<void> {
    if (this.#proxied.get(workshopId) !== workshop) return;
    this.#proxied.delete(workshopId);
    this.deps.log.info('took a workshop over from another node');
    let room: WorkshopRoom | undefined;
    try {
      room = await this.deps.rooms.getOrLoad(workshopId);
    } catch (error) {
      // The store did not answer: give the workshop up; its clients reconnect and are placed afresh.
      this.deps.log.error('could not take a workshop over', { error: String(error) });
      void this.leases.release(workshopId);
    }
    await serveHere([...workshop.sockets.values()], room, this.deps);
    if (room) room.disposeIfEmpty();
  }

  /** Every WATCH_MS, one round at a time and not while cut off from Redis (its commands would only queue up). */
  #watch(): Promise<void> {
    if (!this.deps.redis.connected) return Promise.resolve();
    this.#watching ??= this.#watchOnce().finally(() => (this.#watching = undefined));
    return this.#watching;
  }

  /** Vouches for this node's sockets to each owner; follows a lease that moved, or lapsed with its owner. */
  async #watchOnce(): Promise<void> {
    for (const [workshopId, workshop] of this.#proxied) {
      try {
        const holder = await this.leases.holder(workshopId);
        // A lease that moved, or lapsed with its owner silent: find (or become) the new owner. A lease that
        // lapsed while its owner still answers (Redis restarted and lost it) is the owner's to take again within
        // a second: taking it here would move a live workshop for nothing.
        if (holder !== workshop.owner && (holder !== null || workshop.silent)) {
          await this.#replace(workshopId);
          continue;
        }
        let reply: Reply;
        try {
          reply = (await this.#bus.request(workshop.owner, 'touch', { workshopId, socketIds: [...workshop.sockets.keys()] }, ATTACH_TIMEOUT_MS)) as Reply;
        } catch (error) {
          if (this.deps.redis.connected) workshop.silent = true;
          throw error;
        }
        workshop.silent = false;
        if (reply.notOwner) {
          await this.#replace(workshopId);
          continue;
        }
        for (const id of reply.missing ?? []) {
          const proxied = workshop.sockets.get(id);
          if (proxied) void this.#attach(proxied);
        }
      } catch {
        // The owner did not answer: its lease will lapse unless it comes back.
      }
    }
    if (this.deps.redis.connected) this.#remotes.sweep(); // not if cut off during this round: nobody could vouch
  }

  #notice(from: string, body: unknown): void {
    const { socketId, emit, disconnect, detach } = body as Partial<ClientNotice> & { detach?: string };
    if (detach) return this.#remotes.detached(from, detach);
    const socket = socketId && this.deps.sockets.get(socketId);
    // Only to a socket this node still proxies: once served here, the owner's old messages are stale.
    if (!socket || !this.#proxied.get(socket.data.workshopId)?.sockets.has(socketId)) return;
    if (emit) (socket.emit as (...args: unknown[]) => void)(...emit);
    if (disconnect) socket.disconnect(true);
  }

  /**
   * After a gap in the link to Redis. As owner: room broadcasts to other nodes' sockets may have been lost, so
   * each is sent its whole state again (its node passes it on like any other message to that socket). As proxy:
   * this node's co-facilitators and screens are disconnected, because a rotation of their link in the gap could
   * not reach this node; reconnecting, the handshake checks the link again. (Done here, not by the owner: this node's own
   * link is back now, whereas a notice from the owner could still be lost.)
   */
  resync(): void {
    this.#remotes.resendSnapshots();
    for (const workshop of this.#proxied.values()) {
      for (const { socket } of workshop.sockets.values()) if (socket.data.role === 'cofacilitator' || socket.data.role === 'screen') socket.disconnect(true);
    }
  }

  /** Another node holds the lease now (this one was cut off): stop running the room; clients reconnect. */
  #lost(workshopId: string): void {
    this.#remotes.forget(workshopId, { gone: true });
    this.deps.rooms.drop(workshopId);
    this.deps.sockets.disconnectWorkshop(workshopId);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.leases.stop();
    this.#bus.close();
  }
}
