/**
 * Who is connected to one workshop on this server: its clients, each participant's connections (a person
 * may have two tabs open) with their stakeholder group, and the screens; and what presence the room is
 * told of it, by the rules of PresenceReleases.
 */
import { presenceKey } from '../domain/followUp/keys.js';
import type { Role } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import type { Audience, RoomClient } from './ports.js';
import { PresenceReleases, type StoredPresence } from './PresenceReleases.js';

/**
 * Presence goes out at most this often. Batching keeps a join storm from flooding every screen and means a
 * count changing does not pinpoint the moment one person arrived.
 */
export const PRESENCE_INTERVAL_MS = 500;

type Present = { groupId: string | null; clients: Set<RoomClient> };

export class Attendance {
  readonly #participants = new Map<string, Present>();
  readonly #clients = new Set<string>();
  readonly #presence: PresenceReleases;

  constructor(
    private readonly workshop: { id: string; anonymityThreshold: number },
    private readonly deps: { store: Store; audience: Audience; log: Logger },
  ) {
    const { store, audience, log } = deps;
    // Facilitators are in both audiences; they get the detailed view and are left out of the plain one.
    this.#presence = new PresenceReleases(
      workshop.anonymityThreshold,
      PRESENCE_INTERVAL_MS,
      ({ room, facilitators }) => audience.split('presence:changed', facilitators, room),
      (stored) =>
        store
          .saveActivityResult(workshop.id, presenceKey(workshop.id), stored)
          .catch((error: unknown) => log.warn('could not store presence', { error: String(error) })),
    );
  }

  /** Picks presence up where it was before this room was loaded. */
  async restore(): Promise<void> {
    this.#presence.restore((await this.deps.store.activityResult(presenceKey(this.workshop.id))) as StoredPresence | undefined);
  }

  /** The presence last published: the facilitators' breakdown and the room's count. */
  get published() {
    return this.#presence.published;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Counts a client in (once, however often it is attached). */
  add(client: RoomClient): void {
    const { role, participantId, groupId } = client.data;
    const fresh = !this.#clients.has(client.id);
    this.#clients.add(client.id);
    if (participantId) {
      const present = this.#participants.get(participantId) ?? { groupId: groupId ?? null, clients: new Set<RoomClient>() };
      present.clients.add(client);
      this.#participants.set(participantId, present);
      this.#presence.participant(participantId, present.groupId);
    }
    if (role === 'screen' && fresh) this.#presence.screen(1);
  }

  /** Counts a client out; `participantId` and `role` as they were when it was added. */
  remove(client: RoomClient, participantId: string | undefined, role: Role): void {
    const attached = this.#clients.delete(client.id);
    const present = participantId && this.#participants.get(participantId);
    if (present && present.clients.delete(client) && present.clients.size === 0) {
      this.#participants.delete(participantId);
      this.#presence.participant(participantId, undefined);
    }
    if (attached && role === 'screen') this.#presence.screen(-1);
  }

  /** A participant chose a (new) group: counted under it from now on. */
  regroup(participantId: string, groupId: string | null): void {
    const present = this.#participants.get(participantId);
    if (!present) return;
    present.groupId = groupId;
    this.#presence.participant(participantId, groupId);
  }

  /** The connections of one participant. */
  clientsOf(participantId: string): ReadonlySet<RoomClient> {
    return this.#participants.get(participantId)?.clients ?? new Set();
  }

  dispose(): void {
    this.#presence.dispose();
  }
}
