/**
 * Several nodes, on a node that forwards: one of its sockets whose workshop another node owns. It joins the
 * workshop's Socket.IO rooms here (the adapter delivers room broadcasts to it), forwards every client event
 * until this node serves the socket itself, and keeps the state of its introduction to the owner.
 */
import { clientEventSchemas } from '../../shared/protocol/schemas.js';
import type { Connections } from '../realtime/Connections.js';
import type { ClientEvents } from '../realtime/defineHandler.js';
import { joinWorkshopRooms, type RoundtableSocket } from '../realtime/types.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import type { ParticipantStore } from '../store/Store.js';
import { freshClientData } from './freshClientData.js';

const EVENT_NAMES = Object.keys(clientEventSchemas);

type Listener = (...args: unknown[]) => void;

export class ProxiedSocket {
  /** The latest introduction to the owner (true once it worked); `attaching` while it is in flight. */
  attached: Promise<boolean> | undefined;
  attaching = false;
  /** Set once this node took the workshop over and serves the socket itself: its events, run here. */
  served: ClientEvents | undefined;
  readonly #listeners: [string, Listener][] = [];

  constructor(
    readonly socket: RoundtableSocket,
    forward: (event: string, args: unknown[]) => void,
    onDisconnect: () => void,
  ) {
    joinWorkshopRooms(socket);
    for (const event of EVENT_NAMES) this.#listen(event, (...args) => forward(event, args));
    this.#listen('disconnect', onDisconnect);
  }

  #listen(event: string, listener: Listener): void {
    this.#listeners.push([event, listener]);
    // Socket.IO's typings cannot follow an event name held in a variable; the events are ClientToServerEvents'.
    (this.socket.on as (event: string, listener: Listener) => void)(event, listener);
  }

  /** This node serves the socket itself from now on: its events are no longer forwarded. */
  stopForwarding(): void {
    for (const [event, listener] of this.#listeners.splice(0)) this.socket.off(event as never, listener as never);
  }
}

/**
 * This node took the sockets' workshop over: from now on `room` serves them here (without a room, they are
 * disconnected and placed afresh when they reconnect). Their data is read before the switch, which then
 * happens in one go: no event falls between the forwarding listeners and the room's. A participant's group or
 * drafting may have changed through the old owner since the handshake.
 */
export async function serveHere(
  sockets: ProxiedSocket[],
  room: WorkshopRoom | undefined,
  deps: { store: ParticipantStore; connections: Connections },
): Promise<void> {
  const fresh = room ? await Promise.all(sockets.map(({ socket }) => freshClientData(deps.store, socket.data).catch(() => undefined))) : [];
  sockets.forEach((proxied, i) => {
    const { socket } = proxied;
    proxied.stopForwarding();
    if (socket.disconnected) return;
    const data = fresh[i];
    if (!room || !data) return void socket.disconnect(true);
    socket.data = data;
    proxied.served = deps.connections.serveSocket(socket, room);
  });
}
