/**
 * Who is connected, as a room may be told. Everyone sees how many participants are connected, exactly, so a
 * room can notice invented ones (docs/ANONYMITY.md); facilitators also see how many by stakeholder group and
 * how many screens. The breakdown by group goes through the one release rule like every other count
 * (ReleaseGate: every row it shows changed by 0 or at least k people), and moves only once at least k people
 * arrived, left or changed group since it last moved — counted by person, so whether it moves never depends on
 * one newcomer's group. Everyone, a console reconnecting included, is answered from the last publication.
 * Publications go out at most every `intervalMs`, so a changing count does not pinpoint one arrival.
 *
 * The last breakdown, with who was connected in which group when it went out, is stored: a room loaded again
 * (a restart, another node taking over, everyone back after a break) compares with it, so people reconnecting
 * are no change and someone held back before is still held back.
 */
import type { Presence } from '../../shared/protocol/index.js';
import { OTHER_GROUP_ID } from '../../shared/protocol/index.js';
import { ReleaseGate, type RowOf } from '../domain/releaseGate.js';

type Breakdown = { groups: { id: string; count: number }[]; other: number };
export type Published = { room: Presence; facilitators: Presence };
/** What is stored of the last breakdown: the rows it showed, and each participant's group then. */
export type StoredPresence = { breakdown: Breakdown; shown: string[]; people: [string, string | null][] };

const PRESENT = 'present';

export class PresenceReleases {
  readonly #gate: ReleaseGate;
  readonly #groups = new Map<string, string | null>();
  #screens = 0;
  #breakdown: Breakdown = { groups: [], other: 0 };
  /** Everyone's group when the breakdown last moved. */
  #atRelease = new Map<string, string | null>();
  #published: Published;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly k: number,
    private readonly intervalMs: number,
    private readonly emit: (published: Published) => void,
    private readonly keep: (stored: StoredPresence) => Promise<void>,
  ) {
    this.#gate = new ReleaseGate(k);
    this.#published = this.#current();
  }

  /** Picks up from the breakdown stored before this room was loaded (call before anyone attaches). */
  restore(stored: StoredPresence | undefined): void {
    if (!stored) return;
    const shown = new Set(stored.shown);
    const rowOf: RowOf = (group) => (group !== null && shown.has(group) ? group : OTHER_GROUP_ID);
    this.#atRelease = new Map(stored.people);
    this.#gate.restore(new Map(stored.people.map(([id, group]) => [id, { value: PRESENT, group }])), rowOf);
    this.#breakdown = stored.breakdown;
    this.#published = this.#current();
  }

  /** What was last published: what a snapshot serves. */
  get published(): Published {
    return this.#published;
  }

  /** A participant is connected (in this group), or with `undefined` no longer. */
  participant(id: string, group: string | null | undefined): void {
    if (group === undefined) this.#groups.delete(id);
    else this.#groups.set(id, group);
    this.#gate.set(id, group === undefined ? undefined : { value: PRESENT, group });
    this.#schedule();
  }

  screen(change: 1 | -1): void {
    this.#screens += change;
    this.#schedule();
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#release();
      this.#published = this.#current();
      this.emit(this.#published);
    }, this.intervalMs);
  }

  /** A new breakdown if the rule allows one: rows as groups fold now, else the rows shown last. */
  #release(): void {
    if (this.#changedPeople() < this.k) return;
    const candidates = [this.#gate.foldedRows(), this.#gate.lastRowOf].filter((rowOf): rowOf is RowOf => rowOf !== undefined);
    const rowOf = candidates.find((candidate) => this.#gate.allows(candidate));
    if (!rowOf) return;
    this.#gate.record(rowOf);
    this.#atRelease = new Map(this.#groups);
    const byRow = new Map<string, number>();
    for (const group of this.#groups.values()) byRow.set(rowOf(group), (byRow.get(rowOf(group)) ?? 0) + 1);
    const other = byRow.get(OTHER_GROUP_ID) ?? 0;
    byRow.delete(OTHER_GROUP_ID);
    const groups = [...byRow].map(([id, count]) => ({ id, count }));
    // Largest first, ties by id: the order says nothing about when anyone arrived.
    groups.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
    this.#breakdown = { groups, other };
    void this.keep({ breakdown: this.#breakdown, shown: groups.map((g) => g.id), people: [...this.#groups] });
  }

  #changedPeople(): number {
    let changed = 0;
    for (const [id, group] of this.#groups) if (this.#atRelease.get(id) !== group || !this.#atRelease.has(id)) changed++;
    for (const id of this.#atRelease.keys()) if (!this.#groups.has(id)) changed++;
    return changed;
  }

  #current(): Published {
    const connected = this.#groups.size;
    return { room: { connected }, facilitators: { connected, ...this.#breakdown, screens: this.#screens } };
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
