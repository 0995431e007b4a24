import type { Logger } from '../log.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { TicketBook } from '../yjs/TicketBook.js';
import { registerAccessHandlers } from './accessHandlers.js';
import { registerActivityHandlers } from './activityHandlers.js';
import { registerAgendaHandlers } from './agendaHandlers.js';
import { registerBoardHandlers } from './boardHandlers.js';
import { FailureLimiter } from './FailureLimiter.js';
import { createHandshake } from './handshake.js';
import { registerParticipantHandlers } from './participantHandlers.js';
import { registerPlanHandlers } from './planHandlers.js';
import { registerPollHandlers } from './pollHandlers.js';
import type { RoundtableServer } from './types.js';

/** Failed handshakes allowed per address per minute before it must wait. */
const HANDSHAKE_FAILURES_PER_MINUTE = 30;

export function attachRealtime(
  io: RoundtableServer,
  deps: { store: Store; rooms: RoomRegistry; tickets: TicketBook; docs: DocRegistry; log: Logger; baseUrl: string },
): void {
  const limiter = new FailureLimiter(HANDSHAKE_FAILURES_PER_MINUTE, 60_000);
  io.use(createHandshake({ store: deps.store, limiter, log: deps.log }));

  io.on('connection', async (socket) => {
    try {
      const room = await deps.rooms.getOrLoad(socket.data.workshopId);
      if (!room) return void socket.disconnect(true);
      if (socket.disconnected) return room.disposeIfEmpty();
      const ctx = { ...deps, socket, room };
      registerParticipantHandlers(ctx);
      registerAgendaHandlers(ctx);
      registerAccessHandlers(ctx);
      registerBoardHandlers(ctx);
      registerPollHandlers(ctx);
      registerActivityHandlers(ctx);
      registerPlanHandlers(ctx);
      room.attach(socket);
    } catch (error) {
      deps.log.error('could not set up a connection', { workshopId: socket.data.workshopId, error: String(error) });
      socket.disconnect(true);
    }
  });
}
