/** Version of the Socket.IO protocol described in docs/PROTOCOL.md. Bump on breaking changes. */
export const PROTOCOL_VERSION = 1;

/** Languages the UI ships (French, Arabic and Swahili translations arrive with the i18n issue). */
export const LANGUAGES = ['en', 'fr', 'ar', 'sw'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Languages written right to left: the UI mirrors, exports set their direction. */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar']);

/**
 * Join codes avoid characters people confuse when reading them off a projector:
 * no 0/O, no 1/I/L.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;

export const LIMITS = {
  workshopTitleMax: 120,
  /** The place a report's cover names (typed at export time). */
  exportPlaceMax: 120,
  activityTitleMax: 120,
  activityBodyMax: 4000,
  /** The facilitator's own notes for an activity, and how long it is planned to take. */
  speakerNotesMax: 2000,
  activityMinutesMax: 600,
  groupLabelMax: 60,
  passphraseMax: 100,
  groupsMax: 20,
  activitiesMax: 100,
  timerMaxSeconds: 4 * 60 * 60,
  anonymityThresholdMin: 3,
  anonymityThresholdMax: 100,
  anonymityThresholdDefault: 5,
  retentionDaysDefault: 30,
  retentionDaysMax: 365,
  boardPromptMax: 300,
  columnsMax: 6,
  columnLabelMax: 40,
  noteTextMax: 280,
  notesPerPersonMax: 20,
  notesPerPersonDefault: 5,
  dotBudgetMax: 20,
  rankingTopMax: 10,
  clusterNameMax: 80,
  pollQuestionMax: 300,
  pollOptionsMin: 2,
  pollOptionsMax: 12,
  pollOptionMax: 120,
  openAnswerMax: 280,
  /** Statements to agree or disagree with: as short as Pol.is's, and as many as a room can get through. */
  statementTextMax: 140,
  statementsMax: 300,
  /** A statement imported from Pol.is keeps its whole text (Pol.is itself allows long comments). */
  importedStatementMax: 1000,
  /** The two CSV files of a Pol.is conversation's open-data export, together. */
  polisImportMaxBytes: 8 * 1024 * 1024,
  /** Largest message the Yjs socket accepts (a whole board or plan sent at once stays far below it). */
  yjsMessageMaxBytes: 1024 * 1024,
} as const;

export const POLL_TYPES = ['single', 'multiple', 'scale', 'ranking', 'open'] as const;
export type PollType = (typeof POLL_TYPES)[number];

/** How a person answers a statement: one tap each (docs/STATEMENTS.md). */
export const STATEMENT_VOTES = ['agree', 'disagree', 'pass'] as const;
export type StatementVote = (typeof STATEMENT_VOTES)[number];

/** Live reactions from phones: a small fixed set, so the projector can show them as counts. */
export const REACTIONS = ['thumbsUp', 'heart', 'clap', 'question', 'slowDown'] as const;
export type Reaction = (typeof REACTIONS)[number];
/** How long reactions are gathered before their counts go out together. */
export const REACTION_WINDOW_MS = 3000;

/** Colours a note can have; the client maps them to accessible colour pairs. */
export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink', 'purple', 'orange'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

/** Id of the stakeholder group that small groups and "not stated" are folded into. */
export const OTHER_GROUP_ID = 'other';
