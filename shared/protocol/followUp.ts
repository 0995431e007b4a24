/**
 * After the room (docs/FOLLOWUP.md): a workshop the lead facilitator ended keeps a follow-up record — the
 * plan's actions as commitments with their owners, the owners' append-only updates, lessons learned and pulse
 * checks — read by everyone on the public follow-up page. Plain types: safe for the client to import.
 */

/** How long the follow-up record of an ended workshop is kept, unless the facilitator chose otherwise. */
export const FOLLOW_UP_LIMITS = {
  followUpDaysDefault: 730,
  followUpDaysMax: 3650,
  updateNoteMax: 600,
  dropReasonMax: 300,
  evidenceUrlMax: 500,
  lessonsMax: 4000,
  /** Letters and digits of the public page's code (no 0/O, 1/I/L): read off a handout, typed on a phone. */
  publicCodeLength: 8,
  /** Questions one pulse check may ask: one per commitment and the trust question. */
  pulseQuestionsMax: 40,
} as const;

export const COMMITMENT_STATUSES = ['not_started', 'in_progress', 'done', 'dropped'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

/** An owner of commitments: a stakeholder (an organisation, a service), named as the plan named it. */
export type CommitmentOwner = { id: string; name: string };

/** One plan action as a commitment, fixed when the workshop ended; its status moves only by updates. */
export type Commitment = {
  id: string;
  title: string;
  description: string;
  ownerId: string;
  /** `YYYY-MM-DD`, or empty when the plan gave no end date. */
  due: string;
  indicators: { text: string; target: string }[];
  /** The status the plan gave the action when the workshop ended. */
  initialStatus: CommitmentStatus;
};

/** An owner's update to one commitment. Never edited: a correction is a new update naming the one it corrects. */
export type CommitmentUpdate = {
  id: string;
  commitmentId: string;
  /** ms since the epoch, by the server's clock. */
  postedAt: number;
  status?: CommitmentStatus;
  /** Why a commitment was dropped (required with `status: 'dropped'`). */
  reason?: string;
  note: string;
  /** A measured value of one of the commitment's indicators, on the date it was measured. */
  indicator?: { index: number; value: number; date: string };
  /** A web address the owner offers as evidence: shown as text with its domain, never as a link. */
  evidence?: string;
  /** The id of an earlier update of the same commitment this one corrects. */
  corrects?: string;
};

export type Lessons = { worked: string; didNotWork: string };

/** A question of a pulse check, answered 1–5, or 0 for "I don't know". */
export type PulseQuestion =
  | { id: string; kind: 'delivered'; commitmentId: string }
  /** Repeats a scale poll of the session (its question and scale), so before and after sit side by side. */
  | { id: string; kind: 'repeat'; pollId: string; question: string; low: string; high: string; before: PulseBefore | null };

/** The session poll's answers a repeated question sits beside: counts of 1 to 5 from its last round. */
export type PulseBefore = { respondents: number; counts: [number, number, number, number, number]; mean: number };

/** The answers to one question: counts of "I don't know" (index 0) and of 1 to 5, released only past k answers. */
export type PulseTally = { questionId: string; counts: [number, number, number, number, number, number] };

export type PulseCheck = {
  id: string;
  openedAt: number;
  closedAt: number | null;
  questions: PulseQuestion[];
  /** Released results: null while fewer than k answered (or, while open, since the last release). */
  results: { answers: number; tallies: PulseTally[] } | null;
};

/** The follow-up record as facilitators see it (owners' keys never leave the server). */
export type FollowUpView = {
  title: string;
  joinCode: string;
  /** Who asked: the lead facilitator (who alone may delete the workshop) or a co-facilitator. */
  role: 'facilitator' | 'cofacilitator';
  language: import('./limits.js').Language;
  endedAt: number;
  /** When the record will be deleted (ms since the epoch). */
  expiresAt: number;
  publicUrl: string;
  anonymityThreshold: number;
  owners: (CommitmentOwner & { linked: boolean })[];
  commitments: Commitment[];
  updates: CommitmentUpdate[];
  lessons: Lessons;
  pulses: PulseCheck[];
  /** The session's closed scale polls a pulse check may repeat. */
  repeatable: { pollId: string; question: string }[];
};

/** What an owner's update link opens: their commitments and every update to them. */
export type OwnerView = {
  title: string;
  language: import('./limits.js').Language;
  owner: CommitmentOwner;
  commitments: Commitment[];
  updates: CommitmentUpdate[];
};
