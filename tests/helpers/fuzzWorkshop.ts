/**
 * A workshop to fuzz: an info slide, a board with a note (current, open), an open choice poll and an open
 * question with an answer each, and a plan; plus clients that stay under the per-connection rate limit and a
 * fingerprint of everything stored that a refused event must leave alone.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, type Ack, type ClientAckData, type ClientEventName, type ClientEventPayload, type Handshake } from '../../shared/protocol/index.js';
import { serialize } from './hostile.js';
import { connect, createWorkshop, facilitatorAuth, newToken, participantAuth, send, type TestSocket } from './clients.js';

/** Events one connection may send before it would meet the rate limit (20 at once, 10 a second). */
const EVENTS_PER_CONNECTION = 15;

/** How an event is emitted: with an ack, without, with something else as the ack, or with odd arguments. */
export type CallMode = 'ack' | 'noAck' | 'badAck' | 'noPayload' | 'extraArgs';
export type Outcome = { kind: 'ack'; ack: Ack<Record<string, unknown>> } | { kind: 'closed' } | { kind: 'unanswered' };

/** A client that opens a new connection (same identity) before the rate limit would bite. */
export class RotatingClient {
  #socket: TestSocket | undefined;
  #used = 0;

  constructor(
    private readonly url: string,
    private readonly auth: Handshake,
  ) {}

