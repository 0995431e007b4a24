/**
 * The live state of one workshop on this server: its record (with the agenda), who is connected, and the
 * serialised queue every agenda change goes through — compute with the pure domain, persist, then broadcast.
 */
import {
  ErrorCode,
  isFacilitator,
  PROTOCOL_VERSION,
  type Agenda,
  type BoardActivity,
  type PollActivity,
  type Role,
  type Snapshot,
  type You,
} from '../../shared/protocol/index.js';
import { currentPosition } from '../domain/agenda.js';
import { fail, notFound, type Result } from '../domain/result.js';
import { screenKeyHashMatches, workshopInfo } from '../domain/workshop.js';
import type { RoomAccess, Store, WorkshopRecord } from '../store/Store.js';
import type { Logger } from '../log.js';
import { storageFault } from '../store/storageFault.js';
import type { ServerClock } from '../ServerClock.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import { Boards } from './Boards.js';
import { Drafting } from './Drafting.js';
import { Polls } from './Polls.js';
import type { Audience, RoomClient } from './ports.js';
import { PresenceReleases, type StoredPresence } from './PresenceReleases.js';

/** Where the last presence breakdown is stored (with the workshop's results, deleted with it). */
const presenceKey = (workshopId: string) => `presence:${workshopId}`;

/**
 * Presence goes out at most this often. Batching keeps a join storm from flooding every screen and means a
 * count changing does not pinpoint the moment one person arrived.
 */
export const PRESENCE_INTERVAL_MS = 500;

/** Store steps owed after a committed agenda change (the store refused them) are tried again this often. */
const OWED_RETRY_MS = 30_000;

type Present = { groupId: string | null; clients: Set<RoomClient> };

export class WorkshopRoom {
  readonly #store: Store;
  readonly #audience: Audience;
  readonly #baseUrl: string;
  readonly #clock: ServerClock;
  readonly #onEmpty: () => void;
  readonly #log: Logger;
  #record: WorkshopRecord;
  readonly #participants = new Map<string, Present>();
  readonly #clients = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #presence: PresenceReleases;
  /** Set once the workshop was deleted: nobody may join any more. */
  #closed = false;
  /** What follows committed agenda changes and the store refused: tried again until done (see `#finish`). */
  readonly #owed = new Set<() => Promise<void>>();
  #owedRetry: NodeJS.Timeout | undefined;
  readonly boards: Boards;
  readonly polls: Polls;
  readonly drafting: Drafting;

