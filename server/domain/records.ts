/** What the stores keep about a workshop and a participant: the domain's records, which every store maps its rows to. */
import type { Agenda, Language, StakeholderGroup } from '../../shared/protocol/index.js';

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
};

export type RoomAccess = Pick<WorkshopRecord, 'locked' | 'passphraseHash'>;

/** A participant as stored: no name, no address, no device — a hash of the browser's token and a group. */
export type ParticipantRecord = { id: string; workshopId: string; groupId: string | null; drafter: boolean; drafterName: string };