  async #next(cost: number): Promise<TestSocket> {
    if (!this.#socket || this.#socket.disconnected || this.#used + cost > EVENTS_PER_CONNECTION) {
      this.#socket?.disconnect();
      this.#socket = (await connect(this.url, this.auth)).socket;
      this.#used = 0;
    }
    this.#used += cost;
    return this.#socket;
  }

  async send<E extends ClientEventName>(event: E, payload: unknown): Promise<Ack<ClientAckData<E>>> {
    return sendPatiently(() => this.#next(1), event, payload);
  }

  /**
   * Writes the event as a raw Socket.IO packet (so payloads no JSON.stringify could build get through), as
   * `mode` says, and reports the ack, that the server closed the connection (a message over Socket.IO's size
   * limit), or that nothing answered (no ack asked for: checked with a second event queued behind it).
   */
  async emit(event: ClientEventName, payload: unknown, mode: CallMode): Promise<Outcome> {
    const socket = await this.#next(2);
    const closed = new Promise<Outcome>((resolve) => socket.once('disconnect', () => resolve({ kind: 'closed' })));
    const outcome = await this.#emitOnce(socket, event, payload, mode, closed);
    if (outcome.kind === 'closed') this.#socket = undefined;
    // The rate limit is checked before anything else, so a refused event was not even read: send it again.
    if (outcome.kind === 'ack' && !outcome.ack.ok && outcome.ack.code === ErrorCode.rateLimited) {
      rateLimitWaits.count++;
      await delay(RATE_LIMIT_BACKOFF_MS);
      return this.emit(event, payload, mode);
    }
    return outcome;
  }

  async #emitOnce(socket: TestSocket, event: ClientEventName, payload: unknown, mode: CallMode, closed: Promise<Outcome>): Promise<Outcome> {
    const internals = socket as unknown as { ids: number; acks: Record<number, (ack: unknown) => void> };
    const write = (args: string[], withAck: boolean): Promise<Outcome> | undefined => {
      const id = withAck ? internals.ids++ : undefined;
      // Engine.io message (4) holding a Socket.IO EVENT (2) with an optional ack id, in the root namespace.
      socket.io.engine.write(`2${id ?? ''}[${[JSON.stringify(event), ...args].join(',')}]`);
      if (id === undefined) return undefined;
      return new Promise<Outcome>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${event}`)), 5000);
        internals.acks[id] = (ack) => {
          clearTimeout(timer);
          resolve({ kind: 'ack', ack: ack as Ack<Record<string, unknown>> });
        };
      });
    };
    const body = serialize(payload) ?? 'null';
    let answer: Promise<Outcome>;
    if (mode === 'ack') answer = write([body], true)!;
    else if (mode === 'noPayload') answer = write([], true)!;
    else if (mode === 'extraArgs') answer = write([body, '42'], true)!;
    else {
      write(mode === 'noAck' ? [body] : [body, '"not a function"'], false);
      // Events from one connection are read in order: once this one is answered, the first was read.
      answer = write(['null'], true)!.then((): Outcome => ({ kind: 'unanswered' }));
    }
    answer.catch(() => undefined); // a timeout after the connection closed is no news
    return Promise.race([answer, closed]);
  }
}

const RATE_LIMIT_BACKOFF_MS = 250;
/** How often a client waited for the rate limit (reported with the fuzz volume). */
export const rateLimitWaits = { count: 0 };

/** Sends an event, and again after a pause while the server answers `rate_limited` (then nothing was read). */
async function sendPatiently<E extends ClientEventName>(socket: () => Promise<TestSocket>, event: E, payload: unknown): Promise<Ack<ClientAckData<E>>> {
  for (let attempt = 0; ; attempt++) {
    const ack = await send(await socket(), event, payload);
    if (ack.ok || ack.code !== ErrorCode.rateLimited || attempt === 40) return ack;
    rateLimitWaits.count++;
    await delay(RATE_LIMIT_BACKOFF_MS);
  }
}

/** One valid payload per event, aimed at the fixture's real activities so mutations reach the domain code. */
export type ValidPayloads = { [E in ClientEventName]: ClientEventPayload<E> };

export type FuzzWorkshop = Awaited<ReturnType<typeof fuzzWorkshop>>;

export async function fuzzWorkshop(url: string, title = 'Fuzzed workshop') {
  const created = await createWorkshop(url, { title, anonymityThreshold: 3 });
  const token = newToken();
  const facilitator = new RotatingClient(url, facilitatorAuth(created));
  const participant = new RotatingClient(url, participantAuth(created, token));
  const ok = <T>(ack: Ack<T & object>): T => {
    if (!ack.ok) throw new Error(`fixture: ${ack.message}`);
    return ack;
  };
  const add = async (activity: ClientEventPayload<'agenda:add'>['activity']) => ok(await facilitator.send('agenda:add', { activity })).id;
  const info = await add({ kind: 'info', title: 'Welcome', body: 'Ground rules' });
  const board = await add({ kind: 'board', title: 'Ideas', columns: ['Now', 'Later'] });
  const poll = await add({ kind: 'poll', title: 'Trust', type: 'single', options: ['Yes', 'No'] });
  const question = await add({ kind: 'poll', title: 'One word', type: 'open' });
  const statements = await add({ kind: 'statements', title: 'Where we stand', seeds: ['Officers should attend youth club evenings', 'Lights first'] });
  await add({ kind: 'plan', title: 'Plan' });
  ok(await facilitator.send('agenda:goTo', { id: board }));
  const note = ok(await participant.send('board:addNote', { boardId: board, text: 'Dark underpass' })).noteId;
  for (const id of [poll, question]) ok(await facilitator.send('activity:setState', { id, state: 'open' }));
  ok(await facilitator.send('agenda:goTo', { id: statements }));
  ok(await participant.send('statements:vote', { activityId: statements, statementId: 'seed-1', vote: 'agree' }));
  ok(await facilitator.send('agenda:goTo', { id: board }));
  ok(await participant.send('poll:vote', { pollId: poll, answer: { choice: 'yes' } }));
  ok(await participant.send('poll:vote', { pollId: question, answer: { text: 'Safety' } }));

  const someId = 'AAAAAAAAAAAAAAAAAAAAAA';
  const valid: ValidPayloads = {
    'participant:setGroup': { groupId: 'police' },
    'reaction:send': { reaction: 'clap' },
    'agenda:add': {
      activity: {
        kind: 'board',
        title: 'More',
        prompt: 'What else?',
        mode: 'board',
        columns: ['A', 'B'],
        noteLimit: 3,
        prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
      },
      index: 1,
    },
    'agenda:update': {
      id: poll,
      activity: { kind: 'poll', title: 'Trust', question: 'Do you?', type: 'single', options: ['Yes', 'No', 'Maybe'], allowPreferNot: true },
    },
    'agenda:remove': { id: info },
    'agenda:move': { id: info, toIndex: 2 },
    'agenda:goTo': { id: poll },
    'agenda:step': { direction: 'next', expectedCurrentId: board },
    'timer:start': { seconds: 300 },
    'timer:pause': {},
    'timer:resume': {},
    'timer:adjust': { seconds: -30 },
    'timer:clear': {},
    'access:rotateCoFacilitatorLink': {},
    'access:rotateScreenLink': {},
    'access:screenLink': {},
    'access:setRoom': { locked: false, passphrase: null },
    'activity:setState': { id: board, state: 'locked' },
    'activity:setResultsVisible': { id: board, visible: true },
    'board:addNote': { boardId: board, noteId: 'note-from-the-phone-1', text: 'Lights', color: 'blue', column: 'now' },
    'board:editNote': { boardId: board, noteId: note, text: 'Very dark underpass', color: 'green' },
    'board:withdrawNote': { boardId: board, noteId: note },
    'board:myNotes': { boardId: board },
    'board:vote': { boardId: board, ballot: { dots: { [note]: 1 } } },
    'board:myBallot': { boardId: board },
    'board:hideNote': { boardId: board, noteId: note },
    'board:hiddenNotes': { boardId: board },
    'board:restoreNote': { boardId: board, noteId: note },
    'board:queue': { boardId: board },
    'board:approveNote': { boardId: board, noteId: note },
    'board:rejectNote': { boardId: board, noteId: note },
    'board:results': { boardId: board },
    'poll:vote': { pollId: poll, answer: { choice: 'no' }, round: 1 },
    'poll:myAnswer': { pollId: poll },
    'poll:results': { pollId: poll, round: 1 },
    'poll:reopen': { pollId: poll },
    'poll:paperTally': { pollId: poll, ballots: 2, counts: { yes: 1, no: 1 }, preferNot: 0 },
    'poll:hideAnswer': { pollId: question, answerId: someId, round: 1 },
    'statements:submit': { activityId: statements, statementId: 'statement-from-the-phone-1', text: 'More foot patrols at night' },
    'statements:list': { activityId: statements },
    'statements:moderate': { activityId: statements, statementId: 'seed-2', approve: false },
    'statements:vote': { activityId: statements, statementId: 'seed-2', vote: 'disagree' },
    'statements:mine': { activityId: statements },
    'statements:results': { activityId: statements },
    'plan:requestDrafting': { name: 'Amina' },
    'plan:setDrafter': { ref: someId, allow: true },
    'plan:priorities': {},
    'yjs:ticket': { docName: `board-${board}` },
  };

  /** Everything a refused event must leave as it was, as one string. */
  async function fingerprint(): Promise<string> {
    const { socket, snapshot } = await connect(url, facilitatorAuth(created));
    const { serverTime: _time, presence: _presence, ...state } = snapshot;
    const ask = <E extends ClientEventName>(event: E, payload: unknown) => sendPatiently(async () => socket, event, payload);
    const answers = {
      hidden: await ask('board:hiddenNotes', { boardId: board }),
      board: await ask('board:results', { boardId: board }),
      polls: [await ask('poll:results', { pollId: poll }), await ask('poll:results', { pollId: question })],
      statements: [await ask('statements:list', { activityId: statements }), await ask('statements:results', { activityId: statements })],
      boardDoc: await docState(url, socket, `board-${board}`),
      planDoc: await docState(url, socket, 'plan'),
    };
    socket.disconnect();
    const phone = await connect(url, participantAuth(created, token));
    const askPhone = <E extends ClientEventName>(event: E, payload: unknown) => sendPatiently(async () => phone.socket, event, payload);
    const mine = {
      you: phone.snapshot.you,
      notes: await askPhone('board:myNotes', { boardId: board }),
      ballot: await askPhone('board:myBallot', { boardId: board }),
      answers: [await askPhone('poll:myAnswer', { pollId: poll }), await askPhone('poll:myAnswer', { pollId: question })],
      votes: ((mine) => (mine.ok ? mine.votes : mine))(await askPhone('statements:mine', { activityId: statements })),
    };
    phone.socket.disconnect();
    return JSON.stringify({ state, ...answers, mine });
  }

  return { created, token, facilitator, participant, ids: { info, board, poll, question, statements, note }, valid, fingerprint };
}

/** A document's whole state as the server holds it, read through a fresh connection. */
async function docState(url: string, socket: TestSocket, docName: string): Promise<string> {
  const ticket = await sendPatiently(async () => socket, 'yjs:ticket', { docName });
  if (!ticket.ok) return `no ticket: ${ticket.code}`;
  const [, , workshopId] = ticket.path.split('/');
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace('http', 'ws')}/yjs/${workshopId}`, docName, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { ticket: ticket.ticket },
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
