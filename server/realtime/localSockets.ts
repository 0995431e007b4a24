/** This node's own sockets, for scale/: the one it forwards a message to, the ones it drops with a workshop. */
import { everyoneIn, type RoundtableServer, type RoundtableSocket } from './types.js';

export type LocalSockets = {
  get(socketId: string): RoundtableSocket | undefined;
  /** Disconnects this node's sockets of a workshop, and only this node's. */
  disconnectWorkshop(workshopId: string): void;
};

export const localSockets = (io: RoundtableServer): LocalSockets => ({
  get: (socketId) => io.sockets.sockets.get(socketId),
  disconnectWorkshop: (workshopId) => io.local.in(everyoneIn(workshopId)).disconnectSockets(true),
});
