/**
 * Which address a client connects from, for the per-address limits (docs/SECURITY.md). Without TRUST_PROXY it is
 * the TCP peer. Behind a reverse proxy that peer is the proxy, for everyone; TRUST_PROXY names the proxies
 * (addresses, subnets, or `loopback` / `linklocal` / `uniquelocal`), and the client is then the nearest address in
 * `X-Forwarded-For` that is not one of them. A client cannot pose as another by writing that header itself:
 * entries are read from the proxy's end, and reading stops at the first address that is not a trusted proxy.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { RoundtableServer } from '../realtime/types.js';

export type TrustedProxies = (address: string, hop: number) => boolean;

/** Parses a TRUST_PROXY value ("loopback", "10.0.0.0/8, 192.168.1.5"); throws on an entry that is not an address. */
export function trustedProxies(setting: string): TrustedProxies {
  return proxyAddr.compile(setting.split(',').map((entry) => entry.trim()).filter(Boolean));
}

export function clientAddress(request: IncomingMessage, trusted: TrustedProxies | undefined): string {
  return trusted ? proxyAddr(request, trusted) : (request.socket.remoteAddress ?? '');
}

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
