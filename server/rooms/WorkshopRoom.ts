/**
 * The live state of one workshop on this server: its record (with the agenda), who is connected, and the
 * serialised queue every agenda change goes through — compute with the pure domain, persist, then broadcast.
 */
import {
  ErrorCode,
  isFacilitator,
  PROTOCOL_VERSION,
  type Activity,
  type Agenda,
  type BoardActivity,
  type PollActivity,
  type Role,
  type Snapshot,
  type StatementsActivity,
  type You,
} from '../../shared/protocol/index.js';
import { closeRunning, currentPosition } from '../domain/agenda.js';
import { fail, notFound, type Result } from '../domain/result.js';
import { screenKeyHashMatches, workshopInfo } from '../domain/workshop.js';
import type { RoomAccess, Store, WorkshopRecord } from '../store/Store.js';
import type { Logger } from '../log.js';
import type { ServerClock } from '../ServerClock.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import { Attendance } from './Attendance.js';
import { Boards } from './Boards.js';
import { Drafting } from './Drafting.js';
import { OwedWork } from './OwedWork.js';
import { Polls } from './Polls.js';
import { Reactions } from './Reactions.js';
import { Statements } from './Statements.js';
import type { Audience, RoomClient } from './ports.js';

export class WorkshopRoom {
  readonly #store: Store;
  readonly #audience: Audience;
  readonly #baseUrl: string;
  readonly #clock: ServerClock;
  readonly #onEmpty: () => void;
  #record: WorkshopRecord;
  readonly #attendance: Attendance;
  #queue: Promise<unknown> = Promise.resolve();
  /** Set once the workshop was deleted: nobody may join any more. */
  #closed = false;
  /** The workshop is ending: the agenda takes no change but the closing of what still runs. */
  #ending = false;
  /** What follows committed agenda changes and the store refused: tried again until done (OwedWork). */
  readonly #owed: OwedWork;
  readonly boards: Boards;
  readonly polls: Polls;
  readonly statements: Statements;
  readonly drafting: Drafting;
  readonly reactions: Reactions;

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
    this.#owed = new OwedWork({ workshopId: record.id, log: deps.log, serialise: (task) => this.serialise(task) });
    this.#attendance = new Attendance(record, deps);
    this.boards = new Boards(
      {
        id: record.id,
        anonymityThreshold: record.anonymityThreshold,
        board: (id) => this.board(id),
        serialise: (task) => this.serialise(task),
      },
      deps,
    );
    this.reactions = new Reactions((counts) => this.#audience.front('reactions:batch', counts));
    this.drafting = new Drafting({ id: record.id, clientsOf: (id) => this.clientsOf(id), serialise: (task) => this.serialise(task) }, deps);
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
    this.statements = new Statements(
      {
        id: record.id,
        anonymityThreshold: record.anonymityThreshold,
        groupOrder: record.groups.map((g) => g.id),
        statements: (id) => this.statementsActivity(id),
        serialise: (task) => this.serialise(task),
      },
      deps,
    );
  }

  /** Picks presence up where it was before this room was loaded. */
  loadPresence(): Promise<void> {
    return this.#attendance.restore();
  }

  /** The poll activity with this id, if the agenda has one. */
  poll(id: string): PollActivity | undefined {
    const activity = this.#record.agenda.activities.find((a) => a.id === id);
    return activity?.kind === 'poll' ? activity : undefined;
  }

  /** The statements activity with this id, if the agenda has one. */
  statementsActivity(id: string): StatementsActivity | undefined {
    const activity = this.#record.agenda.activities.find((a) => a.id === id);
    return activity?.kind === 'statements' ? activity : undefined;
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
    const { role, participantId } = client.data;
    this.#attendance.add(client);
    this.resendSnapshot(client);
    client.onLeave(() => {
      this.#attendance.remove(client, participantId, role);
      this.disposeIfEmpty();
    });
  }

  /** Sends a client the whole current state (on attach; several nodes: after broadcasts to it may have been lost). */
  resendSnapshot(client: RoomClient): void {
    const { role, groupId, drafter, drafterName } = client.data;
    client.send('session:snapshot', this.#snapshot(role, { groupId: groupId ?? null, drafter: drafter === true, name: drafterName ?? '' }));
  }

  /** Hands the room back to the registry when no client uses it (its state is already stored). */
  disposeIfEmpty(): void {
    if (this.#attendance.size === 0) this.#onEmpty();
  }

  /** The connections of one participant (a person may have two tabs open). */
  clientsOf(participantId: string): ReadonlySet<RoomClient> {
    return this.#attendance.clientsOf(participantId);
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
      presence: isFacilitator(role) ? this.#attendance.published.facilitators : this.#attendance.published.room,
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
  changeAgenda(change: (agenda: Agenda, now: number) => Result<Agenda>, afterStore?: (agenda: Agenda) => Promise<void>): Promise<Result<Agenda>> {
    if (this.#ending) return Promise.resolve(fail(ErrorCode.conflict, 'the workshop is ending'));
    return this.#changeAgenda(change, afterStore);
  }

  /** An ending that failed before the workshop was marked ended: the agenda takes changes again. */
  stopEnding(): void {
    this.#ending = false;
  }

  #changeAgenda(change: (agenda: Agenda, now: number) => Result<Agenda>, afterStore?: (agenda: Agenda) => Promise<void>): Promise<Result<Agenda>> {
    return this.serialise(async () => {
      await this.#owed.pay();
      for (let attempt = 0; attempt < 2; attempt++) {
        const before = this.#record.agenda;
        const result = change(before, this.#clock.now());
        if (!result.ok) return result;
        if (await this.#store.saveAgenda(this.id, result.value, before.version)) {
          this.#record = { ...this.#record, agenda: result.value };
          const stored = result.value;
          if (afterStore) await this.#owed.run(() => afterStore(stored));
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

  /** The store work a board's, poll's or statements round's new state owes: sealing boxes, keeping results. */
  async afterStateChange(activity: Activity | undefined): Promise<void> {
    if (activity?.kind === 'board') await this.boards.afterStateChange(activity);
    if (activity?.kind === 'poll') await this.polls.afterStateChange(activity);
    if (activity?.kind === 'statements') await this.statements.afterStateChange(activity);
  }

  /**
   * Closes every activity still running, as a facilitator would one by one, because the workshop is ending:
   * from now on the agenda takes no other change (nothing reopens before the workshop is marked ended), until
   * `stopEnding` if the ending fails.
   */
  async closeRunning(): Promise<Result<Agenda>> {
    let closed: string[] = [];
    this.#ending = true;
    const result = await this.#changeAgenda(
      (agenda) => {
        const change = closeRunning(agenda);
        closed = change.closed;
        return { ok: true, value: change.agenda };
      },
      async (agenda) => {
        for (const id of closed) await this.afterStateChange(agenda.activities.find((a) => a.id === id));
      },
    );
    if (!result.ok) return result;
    return this.serialise(async () => {
      await this.#owed.pay();
      return this.#owed.owes ? fail(ErrorCode.storageFailed, 'the disk refused to keep the results of the activities just closed; try again') : result;
    });
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
      this.#attendance.regroup(participantId, groupId);
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
    this.#owed.forgive();
    this.dispose();
  }

  /**
   * Frees the room once nobody is in it. Owed store work stops being retried here: a room loaded again
   * repairs the seals of closed boxes and polls (`repairSeals`); see docs/SECURITY.md for what it cannot.
   */
  dispose(): void {
    this.#owed.stop();
    this.#attendance.dispose();
    this.boards.dispose();
    this.polls.dispose();
    this.statements.dispose();
    this.reactions.dispose();
  }
}
