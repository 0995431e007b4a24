/**
 * An open vote's ballots as PostgreSQL holds them. Every write reaches `pg_wal` before any table, with its
 * transaction's commit time to the microsecond, and a changed answer's transaction deletes exactly the earlier
 * answer's row: `pg_waldump` alone would give each ballot's time and tie a changed answer to the first. So while
 * a vote is open each ballot row is sealed (server/domain/Sealer.ts, SEAL_KEY from the environment, never in the
 * database): its row id is a random slot, its payload the ballot's own id and answer sealed together. Sealing
 * the box writes the ballots in the clear, all in one transaction, in the order of their own ids — which no
 * open row ever showed, so nothing ties a clear ballot to the sealed row it came from.
 */
import { Sealer } from '../../domain/Sealer.js';

const SEALED = 'sealed:';

export type Ballot = { id: string; payload: string };

export class OpenBallots {
  readonly #sealer: Sealer;

  constructor(sealKey: string) {
    this.#sealer = new Sealer(sealKey, 'open ballots');
  }

  /** The payload column of an open ballot's row. */
  seal(id: string, payload: string): string {
    return SEALED + this.#sealer.seal(JSON.stringify({ id, payload })).toString('base64');
  }

  /** A ballot row as stored: an open vote's sealed row opened, a sealed vote's row (in the clear) as it is. */
  open(rowId: string, stored: string): Ballot {
    if (!stored.startsWith(SEALED)) return { id: rowId, payload: stored };
    const opened = this.#sealer.open(Buffer.from(stored.slice(SEALED.length), 'base64'));
    if (!opened) throw new WrongSealKey();
    return JSON.parse(opened.toString()) as Ballot;
  }
}

export class WrongSealKey extends Error {
  constructor() {
    super('the open votes in this database were sealed with another SEAL_KEY: give every node the key they were sealed with');
  }
}
