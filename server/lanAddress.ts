import { networkInterfaces } from 'node:os';

const isPrivate = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);

/**
 * The address phones on the venue's Wi-Fi can reach this laptop at: a private IPv4 address if there is one
 * (the usual Wi-Fi router hands those out), any external IPv4 otherwise, and `localhost` on a machine with no
 * network at all.
 */
export function lanAddress(): string {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
  return addresses.find(isPrivate) ?? addresses[0] ?? 'localhost';
}
