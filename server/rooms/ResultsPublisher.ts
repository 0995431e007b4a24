/**
 * When results may go out: the ballot boxes of boards and polls share this. Everyone is answered from the
 * last release, never from a live count; a new count is released only when the release rule of
 * server/domain/releaseGate.ts allows it (at least k people changed since every earlier release, in every
 * row shown) — and closing goes through the same rule: if too few changed since the last release, the last
 * release is the final result. Releases are also batched: at most one attempt per interval per box.
 */
import { oneRow, ReleaseGate, type Contribution, type RowOf } from '../domain/releaseGate.js';
import type { Store } from '../store/Store.js';

/** A box's next recount and/or resend; `cancelled` once the box is forgotten, even if it waits in the queue. */
type Job = { timer: NodeJS.Timeout; recount: boolean; resend: boolean; cancelled: boolean };

export class ResultsPublisher<T> {
  readonly #published = new Map<string, T>();
  /** Per box, what each voter (by tag, memory only) contributes now and at each earlier release. */
  readonly #gates = new Map<string, Promise<ReleaseGate>>();
  readonly #timers = new Map<string, Job>();
  /** Boxes of which a count was released (so a closing that releases nothing keeps that one). */
  readonly #everReleased = new Set<string>();
  /** Boxes whose final result was decided: only amended from now on, never counted again. */
  readonly #finished = new Set<string>();

  constructor(
    private readonly options: {
      threshold: number;
      intervalMs: number;
      /** A fresh count with these breakdown rows (`oneRow`: no breakdown). */
      count: (key: string, rowOf: RowOf) => Promise<T>;
      /** How many ballots the box holds (after a restart, more than the gate has seen). */
      ballots: (key: string) => Promise<number>;
      /** How many people a release counts. */
      counted: (snapshot: T) => number;
      /** Whether the box's count is broken down by stakeholder group. */
      breakdown: (key: string) => boolean;
      /** Whether counts are released while the box is open (else only how many voted goes out until closing). */
      live: (key: string) => boolean;
      closed: (key: string) => boolean;
      /**
       * What to answer before anything was released (a new vote, or a server just restarted): never a
       * fresh count, which could differ from an earlier release by fewer than k changes.
       */
      initial: (key: string) => Promise<T>;
      emit: (key: string, snapshot: T) => void;
      /**
       * Where a live release is stored (with the workshop's results, under `key(box)`), so that after a restart
       * it is served (and final) until a new one is allowed.
       */
      releases: { store: Pick<Store, 'saveActivityResult' | 'activityResult'>; workshopId: string; key: (key: string) => string };
      /** Runs a task in the owner's queue, so counting never interleaves with voting. */
      serialise: <R>(task: () => Promise<R>) => Promise<R>;
      onError: (key: string, error: unknown) => void;
    },
  ) {}

