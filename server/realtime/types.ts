import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/index.js';
import { isFacilitator } from '../../shared/protocol/index.js';
import type { ClientData } from '../rooms/ports.js';

/** A socket's data is what a room knows of its client (rooms/ports.ts). */
export type SocketData = ClientData;
export type RoundtableServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RoundtableSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO room names: everyone in a workshop, and its facilitators only. */
export const everyoneIn = (workshopId: string) => `w:${workshopId}`;
export const facilitatorsOf = (workshopId: string) => `f:${workshopId}`;
/** The co-facilitators or the screens of a workshop: the connections a rotated link cuts off. */
export const roleIn = (workshopId: string, role: 'cofacilitator' | 'screen') => `${role === 'screen' ? 's' : 'c'}:${workshopId}`;

/**
 * Puts a socket in every Socket.IO room of its workshop that it belongs to, on whichever node holds it: the
 * node that serves its room and a node that forwards it to another (the adapter then delivers broadcasts).
 */
export function joinWorkshopRooms(socket: RoundtableSocket): void {
  const { workshopId, role } = socket.data;
  const rooms = [everyoneIn(workshopId)];
  if (isFacilitator(role)) rooms.push(facilitatorsOf(workshopId));
  if (role === 'cofacilitator' || role === 'screen') rooms.push(roleIn(workshopId, role));
  void socket.join(rooms);
}
