/** Shapes of the state the server keeps and sends. Plain types: safe for the client to import. */
import type { ActivityInput } from './schemas.js';
import type { Language } from './limits.js';

export const ACTIVITY_KINDS = ['info', 'board', 'poll', 'statements', 'plan'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Lifecycle of an activity: `draft → open → locked → revealed | closed`. Info slides use draft and open. */
export type ActivityState = 'draft' | 'open' | 'locked' | 'revealed' | 'closed';

export type Activity = ActivityInput & {
  id: string;
  state: ActivityState;
  /** Whether the room (phones and screen) sees the results; facilitators always do once k have voted. */
  resultsVisible?: boolean;
  /** Polls: the current round (a poll re-opened after discussion starts a new round). */
  round?: number;
};
export type BoardActivity = Extract<Activity, { kind: 'board' }>;
export type PollActivity = Extract<Activity, { kind: 'poll' }>;
export type StatementsActivity = Extract<Activity, { kind: 'statements' }>;

/** Counted answers of one poll round (or of one group's respondents in it). */
export type PollTally = {
  /** Choice polls: people per option; ranking polls: Borda points (and rank). In option order. */
  options?: { id: string; label: string; count: number; rank?: number }[];
  /** Scale polls: people per value, and the mean and median answer. */
  scale?: { values: { value: number; count: number }[]; mean: number; median: number };
  /** Open polls: the answers in random order, without authors, and how often each word appears. */
  open?: { answers: { id: string; text: string }[]; words: { word: string; count: number }[] };
  preferNot: number;
};

export type PollResults = {
  pollId: string;
  round: number;
  /** Answers counted, phones and paper together; `paper` of them were entered from paper ballots. */
  respondents: number;
  paper: number;
  /** Null below k respondents, or for the room until the facilitator reveals the results. */
  tally: PollTally | null;
  /**
   * By stakeholder group (choice and scale polls): only groups with at least k respondents, the rest in
   * `other`, which is itself 0 or at least k. Null where not shown.
   */
  groups: { id: string; respondents: number; tally: PollTally }[] | null;
  /**
   * A closed round whose final result is its last live release: how many answers came after it, too few to be
   * shown without exposing them. They are stored, not counted (docs/ANONYMITY.md, the release rule).
   */
  heldBack?: number;
};

/** A statement the room votes on: seeded by the facilitator, or sent by a participant (no author is kept). */
export type Statement = { id: string; text: string };

/** Agrees, disagrees and passes on one statement: in all, or in one bucket. */
export type StatementCounts = { agree: number; disagree: number; pass: number };

/** What the analysis says of a statement (thresholds in docs/STATEMENTS.md). */
export const STATEMENT_LABELS = ['commonGround', 'divides', 'mixed', 'notEnough'] as const;
export type StatementLabel = (typeof STATEMENT_LABELS)[number];

export type StatementResult = Statement & {
  /** Null below k votes on it. */
  totals: StatementCounts | null;
  /** Group-aware consensus (product over buckets of (A + 1) / (S + 2)); null when not compared. */
  consensus: number | null;
  label: StatementLabel;
  /** Per bucket, in `buckets` order: only where compared. */
  groups: StatementCounts[] | null;
};

/**
 * A bucket of the analysis: a stakeholder group with at least k voters, or "other". `label` names buckets that
 * are not the workshop's groups (an imported Pol.is conversation's opinion groups).
 */
export type StatementBucket = { id: string; voters: number; label?: string };
/** Opinion groups found from the votes are `opinion:A`, `opinion:B`…, largest first (no group's slug has a colon). */
export const OPINION_PREFIX = 'opinion:';
export const isOpinionGroup = (id: string) => id.startsWith(OPINION_PREFIX);

export type StatementsResults = {
  activityId: string;
  /** How many statements are on the cards, how many votes they got and from how many people: visible by design. */
  statements: number;
  votes: number;
  voters: number;
  /**
   * Null while open, and for the room until the facilitator reveals the result. `inferred`: no groups were
   * declared, and the buckets are opinion groups found from the votes (`opinion:A`, `opinion:B`…).
   */
  analysis: { buckets: StatementBucket[]; items: StatementResult[]; inferred?: true } | null;
};

/** A note as stored in a board's Yjs document (`notes` map of Y.Maps). No author field exists. */
export type BoardNote = {
  id: string;
  text: string;
  color: string;
  column: string | null;
  cluster: string | null;
  order: number;
  answered?: boolean;
};
export type BoardCluster = { id: string; name: string; column: string | null; order: number };
export type HiddenNote = { id: string; text: string; color: string };

/** One thing the room prioritised: a cluster, or a note in no cluster. */
export type RankedItem = {
  id: string;
  label: string;
  rank: number;
  /** Dots, Borda points, upvotes, or impact − effort: what the list is sorted by. */
  score: number;
  /** Impact/effort only: median placements, 0–1. */
  impact?: number;
  effort?: number;
};

export type BoardResults = {
  boardId: string;
  /** How many people have cast a ballot (visible by design, like presence). */
  voters: number;
  /** Null below k voters, or for the room while the facilitator keeps results hidden. */
  items: RankedItem[] | null;
  /** A closed vote: ballots that came after its last release, stored but not counted (as for polls). */
  heldBack?: number;
};

/**
 * A countdown. Running: `endsAt` is set (server clock, ms since epoch). Paused: `remainingMs` is set.
 * Clients compute what is left from `endsAt` and the server time they were sent alongside it.
 */
export type Timer = { durationMs: number; endsAt: number | null; remainingMs: number | null };

export type Agenda = {
  /** Incremented on every change; lets stores and nodes detect concurrent writers. */
  version: number;
  activities: Activity[];
  currentId: string | null;
  timer: Timer | null;
  /**
   * Server clock (ms): when the session started (the first activity shown) and when the current one was. With
   * the activities' planned minutes, they tell the facilitator whether the session runs late. Absent in
   * agendas stored before they existed.
   */
  startedAt?: number | null;
  currentSince?: number | null;
};

/**
 * `key`: the message of the default group the label was, in the workshop's language when it was created, so each
 * person reads a default group's name in their own language; a group the organiser named keeps its label.
 */
export type StakeholderGroup = { id: string; label: string; key?: `group.${string}` };

/** The activity on everyone's screen, as participants and the projector see it. */
export type CurrentActivity = { activity: Activity | null; index: number; total: number };

/**
 * Presence as a viewer may see it. `groups` and `other` are only sent to facilitators and only hold
 * buckets of zero or at least k people (see server/domain/anonymity.ts).
 */
export type Presence = {
  connected: number;
  groups?: { id: string; count: number }[];
  other?: number;
  /** Facilitators only: how many screens (projectors) are connected. */
  screens?: number;
};

export type Role = 'facilitator' | 'cofacilitator' | 'participant' | 'screen';

/** Facilitators and co-facilitators run the session: they see full results, the agenda and who drafts. */
export const isFacilitator = (role: Role): role is 'facilitator' | 'cofacilitator' => role === 'facilitator' || role === 'cofacilitator';

/** The Yjs document names: the action plan, and one per board. */
export const PLAN_DOC = 'plan';
export const boardDocName = (boardId: string) => `board-${boardId}`;
/** The board a document name is for, or undefined for the plan. */
export const boardIdOf = (docName: string): string | undefined => (docName.startsWith('board-') ? docName.slice('board-'.length) : undefined);

export type WorkshopUrls = { join: string; screen: string; facilitate: string };

export type WorkshopInfo = {
  id: string;
  title: string;
  language: Language;
  joinCode: string;
  groups: StakeholderGroup[];
  anonymityThreshold: number;
  urls: WorkshopUrls;
  /** No new participants may join. */
  locked: boolean;
  /** New participants and screens must give the passphrase. */
  passphraseSet: boolean;
};

/** Sent to every client right after it connects (and after each reconnect). */
export type Snapshot = {
  protocolVersion: number;
  serverTime: number;
  role: Role;
  workshop: WorkshopInfo;
  current: CurrentActivity;
  timer: Timer | null;
  presence: Presence;
  /** Facilitators only: the whole agenda. */
  agenda?: Agenda;
  /** Participants only: what they chose at join, and whether they help write the plan. */
  you?: You;
  /** Facilitators only: requests to help write the plan, and the drafters. */
  drafting?: Drafting;
};

/** A participant's own view of themselves; `name` is the name they gave to be known by as a drafter. */
export type You = { groupId: string | null; drafter: boolean; name: string };

/**
 * Participants who asked to help write the action plan, and those who may. Drafting is not anonymous by
 * choice: a drafter's edits carry their Yjs client, and their name if they gave one.
 */
export type Drafting = { requests: { ref: string; name: string }[]; drafters: { ref: string; name: string }[] };

export type PlanActivity = Extract<Activity, { kind: 'plan' }>;

export type CreateWorkshopResponse = {
  id: string;
  joinCode: string;
  facilitatorKey: string;
  coFacilitatorKey: string;
  urls: WorkshopUrls & { coFacilitate: string };
};
