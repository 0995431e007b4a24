/** Socket.IO event maps, typed from the schemas. Event names are `domain:action`. */
import type { AckCallback } from './errors.js';
import type {
  Agenda,
  BoardResults,
  CurrentActivity,
  Drafting,
  HiddenNote,
  PollResults,
  Presence,
  RankedItem,
  Snapshot,
  Statement,
  StatementsResults,
  Timer,
  WorkshopInfo,
  You,
} from './model.js';
import type { Reaction, StatementVote } from './limits.js';
import type { Ballot, ClientEventName, ClientEventPayload, PollAnswer } from './schemas.js';

/** What each client event answers on success, beyond `ok: true`. */
type AckData = {
  'participant:setGroup': object;
  'reaction:send': object;
  'agenda:add': { id: string };
  'agenda:update': object;
  'agenda:remove': object;
  'agenda:move': object;
  'agenda:goTo': object;
  'agenda:step': { currentId: string | null };
  'timer:start': object;
  'timer:pause': object;
  'timer:resume': object;
  'timer:adjust': object;
  'timer:clear': object;
  'activity:setState': object;
  'activity:setResultsVisible': object;
  /** `queued`: the board is moderated, and the note waits for a facilitator's approval. */
  'board:addNote': { noteId: string; queued?: boolean };
  'board:queue': { notes: HiddenNote[] };
  'board:approveNote': object;
  'board:rejectNote': object;
  'board:editNote': object;
  'board:withdrawNote': object;
  'board:myNotes': { noteIds: string[] };
  'board:vote': object;
  'board:myBallot': { ballot: Ballot | null };
  'board:hideNote': object;
  'board:hiddenNotes': { notes: HiddenNote[] };
  'board:restoreNote': object;
  'board:results': { results: BoardResults };
  'poll:vote': object;
  'poll:myAnswer': { answer: PollAnswer | null };
  'poll:results': { results: PollResults };
  'poll:reopen': { round: number };
  'poll:paperTally': object;
  'poll:hideAnswer': object;
  /** `queued`: the activity is moderated, and the statement waits for a facilitator's approval. */
  'statements:submit': { queued?: boolean };
  /** `pending`: facilitators only, the statements waiting for approval. */
  'statements:list': { statements: Statement[]; pending?: Statement[] };
  'statements:moderate': object;
  /** `order`: the statements this person has not answered yet, the next card first. */
  'statements:vote': { order: string[] };
  'statements:mine': { votes: Record<string, StatementVote>; order: string[] };
  'statements:results': { results: StatementsResults };
  'plan:requestDrafting': object;
  'plan:setDrafter': object;
  /** `commonGround`: the statements labelled common ground in closed statements rounds, by round. */
  'plan:priorities': {
    priorities: { boardId: string; title: string; items: RankedItem[] }[];
    commonGround: { activityId: string; title: string; statements: Statement[] }[];
  };
  'access:setRoom': object;
  'access:rotateCoFacilitatorLink': { url: string };
  'access:rotateScreenLink': { url: string };
  'access:screenLink': { url: string };
  'yjs:ticket': { ticket: string; path: string };
};
export type ClientAckData<E extends ClientEventName> = AckData[E];

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientEventPayload<E>, ack: AckCallback<AckData[E]>) => void;
};

export type ServerToClientEvents = {
  'session:snapshot': (snapshot: Snapshot) => void;
  /** The workshop's settings changed (the room was locked or given a passphrase). */
  'workshop:changed': (workshop: WorkshopInfo) => void;
  /** Facilitators only. */
  'agenda:changed': (agenda: Agenda) => void;
  'activity:changed': (current: CurrentActivity) => void;
  'timer:changed': (update: { timer: Timer | null; serverTime: number }) => void;
  'presence:changed': (presence: Presence) => void;
  /** Facilitators: the server's disk refuses writes (`full`, `failed`), or takes them again (`ok`). */
  'storage:changed': (storage: { status: 'ok' | 'full' | 'failed' }) => void;
  /** Batched, at most a few per second per board; `items` only once k people have voted. */
  'board:results': (results: BoardResults) => void;
  /** Facilitators: the notes of a moderated board waiting for approval (text only, as on the board). */
  'board:queue': (queue: { boardId: string; notes: HiddenNote[] }) => void;
  /** Facilitators: who asked to help write the plan, and who may. */
  'plan:drafters': (drafting: Drafting) => void;
  /** A participant: what changed about them (made a drafter, or not any more). */
  'session:you': (you: You) => void;
  /** Batched like board results: a new count only after k people changed their answer. */
  'poll:results': (results: PollResults) => void;
  /** The statements on the cards of a statements activity (a new one, approved or taken off). */
  'statements:list': (list: { activityId: string; statements: Statement[] }) => void;
  /** Facilitators: the statements waiting for approval. */
  'statements:queue': (queue: { activityId: string; pending: Statement[] }) => void;
  /** Batched: counts while open; the analysis once closed (for the room once revealed). */
  'statements:results': (results: StatementsResults) => void;
  /** Screens and facilitators: how many people sent each reaction in the last window (none: not listed). */
  'reactions:batch': (counts: Partial<Record<Reaction, number>>) => void;
};
