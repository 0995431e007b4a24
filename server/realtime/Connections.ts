/**
 * Serves clients in their workshops' rooms: registers the handlers of each client's events and attaches it to
 * the room (which counts it and sends its snapshot). For this node's sockets and, several nodes, for the
 * connections other nodes forward to the room this node runs (scale/RemoteSockets).
 */
import type { Logger } from '../log.js';
import type { RoomClient } from '../rooms/ports.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import { KeyedBuckets } from '../limits/KeyedBuckets.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import { registerAccessHandlers } from './accessHandlers.js';
import { registerActivityHandlers } from './activityHandlers.js';
import { registerAgendaHandlers } from './agendaHandlers.js';
import { registerBoardHandlers } from './boardHandlers.js';
import type { ClientEvents } from './defineHandler.js';
import { registerParticipantHandlers } from './participantHandlers.js';
import { registerPlanHandlers } from './planHandlers.js';
import { registerPollHandlers } from './pollHandlers.js';
import { registerStatementsHandlers } from './statementsHandlers.js';
import { SocketClient } from './SocketClient.js';
import { joinWorkshopRooms, type RoundtableSocket } from './types.js';
import type { Metrics } from '../metrics/Metrics.js';

/** A rate given in the settings sets the burst too (five seconds' worth); the defaults are RATE_LIMITS. */
export const bucketsFor = (rate: number | undefined, defaults: { capacity: number; perSecond: number }) =>
  rate === undefined ? new KeyedBuckets(defaults.capacity, defaults.perSecond) : new KeyedBuckets(rate * 5, rate);

export class Connections {
  readonly #addressEvents: KeyedBuckets;

  constructor(
    private readonly deps: {
      store: Store;
      tickets: Tickets;
      docs: DocRegistry;
      log: Logger;
      baseUrl: string;
      /** Raise the per-address rate (RATE_LIMITS.perAddress) for load tests and large shared addresses. */
      addressEventsPerSecond?: number;
      metrics: Metrics;
    },
  ) {
    this.#addressEvents = bucketsFor(deps.addressEventsPerSecond, RATE_LIMITS.perAddress);
  }

  /** Serves a client in a room; answers its events, given as they arrived (the ack last), with what it returns. */
  serve(client: RoomClient, room: WorkshopRoom): ClientEvents {
    const events: ClientEvents = new Map();
    const ctx = { ...this.deps, client, room, addressEvents: this.#addressEvents, events };
    registerParticipantHandlers(ctx);
    registerAgendaHandlers(ctx);
    registerAccessHandlers(ctx);
    registerBoardHandlers(ctx);
    registerPollHandlers(ctx);
    registerStatementsHandlers(ctx);
    registerActivityHandlers(ctx);
    registerPlanHandlers(ctx);
    room.attach(client);
    return events;
  }

  /** Serves a socket connected to this node: it joins its Socket.IO rooms, its listeners run its events. */
  serveSocket(socket: RoundtableSocket, room: WorkshopRoom): ClientEvents {
    joinWorkshopRooms(socket);
    const events = this.serve(SocketClient.of(socket), room);
    // Socket.IO's typings cannot follow an event name held in a variable; the events are ClientToServerEvents'.
    const on = socket.on.bind(socket) as (event: string, listener: (...args: unknown[]) => void) => void;
    for (const [event, run] of events) on(event, (...args) => void run(args));
    return events;
  }
}
