/**
 * Which address a client connects from, for the per-address limits (docs/SECURITY.md). Without TRUST_PROXY it is
 * the TCP peer. Behind a reverse proxy that peer is the proxy, for everyone; TRUST_PROXY names the proxies
 * (addresses, subnets, or `loopback` / `linklocal` / `uniquelocal`), and the client is then the nearest address in
 * `X-Forwarded-For` that is not one of them. A client cannot pose as another by writing that header itself:
 * entries are read from the proxy's end, and reading stops at the first address that is not a trusted proxy.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustedProxies = (address: string, hop: number) => boolean;

/**
 * Parses a TRUST_PROXY value ("loopback", "10.0.0.2, 10.0.1.0/24"); throws on an entry that is not an address,
 * and on one that trusts every address (any client could then name itself whatever it liked).
 */
export function trustedProxies(setting: string): TrustedProxies {
  const entries = setting
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const everything = new Error('this trusts every address: list only the proxies');
  if (entries.some((entry) => /\/0+$/.test(entry))) throw everything;
  const trusted = proxyAddr.compile(entries);
  // However else it is written (netmasks, two halves), a setting that trusts addresses from every part of the
  // address space trusts every client.
  if (EVERYWHERE.some((spread) => spread.every((address) => trusted(address, 0)))) throw everything;
  return trusted;
}

/** Public addresses far apart: one from each eighth of IPv4, and IPv6 addresses of four regional registries. */
const EVERYWHERE = [
  ['1.1.1.1', '40.0.0.1', '70.0.0.1', '100.0.0.1', '140.0.0.1', '170.0.0.1', '200.0.0.1', '220.0.0.1'],
  ['2001:4860::1', '2400:cb00::1', '2600:1f00::1', '2a00:1450::1', '2c0f:fb50::1'],
];

export function clientAddress(request: IncomingMessage, trusted: TrustedProxies | undefined): string {
  // A connection closed meanwhile has no address left.
  return (trusted ? proxyAddr(request, trusted) : request.socket.remoteAddress) ?? '';
}
