/**
 * Board operations of one workshop: participants' notes (written by the server's own Yjs client, so no
 * Yjs item carries a participant's client id), anonymous ownership and ballots, hiding, and batched
 * results. Every operation runs in the room's queue, so a vote can never slip past the closing of a vote.
 */
import {
  ErrorCode,
  type AckError,
  type Ballot,
  type BoardActivity,
  type BoardResults,
  type HiddenNote,
  type RankedItem,
} from '../../shared/protocol/index.js';
import { editNote, insertNote, priorityItems, readNoteById, readNotes, removeNote } from '../../shared/boardDoc.js';
import { tally } from '../domain/board/tally.js';
import { validateBallot } from '../domain/board/validateBallot.js';
import { fail, notFound } from '../domain/result.js';
import { newBoxSecret, randomId, tagFor } from '../domain/secrets.js';
import type { Logger } from '../log.js';
import { everyoneIn, facilitatorsOf, type RoundtableServer } from '../realtime/types.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { SERVER_ORIGIN } from '../yjs/SharedDoc.js';

export const boardDocName = (boardId: string) => `board-${boardId}`;
const notesBox = (boardId: string) => `notes:${boardId}`;
const votesBox = (boardId: string) => `votes:${boardId}`;

/** Results go out at most this often per board: never one message per ballot. */
export const RESULTS_INTERVAL_MS = 500;

type Deps = { store: Store; docs: DocRegistry; io: RoundtableServer; log: Logger };
type Host = {
  readonly id: string;
  readonly anonymityThreshold: number;
  board(boardId: string): BoardActivity | undefined;
  serialise<T>(task: () => Promise<T>): Promise<T>;
};
type Outcome<T extends object = object> = ({ ok: true } & T) | AckError;

const votingMethod = (board: BoardActivity) => (board.mode === 'qa' ? ({ method: 'upvotes' } as const) : board.prioritisation);

export class Boards {
  readonly #resultTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {}