  constructor(
    record: WorkshopRecord,
    deps: {
      store: Store;
      /** Everyone connected to this workshop (rooms/ports.ts). */
      audience: Audience;
      docs: DocRegistry;
      tickets: Tickets;
      log: Logger;
      baseUrl: string;
      /** Timers and the server time clients are told (server/ServerClock.ts). */
      clock: ServerClock;
      onEmpty: () => void;
    },
  ) {
    this.#record = record;
    this.#store = deps.store;
    this.#audience = deps.audience;
    this.#baseUrl = deps.baseUrl;
    this.#clock = deps.clock;
    this.#onEmpty = deps.onEmpty;
    this.#log = deps.log;
    // Facilitators are in both rooms; they get the detailed view and are left out of the plain one.
    this.#presence = new PresenceReleases(
      record.anonymityThreshold,
      PRESENCE_INTERVAL_MS,
      ({ room, facilitators }) => this.#audience.split('presence:changed', facilitators, room),
      (stored) => this.#store.saveActivityResult(this.id, presenceKey(this.id), stored).catch((error: unknown) => deps.log.warn('could not store presence', { error: String(error) })),
    );
    this.boards = new Boards(
      {
        id: record.id,
        anonymityThreshold: record.anonymityThreshold,
        board: (id) => this.board(id),
        serialise: (task) => this.serialise(task),
      },
      deps,
    );
    this.drafting = new Drafting(
      { id: record.id, clientsOf: (id) => this.clientsOf(id), serialise: (task) => this.serialise(task) },
      deps,
    );
    this.polls = new Polls(
      {
        id: record.id,
        anonymityThreshold: record.anonymityThreshold,
        language: record.language,
        poll: (id) => this.poll(id),
        serialise: (task) => this.serialise(task),
      },
      deps,
    );
  }

  /** Picks presence up where it was before this room was loaded. */
  async loadPresence(): Promise<void> {
    this.#presence.restore((await this.#store.activityResult(presenceKey(this.id))) as StoredPresence | undefined);
  }

  /** The poll activity with this id, if the agenda has one. */
  poll(id: string): PollActivity | undefined {
    const activity = this.#record.agenda.activities.find((a) => a.id === id);
    return activity?.kind === 'poll' ? activity : undefined;
  }

  /** The board activity with this id, if the agenda has one. */
  board(id: string): BoardActivity | undefined {
    const activity = this.#record.agenda.activities.find((a) => a.id === id);
    return activity?.kind === 'board' ? activity : undefined;
  }

  get id(): string {
    return this.#record.id;
  }

  get record(): Readonly<WorkshopRecord> {
    return this.#record;
  }

  /** Adds a connected client: counts it as present, sends it the snapshot. */
  attach(client: RoomClient): void {
    // Authenticated just before the workshop was deleted: its reconnection will be told it is gone.
    if (this.#closed) return client.disconnect();
    // A screen whose link was replaced after its handshake (here or on another node, or while Redis was away).
    if (client.data.role === 'screen' && !screenKeyHashMatches(this.#record, client.data.screenKeyHash ?? '')) return client.disconnect();
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
    this.resendSnapshot(client);
    client.onLeave(() => this.#detach(client, participantId, role));
  }

  /** Sends a client the whole current state (on attach; several nodes: after broadcasts to it may have been lost). */
  resendSnapshot(client: RoomClient): void {
    const { role, groupId, drafter, drafterName } = client.data;
    client.send('session:snapshot', this.#snapshot(role, { groupId: groupId ?? null, drafter: drafter === true, name: drafterName ?? '' }));
  }

  #detach(client: RoomClient, participantId: string | undefined, role: Role): void {
    const attached = this.#clients.delete(client.id);
    const present = participantId && this.#participants.get(participantId);
    if (present && present.clients.delete(client) && present.clients.size === 0) {
      this.#participants.delete(participantId);
      this.#presence.participant(participantId, undefined);
    }
    if (attached && role === 'screen') this.#presence.screen(-1);
    this.disposeIfEmpty();
  }

  /** Hands the room back to the registry when no client uses it (its state is already stored). */
  disposeIfEmpty(): void {
    if (this.#clients.size === 0) this.#onEmpty();
  }

  /** The connections of one participant (a person may have two tabs open). */
  clientsOf(participantId: string): ReadonlySet<RoomClient> {
    return this.#participants.get(participantId)?.clients ?? new Set();
  }

  #snapshot(role: Role, you: You): Snapshot {
    const agenda = this.#record.agenda;
    return {
      protocolVersion: PROTOCOL_VERSION,
      serverTime: this.#clock.now(),
      role,
      workshop: workshopInfo(this.#baseUrl, this.#record),
      current: currentPosition(agenda),
      timer: agenda.timer,
      presence: isFacilitator(role) ? this.#presence.published.facilitators : this.#presence.published.room,
      ...(isFacilitator(role) ? { agenda, drafting: this.drafting.current() } : {}),
      ...(role === 'participant' ? { you } : {}),
    };
  }

  /** Runs `task` after every change queued before it, so concurrent facilitators never interleave. */
  serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies a pure agenda change, stores it, runs `afterStore` (still in the queue), and only then broadcasts
   * it. If another writer (a second node) stored a newer version first, reloads and tries once more.
   * `afterStore` does the store work that follows the change (sealing a closed box, keeping a result, erasing
   * a removed activity) for the agenda it is given, and must be idempotent: once the change is stored it is
   * broadcast and answered as done whatever that work's outcome, and work the store refused (a full disk) is
   * owed and tried again, for the same agenda, while this room is live.
   */
  changeAgenda(
    change: (agenda: Agenda, now: number) => Result<Agenda>,
    afterStore?: (agenda: Agenda) => Promise<void>,
  ): Promise<Result<Agenda>> {
    return this.serialise(async () => {
      await this.#payOwed();
      for (let attempt = 0; attempt < 2; attempt++) {
        const before = this.#record.agenda;
        const result = change(before, this.#clock.now());
        if (!result.ok) return result;
        if (await this.#store.saveAgenda(this.id, result.value, before.version)) {
          this.#record = { ...this.#record, agenda: result.value };
          const stored = result.value;
          if (afterStore) await this.#finish(() => afterStore(stored));
          this.#applyAgenda(before, result.value);
          return result;
        }
        const fresh = await this.#store.getWorkshop(this.id);
        if (!fresh) return notFound('workshop');
        this.#applyAgenda(before, fresh.agenda);
      }
      return fail(ErrorCode.conflict, 'the agenda was changed elsewhere at the same moment; try again');
    });
  }

  /** Runs the work that follows a stored agenda change, or owes it (kept, and retried) if the store refuses. */
  async #finish(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (!storageFault(error)) {
        // Not the disk: retrying would fail the same way. The change itself is stored, so it still goes out.
        this.#log.error('an agenda change is stored but what follows it failed', { workshopId: this.id, error: String(error) });
        return;
      }
      this.#log.warn('an agenda change is stored but what follows it is not yet; trying again', { workshopId: this.id, error: String(error) });
      this.#owed.add(step);
      this.#owedRetry ??= setInterval(() => void this.serialise(() => this.#payOwed()), OWED_RETRY_MS).unref();
    }
  }

  /** Tries the owed steps again, in order; stops at the first refusal. */
  async #payOwed(): Promise<void> {
    for (const step of this.#owed) {
      try {
        await step();
      } catch {
        return;
      }
      this.#owed.delete(step);
    }
    clearInterval(this.#owedRetry);
    this.#owedRetry = undefined;
  }

  #applyAgenda(before: Agenda, after: Agenda): void {
    this.#record = { ...this.#record, agenda: after };
    this.#audience.facilitators('agenda:changed', after);
    const current = currentPosition(after);
    if (JSON.stringify(current) !== JSON.stringify(currentPosition(before))) {
      this.#audience.everyone('activity:changed', current);
    }
    if (JSON.stringify(before.timer) !== JSON.stringify(after.timer)) {
      this.#audience.everyone('timer:changed', { timer: after.timer, serverTime: this.#clock.now() });
    }
  }

  setParticipantGroup(participantId: string, groupId: string | null): Promise<Result<null>> {
    return this.serialise(async () => {
      if (groupId !== null && !this.#record.groups.some((g) => g.id === groupId)) return notFound('group');
      await this.#store.setParticipantGroup(this.id, participantId, groupId);
      const present = this.#participants.get(participantId);
      if (present) {
        present.groupId = groupId;
        this.#presence.participant(participantId, groupId);
      }
      return { ok: true, value: null } as const;
    });
  }

  setCoFacilitatorKeyHash(hash: string): Promise<void> {
    return this.serialise(async () => {
      await this.#store.setCoFacilitatorKeyHash(this.id, hash);
      this.#record = { ...this.#record, coFacilitatorKeyHash: hash };
    });
  }

  /** Locks or opens the room and sets its passphrase; everyone connected sees the new settings. */
  setRoomAccess(access: RoomAccess): Promise<void> {
    return this.serialise(async () => {
      await this.#store.setRoomAccess(this.id, access);
      this.#record = { ...this.#record, ...access };
      this.#emitWorkshop();
    });
  }

  /** A new screen link: every screen connected with the old one is disconnected (this node's and others'). */
  setScreenKey(key: string): Promise<void> {
    return this.serialise(async () => {
      await this.#store.setScreenKey(this.id, key);
      this.#record = { ...this.#record, screenKey: key };
      this.#emitWorkshop();
      this.#audience.disconnect('screen');
    });
  }

  /** Consoles ask for the screen link again on every `workshop:changed`: a rotation elsewhere reaches them so. */
  #emitWorkshop(): void {
    this.#audience.everyone('workshop:changed', workshopInfo(this.#baseUrl, this.#record));
  }

  /** Disconnects every client that authenticated with the old co-facilitator key, on every node. */
  disconnectCoFacilitators(): void {
    this.#audience.disconnect('cofacilitator');
  }

  /**
   * Ends the room of a deleted workshop: every client is disconnected and, reconnecting, is refused by the
   * handshake with `not_found`.
   */
  close(): void {
    this.#closed = true;
    this.#audience.disconnect('everyone');
    this.#owed.clear(); // the workshop is erased: nothing of it is owed any more
    this.dispose();
  }

  /**
   * Frees the room once nobody is in it. Owed store work stops being retried here: a room loaded again
   * repairs the seals of closed boxes and polls (`repairSeals`); see docs/SECURITY.md for what it cannot.
   */
  dispose(): void {
    clearInterval(this.#owedRetry);
    this.#owedRetry = undefined;
    this.#presence.dispose();
    this.boards.dispose();
    this.polls.dispose();
  }
}
