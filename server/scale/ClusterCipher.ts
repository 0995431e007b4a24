/**
 * Several nodes: what one node tells another through Redis is sealed (AES-256-GCM) under a key derived from
 * CLUSTER_KEY, which every node gets from its environment and which never enters Redis. Someone reading Redis
 * (`MONITOR`, a replica, a dump) sees sealed messages of padded sizes on per-node channels: no token,
 * participant, group, address, socket id, note or answer, and nothing that ties two messages to one phone.
 *
 * Identifiers that must stay readable to Redis itself — parts of key names — are replaced by `name`, a keyed
 * hash: the same on every node, meaningless without the key. docs/ANONYMITY.md lists what Redis still sees.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Sealed messages are padded to a multiple of this: their size does not tell an answer's or a note's length. */
const BLOCK_BYTES = 256;
const LENGTH_BYTES = 4;

export class ClusterCipher {
  readonly #sealKey: Buffer;
  readonly #nameKey: Buffer;

  constructor(clusterKey: string) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', clusterKey, 'roundtable cluster', purpose, 32));
    this.#sealKey = derive('messages between nodes');
    this.#nameKey = derive('names in redis');
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
