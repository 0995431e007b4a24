import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, Role, ServerToClientEvents } from '../../shared/protocol/index.js';

/** Who a socket is, resolved once in the handshake. */
export type SocketData = {
  workshopId: string;
  role: Role;
  participantId?: string;
  groupId?: string | null;
  /** The participant's secret token, kept in memory for HMAC tags; never stored, logged or sent. */
  token?: string;
  /** The participant may write the action plan, known by this name (possibly empty). */
  drafter?: boolean;
  drafterName?: string;
};

export type RoundtableServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RoundtableSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO room names: everyone in a workshop, and its facilitators only. */
export const everyoneIn = (workshopId: string) => `w:${workshopId}`;
export const facilitatorsOf = (workshopId: string) => `f:${workshopId}`;