  #keep(key: string, snapshot: T): Promise<void> {
    const { store, workshopId, key: storedAs } = this.options.releases;
    return store.saveActivityResult(workshopId, storedAs(key), snapshot);
  }

  /** The last release, or the initial answer if there is none yet. */
  async snapshot(key: string): Promise<T> {
    // After a restart the release stored for an open box is what was last shown: serve it, not `initial`.
    if (!this.#published.has(key) && this.options.live(key) && !this.options.closed(key)) await this.open(key);
    let snapshot = this.#published.get(key);
    if (snapshot === undefined) this.#published.set(key, (snapshot = await this.options.initial(key)));
    return snapshot;
  }

  /**
   * Replaces the release without counting (an item left the board, an answer was hidden): sent at the next
   * tick, and stored in its place while the box is open, so that a restart does not bring the old one back.
   */
  async amend(key: string, change: (snapshot: T) => T): Promise<void> {
    // After a restart nothing may be loaded yet: load the stored release, or the change would be lost.
    if (!this.#published.has(key) && this.options.live(key) && !this.options.closed(key)) await this.open(key);
    const snapshot = this.#published.get(key);
    if (snapshot !== undefined) {
      const amended = change(snapshot);
      this.#published.set(key, amended);
      if (this.#everReleased.has(key) && this.options.live(key) && !this.options.closed(key)) await this.#keep(key, amended);
    }
    this.republish(key);
  }

  /** A person's ballot as it now stands (call when it really changed). */
  async contribute(key: string, voterTag: string, contribution: Contribution): Promise<void> {
    (await this.open(key)).set(voterTag, contribution);
    this.#schedule(key, true);
  }

  /**
   * Makes sure the box's gate exists before a ballot is stored (call before storing): a release stored for
   * an open box when it is made means the server restarted after releasing, and who changed since is unknown.
   */
  open(key: string): Promise<ReleaseGate> {
    let gate = this.#gates.get(key);
    if (!gate) {
      gate = this.#makeGate(key);
      this.#gates.set(key, gate);
      // A store that failed once (a database blip) is asked again by the next vote, not never again.
      gate.catch(() => this.#gates.get(key) === gate && this.#gates.delete(key));
    }
    return gate;
  }

  async #makeGate(key: string): Promise<ReleaseGate> {
    const gate = new ReleaseGate(this.options.threshold);
    // Only a release made before (and stored) needs comparing with: without one, nothing went out yet.
    const { store, key: storedAs } = this.options.releases;
    const kept = this.options.live(key) && (await this.options.ballots(key)) > 0 ? ((await store.activityResult(storedAs(key))) as T | undefined) : undefined;
    if (kept !== undefined) {
      gate.startAfterRestart();
      this.#published.set(key, kept);
      this.#everReleased.add(key);
    }
    return gate;
  }

  /** Sends the current release again (its audience changed), without counting anew. */
  republish(key: string): void {
    this.#schedule(key, false);
  }

  /**
   * The vote is over: releases a final count if the rule allows, else keeps the last release. Resolves with
   * the final release (undefined if nothing could ever be released), how many ballots the box holds, and how
   * many people's ballots the release leaves out: new or changed since it (too few to be shown), or stored
   * after it before a restart (the gate never saw them). Call inside the queue.
   */
  async final(key: string): Promise<{ release: T | undefined; stored: number; heldBack: number }> {
    const released = await this.#tryRelease(key);
    const stored = await this.options.ballots(key);
    const last = this.#everReleased.has(key) ? this.#published.get(key) : undefined;
    const changed = released || last === undefined ? 0 : ((await this.#gates.get(key))?.changedSinceLast() ?? 0);
    const heldBack = last === undefined ? 0 : Math.max(changed, stored - this.options.counted(last));
    // Closed for good: a recount still scheduled from the last votes must not release anything after this.
    this.#finished.add(key);
    this.#gates.delete(key);
    this.#cancel(key);
    this.republish(key);
    return { release: last, stored, heldBack };
  }

  /** Releases a fresh count if the rule allows (a box that shows nothing while open: only how many voted). */
  async #tryRelease(key: string): Promise<boolean> {
    if (this.#finished.has(key)) return false;
    if (!this.options.live(key) && !this.options.closed(key)) {
      this.#published.set(key, await this.options.count(key, oneRow));
      return true;
    }
    const gate = await this.open(key);
    const total = await this.options.ballots(key);
    const rowOf = this.#rows(key, gate, total);
    if (!gate.allows(rowOf, total)) return false;
    const snapshot = await this.options.count(key, rowOf);
    if (this.options.live(key) && !this.options.closed(key)) await this.#keep(key, snapshot);
    this.#published.set(key, snapshot);
    gate.record(rowOf);
    this.#everReleased.add(key);
    return true;
  }

  /**
   * Breakdown rows are fixed once shown. Ballots the gate never saw (stored before a restart) have no known
   * group, so such a round shows no breakdown.
   */
  #rows(key: string, gate: ReleaseGate, total: number): RowOf {
    if (!this.options.breakdown(key) || gate.people !== total) return oneRow;
    return gate.lastRowOf ?? gate.foldedRows();
  }

  /**
   * One timer per box: a recount (which sends only if it released something new) and a resend of the
   * current release (its audience changed) share it; a resend asked for is never swallowed by a recount.
   */
  #schedule(key: string, recount: boolean): void {
    const pending = this.#timers.get(key);
    if (pending) {
      pending.recount ||= recount;
      pending.resend ||= !recount;
      return;
    }
    const job: Job = { recount, resend: !recount, cancelled: false, timer: setTimeout(() => this.#run(key, job), this.options.intervalMs) };
    this.#timers.set(key, job);
  }

  /** The job stays the box's until it runs, so votes meanwhile join it and `forget` can still cancel it. */
  #run(key: string, job: Job): void {
    this.options
      .serialise(async () => {
        if (job.cancelled) return;
        if (this.#timers.get(key) === job) this.#timers.delete(key);
        const released = job.recount && (await this.#tryRelease(key));
        if (released || job.resend || !this.#published.has(key)) this.options.emit(key, await this.snapshot(key));
      })
      .catch((error) => this.options.onError(key, error));
  }

  forget(key: string): void {
    this.#cancel(key);
    this.#published.delete(key);
    this.#gates.delete(key);
    this.#everReleased.delete(key);
    this.#finished.delete(key);
  }

  #cancel(key: string): void {
    const job = this.#timers.get(key);
    if (!job) return;
    clearTimeout(job.timer);
    job.cancelled = true;
    this.#timers.delete(key);
  }

  dispose(): void {
    for (const key of [...this.#timers.keys()]) this.#cancel(key);
  }
}
