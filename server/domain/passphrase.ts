/**
 * Workshop passphrases: short words said aloud in the room, so unlike keys they are guessable offline from a
 * stolen database unless hashed slowly. scrypt with a random salt; compared in constant time. What people
 * type is normalised first (Unicode NFKC, case, spacing), so "Blue  River" and "blue river" both work.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const normalise = (passphrase: string) => passphrase.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und');

export function hashPassphrase(passphrase: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(normalise(passphrase), salt, KEY_LENGTH, SCRYPT);
  return `scrypt:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

export function passphraseMatches(passphrase: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split(':');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const presented = scryptSync(normalise(passphrase), Buffer.from(salt, 'base64url'), expected.length, SCRYPT);
  return timingSafeEqual(presented, expected);
}
