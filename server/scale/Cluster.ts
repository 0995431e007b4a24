/**
 * Several nodes, once this node's rooms and connections exist: who runs each live workshop (Forwarding), a
 * control channel on which a deleted workshop is closed on every node, and the catch-up after a Redis outage.
 * Made after the registry it serves, which it subscribes to; Scale, made before, holds the link to Redis.
 */
import type { Logger } from '../log.js';
import type { Connections } from '../realtime/Connections.js';
import type { LocalSockets } from '../realtime/localSockets.js';
import type { RoundtableSocket } from '../realtime/types.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { Forwarding } from './Forwarding.js';
import type { Scale } from './Scale.js';

const CONTROL = 'rt:control';

export class Cluster {
  readonly #forwarding: Forwarding;
  readonly #control = (message: Buffer) => {
    const { from, erased, catchUp } = JSON.parse(message.toString()) as { from: string; erased?: string; catchUp?: true };
    if (from === this.deps.scale.redis.nodeId) return;
    if (erased) this.#closeHere(erased);
    if (catchUp) void this.#catchUp();
  };
  #catchingUp: Promise<void> | undefined;
  #catchUpAgain = false;

  constructor(
    private readonly deps: {
      scale: Scale;
      rooms: RoomRegistry;
      docs: DocRegistry;
      store: Store;
      connections: Connections;
      sockets: LocalSockets;
      log: Logger;
    },
  ) {
    const { scale, rooms, store, connections, sockets, log } = deps;
    this.#forwarding = new Forwarding({ redis: scale.redis, sockets, rooms, connections, store, log });
    // A room that stopped running here gives up its lease: another node may take the workshop.
    rooms.onClosed((workshopId) => this.#forwarding.released(workshopId));
  }

  /** Starts listening to the other nodes; call once the connections are wired, before serving anyone. */
  async start(): Promise<void> {
    const { redis, docPeers } = this.deps.scale;
    await docPeers.start(this.deps.docs);
    await redis.subscribe(CONTROL, this.#control);
    await this.#forwarding.start();
    // What was published while this node was cut off is lost for good (pub/sub keeps nothing), and so is
    // what it published itself: it catches up from the store, and asks the other nodes to do the same.
    redis.onReconnect(() => {
      if (!redis.connected) return; // the other connection's 'ready' comes later
      redis.publish(CONTROL, JSON.stringify({ from: redis.nodeId, catchUp: true }));
      void this.#catchUp();
    });
  }

  /** Whether this node runs a new connection's workshop, or proxies it to the node that does. */
  place(socket: RoundtableSocket): Promise<'here' | 'proxied'> {
    return this.#forwarding.place(socket);
  }

  /** Whether this node runs the workshop: it holds its lease, or took it because it was free. */
  async claim(workshopId: string): Promise<boolean> {
    return (await this.#forwarding.leases.claim(workshopId)) === this.deps.scale.redis.nodeId;
  }

  /** Workshops whose connections here are forwarded to the node that runs them (for /metrics). */
  forwardedWorkshops(): number {
    return this.#forwarding.forwardedWorkshops;
  }

  /** A workshop was deleted on this node: the others close its room and documents too. */
  erased(workshopId: string): void {
    const { redis } = this.deps.scale;
    redis.publish(CONTROL, JSON.stringify({ from: redis.nodeId, erased: workshopId }));
  }

  /** Gives up this node's workshops (so that others take them over at once); call before closing Socket.IO. */
  async leave(): Promise<void> {
    await this.#forwarding.stop();
  }

  #closeHere(workshopId: string): void {
    void this.deps.rooms.close(workshopId);
    void this.deps.docs.closeWorkshop(workshopId);
  }

  /**
   * Makes up for what was announced in vain: whether each workshop live here still exists (a deletion's notice
   * may have been lost), the state of each room for the other nodes' sockets it serves, and documents from
   * their stored logs. One catch-up at a time; a call during one runs another after it.
   */
  #catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return this.#catchingUp;
    }
    const { rooms, docs, store, log } = this.deps;
    this.#catchingUp = (async () => {
      do {
        this.#catchUpAgain = false;
        const live = new Set([...rooms.liveIds(), ...docs.workshopIds()]);
        // Each part on its own: one failing (the store hiccups) does not keep the others from being done.
        const done = await Promise.allSettled([
          ...[...live].map(async (id) => {
            if (!(await store.getWorkshop(id))) this.#closeHere(id);
          }),
          (async () => this.#forwarding.resync())(),
          docs.catchUp(),
        ]);
        for (const part of done) {
          if (part.status === 'rejected') log.warn('could not catch up after reconnecting to redis', { error: String(part.reason) });
        }
      } while (this.#catchUpAgain);
    })().finally(() => (this.#catchingUp = undefined));
    return this.#catchingUp;
  }
}
