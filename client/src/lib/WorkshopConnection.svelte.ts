/**
 * A live connection to one workshop, as reactive state. Components read its fields and call its methods;
 * they never touch socket.io-client themselves. Reconnection is automatic: after any drop the server sends
 * a fresh snapshot, so the view is always rebuilt from the server's state, never patched from a stale one.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  Agenda,
  BoardResults,
  PollResults,
  Reaction,
  ClientAckData,
  ClientEventName,
  ClientEventPayload,
  ClientToServerEvents,
  CurrentActivity,
  Drafting,
  ErrorCode,
  Handshake,
  HiddenNote,
  Presence,
  Role,
  ServerToClientEvents,
  Snapshot,
  Statement,
  StatementsResults,
  Timer,
  WorkshopInfo,
} from '$shared/protocol/index.js';
import { defaultToWorkshopLanguage } from '../i18n/i18n.svelte';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** How long an action may wait for the server's answer before the user is told it did not go through. */
const ACK_TIMEOUT_MS = 10_000;

/**
 * A participant's contributions wait for the connection instead of failing: each is safe to send twice (a
 * note carries its own id, a ballot or an edit replaces the previous one), so one whose answer was lost in a
 * drop is simply sent again on the next connection. They wait in memory only, never in the browser's storage:
 * nothing a person answered stays on the device.
 */
const WAITS_FOR_CONNECTION: ReadonlySet<ClientEventName> = new Set([
  'board:addNote',
  'board:editNote',
  'board:vote',
  'poll:vote',
  'statements:submit',
  'statements:vote',
]);

type Answer = { ok: boolean } & Record<string, unknown>;
/** The server's answer to a request, or `network` when none came in time. */
export type Reply<E extends ClientEventName> = Ack<ClientAckData<E>> | { ok: false; code: 'network'; message: string };
/** A contribution not yet acknowledged by the server. */
export type PendingAction = { event: ClientEventName; payload: unknown; resolve: (answer: Answer) => void };

export class WorkshopConnection {
  // Written only here, from what the server sends: components read them and call methods.
  #status = $state<ConnectionStatus>('connecting');
  #failure = $state<{ code: ErrorCode | 'network'; message: string; followUpUrl?: string } | null>(null);
  #role = $state<Role | null>(null);
  #workshop = $state<WorkshopInfo | null>(null);
  #current = $state<CurrentActivity>({ activity: null, index: -1, total: 0 });
  #timer = $state<Timer | null>(null);
  #presence = $state<Presence>({ connected: 0 });
  #agenda = $state<Agenda | null>(null);
  #boardResults = $state<Record<string, BoardResults>>({});
  #pollResults = $state<Record<string, PollResults>>({});
  #statementLists = $state<Record<string, Statement[]>>({});
  #statementQueues = $state<Record<string, Statement[]>>({});
  #statementResults = $state<Record<string, StatementsResults>>({});
  #groupId = $state<string | null>(null);
  #drafter = $state(false);
  #drafterName = $state('');
  #drafting = $state<Drafting>({ requests: [], drafters: [] });
  #clockOffset = $state(0);
  #storage = $state<'ok' | 'full' | 'failed'>('ok');
  #pending = $state.raw<PendingAction[]>([]);
  #boardQueues = $state<Record<string, HiddenNote[]>>({});
  #reactions = $state.raw<{ counts: Partial<Record<Reaction, number>>; at: number } | null>(null);

