/**
 * The notes of a workshop's boards: participants' notes, written by the server's own Yjs client (so no Yjs
 * item carries a participant's client id), their anonymous ownership, and hiding by the facilitators.
 * Every operation runs in the room's queue.
 *
 * A participant is known here only by an HMAC tag of their token (never stored) and the note's id, under a
 * per-board secret that is forgotten once the board is locked; see docs/BOARDS.md for why.
 */
import { boardDocName, ErrorCode, type Ack, type AckError, type BoardActivity, type HiddenNote } from '../../shared/protocol/index.js';
import { editNote, insertNote, readNoteById, removeNote } from '../../shared/boardDoc.js';
import { fail, notFound } from '../domain/result.js';
import { randomId, tagFor } from '../domain/secrets.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Audience } from './ports.js';
import { SERVER_ORIGIN, type SharedDoc } from '../yjs/SharedDoc.js';
import { boxSecret } from './boxSecret.js';

export const notesBox = (boardId: string) => `notes:${boardId}`;
/** Where a moderated board's new notes wait: kept aside like hidden notes, under a name of their own. */
export const queueOf = (boardId: string) => `queue:${boardId}`;

type Host = { readonly id: string; serialise<T>(task: () => Promise<T>): Promise<T> };

export class BoardNotes {
  constructor(
    private readonly host: Host,
    private readonly deps: { store: Store; docs: DocRegistry; audience: Audience },
    /** The board an event names, in one of `states` (Boards' own check). */
    private readonly find: (boardId: string, states?: readonly string[]) => BoardActivity | AckError,
    /** Takes a hidden note out of the board's released results. */
    private readonly withoutItem: (board: BoardActivity, itemId: string) => Promise<void>,
  ) {}

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
  addNote(token: string, input: { boardId: string; noteId?: string; text: string; color: string; column: string | null }): Promise<Ack<{ noteId: string }>> {
    return this.host.serialise(async () => {
      const board = this.find(input.boardId, ['open']);
      if ('ok' in board) return board;
      const column = board.mode === 'qa' ? null : input.column;
      if (column !== null && !board.columns.some((c) => c.id === column)) return notFound('column');
      const box = notesBox(board.id);
      const secret = (await this.#secret(box, true))!;
      const noteId = input.noteId ?? randomId();
      const ownerTag = tagFor(secret, `${token}\0${noteId}`);
      const doc = await this.#doc(board.id);
      const claimed = input.noteId ? await this.deps.store.noteOwnerTag(box, noteId) : null;
      const note = { id: noteId, text: input.text, color: input.color, column };
      if (claimed === ownerTag) {
        // Already claimed by this person: finish an add that a crash cut short, else there is nothing to do.
        const placed = readNoteById(doc.doc, noteId) || (await this.#queue(board.id)).some((n) => n.id === noteId);
        return placed ? { ok: true, noteId, ...(board.moderated ? { queued: true } : {}) } : this.#place(board, doc, note);
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
      return this.#place(board, doc, note);
    });
  }

  /** Puts a new note on the board, or, on a moderated board, in the facilitators' queue. */
  async #place(board: BoardActivity, doc: SharedDoc, note: { id: string; text: string; color: string; column: string | null }) {
    if (!board.moderated) {
      await this.#insert(doc, note);
      return { ok: true as const, noteId: note.id };
    }
    await this.deps.store.hideNote(this.host.id, queueOf(board.id), { id: note.id, text: note.text, color: note.color });
    await this.#announceQueue(board.id);
    return { ok: true as const, noteId: note.id, queued: true };
  }

  #queue(boardId: string): Promise<HiddenNote[]> {
    return this.deps.store.hiddenNotes(queueOf(boardId));
  }

  async #announceQueue(boardId: string): Promise<void> {
    this.deps.audience.facilitators('board:queue', { boardId, notes: await this.#queue(boardId) });
  }

  queue(boardId: string): Promise<Ack<{ notes: HiddenNote[] }>> {
    return this.host.serialise(async () => {
      const board = this.find(boardId);
      if ('ok' in board) return board;
      return { ok: true, notes: await this.#queue(board.id) };
    });
  }

  /** A waiting note goes on the board, for everyone, as if it had just been added. */
  approveNote(input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.#decide(input, async (board, note) => this.#insert(await this.#doc(board.id), { ...note, column: null }));
  }

  /** A waiting note is dropped: it never reaches the board, and no longer counts against its writer's limit. */
  rejectNote(input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.#decide(input, (board, note) => this.deps.store.releaseNote(notesBox(board.id), note.id));
  }

  /** Takes a waiting note out of the queue for `then`; the queue as it now is goes to the facilitators. */
  #decide(input: { boardId: string; noteId: string }, then: (board: BoardActivity, note: HiddenNote) => Promise<void>): Promise<Ack> {
    return this.host.serialise(async () => {
      // Until the board closes: a Q&A takes questions while locked too; a closed board's notes are final.
      const board = this.find(input.boardId, ['open', 'locked']);
      if ('ok' in board) return board;
      const note = await this.deps.store.takeHiddenNote(queueOf(board.id), input.noteId);
      if (!note) return notFound('waiting note');
      await then(board, note);
      await this.#announceQueue(board.id);
      return { ok: true };
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
    const board = this.find(boardId, ['open']);
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
      // Still waiting for approval: it leaves the queue too.
      if (owned.board.moderated && (await this.deps.store.takeHiddenNote(queueOf(input.boardId), input.noteId))) await this.#announceQueue(input.boardId);
      return { ok: true };
    });
  }

  myNotes(token: string, boardId: string): Promise<Ack<{ noteIds: string[] }>> {
    return this.host.serialise(async () => {
      const board = this.find(boardId);
      if ('ok' in board) return board;
      const box = notesBox(boardId);
      const secret = await this.#secret(box, false);
      if (!secret) return { ok: true, noteIds: [] };
      const owners = await this.deps.store.noteOwners(box);
      return { ok: true, noteIds: owners.filter((o) => o.ownerTag === tagFor(secret, `${token}\0${o.noteId}`)).map((o) => o.noteId) };
    });
  }

  /** Takes a note off the board for everyone and out of the stored document; kept aside for the facilitators. */
  hideNote(input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.host.serialise(async () => {
      const board = this.find(input.boardId);
      if ('ok' in board) return board;
      const doc = await this.#doc(board.id);
      const note = readNoteById(doc.doc, input.noteId);
      if (!note) return notFound('note');
      // Stored aside first: a store that refuses (a full disk) leaves the note on every screen, as answered.
      await this.deps.store.hideNote(this.host.id, board.id, { id: note.id, text: note.text, color: note.color });
      await this.deps.store.releaseNote(notesBox(board.id), input.noteId);
      removeNote(doc.doc, input.noteId, SERVER_ORIGIN);
      await doc.compact();
      await this.withoutItem(board, input.noteId);
      return { ok: true };
    });
  }

  hiddenNotes(boardId: string): Promise<Ack<{ notes: HiddenNote[] }>> {
    return this.host.serialise(async () => {
      const board = this.find(boardId);
      if ('ok' in board) return board;
      return { ok: true, notes: await this.deps.store.hiddenNotes(boardId) };
    });
  }

  restoreNote(input: { boardId: string; noteId: string }): Promise<Ack> {
    return this.host.serialise(async () => {
      const board = this.find(input.boardId);
      if ('ok' in board) return board;
      const note = await this.deps.store.takeHiddenNote(board.id, input.noteId);
      if (!note) return notFound('hidden note');
      const doc = await this.#doc(board.id);
      if (!readNoteById(doc.doc, note.id)) insertNote(doc.doc, { ...note, column: null }, SERVER_ORIGIN);
      await doc.flush();
      return { ok: true };
    });
  }
}
