import type { Logger } from '../log.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import type { TicketBook } from '../yjs/TicketBook.js';
import { registerAccessHandlers } from './accessHandlers.js';
import { registerAgendaHandlers } from './agendaHandlers.js';
import { FailureLimiter } from './FailureLimiter.js';
import { createHandshake } from './handshake.js';
import { registerParticipantHandlers } from './participantHandlers.js';
import type { RoundtableServer } from './types.js';

/** Failed handshakes allowed per address per minute before it must wait. */
const HANDSHAKE_FAILURES_PER_MINUTE = 30;

export function attachRealtime(
  io: RoundtableServer,
  deps: { store: Store; rooms: RoomRegistry; tickets: TicketBook; log: Logger; baseUrl: string },
): void {
  const limiter = new FailureLimiter(HANDSHAKE_FAILURES_PER_MINUTE, 60_000);
  io.use(createHandshake({ store: deps.store, rooms: deps.rooms, limiter }));

  io.on('connection', async (socket) => {
    const room = await deps.rooms.getOrLoad(socket.data.workshopId);
    if (!room || socket.disconnected) return void socket.disconnect(true);
    const ctx = { socket, room, log: deps.log, tickets: deps.tickets, baseUrl: deps.baseUrl };
    registerParticipantHandlers(ctx);
    registerAgendaHandlers(ctx);
    registerAccessHandlers(ctx);
    room.attach(socket);
  });
}
