/**
 * Several nodes: messages between two nodes over plain Redis pub/sub, on one channel per node —
 * requests with a correlation id and a timeout, their replies, and one-way notices. Pub/sub, not the
 * streams adapter's server-side emit: these messages carry participants' tokens (in `attach`), and Redis
 * keeps no copy of a published message, whereas a stream keeps every entry until it is trimmed.
 */
import { randomId } from '../domain/secrets.js';
import type { Logger } from '../log.js';
import type { RedisLink } from './RedisLink.js';

type Message =
  | { k: 'req'; id: string; from: string; op: string; body: unknown }
  | { k: 'res'; id: string; body: unknown }
  | { k: 'note'; from: string; body: unknown };

export class RequestTimeout extends Error {}

const channelOf = (nodeId: string) => `rt:node:${nodeId}`;

export class NodeBus {
  readonly #pending = new Map<string, { resolve: (body: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  readonly #listener = (raw: Buffer) => this.#receive(raw);

  constructor(
    private readonly redis: RedisLink,
    private readonly log: Logger,
    private readonly handlers: {
      request: (from: string, op: string, body: unknown) => Promise<unknown>;
      notice: (from: string, body: unknown) => void;
    },
  ) {}

  start(): Promise<void> {
    return this.redis.subscribe(channelOf(this.redis.nodeId), this.#listener);
  }

  /**
   * Asks node `to`; rejects with RequestTimeout if no answer comes within `timeoutMs` (the node may be gone).
   * With `stillWorking`, asked each time `timeoutMs` passes without an answer: while it says yes (the node is
   * alive, so it is still working on the request), the wait goes on.
   */
  request(to: string, op: string, body: unknown, timeoutMs: number, stillWorking?: () => Promise<boolean>): Promise<unknown> {
    const id = randomId();
    return new Promise((resolve, reject) => {
      const expire = async () => {
        const waitOn = await stillWorking?.().catch(() => false);
        const pending = this.#pending.get(id);
        if (!pending) return; // answered meanwhile
        if (waitOn) {
          pending.timer = setTimeout(expire, timeoutMs);
          return;
        }
        this.#pending.delete(id);
        reject(new RequestTimeout(`node did not answer ${op}`));
      };
      this.#pending.set(id, { resolve, reject, timer: setTimeout(expire, timeoutMs) });
      this.#send(to, { k: 'req', id, from: this.redis.nodeId, op, body });
    });
  }

  notify(to: string, body: unknown): void {
    this.#send(to, { k: 'note', from: this.redis.nodeId, body });
  }

  #send(to: string, message: Message): void {
    this.redis.publish(channelOf(to), JSON.stringify(message));
  }

  #receive(raw: Buffer): void {
    let message: Message;
    try {
      message = JSON.parse(raw.toString()) as Message;
    } catch {
      return;
    }
    if (message.k === 'res') {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(message.body);
    } else if (message.k === 'req') {
      const { id, from, op } = message;
      this.handlers.request(from, op, message.body).then(
        (body) => this.#send(from, { k: 'res', id, body }),
        (error) => {
          this.log.error('could not answer another node', { op, error: String(error) });
          this.#send(from, { k: 'res', id, body: { failed: true } });
        },
      );
    } else if (message.k === 'note') {
      this.handlers.notice(message.from, message.body);
    }
  }

  close(): void {
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new RequestTimeout('shutting down'));
    }
    this.#pending.clear();
    void this.redis.unsubscribe(channelOf(this.redis.nodeId), this.#listener);
  }
}