  get status() {
    return this.#status;
  }
  get failure() {
    return this.#failure;
  }
  get role() {
    return this.#role;
  }
  get workshop() {
    return this.#workshop;
  }
  get current() {
    return this.#current;
  }
  get timer() {
    return this.#timer;
  }
  get presence() {
    return this.#presence;
  }
  get agenda() {
    return this.#agenda;
  }
  /** Latest results per board, as the server batches them. */
  get boardResults(): Readonly<Record<string, BoardResults>> {
    return this.#boardResults;
  }
  /** Latest published results of each poll's current round. */
  get pollResults(): Readonly<Record<string, PollResults>> {
    return this.#pollResults;
  }
  /** The statements on the cards of each statements activity. */
  get statementLists(): Readonly<Record<string, Statement[]>> {
    return this.#statementLists;
  }
  /** Facilitators: the statements waiting for approval, by activity. */
  get statementQueues(): Readonly<Record<string, Statement[]>> {
    return this.#statementQueues;
  }
  /** Latest counts (and, once closed and released, the analysis) of each statements activity. */
  get statementResults(): Readonly<Record<string, StatementsResults>> {
    return this.#statementResults;
  }
  get groupId() {
    return this.#groupId;
  }
  /** Participants: may write the action plan, known by `drafterName` (possibly empty). */
  get drafter() {
    return this.#drafter;
  }
  get drafterName() {
    return this.#drafterName;
  }
  /** Facilitators: who asked to help write the plan, and who may. */
  get drafting() {
    return this.#drafting;
  }
  /** Server clock minus this device's clock, in ms; timers are computed on the server's clock. */
  get clockOffset() {
    return this.#clockOffset;
  }
  /** Facilitators: whether the server's disk takes writes (told when it starts or stops refusing them). */
  get storage() {
    return this.#storage;
  }
  /** Facilitators: the notes of moderated boards waiting for approval, by board. */
  get boardQueues() {
    return this.#boardQueues;
  }
  /** Screens and facilitators: the room's last batch of reactions, and when it came. */
  get reactions() {
    return this.#reactions;
  }
  /** Contributions waiting for the server's acknowledgement, oldest first (shown as pending). */
  get pending() {
    return this.#pending;
  }

  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;

