import { ErrorCode, type AckError } from '../../shared/protocol/index.js';

/**
 * Whether an error is the store's disk refusing a write: full (SQLite `SQLITE_FULL`, PostgreSQL `53100`), or
 * failing otherwise (I/O errors, a read-only or vanished file). Such a refusal changed nothing — SQLite rolls
 * the transaction back, PostgreSQL does not commit it — so the people affected are told exactly that, rather
 * than the generic "please try again".
 */
export type StorageFault = 'full' | 'failed';

export function storageFault(error: unknown): StorageFault | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL' || code === '53100') return 'full';
  if (/^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/.test(code) || code === '58030' || code === '53000') return 'failed';
  return undefined;
}

/** What a failed request is answered: the store's disk refusing a write is said as such (nothing was saved). */
export function refusalFor(error: unknown): AckError {
  const fault = storageFault(error);
  if (fault === 'full') return { ok: false, code: ErrorCode.storageFull, message: "the server's disk is full: nothing was saved" };
  if (fault === 'failed') return { ok: false, code: ErrorCode.storageFailed, message: 'the server could not write to its disk: nothing was saved' };
  return { ok: false, code: ErrorCode.internal, message: 'the server could not do that; please try again' };
}

/** The last time a write failed this way, and whether one has succeeded since: what /healthz reports. */
export class StorageHealth {
  #failure: { kind: StorageFault; at: number } | undefined;
  readonly #listeners = new Set<(status: StorageFault | 'ok') => void>();

  /** Called when writes start being refused (with how) or are taken again (`ok`). */
  onChange(listener: (status: StorageFault | 'ok') => void): void {
    this.#listeners.add(listener);
  }

  failed(kind: StorageFault, at = Date.now()): void {
    const changed = this.#failure?.kind !== kind;
    this.#failure = { kind, at };
    if (changed) for (const listener of this.#listeners) listener(kind);
  }

  succeeded(): void {
    if (!this.#failure) return;
    this.#failure = undefined;
    for (const listener of this.#listeners) listener('ok');
  }

  /** The failure of the last write, unless a write succeeded after it. */
  get failing(): { kind: StorageFault; at: number } | undefined {
    return this.#failure;
  }
}

/** Read-only methods of the Store: their success says nothing about whether the disk takes writes. */
const READS = new Set([
  'ping',
  'workshopSummaries',
  'getWorkshop',
  'findWorkshopIdByJoinCode',
  'findParticipant',
  'drafters',
  'groupCounts',
  'loadDocUpdates',
  'boxSecret',
  'noteOwnerTag',
  'noteOwners',
  'ballotOf',
  'ballots',
  'ballotCount',
  'hiddenBallots',
  'paperTally',
  'hiddenNotes',
  'activityResult',
  'expiredWorkshopIds',
  'unfinishedEndings',
  'followUp',
  'followUpIdByCode',
  'followUpUpdates',
]);

/** Writes that may succeed without writing anything (a row already there): no evidence the disk takes writes. */
const MAYBE_NOTHING = new Set(['createBoxSecret', 'getOrCreateParticipant', 'close']);

/** A result that says nothing was written: an agenda version conflict (`false`), the same ballot again. */
const wroteNothing = (result: unknown) =>
  result === false || (typeof result === 'object' && result !== null && 'changed' in result && (result as { changed: unknown }).changed === false);

/** The store, with every write's outcome reported to `health`. */
export function watchWrites<S extends object>(
  store: S,
  health: StorageHealth,
  timings?: { storeWrite: (operation: string, outcome: 'ok' | 'failed', seconds: number) => void },
): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || READS.has(property)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) => {
        const started = performance.now();
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        const took = (outcome: 'ok' | 'failed') => timings?.storeWrite(property, outcome, (performance.now() - started) / 1000);
        return result.then(
          (ok: unknown) => {
            took('ok');
            if (!MAYBE_NOTHING.has(property) && !wroteNothing(ok)) health.succeeded();
            return ok;
          },
          (error: unknown) => {
            took('failed');
            const fault = storageFault(error);
            if (fault) health.failed(fault);
            throw error;
          },
        );
      };
    },
  });
}
