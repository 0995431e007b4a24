import { clientAddress, type TrustedProxies } from '../http/clientAddress.js';
import type { RoundtableServer } from './types.js';

/**
 * Socket.IO: the handshake's `address` becomes the client's, before anything reads it — the handshake's failure
 * and join limits, the per-address event limit, and (several nodes) what a proxy node tells the owner.
 */
export function readClientAddresses(io: RoundtableServer, trusted: TrustedProxies): void {
  io.use((socket, next) => {
    socket.handshake.address = clientAddress(socket.request, trusted);
    next();
  });
}