  #find(boardId: string, states?: readonly string[]): BoardActivity | AckError {
    const board = this.host.board(boardId);
    if (!board) return notFound('board');
    if (states && !states.includes(board.state)) {
      return fail(ErrorCode.conflict, board.state === 'draft' ? 'this board has not started yet' : `this board is ${board.state}`);
    }
    return board;
  }

  /** The participant's tag in a box; with `create`, makes the box's secret on first use. */
  async #tag(boxId: string, participantId: string, create: boolean): Promise<string | undefined> {
    let secret = await this.deps.store.boxSecret(boxId);
    if (!secret && create) {
      await this.deps.store.createBoxSecret(this.host.id, boxId, newBoxSecret());
      secret = await this.deps.store.boxSecret(boxId);
    }
    return secret && tagFor(secret, participantId);
  }

  #doc(boardId: string) {
    return this.deps.docs.get(this.host.id, boardDocName(boardId));
  }

  addNote(participantId: string, input: { boardId: string; text: string; color: string; column: string | null }): Promise<Outcome<{ noteId: string }>> {
    return this.host.serialise(async () => {
      const board = this.#find(input.boardId, ['open']);
      if ('ok' in board) return board;
      const column = board.mode === 'qa' ? null : input.column;
      if (column !== null && !board.columns.some((c) => c.id === column)) return notFound('column');
      const box = notesBox(board.id);
      const tag = (await this.#tag(box, participantId, true))!;
      if ((await this.deps.store.notesOwnedBy(box, tag)).length >= board.noteLimit) {
        return fail(ErrorCode.conflict, `this board takes at most ${board.noteLimit} notes from each person`);
      }
      const doc = await this.#doc(board.id);
      const noteId = randomId();
      insertNote(doc.doc, { id: noteId, text: input.text, color: input.color, column }, SERVER_ORIGIN);
      await this.deps.store.claimNote(this.host.id, box, noteId, tag);
      await doc.flush();
      this.deps.docs.touch(doc);
      return { ok: true, noteId };
    });
  }

  /** Checks that the note exists and belongs to the participant, while ownership is still remembered. */
  async #ownNote(participantId: string, boardId: string, noteId: string): Promise<BoardActivity | AckError> {
    const board = this.#find(boardId, ['open']);
    if ('ok' in board) return board;
    const box = notesBox(boardId);
    const [tag, owner] = await Promise.all([this.#tag(box, participantId, false), this.deps.store.noteOwnerTag(box, noteId)]);
    if (!owner) return notFound('note');
    if (owner !== tag) return fail(ErrorCode.forbidden, 'you can only change your own notes');
    return board;
  }

  editNote(participantId: string, input: { boardId: string; noteId: string; text: string; color?: string }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const board = await this.#ownNote(participantId, input.boardId, input.noteId);
      if ('ok' in board) return board;
      const doc = await this.#doc(board.id);
      if (!editNote(doc.doc, input.noteId, input, SERVER_ORIGIN)) return notFound('note');
      await doc.flush();
      await doc.compact(); // the old wording leaves the store too
      return { ok: true };
    });
  }

  withdrawNote(participantId: string, input: { boardId: string; noteId: string }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const board = await this.#ownNote(participantId, input.boardId, input.noteId);
      if ('ok' in board) return board;
      const doc = await this.#doc(board.id);
      removeNote(doc.doc, input.noteId, SERVER_ORIGIN);
      await this.deps.store.releaseNote(notesBox(board.id), input.noteId);
      await doc.flush();
      await doc.compact();
      return { ok: true };
    });
  }

  myNotes(participantId: string, boardId: string): Promise<Outcome<{ noteIds: string[] }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      const box = notesBox(boardId);
      const tag = await this.#tag(box, participantId, false);
      return { ok: true, noteIds: tag ? await this.deps.store.notesOwnedBy(box, tag) : [] };
    });
  }

  vote(participantId: string, input: { boardId: string; ballot: Ballot }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const found = this.host.board(input.boardId);
      // Q&A takes upvotes while questions come in; a board votes once its notes are locked.
      const board = this.#find(input.boardId, found?.mode === 'qa' ? ['open', 'locked'] : ['locked']);
      if ('ok' in board) return board;
      const doc = await this.#doc(board.id);
      const items = board.mode === 'qa' ? readNotes(doc.doc) : priorityItems(doc.doc);
      const problem = validateBallot(input.ballot, votingMethod(board), new Set(items.map((i) => i.id)));
      if (problem) return fail(ErrorCode.invalidInput, problem);
      const box = votesBox(board.id);
      const tag = (await this.#tag(box, participantId, true))!;
      await this.deps.store.castBallot(this.host.id, box, tag, JSON.stringify(input.ballot), randomId());
      this.scheduleResults(board.id);
      return { ok: true };
    });
  }

  myBallot(participantId: string, boardId: string): Promise<Outcome<{ ballot: Ballot | null }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      const box = votesBox(boardId);
      const tag = await this.#tag(box, participantId, false);
      const stored = tag && (await this.deps.store.ballotOf(box, tag));
      return { ok: true, ballot: stored ? (JSON.parse(stored) as Ballot) : null };
    });
  }

  /** Takes a note off the board for everyone and out of the stored document; kept aside for the facilitators. */
  hideNote(input: { boardId: string; noteId: string }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const board = this.#find(input.boardId);
      if ('ok' in board) return board;
      const doc = await this.#doc(board.id);
      const removed = removeNote(doc.doc, input.noteId, SERVER_ORIGIN);
      if (!removed) return notFound('note');
      await this.deps.store.hideNote(this.host.id, board.id, removed);
      await this.deps.store.releaseNote(notesBox(board.id), input.noteId);
      await doc.flush();
      await doc.compact();
      this.scheduleResults(board.id);
      return { ok: true };
    });
  }

  hiddenNotes(boardId: string): Promise<Outcome<{ notes: HiddenNote[] }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      return { ok: true, notes: await this.deps.store.hiddenNotes(boardId) };
    });
  }

  restoreNote(input: { boardId: string; noteId: string }): Promise<Outcome> {
    return this.host.serialise(async () => {
      const board = this.#find(input.boardId);
      if ('ok' in board) return board;
      const note = await this.deps.store.takeHiddenNote(board.id, input.noteId);
      if (!note) return notFound('hidden note');
      const doc = await this.#doc(board.id);
      if (!readNoteById(doc.doc, note.id)) insertNote(doc.doc, { ...note, column: null }, SERVER_ORIGIN);
      await doc.flush();
      this.scheduleResults(board.id);
      return { ok: true };
    });
  }

  /** Ranked items, or null while fewer than k people have voted. Facilitators see them before the room does. */
  async #results(board: BoardActivity): Promise<{ voters: number; items: RankedItem[] | null }> {
    const ballots = (await this.deps.store.ballots(votesBox(board.id))).map((b) => JSON.parse(b) as Ballot);
    if (ballots.length < this.host.anonymityThreshold) return { voters: ballots.length, items: null };
    const doc = await this.#doc(board.id);
    const items = board.mode === 'qa' ? readNotes(doc.doc).map((n) => ({ id: n.id, label: n.text })) : priorityItems(doc.doc);
    return { voters: ballots.length, items: tally(votingMethod(board), items, ballots) };
  }

  /** Q&A counts are the room's to sort by; a board's results are shown when the facilitator reveals them. */
  static roomSees = (board: BoardActivity) => board.mode === 'qa' || board.resultsVisible === true;

  results(boardId: string, forFacilitator: boolean): Promise<Outcome<{ results: BoardResults }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      const { voters, items } = await this.#results(board);
      return { ok: true, results: { boardId, voters, items: forFacilitator || Boards.roomSees(board) ? items : null } };
    });
  }

  /** Sends results to everyone after a short delay, batching every ballot cast meanwhile. */
  scheduleResults(boardId: string): void {
    if (this.#resultTimers.has(boardId)) return;
    this.#resultTimers.set(
      boardId,
      setTimeout(() => {
        this.#resultTimers.delete(boardId);
        void this.host
          .serialise(async () => {
            const board = this.host.board(boardId);
            if (!board) return;
            const { voters, items } = await this.#results(board);
            const { io } = this.deps;
            io.to(facilitatorsOf(this.host.id)).emit('board:results', { boardId, voters, items });
            io.to(everyoneIn(this.host.id))
              .except(facilitatorsOf(this.host.id))
              .emit('board:results', { boardId, voters, items: Boards.roomSees(board) ? items : null });
          })
          .catch((error) => this.deps.log.error('could not send results', { boardId, error: String(error) }));
      }, RESULTS_INTERVAL_MS),
    );
  }

  /**
   * Called (in the queue) once a board's new state is stored. Locking forgets who wrote which note;
   * closing forgets who cast which ballot and keeps the final ranking for the action plan.
   */
  async afterStateChange(board: BoardActivity): Promise<void> {
    if (board.state === 'locked' || board.state === 'closed') await this.deps.store.sealBox(notesBox(board.id));
    if (board.state === 'closed') {
      await this.deps.store.sealBox(votesBox(board.id));
      const { voters, items } = await this.#results(board);
      await this.deps.store.saveActivityResult(this.host.id, board.id, { method: votingMethod(board).method, voters, items });
    }
    this.scheduleResults(board.id);
  }

  /** After a crash between storing a state and sealing its boxes, seal them now. Idempotent. */
  async repairSeals(boards: BoardActivity[]): Promise<void> {
    for (const board of boards) {
      if (board.state === 'locked' || board.state === 'closed') await this.deps.store.sealBox(notesBox(board.id));
      if (board.state === 'closed') await this.deps.store.sealBox(votesBox(board.id));
    }
  }

  dispose(): void {
    for (const timer of this.#resultTimers.values()) clearTimeout(timer);
    this.#resultTimers.clear();
  }
}
