import { networkInterfaces } from 'node:os';

const isPrivate = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);

/**
 * The address phones on the venue's Wi-Fi can reach this laptop at: a private IPv4 address if there is one
 * (the usual Wi-Fi router hands those out) on a real interface before a virtual one, any external IPv4
 * otherwise, and `localhost` on a machine with no network at all. `PUBLIC_URL` overrides it.
 */
/** Interfaces of containers, VMs and VPNs, which phones on the Wi-Fi cannot reach. */
const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|tun|tap|utun|wg|zt|tailscale|lxc|cni|flannel)/;

export function lanAddress(): string {
  const addresses = Object.entries(networkInterfaces())
    .sort(([a], [b]) => Number(VIRTUAL.test(a)) - Number(VIRTUAL.test(b)))
    .flatMap(([, list]) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
  return addresses.find(isPrivate) ?? addresses[0] ?? 'localhost';
}
