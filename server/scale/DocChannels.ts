/**
 * Several nodes: one Redis pub/sub channel per Yjs document. A node publishes each update after storing it,
 * and awareness (throttled by SharedDoc); the others apply and relay to their clients without storing again.
 * Messages are never kept by Redis: a node that was not subscribed reads the store instead (DocRegistry
 * subscribes before it loads).
 */
import type { DocPeer } from '../yjs/SharedDoc.js';
import type { DocPeers, DocRegistry } from '../yjs/DocRegistry.js';
import type { Holder } from '../yjs/TicketBook.js';
import type { RedisLink } from './RedisLink.js';

const KINDS = ['update', 'awareness'] as const;
const CONTROL = 'rt:yjs-control';

export class DocChannels implements DocPeers {
  readonly #sender: Buffer;
  #docs: DocRegistry | undefined;

  constructor(private readonly redis: RedisLink) {
    this.#sender = Buffer.from(redis.nodeId);
  }

  /** Listens for access withdrawn on other nodes (a drafter removed, a co-facilitator link rotated). */
  async start(docs: DocRegistry): Promise<void> {
    this.#docs = docs;
    await this.redis.subscribe(CONTROL, (message) => {
      const { from, workshopId, holder } = JSON.parse(message.toString()) as { from: string; workshopId: string; holder: Holder };
      if (from !== this.redis.nodeId) this.#docs?.disconnectHere(workshopId, holder);
    });
  }

  disconnectElsewhere(workshopId: string, holder: Holder): void {
    this.redis.publish(CONTROL, JSON.stringify({ from: this.redis.nodeId, workshopId, holder }));
  }

  async open(key: string, receive: (kind: 'update' | 'awareness', data: Uint8Array) => void): Promise<DocPeer> {
    const channel = `rt:yjs:${key}`;
    const sender = this.#sender;
    // [kind][sender length][sender][payload]: a node skips what it published itself.
    const listener = (message: Buffer) => {
      const length = message[1]!;
      if (message.subarray(2, 2 + length).equals(sender)) return;
      const kind = KINDS[message[0]!];
      if (kind) receive(kind, new Uint8Array(message.subarray(2 + length)));
    };
    await this.redis.subscribe(channel, listener);
    return {
      publish: (kind, data) => this.redis.publish(channel, Buffer.concat([Buffer.from([KINDS.indexOf(kind), sender.length]), sender, data])),
      close: () => void this.redis.unsubscribe(channel, listener),
    };
  }
}
