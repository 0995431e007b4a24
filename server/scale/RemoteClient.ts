/**
 * On the node that owns a workshop, a client connected to another node (rooms/ports.ts): the room counts it,
 * sends it its snapshot and runs its events like any other; what is sent to it, or a disconnection, goes back
 * to that node. Room broadcasts need nothing here: the other node joined the real socket to the workshop's
 * Socket.IO rooms, and the adapter delivers them to it.
 */
import type { ClientData, RoomClient, ServerEvent, ServerEventArgs } from '../rooms/ports.js';

/** What the owner tells the client's node: send it something, or disconnect it. */
export type ClientNotice = { socketId: string; emit?: [string, ...unknown[]]; disconnect?: true };

export class RemoteClient implements RoomClient {
  readonly #leaveListeners: (() => void)[] = [];
  #connected = true;
  lastSeen = Date.now();

  constructor(
    /** The node the real socket is connected to. */
    readonly node: string,
    readonly id: string,
    readonly data: ClientData,
    readonly address: string,
    private readonly notify: (notice: ClientNotice) => void,
  ) {}

  get connected(): boolean {
    return this.#connected;
  }

  send<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void {
    if (this.#connected) this.notify({ socketId: this.id, emit: [event, ...args] });
  }

  /** The owner's side ends the connection: the other node disconnects the real socket. */
  disconnect(): void {
    if (!this.#connected) return;
    this.notify({ socketId: this.id, disconnect: true });
    this.gone();
  }

  onLeave(listener: () => void): void {
    this.#leaveListeners.push(listener);
  }

  /** The real socket is gone (its node said so, or stopped answering): the room forgets it. */
  gone(): void {
    if (!this.#connected) return;
    this.#connected = false;
    for (const listener of this.#leaveListeners.splice(0)) listener();
  }
}
