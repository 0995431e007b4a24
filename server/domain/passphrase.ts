/**
 * Workshop passphrases: short words said aloud in the room, so unlike keys they are guessable offline from a
 * stolen database unless hashed slowly. scrypt with a random salt; compared in constant time. What people
 * type is normalised first (Unicode NFKC, case, spacing), so "Blue  River" and "blue river" both work.
 *
 * scrypt runs on libuv's thread pool, not the event loop: one check costs tens of milliseconds, which a join
 * storm of newcomers would otherwise take from every other room on the node.
 */
import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const normalise = (passphrase: string) => passphrase.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und');

const derive = (passphrase: string, salt: BinaryLike, length: number) =>
  new Promise<Buffer>((resolve, reject) => scrypt(normalise(passphrase), salt, length, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))));

export async function hashPassphrase(passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(passphrase, salt, KEY_LENGTH);
  return `scrypt:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

export async function passphraseMatches(passphrase: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split(':');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const presented = await derive(passphrase, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(presented, expected);
}
