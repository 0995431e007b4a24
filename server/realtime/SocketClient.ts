/**
 * A Socket.IO connection as a room sees it (rooms/ports.ts). One per socket, so that a room, the handlers'
 * rate limit and a workshop taken over from another node all hold the same client.
 */
import type { RoomClient, ServerEvent, ServerEventArgs } from '../rooms/ports.js';
import type { RoundtableSocket } from './types.js';

const clients = new WeakMap<RoundtableSocket, SocketClient>();

export class SocketClient implements RoomClient {
  readonly #socket: RoundtableSocket;

  private constructor(socket: RoundtableSocket) {
    this.#socket = socket;
  }

  static of(socket: RoundtableSocket): SocketClient {
    let client = clients.get(socket);
    if (!client) clients.set(socket, (client = new SocketClient(socket)));
    return client;
  }

  get id() {
    return this.#socket.id;
  }

  get data() {
    return this.#socket.data;
  }

  get address() {
    return this.#socket.handshake.address;
  }

  get connected() {
    return this.#socket.connected;
  }

  send<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void {
    this.#socket.emit(event, ...args);
  }

  disconnect(): void {
    this.#socket.disconnect(true);
  }

  onLeave(listener: () => void): void {
    this.#socket.on('disconnect', listener);
  }
}
