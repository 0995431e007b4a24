/**
 * Persistence behind one small interface. SQLite is the embedded default; the PostgreSQL store (DATABASE_URL)
 * satisfies the same contract (tests/helpers/storeContract.ts runs the same checks against both).
 * Every method resolves only once the write is durable, so callers may acknowledge after awaiting it.
 *
 * `Store` is composed of one interface per role, so that a module can depend on only the part it uses.
 */
import type { Agenda, HiddenNote } from '../../shared/protocol/index.js';

export type { FollowUpRecord, ParticipantRecord, RoomAccess, StoredFollowUp, WorkshopRecord } from '../domain/records.js';
import type { FollowUpRecord, ParticipantRecord, RoomAccess, StoredFollowUp, WorkshopRecord } from '../domain/records.js';
import type { CommitmentUpdate } from '../../shared/protocol/followUp.js';

export interface StoreLifecycle {
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface WorkshopStore {
  /** Fails with `'join_code_taken'` when another live workshop already has the code. */
  createWorkshop(record: WorkshopRecord): Promise<'ok' | 'join_code_taken'>;
  getWorkshop(id: string): Promise<WorkshopRecord | undefined>;
  findWorkshopIdByJoinCode(joinCode: string): Promise<string | undefined>;
  /** Writes the agenda if the stored version is still `expectedVersion`; returns false if someone else wrote first. */
  saveAgenda(workshopId: string, agenda: Agenda, expectedVersion: number): Promise<boolean>;
  setCoFacilitatorKeyHash(workshopId: string, hash: string): Promise<void>;
  /** Replaces the lead facilitator's key (`npm run admin -- rotate-key`); false if there is no such workshop. */
  setFacilitatorKeyHash(workshopId: string, hash: string): Promise<boolean>;
  setScreenKey(workshopId: string, key: string): Promise<void>;
  setRoomAccess(workshopId: string, access: RoomAccess): Promise<void>;
}

export interface ParticipantStore {
  /** The participant holding this token hash, if they joined before. */
  findParticipant(workshopId: string, tokenHash: string): Promise<ParticipantRecord | undefined>;
  /** The participant holding this token hash, created with `newId` on first sight. */
  getOrCreateParticipant(workshopId: string, tokenHash: string, newId: string): Promise<ParticipantRecord>;
  setParticipantGroup(workshopId: string, participantId: string, groupId: string | null): Promise<void>;
  /** Makes a participant a drafter of the plan (with the name they chose, possibly empty), or not. */
  setDrafter(workshopId: string, participantId: string, drafter: { name: string } | null): Promise<void>;
  drafters(workshopId: string): Promise<{ id: string; name: string }[]>;
  /** How many participants joined per stakeholder group (`null`: not stated). */
  groupCounts(workshopId: string): Promise<Map<string | null, number>>;
}

export interface DocStore {
  /** Appends one Yjs update to a document's log; resolves with its sequence number once durable. */
  appendDocUpdate(workshopId: string, docName: string, update: Uint8Array): Promise<number>;
  loadDocUpdates(workshopId: string, docName: string): Promise<Uint8Array[]>;
  /** Replaces every logged update up to `throughSeq` with `state` (which contains them all). */
  compactDocUpdates(workshopId: string, docName: string, state: Uint8Array, throughSeq: number): Promise<void>;
  deleteDoc(workshopId: string, docName: string): Promise<void>;
  /**
   * Whether the store is also a DocUpdateMerging, which several nodes need (PostgreSQL only). Declared rather
   * than detected, so that no caller has to probe for a method.
   */
  readonly mergesDocUpdates: boolean;
}

/** What a store shared by several nodes adds to its document logs. */
export interface DocUpdateMerging {
  readonly mergesDocUpdates: true;
  /**
   * Replaces a document's whole log with `merge(every stored update)`, computed while appends to it wait, so
   * that no node's update is dropped unread.
   */
  mergeDocUpdates(workshopId: string, docName: string, merge: (stored: Uint8Array[]) => Uint8Array): Promise<void>;
}

/** Reads the store's declaration; a store that declares `true` says it is a DocUpdateMerging (`implements`), which checks it. */
export function canMergeDocUpdates<S extends DocStore>(store: S): store is S & DocUpdateMerging {
  return store.mergesDocUpdates;
}

// Anonymous ownership and ballots. A "box" is one board's notes or one vote; its secret keys the HMAC
// tags that stand in for participants, and is deleted with the tags when the box is sealed.

export interface BoxStore {
  boxSecret(boxId: string): Promise<Buffer | undefined>;
  createBoxSecret(workshopId: string, boxId: string, secret: Buffer): Promise<void>;
  /** Deletes every owner or voter tag of the box and its secret: from now on nothing links it to anyone. */
  sealBox(boxId: string): Promise<void>;
}

export interface NoteOwnerStore {
  /**
   * Records a note's owner tag. The tag covers the note id, so one person's notes share nothing: there is no
   * per-person row whose change would tie a note to the earlier notes of its author (docs/ANONYMITY.md).
   */
  claimNote(workshopId: string, boxId: string, noteId: string, ownerTag: string): Promise<void>;
  noteOwnerTag(boxId: string, noteId: string): Promise<string | undefined>;
  /** The owner tags of the board's notes: a person's limit is counted from them, and their notes found. */
  noteOwners(boxId: string): Promise<{ noteId: string; ownerTag: string }[]>;
  /**
   * Forgets a note's owner (withdrawn, or hidden by the facilitators: then nothing in the store can prove who
   * wrote it, even with their phone). Either way it no longer counts against its author's limit.
   */
  releaseNote(boxId: string, noteId: string): Promise<void>;
}

export interface BallotStore {
  /**
   * Stores a voter's ballot, replacing their earlier one in this box (the last choice counts). A replaced
   * ballot gets a new random id, so a changed answer cannot be followed by its id; the same answer sent again
   * changes nothing. Returns the ballot's id and whether anything changed.
   */
  castBallot(workshopId: string, boxId: string, voterTag: string, payload: string, newBallotId: string): Promise<{ ballotId: string; changed: boolean }>;
  ballotOf(boxId: string, voterTag: string): Promise<string | undefined>;
  /** The box's ballots with their random ids, in no meaningful order. */
  ballots(boxId: string): Promise<{ id: string; payload: string }[]>;
  /** How many ballots the box holds, without reading (or, on PostgreSQL, opening) them. */
  ballotCount(boxId: string): Promise<number>;
  /** An open answer the facilitators took off every screen (the ballot still counts). */
  hideBallot(workshopId: string, ballotId: string): Promise<void>;
  hiddenBallots(ballotIds: string[]): Promise<Set<string>>;
  /** Deletes a box's ballots, their hidden marks and its paper tally (its activity was removed). */
  deleteBallots(boxId: string): Promise<void>;
  /** Counts entered from paper ballots, replacing earlier ones for the box. */
  savePaperTally(workshopId: string, boxId: string, payload: string): Promise<void>;
  paperTally(boxId: string): Promise<string | undefined>;
}

export interface HiddenNoteStore {
  hideNote(workshopId: string, boardId: string, note: HiddenNote): Promise<void>;
  hiddenNotes(boardId: string): Promise<HiddenNote[]>;
  /** Removes a hidden note from the hidden list and returns it, to put it back on the board. */
  takeHiddenNote(boardId: string, noteId: string): Promise<HiddenNote | undefined>;
}

export interface ResultStore {
  saveActivityResult(workshopId: string, activityId: string, result: unknown): Promise<void>;
  activityResult(activityId: string): Promise<unknown>;
  deleteActivityResult(activityId: string): Promise<void>;
}

/**
 * A workshop as `npm run admin -- list` shows it: nothing about anyone in it. `bytes` counts what it stored in
 * its agenda, documents and results (the bulk of it), not the rows of participants or ballots.
 */
export type WorkshopSummary = Pick<WorkshopRecord, 'id' | 'title' | 'createdAt' | 'expiresAt' | 'retentionDays' | 'endedAt' | 'followUpDays'> & {
  bytes: number;
};

export interface RetentionStore {
  /**
   * Moves workshops' creation and expiry dates by `ms`: they were stamped by a wall clock that was stepped
   * since (a venue laptop's clock corrected while it ran), and their retention must not shrink with it.
   */
  shiftWorkshopDates(workshopIds: string[], ms: number): Promise<void>;
  /**
   * Ids of the workshops whose retention period ended at or before `now` (ms since the epoch): a live workshop's
   * (`expiresAt`), or an ended one's follow-up record's (`endedAt` + `followUpDays`).
   */
  expiredWorkshopIds(now: number): Promise<string[]>;
  /** Every workshop, oldest first, as an operator lists them: what it is, how long it is kept, and its size. */
  workshopSummaries(): Promise<WorkshopSummary[]>;
  /**
   * Deletes a workshop and every record that belongs to it, all at once, and leaves nothing of it readable in
   * the store's files (SQLite: deleted content overwritten with zeros and the write-ahead log emptied;
   * PostgreSQL: the tables rewritten by VACUUM FULL — its write-ahead log is out of reach, docs/DEPLOYMENT.md).
   * Resolves with false if there was no such workshop.
   */
  deleteWorkshop(workshopId: string): Promise<boolean>;
}

/** What ending a workshop writes at once, in one transaction with the erasure of its live data. */
export type Ending = {
  /** Each document's final state, written by a fresh Yjs client: it replaces the document's whole log. */
  docs: { name: string; state: Uint8Array }[];
  /** Results kept besides those already stored (the room's representation, frozen), or replacing them. */
  results: { id: string; result: unknown }[];
  /** Stored results that name participants (the presence breakdown): deleted. */
  forget: string[];
  publicCode: string;
  record: FollowUpRecord;
};

export interface FollowUpStore {
  /**
   * Marks a live workshop ended, keeping its follow-up record for `followUpDays` from `endedAt`: from now on
   * nothing joins it or writes to it. False if it was ended already (or does not exist).
   */
  markEnded(workshopId: string, endedAt: number, followUpDays: number): Promise<boolean>;
  /**
   * Ended workshops whose live data is not erased yet (the erasure was refused, or the server stopped meanwhile),
   * ended at or before `endedBy` (ms since the epoch): an ending under way elsewhere is left to finish.
   */
  unfinishedEndings(endedBy: number): Promise<string[]>;
  /**
   * Erases everything of an ended workshop that could tie anything to a person (PERSON_TABLES), replaces its
   * documents' logs by their final states and stores its follow-up record — all or nothing — and then leaves
   * nothing of what it erased readable in the store's files (as `deleteWorkshop` does). Safe to repeat: a
   * follow-up record already stored is kept as it is.
   */
  completeEnding(workshopId: string, ending: Ending): Promise<void>;
  followUp(workshopId: string): Promise<StoredFollowUp | undefined>;
  followUpIdByCode(publicCode: string): Promise<string | undefined>;
  /** Writes the record if the stored version is still `expectedVersion`; false if someone else wrote first. */
  saveFollowUp(workshopId: string, record: FollowUpRecord, expectedVersion: number): Promise<boolean>;
  /** Appends an owner's update; updates are never changed or removed (only with the whole workshop). */
  appendFollowUpUpdate(workshopId: string, update: CommitmentUpdate): Promise<void>;
  /** Every update of the workshop, oldest first. */
  followUpUpdates(workshopId: string): Promise<CommitmentUpdate[]>;
}

export interface Store
  extends
    StoreLifecycle,
    WorkshopStore,
    ParticipantStore,
    DocStore,
    BoxStore,
    NoteOwnerStore,
    BallotStore,
    HiddenNoteStore,
    ResultStore,
    RetentionStore,
    FollowUpStore {}
