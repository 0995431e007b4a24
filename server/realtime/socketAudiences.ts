/**
 * The audiences of rooms/ports.ts over Socket.IO rooms, which span the nodes through the adapter.
 */
import type { Audience, Audiences, ServerEventArgs } from '../rooms/ports.js';
import { everyoneIn, facilitatorsOf, roleIn, type RoundtableServer } from './types.js';

export function socketAudiences(io: RoundtableServer): Audiences {
  return (workshopId): Audience => ({
    everyone: (event, ...args) => io.to(everyoneIn(workshopId)).emit(event, ...args),
    facilitators: (event, ...args) => io.to(facilitatorsOf(workshopId)).emit(event, ...args),
    front: (event, ...args) => io.to([facilitatorsOf(workshopId), roleIn(workshopId, 'screen')]).emit(event, ...args),
    split: (event, full, filtered) => {
      io.to(facilitatorsOf(workshopId)).emit(event, ...([full] as ServerEventArgs<typeof event>));
      io.to(everyoneIn(workshopId))
        .except(facilitatorsOf(workshopId))
        .emit(event, ...([filtered] as ServerEventArgs<typeof event>));
    },
    disconnect: (who) => {
      const room = who === 'everyone' ? everyoneIn(workshopId) : roleIn(workshopId, who);
      // This node's at once, whatever Redis does; then every node's, by room name. Never `fetchSockets`: its
      // answers cross Redis unsealed, with each socket's data and handshake (tokens, keys, addresses).
      io.local.in(room).disconnectSockets(true);
      io.in(room).disconnectSockets(true);
    },
  });
}
