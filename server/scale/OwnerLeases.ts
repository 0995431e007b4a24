/**
 * Several nodes: which node runs each live workshop. A lease in Redis (`rt:owner:<workshopId>` = node id,
 * with an expiry) taken with SET NX and renewed while the room is live here; a node that dies stops
 * renewing, and after LEASE_MS another node may take it.
 */
import type { Logger } from '../log.js';
import type { RedisLink } from './RedisLink.js';

export const LEASE_MS = 5_000;
const RENEW_EVERY_MS = 1_000;

const keyOf = (workshopId: string) => `rt:owner:${workshopId}`;

// Renew if still ours, or take it again if it lapsed; 0 if another node holds it now.
const RENEW = `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class OwnerLeases {
  readonly #held = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  /** Until then, after a reconnection, a free lease is not taken: its owner may be about to take it back. */
  #holdBackUntil = 0;

  constructor(
    private readonly redis: RedisLink,
    private readonly log: Logger,
    /** A lease this node held was taken by another node (this node was cut off from Redis for too long). */
    private readonly onLost: (workshopId: string) => void,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.#renew(), RENEW_EVERY_MS);
    // Back from an outage in which Redis may have lost every key: take this node's leases again before a
    // proxy finds them free (it would take a live workshop away from this node). A fresh pass, not one that
    // may still wait behind commands queued before the connection dropped; renewing twice is harmless.
    this.redis.onReconnect(() => {
      // The nodes reconnect up to ~2 s apart: give owners one lease period to take their workshops back.
      this.#holdBackUntil = Date.now() + LEASE_MS;
      if (this.redis.connected) void this.#renewAll();
    });
  }

  holds(workshopId: string): boolean {
    return this.#held.has(workshopId);
  }

  /** The node that owns the workshop — this one if the lease was free. */
  async claim(workshopId: string): Promise<string> {
    const self = this.redis.nodeId;
    if (this.#held.has(workshopId)) return self;
    for (;;) {
      if (Date.now() < this.#holdBackUntil) {
        const holder = await this.redis.commandsNow().get(keyOf(workshopId));
        if (holder) return holder;
        throw new Error('back from a Redis outage: waiting for owners to take their workshops back');
      }
      const taken = await this.redis.commandsNow().set(keyOf(workshopId), self, { condition: 'NX', expiration: { type: 'PX', value: LEASE_MS } });
      if (taken === 'OK') {
        this.#held.add(workshopId);
        return self;
      }
      const holder = await this.redis.commandsNow().get(keyOf(workshopId));
      if (holder === self) {
        this.#held.add(workshopId);
        return self;
      }
      if (holder) return holder;
    }
  }

  /** Who holds the lease now, without taking it. */
  async holder(workshopId: string): Promise<string | null> {
    return this.redis.commandsNow().get(keyOf(workshopId));
  }

  async release(workshopId: string): Promise<void> {
    if (!this.#held.delete(workshopId)) return;
    await this.redis.commands.eval(RELEASE, { keys: [keyOf(workshopId)], arguments: [this.redis.nodeId] }).catch(() => undefined);
  }

  /** Renews every lease held here; skipped while cut off from Redis (the commands would only queue up). */
  #renew(): Promise<void> {
    if (!this.redis.connected) return Promise.resolve();
    this.#renewing ??= this.#renewAll().finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  async #renewAll(): Promise<void> {
    for (const workshopId of this.#held) {
      try {
        const kept = await this.redis.commands.eval(RENEW, { keys: [keyOf(workshopId)], arguments: [this.redis.nodeId, String(LEASE_MS)] });
        if (kept === 0 && this.#held.delete(workshopId)) {
          this.log.warn('lost a workshop to another node');
          this.onLost(workshopId);
        }
      } catch (error) {
        this.log.warn('could not renew a workshop lease', { error: String(error) });
      }
    }
  }

  /** Gives every lease up (shutdown): other nodes take the workshops over at once rather than after LEASE_MS. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all([...this.#held].map((id) => this.release(id)));
  }
}
