/**
 * Board operations of one workshop: anonymous ballots and results, a board's state changes, and its notes
 * (BoardNotes). Every operation runs in the room's queue, so a vote can never slip past the closing of a vote.
 *
 * Voters are known here only by HMAC tags of their token (never stored) under a per-board secret;
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
  type RankedItem,
} from '../../shared/protocol/index.js';
import { priorityItems, readNotes } from '../../shared/boardDoc.js';
import { rerank, tally } from '../domain/board/tally.js';
import { keepKnownItems, validateBallot } from '../domain/board/validateBallot.js';
import { fail } from '../domain/result.js';
import { randomId, tagFor } from '../domain/secrets.js';
import { boxSecret, onceEach } from './boxSecret.js';
import { SerialBatches } from './SerialBatches.js';
import type { Logger } from '../log.js';
import type { Audience } from './ports.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { ResultsPublisher } from './ResultsPublisher.js';
import { BoardNotes, notesBox } from './BoardNotes.js';
import { findActivity } from './findActivity.js';

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
  readonly notes: BoardNotes;

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {
    this.notes = new BoardNotes(
      host,
      deps,
      (boardId, states) => this.#find(boardId, states),
      (board, itemId) => this.#withoutItem(board, itemId),
    );
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
      releases: { store: this.deps.store, workshopId: this.host.id, key: releaseKey },
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
    return findActivity(this.host.board(boardId), 'board', 'this board has not started yet', states);
  }

  #secret(box: string, create: boolean): Promise<Buffer | undefined> {
    return boxSecret(this.deps.store, this.host.id, box, create);
  }

  #doc(boardId: string) {
    return this.deps.docs.get(this.host.id, boardDocName(boardId));
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
