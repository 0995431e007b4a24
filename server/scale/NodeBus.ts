/**
 * Several nodes: messages between two nodes over plain Redis pub/sub, on one channel per node —
 * requests with a correlation id and a timeout, their replies, and one-way notices. Pub/sub, not the
 * streams adapter's server-side emit: these messages carry participants' tokens (in `attach`), and Redis
 * keeps no copy of a published message, whereas a stream keeps every entry until it is trimmed.
 *
 * Pub/sub delivers at most once, so a request may be lost; the asker then gives up after its timeout. A node
 * that did receive a request and is still working on it says so every WORKING_EVERY_MS, and the asker waits on
 * (up to its patience): slow work is answered "done" rather than "failed", a lost request still fails quickly.
 */
import { randomId } from '../domain/secrets.js';
import type { Logger } from '../log.js';
import type { RedisLink } from './RedisLink.js';

type Message =
  | { k: 'req'; id: string; from: string; op: string; body: unknown }
  | { k: 'res'; id: string; body: unknown }
  | { k: 'working'; id: string }
  | { k: 'note'; from: string; body: unknown };

export class RequestTimeout extends Error {}

const channelOf = (nodeId: string) => `rt:node:${nodeId}`;
/** How often a node working on a request tells the asker; well inside every request timeout. */
const WORKING_EVERY_MS = 1_000;
/** Longer than any asker's patience (Forwarding's is 30 s). */
const WORKING_AT_MOST_MS = 60_000;

type Pending = { resolve: (body: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout; timeoutMs: number; giveUpAt: number };

export class NodeBus {
  readonly #pending = new Map<string, Pending>();
  readonly #listener = (raw: Buffer) => this.#receive(raw);
  /** The timers saying "still working" on requests being answered here. */
  readonly #working = new Set<NodeJS.Timeout>();
  #closed = false;

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
   * Asks node `to`; rejects with RequestTimeout if `timeoutMs` passes with neither an answer nor word that the
   * node is working on it (it may be gone, or the request lost), or once `patienceMs` has passed in all.
   */
  request(to: string, op: string, body: unknown, timeoutMs: number, patienceMs = timeoutMs): Promise<unknown> {
    if (this.#closed) return Promise.reject(new RequestTimeout('shutting down'));
    // Cut off from Redis: neither the request nor its answer would get through.
    if (!this.redis.connected) return Promise.reject(new RequestTimeout('not connected to redis'));
    const id = randomId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#expire(id, op), timeoutMs);
      this.#pending.set(id, { resolve, reject, timer, timeoutMs, giveUpAt: Date.now() + patienceMs });
      this.#send(to, { k: 'req', id, from: this.redis.nodeId, op, body });
    });
  }

  notify(to: string, body: unknown): void {
    this.#send(to, { k: 'note', from: this.redis.nodeId, body });
  }

  #expire(id: string, op: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    pending.reject(new RequestTimeout(`node did not answer ${op}`));
  }

  /** The node is working on request `id`: wait another timeout, but not past the request's patience. */
  #stillWorking(id: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    const left = pending.giveUpAt - Date.now();
    if (left <= 0) return; // the running timer ends it
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.#expire(id, 'a request'), Math.min(pending.timeoutMs, left));
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
    } else if (message.k === 'working') {
      this.#stillWorking(message.id);
    } else if (message.k === 'req') {
      const { id, from, op } = message;
      const since = Date.now();
      const working = setInterval(() => {
        // No asker waits this long; a handler that never settles must not keep a timer publishing forever.
        if (Date.now() - since > WORKING_AT_MOST_MS) this.#stopWorking(working);
        else this.#send(from, { k: 'working', id });
      }, WORKING_EVERY_MS);
      this.#working.add(working);
      this.handlers
        .request(from, op, message.body)
        .then(
          (body) => this.#send(from, { k: 'res', id, body }),
          (error) => {
            this.log.error('could not answer another node', { op, error: String(error) });
            this.#send(from, { k: 'res', id, body: { failed: true } });
          },
        )
        .finally(() => this.#stopWorking(working));
    } else if (message.k === 'note') {
      this.handlers.notice(message.from, message.body);
    }
  }

  #stopWorking(working: NodeJS.Timeout): void {
    clearInterval(working);
    this.#working.delete(working);
  }

  close(): void {
    this.#closed = true;
    for (const working of this.#working) clearInterval(working);
    this.#working.clear();
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new RequestTimeout('shutting down'));
    }
    this.#pending.clear();
    void this.redis.unsubscribe(channelOf(this.redis.nodeId), this.#listener);
  }
}
