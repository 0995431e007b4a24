/**
 * Multi-node mode (REDIS_URL): everything that joins this node to the others, wired in by startRoundtable.
 * - Socket.IO rooms span the nodes (@socket.io/redis-streams-adapter);
 * - Yjs documents are kept in step over one pub/sub channel each (DocChannels);
 * - Yjs tickets live in Redis, redeemable on any node (RedisTickets);
 * - one node owns each live workshop and the others forward to it (Forwarding, OwnerLeases);
 * - a deleted workshop is closed on every node (a control channel);
 * - after a Redis outage, every node catches up on what pub/sub could not carry meanwhile (#catchUp).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from '../log.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { RoundtableServer } from '../realtime/types.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { Sealer } from '../domain/Sealer.js';
import { DocChannels } from './DocChannels.js';
import { Forwarding } from './Forwarding.js';
import { RedisLink } from './RedisLink.js';
import { RedisTickets } from './RedisTickets.js';
import type { Serve } from './RemoteSockets.js';

const CONTROL = 'rt:control';

export class Scale {
  readonly docPeers: DocChannels;
  readonly tickets: RedisTickets;
  #forwarding: Forwarding | undefined;
  #rooms: RoomRegistry | undefined;
  #docs: DocRegistry | undefined;
  #store: Store | undefined;
  readonly #control = (message: Buffer) => {
    const { from, erased, catchUp } = JSON.parse(message.toString()) as { from: string; erased?: string; catchUp?: true };
    if (from === this.redis.nodeId) return;
    if (erased) this.#closeHere(erased);
    if (catchUp) void this.#catchUp();
  };
  #catchingUp: Promise<void> | undefined;
  #catchUpAgain = false;

  private constructor(
    readonly redis: RedisLink,
    private readonly log: Logger,
  ) {
    this.docPeers = new DocChannels(redis);
    this.tickets = new RedisTickets(redis);
  }

  static async connect(options: { redisUrl: string; sealKey: string }, log: Logger): Promise<Scale> {
    const redis = await RedisLink.connect(options.redisUrl, new Sealer(options.sealKey, 'messages between nodes'), log);
    log.info('several nodes: connected to redis');
    return new Scale(redis, log);
  }

  /**
   * The Socket.IO adapter. Its stream keeps the last broadcasts (agenda, counts, presence: what every client in
   * the room was sent) for connection-state recovery; nothing private goes through it.
   */
  adapter() {
    const make = createAdapter(this.redis.commands, { streamName: 'rt:socket.io', maxLen: 1_000 });
    const redis = this.redis;
    // A function, not an arrow: Socket.IO calls it with `new` (and takes the object it returns).
    return function adapterFor(nsp: unknown) {
      const adapter = make(nsp);
      const publish = adapter.doPublish.bind(adapter);
      const serverCount = adapter.serverCount.bind(adapter);
      // Cut off from Redis, the adapter would wait for each command to time out (5 s) before it delivers a
      // broadcast to this node's own clients or answers fetchSockets, and a PUBLISH that fails there goes
      // unhandled. Instead it publishes nothing then (and delivers locally at once) and counts this node alone;
      // other nodes' clients are sent their state again on reconnection (Forwarding.resync).
      adapter.doPublish = (message) => (redis.commands.isReady ? publish(message) : Promise.reject(new Error('not connected to redis')));
      adapter.serverCount = () => (redis.commands.isReady ? serverCount() : Promise.resolve(1));
      return adapter;
    };
  }

  /** Ownership of workshops: created before the rooms, which report to it when one closes. */
  forwarding(deps: { io: RoundtableServer; rooms: () => RoomRegistry; store: Store }): Forwarding {
    const rooms = deps.rooms;
    this.#forwarding = new Forwarding({
      redis: this.redis,
      io: deps.io,
      get rooms() {
        return rooms();
      },
      store: deps.store,
      log: this.log,
    });
    return this.#forwarding;
  }

  async start(deps: { rooms: RoomRegistry; docs: DocRegistry; store: Store; serve: Serve }): Promise<void> {
    this.#rooms = deps.rooms;
    this.#docs = deps.docs;
    this.#store = deps.store;
    await this.docPeers.start(deps.docs);
    await this.redis.subscribe(CONTROL, this.#control);
    await this.#forwarding?.start(deps.serve);
    // What was published while this node was cut off is lost for good (pub/sub keeps nothing), and so is
    // what it published itself: it catches up from the store, and asks the other nodes to do the same.
    this.redis.onReconnect(() => {
      if (!this.redis.connected) return; // the other connection's 'ready' comes later
      this.redis.publish(CONTROL, JSON.stringify({ from: this.redis.nodeId, catchUp: true }));
      void this.#catchUp();
    });
  }

  #closeHere(workshopId: string): void {
    void this.#rooms?.close(workshopId);
    void this.#docs?.closeWorkshop(workshopId);
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
    this.#catchingUp = (async () => {
      do {
        this.#catchUpAgain = false;
        const live = new Set([...(this.#rooms?.liveIds() ?? []), ...(this.#docs?.workshopIds() ?? [])]);
        // Each part on its own: one failing (the store hiccups) does not keep the others from being done.
        const done = await Promise.allSettled([
          ...[...live].map(async (id) => {
            if (!(await this.#store!.getWorkshop(id))) this.#closeHere(id);
          }),
          (async () => this.#forwarding?.resync())(),
          this.#docs?.catchUp(),
        ]);
        for (const part of done) {
          if (part.status === 'rejected') this.log.warn('could not catch up after reconnecting to redis', { error: String(part.reason) });
        }
      } while (this.#catchUpAgain);
    })().finally(() => (this.#catchingUp = undefined));
    return this.#catchingUp;
  }

  /** For the health check: fails while this node is cut off from Redis (it cannot reach the other nodes). */
  ping(): Promise<void> {
    return this.redis.ping();
  }

  /** A workshop was deleted on this node: the others close its room and documents too. */
  erased(workshopId: string): void {
    this.redis.publish(CONTROL, JSON.stringify({ from: this.redis.nodeId, erased: workshopId }));
  }

  /** Gives up this node's workshops (so that others take them over at once); call before closing Socket.IO. */
  async leave(): Promise<void> {
    await this.#forwarding?.stop();
  }

  async close(): Promise<void> {
    await this.redis.close();
  }
}
