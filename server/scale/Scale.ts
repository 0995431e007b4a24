/**
 * Multi-node mode (REDIS_URL): everything that joins this node to the others, wired in by startRoundtable.
 * - Socket.IO rooms span the nodes (@socket.io/redis-streams-adapter);
 * - Yjs documents are kept in step over one pub/sub channel each (DocChannels);
 * - Yjs tickets live in Redis, redeemable on any node (RedisTickets);
 * - one node owns each live workshop and the others forward to it (Forwarding, OwnerLeases);
 * - a deleted workshop is closed on every node (a control channel).
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from '../log.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { RoundtableServer } from '../realtime/types.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { DocChannels } from './DocChannels.js';
import { Forwarding, type Serve } from './Forwarding.js';
import { RedisLink } from './RedisLink.js';
import { RedisTickets } from './RedisTickets.js';

const CONTROL = 'rt:control';

export class Scale {
  readonly docPeers: DocChannels;
  readonly tickets: RedisTickets;
  #forwarding: Forwarding | undefined;
  #rooms: RoomRegistry | undefined;
  #docs: DocRegistry | undefined;
  readonly #control = (message: Buffer) => {
    const { from, erased } = JSON.parse(message.toString()) as { from: string; erased?: string };
    if (from === this.redis.nodeId || !erased) return;
    void this.#rooms?.close(erased);
    void this.#docs?.closeWorkshop(erased);
  };

  private constructor(
    readonly redis: RedisLink,
    private readonly log: Logger,
  ) {
    this.docPeers = new DocChannels(redis);
    this.tickets = new RedisTickets(redis);
  }

  static async connect(url: string, log: Logger): Promise<Scale> {
    const redis = await RedisLink.connect(url, log);
    log.info('several nodes: connected to redis');
    return new Scale(redis, log);
  }

  /**
   * The Socket.IO adapter. Its stream keeps the last broadcasts (agenda, counts, presence: what every client in
   * the room was sent) for connection-state recovery; nothing private goes through it.
   */
  adapter() {
    return createAdapter(this.redis.commands, { streamName: 'rt:socket.io', maxLen: 1_000 });
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

  async start(deps: { rooms: RoomRegistry; docs: DocRegistry; serve: Serve }): Promise<void> {
    this.#rooms = deps.rooms;
    this.#docs = deps.docs;
    await this.docPeers.start(deps.docs);
    await this.redis.subscribe(CONTROL, this.#control);
    await this.#forwarding?.start(deps.serve);
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
