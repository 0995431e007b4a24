/**
 * On the node that owns a workshop, the stand-in for a socket connected to another node: the room and the
 * handlers see it as a socket like any other (it is counted, sent its snapshot, its events go through
 * defineHandler), and what is emitted to it, or a disconnection, goes back to that node.
 * Rooms (`join`) are not needed here: the other node joins the real socket, and the adapter delivers
 * room broadcasts to it.
 */
import type { SocketData } from '../realtime/types.js';

type Listener = (...args: unknown[]) => void;

export class RemoteSocket {
  readonly #listeners = new Map<string, Set<Listener>>();
  disconnected = false;
  lastSeen = Date.now();

  constructor(
    /** The node the real socket is connected to. */
    readonly node: string,
    readonly id: string,
    public data: SocketData,
    readonly handshake: { address: string },
    private readonly send: (body: { socketId: string; emit?: [string, ...unknown[]]; disconnect?: true }) => void,
  ) {}

  on(event: string, listener: Listener): this {
    let listeners = this.#listeners.get(event);
    if (!listeners) this.#listeners.set(event, (listeners = new Set()));
    listeners.add(listener);
    return this;
  }

  join(): void {}

  emit(event: string, ...args: unknown[]): boolean {
    if (!this.disconnected) this.send({ socketId: this.id, emit: [event, ...args] });
    return true;
  }

  /** The owner's side ends the connection: the other node disconnects the real socket. */
  disconnect(): this {
    if (this.disconnected) return this;
    this.send({ socketId: this.id, disconnect: true });
    this.gone();
    return this;
  }

  /** The real socket is gone (its node said so, or stopped answering): the room forgets it. */
  gone(): void {
    if (this.disconnected) return;
    this.disconnected = true;
    for (const listener of this.#listeners.get('disconnect') ?? []) listener('transport close');
    this.#listeners.clear();
  }

  /**
   * Runs a forwarded client event through the listeners registered by the handlers; resolves with its
   * acknowledgement, or `undefined` if no listener answers (an event nobody handles, as on a real socket).
   */
  dispatch(event: string, args: unknown[]): Promise<{ ack?: unknown }> {
    const listeners = this.#listeners.get(event);
    if (!listeners?.size || event === 'disconnect') return Promise.resolve({});
    return new Promise((resolve) => {
      for (const listener of listeners) listener(...args, (ack: unknown) => resolve({ ack }));
    });
  }
}
