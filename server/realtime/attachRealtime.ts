import type { Logger } from '../log.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import { registerAccessHandlers } from './accessHandlers.js';
import { registerActivityHandlers } from './activityHandlers.js';
import { registerAgendaHandlers } from './agendaHandlers.js';
import { registerBoardHandlers } from './boardHandlers.js';
import { FailureLimiter } from '../limits/FailureLimiter.js';
import { KeyedBuckets } from '../limits/KeyedBuckets.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import { createHandshake } from './handshake.js';
import { registerParticipantHandlers } from './participantHandlers.js';
import { registerPlanHandlers } from './planHandlers.js';
import { registerPollHandlers } from './pollHandlers.js';
import type { RoundtableServer, RoundtableSocket } from './types.js';

export function attachRealtime(
  io: RoundtableServer,
  deps: {
    store: Store;
    rooms: RoomRegistry;
    tickets: Tickets;
    docs: DocRegistry;
    log: Logger;
    baseUrl: string;
    /** Raise the per-address rates (RATE_LIMITS) for load tests and large shared addresses. */
    addressEventsPerSecond?: number;
    addressJoinsPerSecond?: number;
    /** Several nodes: whether this node runs the connection's workshop, or proxies it to the node that does. */
    place?: (socket: RoundtableSocket) => Promise<'here' | 'proxied'>;
  },
): (socket: RoundtableSocket, room: WorkshopRoom) => void {
  const limiter = new FailureLimiter(RATE_LIMITS.handshakeFailuresPerMinute, 60_000);
  // A rate given in the settings sets the burst too (five seconds' worth); the defaults are RATE_LIMITS.
  const buckets = (rate: number | undefined, defaults: { capacity: number; perSecond: number }) =>
    rate === undefined ? new KeyedBuckets(defaults.capacity, defaults.perSecond) : new KeyedBuckets(rate * 5, rate);
  const newParticipants = buckets(deps.addressJoinsPerSecond, RATE_LIMITS.newParticipantsPerAddress);
  io.use(createHandshake({ store: deps.store, limiter, newParticipants, log: deps.log }));
  const addressEvents = buckets(deps.addressEventsPerSecond, RATE_LIMITS.perAddress);

  /** Registers the handlers of a connection on its workshop's room (also for other nodes' sockets, several nodes). */
  const serve = (socket: RoundtableSocket, room: WorkshopRoom) => {
    const ctx = { ...deps, socket, room, addressEvents };
    registerParticipantHandlers(ctx);
    registerAgendaHandlers(ctx);
    registerAccessHandlers(ctx);
    registerBoardHandlers(ctx);
    registerPollHandlers(ctx);
    registerActivityHandlers(ctx);
    registerPlanHandlers(ctx);
    room.attach(socket);
  };

  io.on('connection', async (socket) => {
    try {
      if (deps.place && (await deps.place(socket)) === 'proxied') return;
      const room = await deps.rooms.getOrLoad(socket.data.workshopId);
      if (!room) return void socket.disconnect(true);
      if (socket.disconnected) return room.disposeIfEmpty();
      serve(socket, room);
    } catch (error) {
      deps.log.error('could not set up a connection', { workshopId: socket.data.workshopId, error: String(error) });
      socket.disconnect(true);
    }
  });
  return serve;
}
