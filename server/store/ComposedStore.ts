/**
 * A Store made of a few parts, so that each store's SQL lives in small modules of one concern (its workshops,
 * participants, document logs…) while callers still see one Store. Both stores extend it: the passing on is
 * written once, and they add only their lifecycle.
 */
import type {
  BallotStore,
  BoxStore,
  DocStore,
  FollowUpStore,
  HiddenNoteStore,
  NoteOwnerStore,
  ParticipantStore,
  ResultStore,
  RetentionStore,
  Store,
  WorkshopStore,
} from './Store.js';

/** A DocStore but for `mergesDocUpdates`, which each store declares itself: what its document logs' part implements. */
export type DocLog = Omit<DocStore, 'mergesDocUpdates'>;

/** The parts a store is made of: each plays one role, or a few that share tables. */
export type StoreParts = {
  workshops: WorkshopStore & RetentionStore;
  participants: ParticipantStore;
  docs: DocLog;
  boxes: BoxStore & NoteOwnerStore & BallotStore;
  activityRecords: HiddenNoteStore & ResultStore;
  followUps: FollowUpStore;
};

/**
 * The parts' methods become the store's own (they are closures over their database, not methods that need
 * `this`); the interface of the same name gives the class their types, and TypeScript checks that the parts
 * cover every role of Store but the lifecycle and the merge capability, which each store adds itself.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the parts' methods are assigned in the constructor
export interface ComposedStore
  extends WorkshopStore, RetentionStore, ParticipantStore, DocLog, BoxStore, NoteOwnerStore, BallotStore, HiddenNoteStore, ResultStore, FollowUpStore {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export abstract class ComposedStore implements Store {
  abstract readonly mergesDocUpdates: boolean;

  protected constructor(parts: StoreParts) {
    Object.assign(this, parts.workshops, parts.participants, parts.docs, parts.boxes, parts.activityRecords, parts.followUps);
  }

  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
