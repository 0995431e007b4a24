/** Random identifiers and secrets, and how they are stored and compared. */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../shared/protocol/index.js';

/** 128 random bits, URL-safe: workshop ids, activity ids. */
export const randomId = (): string => randomBytes(16).toString('base64url');

/** A 128-bit secret (facilitator keys, co-facilitator keys, Yjs tickets). */
export const newSecret = (): string => randomBytes(16).toString('base64url');

/** A code read off a screen or a handout, in the alphabet that avoids look-alike characters. */
export function newJoinCode(length: number = JOIN_CODE_LENGTH): string {
  let code = '';
  for (let i = 0; i < length; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * Secrets are stored only as SHA-256 hashes. They are 128+ random bits, so a fast hash is enough:
 * there is nothing to brute-force that a slow hash would protect.
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Constant-time check of a presented secret against a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/**
 * The tag that stands in for a participant in one box of anonymous records (a board's note owners, a vote's
 * voters). Without the box's secret, which is deleted when the box is sealed, a tag cannot be tied to
 * anyone; tags of different boxes cannot be tied to each other.
 */
export const tagFor = (secret: Buffer, participantId: string): string => createHmac('sha256', secret).update(participantId).digest('base64url');

export const newBoxSecret = (): Buffer => randomBytes(32);
