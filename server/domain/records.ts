/** What the stores keep about a workshop and a participant: the domain's records, which every store maps its rows to. */
import type { Agenda, Language, StakeholderGroup } from '../../shared/protocol/index.js';
import type { Commitment, CommitmentOwner, Lessons, PulseQuestion, PulseTally } from '../../shared/protocol/followUp.js';

export type WorkshopRecord = {
  id: string;
  joinCode: string;
  title: string;
  language: Language;
  groups: StakeholderGroup[];
  anonymityThreshold: number;
  retentionDays: number;
  facilitatorKeyHash: string;
  coFacilitatorKeyHash: string;
  agenda: Agenda;
  createdAt: number;
  expiresAt: number;
  /** No new participants may join (those who joined before still can). */
  locked: boolean;
  /** scrypt hash of the passphrase new participants must give, if one is set. */
  passphraseHash: string | null;
  /**
   * The key in the screen link's fragment, without which no screen connects (lock or not). Stored as it is,
   * unlike the facilitator keys: the console shows the link again at every visit, and it opens only what the
   * room's projector shows.
   */
  screenKey: string;
  /** How many days the follow-up record is kept once the workshop has ended (docs/FOLLOWUP.md). */
  followUpDays: number;
  /** When the lead facilitator ended the workshop (ms since the epoch), or null while it is live. */
  endedAt: number | null;
};

export type RoomAccess = Pick<WorkshopRecord, 'locked' | 'passphraseHash'>;

/** A participant as stored: no name, no address, no device — a hash of the browser's token and a group. */
export type ParticipantRecord = { id: string; workshopId: string; groupId: string | null; drafter: boolean; drafterName: string };

/** A pulse check as stored: its questions and what was released of its answers (the ballots live in their box). */
export type StoredPulse = {
  id: string;
  openedAt: number;
  closedAt: number | null;
  questions: PulseQuestion[];
  /** The last release: null until k answered. */
  released: { answers: number; tallies: PulseTally[] } | null;
  /** Answers given after the last release and never released (closing keeps the last release). */
  heldBack?: number;
};

/**
 * What an ended workshop keeps for its follow-up, besides its agenda, released results, notes and plan. One
 * record per workshop, written whole with a version (facilitators, owners' links and pulse releases may write
 * from several nodes); owners' updates are rows of their own, appended and never changed.
 */
export type FollowUpRecord = {
  owners: (CommitmentOwner & { keyHash: string | null })[];
  commitments: Commitment[];
  lessons: Lessons;
  pulses: StoredPulse[];
};

export type StoredFollowUp = { publicCode: string; record: FollowUpRecord; version: number };
