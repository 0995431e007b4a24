/**
 * This node's connections to Redis in multi-node mode (REDIS_URL): one client for commands and publishing
 * (also used by the Socket.IO streams adapter), one for subscriptions, and this node's random id.
 *
 * Only plain pub/sub carries anything private between nodes (Yjs updates, forwarded events with a
 * participant's token): every message is sealed with the cluster key before it is published (Sealer),
 * and Redis delivers it to the subscribers of the moment and keeps no copy. What the streams adapter stores
 * in its stream is what every client in a room is sent anyway.
 */
import { createClient } from 'redis';
import type { Logger } from '../log.js';
import { randomId } from '../domain/secrets.js';
import type { Sealer } from '../domain/Sealer.js';

export type RedisClient = ReturnType<typeof createClient>;
type Listener = (message: Buffer) => void;

export class RedisLink {
  readonly nodeId = randomId();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #subscribing = new Map<string, Promise<void>>();
  readonly #onReconnect = new Set<() => void>();

  /** Set once a message fails to open, so a node given the wrong SEAL_KEY says so once, not per message. */
  #warnedUnopened = false;

  private constructor(
    readonly commands: RedisClient,
    readonly subscriber: RedisClient,
    /** Seals every published message; RedisTickets uses it for what it stores. */
    readonly cipher: Sealer,
    private readonly log: Logger,
  ) {}

  static async connect(url: string, cipher: Sealer, log: Logger): Promise<RedisLink> {
    const commands: RedisClient = createClient({ url });
    // duplicate()'s generic type is narrower than createClient's though it is the same client.
    const subscriber = commands.duplicate() as unknown as RedisClient;
    // Without a listener an error event would end the process; the client reconnects by itself.
    commands.on('error', (error: unknown) => log.error('redis error', { error: String(error) }));
    subscriber.on('error', (error: unknown) => log.error('redis subscriber error', { error: String(error) }));
    await Promise.all([commands.connect(), subscriber.connect()]);
    const link = new RedisLink(commands, subscriber, cipher, log);
    // Every 'ready' from now on is a connection made again; the subscriber's comes once it has subscribed again.
    for (const client of [commands, subscriber]) client.on('ready', () => link.#reconnected());
    return link;
  }

  /** Both connections are up: what this node publishes reaches the others, and it hears what they publish. */
  get connected(): boolean {
    return this.commands.isReady && this.subscriber.isReady;
  }

  /**
   * The commands client, while connected. Cut off, this throws at once: the client would queue the command
   * and run it once Redis is back, long after whoever asked (a phone, a handshake) gave up.
   */
  commandsNow(): RedisClient {
    if (!this.connected) throw new Error('not connected to redis');
    return this.commands;
  }

  /**
   * Calls `listener` each time a lost connection to Redis is made again. Whatever was published meanwhile
   * may not have reached this node (or this node's messages the others): the listener catches up otherwise.
   */
  onReconnect(listener: () => void): void {
    this.#onReconnect.add(listener);
  }

  #reconnected(): void {
    this.log.info('several nodes: connected to redis again');
    for (const listener of this.#onReconnect) listener();
  }

  /** Resolves if Redis answers now; fails at once while cut off. */
  async ping(): Promise<void> {
    await this.commandsNow().ping();
  }

  /**
   * Publishes now, or not at all: while cut off from Redis a message is dropped rather than queued, so that no
   * request runs late after its asker gave up. What dropped messages carried is recovered on reconnection
   * (documents from the store, see Scale) or asked for again (requests time out).
   */
  publish(channel: string, message: Buffer | string): void {
    if (!this.commands.isReady) return;
    this.commands.publish(channel, this.cipher.seal(message)).catch((error: unknown) => this.log.warn('redis publish failed', { error: String(error) }));
  }

  /**
   * Resolves once Redis confirmed the subscription: from then on nothing published on `channel` is missed.
   * Cut off from Redis, rejects at once (the subscription would wait for Redis to come back).
   */
  async subscribe(channel: string, listener: Listener): Promise<void> {
    const listeners = this.#listeners.get(channel);
    if (listeners) {
      listeners.add(listener);
      return this.#subscribing.get(channel);
    }
    if (!this.subscriber.isReady) throw new Error('not connected to redis');
    this.#listeners.set(channel, new Set([listener]));
    const subscribing = this.subscriber
      .subscribe(
        channel,
        (sealed: Buffer) => {
          const message = this.cipher.open(sealed);
          if (!message) return this.#unopened();
          for (const each of this.#listeners.get(channel) ?? []) each(message);
        },
        true,
      )
      .catch((error: unknown) => {
        // Forget it, so that the next subscriber to this channel tries again.
        if (this.#subscribing.get(channel) === subscribing) {
          this.#listeners.delete(channel);
          this.#subscribing.delete(channel);
        }
        throw error;
      });
    this.#subscribing.set(channel, subscribing);
    await subscribing;
  }

  #unopened(): void {
    if (this.#warnedUnopened) return;
    this.#warnedUnopened = true;
    this.log.error('several nodes: a message from Redis did not open with this node’s SEAL_KEY; give every node the same key');
  }

  async unsubscribe(channel: string, listener: Listener): Promise<void> {
    const listeners = this.#listeners.get(channel);
    if (!listeners?.delete(listener) || listeners.size > 0) return;
    this.#listeners.delete(channel);
    this.#subscribing.delete(channel);
    await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#onReconnect.clear();
    this.#listeners.clear();
    await Promise.allSettled([this.subscriber.quit(), this.commands.quit()]);
  }
}
