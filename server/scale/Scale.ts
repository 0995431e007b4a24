/**
 * Multi-node mode (REDIS_URL): the link to the other nodes, made before anything that uses it.
 * - Socket.IO rooms span the nodes (@socket.io/redis-streams-adapter);
 * - Yjs documents are kept in step over one pub/sub channel each (DocChannels);
 * - Yjs tickets live in Redis, redeemable on any node (RedisTickets).
 * Who runs each workshop, the closing of deleted ones and the catch-up after an outage are Cluster's, made
 * once the rooms exist.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from '../log.js';
import { Sealer } from '../domain/Sealer.js';
import { DocChannels } from './DocChannels.js';
import { RedisLink } from './RedisLink.js';
import { RedisTickets } from './RedisTickets.js';

export class Scale {
  readonly docPeers: DocChannels;
  readonly tickets: RedisTickets;

  private constructor(readonly redis: RedisLink) {
    this.docPeers = new DocChannels(redis);
    this.tickets = new RedisTickets(redis);
  }

  static async connect(options: { redisUrl: string; sealKey: string }, log: Logger): Promise<Scale> {
    const redis = await RedisLink.connect(options.redisUrl, new Sealer(options.sealKey, 'messages between nodes'), log);
    log.info('several nodes: connected to redis');
    return new Scale(redis);
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

  /** For the health check: fails while this node is cut off from Redis (it cannot reach the other nodes). */
  ping(): Promise<void> {
    return this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.close();
  }
}
