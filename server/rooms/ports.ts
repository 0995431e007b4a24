/**
 * What a room needs of the connections it serves, and nothing more: rooms see clients and audiences, never
 * Socket.IO. realtime/ implements both over Socket.IO (SocketClient, socketAudiences) and alone knows the
 * server; scale/ implements RoomClient for a connection held by another node (RemoteClient). The model is
 * tldraw's TLSyncRoom, which sees only a small socket interface, and this project's own yjs ↔ scale seam
 * (DocPeers).
 */
import type { Role, ServerToClientEvents } from '../../shared/protocol/index.js';

/** Who a connection is, resolved once in the handshake (and kept current by the room). */
export type ClientData = {
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

export type ServerEvent = keyof ServerToClientEvents;
export type ServerEventArgs<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>;

/** One connection, as a room sees it. */
export interface RoomClient {
  readonly id: string;
  /** Who it is. The room changes it as that changes (a group chosen, drafting allowed or withdrawn). */
  readonly data: ClientData;
  /** A stable name for where it connects from, for per-address limits (another node's: a sealed stand-in). */
  readonly address: string;
  readonly connected: boolean;
  send<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void;
  /** Ends the connection; reconnecting, the client is checked afresh by the handshake. */
  disconnect(): void;
  /** Called once when the connection ends, whichever side ends it. */
  onLeave(listener: () => void): void;
}

/** Everyone connected to one workshop, on every node. */
export interface Audience {
  everyone<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void;
  facilitators<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void;
  /** The front of the room: facilitators and screens (not every phone: a signal for whoever runs the session). */
  front<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void;
  /**
   * Facilitators are sent `full`, everyone else `filtered` (a count the room may not see yet): one call, so
   * that no publication can reach the room unfiltered.
   */
  split<E extends ServerEvent>(event: E, full: ServerEventArgs<E>[0], filtered: ServerEventArgs<E>[0]): void;
  /** Ends every connection to the workshop, or those that came with a co-facilitator or screen link just replaced. */
  disconnect(who: 'everyone' | 'cofacilitator' | 'screen'): void;
}

export type Audiences = (workshopId: string) => Audience;
