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
  /** A screen: the hash of the key it came with, checked again wherever it is attached (a rotation may be newer). */
  screenKeyHash?: string;
};

export type RoundtableServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RoundtableSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO room names: everyone in a workshop, and its facilitators only. */
export const everyoneIn = (workshopId: string) => `w:${workshopId}`;
export const facilitatorsOf = (workshopId: string) => `f:${workshopId}`;
/** The co-facilitators or the screens of a workshop: the connections a rotated link cuts off. */
export const roleIn = (workshopId: string, role: 'cofacilitator' | 'screen') => `${role === 'screen' ? 's' : 'c'}:${workshopId}`;

/** Every room a connection belongs to, on whichever node holds it. */
export function roomsOf({ workshopId, role }: Pick<SocketData, 'workshopId' | 'role'>): string[] {
  const rooms = [everyoneIn(workshopId)];
  if (role === 'facilitator' || role === 'cofacilitator') rooms.push(facilitatorsOf(workshopId));
  if (role === 'cofacilitator' || role === 'screen') rooms.push(roleIn(workshopId, role));
  return rooms;
}
