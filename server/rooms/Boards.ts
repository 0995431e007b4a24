/**
 * Board operations of one workshop: participants' notes (written by the server's own Yjs client, so no
 * Yjs item carries a participant's client id), anonymous ownership and ballots, hiding, and results.
 * Every operation runs in the room's queue, so a vote can never slip past the closing of a vote.
 *
 * Participants are known here only by HMAC tags of their token (never stored) under a per-board secret;
 * see the migrations for the tables and docs/BOARDS.md for why.
 */
import {
  boardDocName,
  ErrorCode,
  type Ack,
  type AckError,
  type Ballot,
  type BoardActivity,
  type BoardResults,
  type HiddenNote,
  type RankedItem,
} from '../../shared/protocol/index.js';
import { editNote, insertNote, priorityItems, readNoteById, readNotes, removeNote } from '../../shared/boardDoc.js';
import { rerank, tally } from '../domain/board/tally.js';
import { keepKnownItems, validateBallot } from '../domain/board/validateBallot.js';
import { fail, notFound } from '../domain/result.js';
import { randomId, tagFor } from '../domain/secrets.js';
import { boxSecret, onceEach } from './boxSecret.js';
import { SerialBatches } from './SerialBatches.js';
import type { Logger } from '../log.js';
import type { Audience } from './ports.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { ResultsPublisher } from './ResultsPublisher.js';
import { SERVER_ORIGIN, type SharedDoc } from '../yjs/SharedDoc.js';

const notesBox = (boardId: string) => `notes:${boardId}`;
const votesBox = (boardId: string) => `votes:${boardId}`;
/** The last release of an open vote, kept so that a restart serves it rather than nothing. */
const releaseKey = (boardId: string) => `release:${votesBox(boardId)}`;

/** Results go out at most this often per board. */
export const RESULTS_INTERVAL_MS = 500;

type Deps = { store: Store; docs: DocRegistry; audience: Audience; log: Logger };
type Host = {
  readonly id: string;
  readonly anonymityThreshold: number;
  board(boardId: string): BoardActivity | undefined;
  serialise<T>(task: () => Promise<T>): Promise<T>;
};
type Snapshot = { voters: number; items: RankedItem[] | null; heldBack?: number };

const votingMethod = (board: BoardActivity) => (board.mode === 'qa' ? ({ method: 'upvotes' } as const) : board.prioritisation);
/** Q&A counts are the room's to sort by; a board's results are shown when the facilitator reveals them. */
const roomSees = (board: BoardActivity) => board.mode === 'qa' || board.resultsVisible === true;