  constructor(auth: Handshake) {
    this.#socket = io({ auth, transports: ['websocket'], reconnectionDelayMax: 4000 });
    const socket = this.#socket;

    socket.on('session:snapshot', (snapshot) => this.#applySnapshot(snapshot));
    socket.on('workshop:changed', (workshop) => (this.#workshop = workshop));
    socket.on('activity:changed', (current) => (this.#current = current));
    socket.on('agenda:changed', (agenda) => (this.#agenda = agenda));
    socket.on('presence:changed', (presence) => (this.#presence = presence));
    socket.on('storage:changed', ({ status }) => (this.#storage = status));
    socket.on('board:results', (results) => (this.#boardResults[results.boardId] = results));
    socket.on('poll:results', (results) => (this.#pollResults[results.pollId] = results));
    socket.on('statements:list', ({ activityId, statements }) => (this.#statementLists[activityId] = statements));
    socket.on('statements:queue', ({ activityId, pending }) => (this.#statementQueues[activityId] = pending));
    socket.on('statements:results', (results) => (this.#statementResults[results.activityId] = results));
    socket.on('plan:drafters', (drafting) => (this.#drafting = drafting));
    socket.on('board:queue', ({ boardId, notes }) => (this.#boardQueues[boardId] = notes));
    socket.on('reactions:batch', (counts) => (this.#reactions = { counts, at: Date.now() }));
    socket.on('session:you', (you) => {
      this.#groupId = you.groupId;
      this.#drafter = you.drafter;
      this.#drafterName = you.name;
    });
    socket.on('timer:changed', ({ timer, serverTime }) => {
      this.#clockOffset = serverTime - Date.now();
      this.#timer = timer;
    });

    socket.on('disconnect', (reason) => {
      this.#status = 'reconnecting';
      // The server only ends a session itself when access was withdrawn; the client would not retry then.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error: Error & { data?: { code: ErrorCode; message: string; followUpUrl?: string } }) => {
      if (error.data?.code && error.data.code !== 'rate_limited') {
        // Refused by the server (unknown code, wrong key): retrying would not help.
        this.#status = 'failed';
        this.#failure = error.data;
      } else {
        this.#status = this.#status === 'connecting' ? 'connecting' : 'reconnecting';
        if (!socket.active) setTimeout(() => socket.connect(), 3000);
      }
    });
  }

  #applySnapshot(snapshot: Snapshot): void {
    defaultToWorkshopLanguage(snapshot.workshop.language);
    this.#clockOffset = snapshot.serverTime - Date.now();
    this.#role = snapshot.role;
    this.#workshop = snapshot.workshop;
    this.#current = snapshot.current;
    this.#timer = snapshot.timer;
    this.#presence = snapshot.presence;
    this.#agenda = snapshot.agenda ?? null;
    this.#groupId = snapshot.you?.groupId ?? null;
    this.#drafter = snapshot.you?.drafter ?? false;
    this.#drafterName = snapshot.you?.name ?? '';
    this.#drafting = snapshot.drafting ?? { requests: [], drafters: [] };
    this.#failure = null;
    this.#status = 'connected';
    // Every snapshot starts a fresh connection: what was not acknowledged on the last one goes (again) now.
    for (const action of this.#pending) this.#deliver(action);
  }

  #deliver(action: PendingAction): void {
    this.#socket.emit(action.event as 'poll:vote', action.payload as never, (answer: Answer) => {
      if (!this.#pending.includes(action)) return; // answered already, on an earlier connection
      this.#pending = this.#pending.filter((a) => a !== action);
      action.resolve(answer);
    });
  }

  /**
   * Sends an event and resolves with the server's answer, or a `network` error if none came in time.
   * A participant's contribution (WAITS_FOR_CONNECTION) instead waits, pending, until the server answers.
   */
  async request<E extends ClientEventName>(event: E, payload: ClientEventPayload<E>): Promise<Reply<E>> {
    if (WAITS_FOR_CONNECTION.has(event)) {
      return new Promise((resolve) => {
        const action: PendingAction = { event, payload, resolve: resolve as PendingAction['resolve'] };
        this.#pending = [...this.#pending, action];
        if (this.#status === 'connected') this.#deliver(action);
      });
    }
    try {
      // socket.io-client's typings cannot follow a generic event name through emitWithAck.
      const socket = this.#socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emitWithAck: (e: string, p: unknown) => Promise<Ack<ClientAckData<E>>>;
      };
      return await socket.emitWithAck(event, payload);
    } catch {
      return { ok: false, code: 'network', message: 'no answer from the server' };
    }
  }

  /** Facilitators: asks for a moderated board's waiting notes (later changes arrive as events). */
  async loadBoardQueue(boardId: string): Promise<void> {
    const answer = await this.request('board:queue', { boardId });
    if (answer.ok) this.#boardQueues[boardId] = answer.notes;
  }

  /** Asks for a board's latest results (after every (re)connection: later ones arrive as events). */
  async loadBoardResults(boardId: string): Promise<void> {
    const answer = await this.request('board:results', { boardId });
    if (answer.ok) this.#boardResults[boardId] = answer.results;
  }

  /** Asks for a poll's latest published results, as `loadBoardResults` does for a board. */
  async loadPollResults(pollId: string): Promise<void> {
    const answer = await this.request('poll:results', { pollId });
    if (answer.ok) this.#pollResults[pollId] = answer.results;
  }

  /** Asks for a statements activity's cards, queue (facilitators) and results, as `loadBoardResults` does. */
  async loadStatements(activityId: string): Promise<void> {
    const [list, results] = await Promise.all([this.request('statements:list', { activityId }), this.request('statements:results', { activityId })]);
    if (list.ok) {
      this.#statementLists[activityId] = list.statements;
      if (list.pending) this.#statementQueues[activityId] = list.pending;
    }
    if (results.ok) this.#statementResults[activityId] = results.results;
  }

  /** A participant states their stakeholder group (or none); the connection knows it once the server accepted. */
  async chooseGroup(groupId: string | null): Promise<Reply<'participant:setGroup'>> {
    const answer = await this.request('participant:setGroup', { groupId });
    if (answer.ok) this.#groupId = groupId;
    return answer;
  }

  /** Tries again after a refusal, adding to what the handshake presents (e.g. the passphrase the person typed). */
  retry(extra: Partial<Extract<Handshake, { role: 'participant' }>>): void {
    this.#socket.auth = { ...(this.#socket.auth as object), ...extra };
    // The refusal stays until the server accepts (the snapshot clears it), so the form asking stays up.
    this.#status = 'connecting';
    this.#socket.connect();
  }

  close(): void {
    this.#socket.disconnect();
  }
}
