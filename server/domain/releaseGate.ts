/**
 * The one release rule for every count that leaves the server (board results, poll results and their
 * breakdowns, presence by group). Pure and in memory only: it knows each person by an opaque key (a voter
 * tag, a participant id) and their current contribution (a ballot's text and their stakeholder group).
 *
 * A release is allowed only if, against every earlier release still remembered, at least k people changed,
 * and in every row it shows (a stakeholder group, "other", or the single row of a count without breakdown)
 * either nobody or at least k people changed — and every row holds either nobody or at least k people.
 * So subtracting any two releases, or any row of one from a row of another, never isolates fewer than k
 * people's contributions. Closing is not an exception: the caller releases through the same check.
 *
 * Comparing with every earlier release (not only the last) matters when people change back: three people
 * switching away and back again would otherwise let the first and third release differ by one person.
 */

import { OTHER_GROUP_ID } from '../../shared/protocol/index.js';
import { foldSmallGroups } from './anonymity.js';

export type Contribution = { value: string; group: string | null };
/** Which row of the release a person's group falls in. */
export type RowOf = (group: string | null) => string;

type Release = { states: ReadonlyMap<string, Contribution>; rowOf: RowOf };

/** The single row of a count without breakdown. */
export const oneRow: RowOf = () => '';

/** Releases compared with; older ones differ from today's by many more than k changes in practice. */
const REMEMBERED = 32;

export class ReleaseGate {
  readonly #current = new Map<string, Contribution>();
  #releases: Release[] = [];

  constructor(private readonly k: number) {}

  /** Records a person's contribution as it now stands; `undefined` when they have none any more. */
  set(person: string, contribution: Contribution | undefined): void {
    if (contribution) this.#current.set(person, contribution);
    else this.#current.delete(person);
  }

  get people(): number {
    return this.#current.size;
  }

  /** Rows from the groups as they stand: those of at least k people, the rest (itself 0 or ≥ k) as "other". */
  foldedRows(): RowOf {
    const byGroup = new Map<string | null, number>();
    for (const { group } of this.#current.values()) byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
    const shown = new Set(foldSmallGroups(byGroup, this.k).groups.map((g) => g.id));
    return (group) => (group !== null && shown.has(group) ? group : OTHER_GROUP_ID);
  }

  /** The rows of the last release (fixed for the rest of a round where a breakdown must not move). */
  get lastRowOf(): RowOf | undefined {
    return this.#releases.at(-1)?.rowOf;
  }

  /**
   * After a restart the earlier releases are forgotten, and the stored ballots' earlier values with them:
   * from here on, only people who change after the restart count as changed, and a release needs k of them.
   * (Someone who changes back to their pre-restart answer still counts: see docs/ANONYMITY.md.)
   */
  startAfterRestart(): void {
    this.#releases = [{ states: new Map(), rowOf: oneRow }];
  }

  /**
   * Whether a release with these rows would keep every earlier release at least k people away, row by row.
   * `total`: how many contributions the count holds (more than this gate knows of after a restart).
   */
  allows(rowOf: RowOf, total = this.#current.size): boolean {
    const sizes = new Map<string, number>(rowOf === oneRow ? [['', total]] : []);
    if (rowOf !== oneRow) for (const { group } of this.#current.values()) sizes.set(rowOf(group), (sizes.get(rowOf(group)) ?? 0) + 1);
    if (total < this.k || [...sizes.values()].some((n) => n < this.k)) return false;
    return this.#releases.every((release) => this.#farEnough(release, rowOf));
  }

  #farEnough(release: Release, rowOf: RowOf): boolean {
    let changed = 0;
    const byRow = new Map<string, number>();
    const count = (row: string) => byRow.set(row, (byRow.get(row) ?? 0) + 1);
    for (const person of new Set([...release.states.keys(), ...this.#current.keys()])) {
      const before = release.states.get(person);
      const now = this.#current.get(person);
      const rowBefore = before && release.rowOf(before.group);
      const rowNow = now && rowOf(now.group);
      if (before && now && before.value === now.value && rowBefore === rowNow) continue;
      changed++;
      if (rowBefore !== undefined) count(rowBefore);
      if (rowNow !== undefined && rowNow !== rowBefore) count(rowNow);
    }
    return changed >= this.k && [...byRow.values()].every((n) => n >= this.k);
  }

  /** A release made before a restart, stored by the caller: later releases are compared with it again. */
  restore(states: ReadonlyMap<string, Contribution>, rowOf: RowOf): void {
    this.#releases = [{ states: new Map(states), rowOf }];
  }

  /** How many people's contributions differ from the last release (new, changed or withdrawn): what it leaves out. */
  changedSinceLast(): number {
    const last = this.#releases.at(-1)?.states ?? new Map<string, Contribution>();
    let changed = 0;
    for (const person of new Set([...last.keys(), ...this.#current.keys()])) {
      if (last.get(person)?.value !== this.#current.get(person)?.value) changed++;
    }
    return changed;
  }

  /** Records that the current contributions were released with these rows. Call only after `allows`. */
  record(rowOf: RowOf): void {
    this.#releases = [...this.#releases.slice(1 - REMEMBERED), { states: new Map(this.#current), rowOf }];
  }
}