export class Boards {
  readonly #results: ResultsPublisher<Snapshot>;

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {
    this.#results = new ResultsPublisher<Snapshot>({
      threshold: host.anonymityThreshold,
      intervalMs: RESULTS_INTERVAL_MS,
      count: async (boardId) => {
        const board = this.host.board(boardId);
        return board ? this.#count(board) : { voters: 0, items: null };
      },
      ballots: async (boardId) => await this.deps.store.ballotCount(votesBox(boardId)),
      counted: (snapshot) => snapshot.voters,
      breakdown: () => false,
      // Facilitators follow a vote as it goes (and a Q&A's room sorts by it), always by the release rule.
      live: () => true,
      closed: (boardId) => this.host.board(boardId)?.state === 'closed',
      keep: (boardId, snapshot) => this.deps.store.saveActivityResult(this.host.id, releaseKey(boardId), snapshot),
      kept: async (boardId) => (await this.deps.store.activityResult(releaseKey(boardId))) as Snapshot | undefined,
      initial: async (boardId) => {
        if (this.host.board(boardId)?.state === 'closed') {
          const kept = (await this.deps.store.activityResult(boardId)) as Snapshot | undefined;
          if (kept) return { voters: kept.voters, items: kept.items, ...(kept.heldBack ? { heldBack: kept.heldBack } : {}) };
        }
        return { voters: await this.deps.store.ballotCount(votesBox(boardId)), items: null };
      },
      emit: (boardId, snapshot) => this.#emit(boardId, snapshot),
      serialise: (task) => this.host.serialise(task),
      onError: (boardId, error) => this.deps.log.error('could not publish results', { boardId, error: String(error) }),
    });
  }

  #find(boardId: string, states?: readonly string[]): BoardActivity | AckError {
    const board = this.host.board(boardId);
    if (!board) return notFound('board');
    if (states && !states.includes(board.state)) {
      return fail(ErrorCode.conflict, board.state === 'draft' ? 'this board has not started yet' : `this board is ${board.state}`);
    }
    return board;
  }

  #secret(box: string, create: boolean): Promise<Buffer | undefined> {
    return boxSecret(this.deps.store, this.host.id, box, create);
  }

  #doc(boardId: string) {
    return this.deps.docs.get(this.host.id, boardDocName(boardId));
  }

  /**
   * Adds a note. The phone chooses the note's random id, so an add sent again after a dropped connection
   * (the phone cannot know whether the first one arrived) finds its claim and adds nothing twice. The claim is
   * stored, so this holds across a server restart too.
   */
  addNote(
    token: string,
    input: { boardId: string; noteId?: string; text: string; color: string; column: string | null },
  ): Promise<Ack<{ noteId: string }>> {
    return this.host.serialise(async () => {
      const board = this.#find(input.boardId, ['open']);
      if ('ok' in board) return board;
      const column = board.mode === 'qa' ? null : input.column;
      if (column !== null && !board.columns.some((c) => c.id === column)) return notFound('column');
      const box = notesBox(board.id);
      const secret = (await this.#secret(box, true))!;
      const noteId = input.noteId ?? randomId();
      const ownerTag = tagFor(secret, `${token}\0${noteId}`);
      const doc = await this.#doc(board.id);
      const claimed = input.noteId ? await this.deps.store.noteOwnerTag(box, noteId) : null;
      if (claimed === ownerTag) {
        // Already claimed by this person: finish an add that a crash cut short, else there is nothing to do.
        if (!readNoteById(doc.doc, noteId)) await this.#insert(doc, { id: noteId, text: input.text, color: input.color, column });
        return { ok: true, noteId };
      }
      // Someone else's note, or one hidden since (its claim released): the id is not free.
      if (claimed || (input.noteId && (readNoteById(doc.doc, noteId) || (await this.#isHidden(board.id, noteId))))) {
        return fail(ErrorCode.conflict, 'that note id is taken');
      }
      const mine = (await this.deps.store.noteOwners(box)).filter((o) => o.ownerTag === tagFor(secret, `${token}\0${o.noteId}`));
      if (mine.length >= board.noteLimit) {
        return fail(ErrorCode.conflict, `this board takes at most ${board.noteLimit} notes from each person`);
      }
      // Claim first: a note must never be on the board without its owner being able to withdraw it.
      await this.deps.store.claimNote(this.host.id, box, noteId, ownerTag);
      await this.#insert(doc, { id: noteId, text: input.text, color: input.color, column });
      return { ok: true, noteId };
    });
  }

  async #insert(doc: SharedDoc, note: { id: string; text: string; color: string; column: string | null }): Promise<void> {
    insertNote(doc.doc, note, SERVER_ORIGIN);
    await doc.flush();
    this.deps.docs.touch(doc);
  }

  async #isHidden(boardId: string, noteId: string): Promise<boolean> {
    return (await this.deps.store.hiddenNotes(boardId)).some((n) => n.id === noteId);
  }

  /** The board, if the note exists and belongs to `token`, while ownership is still remembered. */
  async #ownNote(token: string, boardId: string, noteId: string): Promise<{ board: BoardActivity } | AckError> {
    const board = this.#find(boardId, ['open']);
    if ('ok' in board) return board;
    const box = notesBox(boardId);
    const [secret, owner] = await Promise.all([this.#secret(box, false), this.deps.store.noteOwnerTag(box, noteId)]);
    if (!owner || !secret) return notFound('note');
    if (owner !== tagFor(secret, `${token}\0${noteId}`)) return fail(ErrorCode.forbidden, 'you can only change your own notes');
    return { board };
  }

  editNote(token: string, input: { boardId: string; noteId: string; text: string; color?: string }): Promise<Ack> {
    return this.host.serialise(async () => {
      const owned = await this.#ownNote(token, input.boardId, input.noteId);
      if ('ok' in owned) return owned;
      const doc = await this.#doc(input.boardId);
      if (!editNote(doc.doc, input.noteId, input, SERVER_ORIGIN)) return notFound('note');
      await doc.compact(); // the old wording leaves the store too
      return { ok: true };
    });
  }

  withdrawNote(token: string, input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.host.serialise(async () => {
      const owned = await this.#ownNote(token, input.boardId, input.noteId);
      if ('ok' in owned) return owned;
      const box = notesBox(input.boardId);
      await this.deps.store.releaseNote(box, input.noteId);
      const doc = await this.#doc(input.boardId);
      removeNote(doc.doc, input.noteId, SERVER_ORIGIN);
      await doc.compact();
      return { ok: true };
    });
  }

  myNotes(token: string, boardId: string): Promise<Ack<{ noteIds: string[] }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      const box = notesBox(boardId);
      const secret = await this.#secret(box, false);
      if (!secret) return { ok: true, noteIds: [] };
      const owners = await this.deps.store.noteOwners(box);
      return { ok: true, noteIds: owners.filter((o) => o.ownerTag === tagFor(secret, `${token}\0${o.noteId}`)).map((o) => o.noteId) };
    });
  }

  /** Ballots arriving together are cast together, in one store transaction (see SerialBatches). */
  readonly #votes = new SerialBatches<{ token: string; input: { boardId: string; ballot: Ballot } }, Ack>(
    (task) => this.host.serialise(task),
    (votes) => {
      const secretOf = onceEach((box) => this.#secret(box, true));
      return Promise.all(votes.map(({ token, input }) => this.#castOne(token, input, secretOf)));
    },
  );

  vote(token: string, input: { boardId: string; ballot: Ballot }): Promise<Ack> {
    return this.#votes.add({ token, input });
  }

  async #castOne(token: string, input: { boardId: string; ballot: Ballot }, secretOf: (box: string) => Promise<Buffer | undefined>): Promise<Ack> {
    const found = this.host.board(input.boardId);
    // Q&A takes upvotes while questions come in; a board votes once its notes are locked.
    const board = this.#find(input.boardId, found?.mode === 'qa' ? ['open', 'locked'] : ['locked']);
    if ('ok' in board) return board;
    const doc = await this.#doc(board.id);
    const items = new Set((board.mode === 'qa' ? readNotes(doc.doc) : priorityItems(doc.doc)).map((i) => i.id));
    // Items hidden or regrouped since the voter's screen last updated are dropped, not refused: a
    // voter must always be able to change their mind.
    const ballot = keepKnownItems(input.ballot, items);
    const problem = validateBallot(ballot, votingMethod(board), items);
    if (problem) return fail(ErrorCode.invalidInput, problem);
    const box = votesBox(board.id);
    const voterTag = tagFor((await secretOf(box))!, token);
    const payload = JSON.stringify(ballot);
    await this.#results.open(board.id);
    const { changed } = await this.deps.store.castBallot(this.host.id, box, voterTag, payload, randomId());
    if (changed) await this.#results.contribute(board.id, voterTag, { value: payload, group: null });
    return { ok: true };
  }

  myBallot(token: string, boardId: string): Promise<Ack<{ ballot: Ballot | null }>> {
    return this.#votes.after(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      const box = votesBox(boardId);
      const secret = await this.#secret(box, false);
      const stored = secret && (await this.deps.store.ballotOf(box, tagFor(secret, token)));
      return { ok: true, ballot: stored ? (JSON.parse(stored) as Ballot) : null };
    });
  }

  /** Takes a note off the board for everyone and out of the stored document; kept aside for the facilitators. */
  hideNote(input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.host.serialise(async () => {
      const board = this.#find(input.boardId);
      if ('ok' in board) return board;
      const doc = await this.#doc(board.id);
      const note = readNoteById(doc.doc, input.noteId);
      if (!note) return notFound('note');
      // Stored aside first: a store that refuses (a full disk) leaves the note on every screen, as answered.
      await this.deps.store.hideNote(this.host.id, board.id, { id: note.id, text: note.text, color: note.color });
      await this.deps.store.releaseNote(notesBox(board.id), input.noteId);
      removeNote(doc.doc, input.noteId, SERVER_ORIGIN);
      await doc.compact();
      await this.#withoutItem(board, input.noteId);
      return { ok: true };
    });
  }

  hiddenNotes(boardId: string): Promise<Ack<{ notes: HiddenNote[] }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      return { ok: true, notes: await this.deps.store.hiddenNotes(boardId) };
    });
  }

  restoreNote(input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.host.serialise(async () => {
      const board = this.#find(input.boardId);
      if ('ok' in board) return board;
      const note = await this.deps.store.takeHiddenNote(board.id, input.noteId);
      if (!note) return notFound('hidden note');
      const doc = await this.#doc(board.id);
      if (!readNoteById(doc.doc, note.id)) insertNote(doc.doc, { ...note, column: null }, SERVER_ORIGIN);
      await doc.flush();
      return { ok: true };
    });
  }

  /** A fresh count: ranked items, or null while fewer than k people have voted. */
  async #count(board: BoardActivity): Promise<Snapshot> {
    const ballots = (await this.deps.store.ballots(votesBox(board.id))).map((b) => JSON.parse(b.payload) as Ballot);
    if (ballots.length < this.host.anonymityThreshold) return { voters: ballots.length, items: null };
    const doc = await this.#doc(board.id);
    const items = board.mode === 'qa' ? readNotes(doc.doc).map((n) => ({ id: n.id, label: n.text })) : priorityItems(doc.doc);
    return { voters: ballots.length, items: tally(votingMethod(board), items, ballots) };
  }

  results(boardId: string, forFacilitator: boolean): Promise<Ack<{ results: BoardResults }>> {
    return this.host.serialise(async () => {
      const board = this.#find(boardId);
      if ('ok' in board) return board;
      const { items, ...counts } = await this.#results.snapshot(board.id);
      return { ok: true, results: { boardId, ...counts, items: forFacilitator || roomSees(board) ? items : null } };
    });
  }

  #emit(boardId: string, { items, ...counts }: Snapshot): void {
    const board = this.host.board(boardId);
    if (!board) return;
    this.deps.audience.split('board:results', { boardId, ...counts, items }, { boardId, ...counts, items: roomSees(board) ? items : null });
  }

  /** Sends the current publication again (its visibility changed), without counting anew. */
  republish(boardId: string): void {
    this.#results.republish(boardId);
  }

  /** A hidden note leaves the released ranking (and, after closing, the kept result) at once: no new count. */
  async #withoutItem(board: BoardActivity, itemId: string): Promise<void> {
    const without = (snapshot: Snapshot): Snapshot => ({ ...snapshot, items: snapshot.items && rerank(snapshot.items.filter((i) => i.id !== itemId)) });
    await this.#results.amend(board.id, without);
    const kept = board.state === 'closed' && ((await this.deps.store.activityResult(board.id)) as Snapshot | undefined);
    if (kept) await this.#keepResult(board, without(kept));
  }

  async #keepResult(board: BoardActivity, snapshot: Snapshot): Promise<void> {
    await this.deps.store.saveActivityResult(this.host.id, board.id, { method: votingMethod(board).method, ...snapshot });
  }

  /**
   * Called (in the queue) once a board's new state is stored. Locking forgets who wrote which note;
   * closing forgets who cast which ballot, publishes the final count and keeps it for the action plan.
   */
  async afterStateChange(board: BoardActivity): Promise<void> {
    if (board.state === 'locked' || board.state === 'closed') await this.deps.store.sealBox(notesBox(board.id));
    if (board.state === 'closed') {
      // Released before sealing, by the same rule as every other release: too few changes since the last
      // one, and the last one is the final result.
      const { release, stored, heldBack } = await this.#results.final(board.id);
      // Ballots new or changed after the last release are stored but not counted: the result says how many.
      const released = release ?? { voters: stored, items: null };
      const final = heldBack > 0 ? { ...released, heldBack } : released;
      await this.deps.store.sealBox(votesBox(board.id));
      await this.#keepResult(board, final);
      await this.#results.amend(board.id, () => final);
      await this.deps.store.deleteActivityResult(releaseKey(board.id));
    } else {
      this.republish(board.id);
    }
  }

  /** A board removed from the agenda takes everything it stored with it. */
  async forget(boardId: string): Promise<void> {
    await this.deps.store.sealBox(notesBox(boardId));
    await this.deps.store.sealBox(votesBox(boardId));
    await this.deps.store.deleteBallots(votesBox(boardId));
    await this.deps.store.deleteActivityResult(boardId);
    await this.deps.store.deleteActivityResult(releaseKey(boardId));
    await this.deps.docs.forget(this.host.id, boardDocName(boardId));
    this.#results.forget(boardId);
  }

  /** After a crash between storing a state and sealing its boxes, seal them now. Idempotent. */
  async repairSeals(boards: BoardActivity[]): Promise<void> {
    for (const board of boards) {
      if (board.state === 'locked' || board.state === 'closed') await this.deps.store.sealBox(notesBox(board.id));
      if (board.state === 'closed') await this.deps.store.sealBox(votesBox(board.id));
    }
  }

  dispose(): void {
    this.#results.dispose();
  }
}
