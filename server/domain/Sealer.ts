/**
 * What the server leaves with a service someone else may read — messages between nodes in Redis, open votes'
 * ballots in PostgreSQL — is sealed (AES-256-GCM) under a key derived from SEAL_KEY, which every node gets from
 * its environment and which never enters Redis or the database. Each use derives its own key (`purpose`).
 * Someone reading Redis (`MONITOR`, a replica, a dump) or `pg_wal` sees sealed bytes of padded sizes.
 *
 * Identifiers that must stay comparable there — parts of key names, rate-limit buckets — are replaced by
 * `name`, a keyed hash: the same on every node, meaningless without the key. docs/ANONYMITY.md lists what
 * Redis and PostgreSQL still see.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Sealed bytes are padded to a multiple of this: their size does not tell an answer's or a note's length. */
const BLOCK_BYTES = 256;
const LENGTH_BYTES = 4;

/** What a sealer is for: each derives its own keys, so nothing sealed for one opens as another. */
export type SealPurpose = 'messages between nodes' | 'open ballots';

export class Sealer {
  readonly #sealKey: Buffer;
  readonly #nameKey: Buffer;

  constructor(sealKey: string, purpose: SealPurpose) {
    const derive = (use: string) => Buffer.from(hkdfSync('sha256', sealKey, 'roundtable', `${purpose}: ${use}`, 32));
    this.#sealKey = derive('sealing');
    this.#nameKey = derive('names');
  }

  seal(plain: Buffer | string): Buffer {
    const body = Buffer.from(plain);
    const padded = Buffer.alloc(Math.ceil((body.length + LENGTH_BYTES) / BLOCK_BYTES) * BLOCK_BYTES);
    padded.writeUInt32BE(body.length, 0);
    body.copy(padded, LENGTH_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, iv);
    const sealed = Buffer.concat([cipher.update(padded), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), sealed]);
  }

  /** The message, or undefined if it was not sealed with this key (another cluster's, or tampered with). */
  open(sealed: Buffer): Buffer | undefined {
    const head = 1 + IV_BYTES + TAG_BYTES;
    if (sealed.length < head + BLOCK_BYTES || sealed[0] !== VERSION) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, sealed.subarray(1, 1 + IV_BYTES));
      decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, head));
      const padded = Buffer.concat([decipher.update(sealed.subarray(head)), decipher.final()]);
      const length = padded.readUInt32BE(0);
      return length <= padded.length - LENGTH_BYTES ? padded.subarray(LENGTH_BYTES, LENGTH_BYTES + length) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A stand-in for an identifier where Redis must be able to compare it (a key name, a rate-limit bucket). */
  name(value: string): string {
    return createHmac('sha256', this.#nameKey).update(value).digest('base64url');
  }
}
