import type { Logger } from '../log.js';
import type { RoomRegistry } from '../rooms/RoomRegistry.js';
import type { Store } from '../store/Store.js';
import { FailureLimiter } from '../limits/FailureLimiter.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import { bucketsFor, type Connections } from './Connections.js';
import { createHandshake } from './handshake.js';
import type { RoundtableServer, RoundtableSocket } from './types.js';

/** Checks every connection in the handshake, then serves it in its workshop's room (or hands it to `place`). */
export function attachRealtime(
  io: RoundtableServer,
  deps: {
    store: Store;
    rooms: RoomRegistry;
    connections: Connections;
    log: Logger;
    /** For the follow-up link an ended workshop's refusal carries. */
    baseUrl: string;
    /** Raise the per-address rate of new participants (RATE_LIMITS.newParticipantsPerAddress). */
    addressJoinsPerSecond?: number;
    /** Several nodes: whether this node runs the connection's workshop, or proxies it to the node that does. */
    place?: (socket: RoundtableSocket) => Promise<'here' | 'proxied'>;
  },
): void {
  const limiter = new FailureLimiter(RATE_LIMITS.handshakeFailuresPerMinute, 60_000);
  const newParticipants = bucketsFor(deps.addressJoinsPerSecond, RATE_LIMITS.newParticipantsPerAddress);
  io.use(createHandshake({ store: deps.store, limiter, newParticipants, log: deps.log, baseUrl: deps.baseUrl }));

  io.on('connection', async (socket) => {
    try {
      if (deps.place && (await deps.place(socket)) === 'proxied') return;
      const room = await deps.rooms.getOrLoad(socket.data.workshopId);
      if (!room) return void socket.disconnect(true);
      if (socket.disconnected) return room.disposeIfEmpty();
      deps.connections.serveSocket(socket, room);
    } catch (error) {
      deps.log.error('could not set up a connection', { workshopId: socket.data.workshopId, error: String(error) });
      socket.disconnect(true);
    }
  });
}
