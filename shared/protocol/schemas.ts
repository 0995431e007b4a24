/**
 * Zod schemas for every payload that crosses the wire. Only the server imports this file at run time
 * (full zod costs ~90 KB on a phone); the client imports the inferred types with `import type`.
 */
import { z } from 'zod';
import { labelledIds } from './labelIds.js';
import { COMMITMENT_STATUSES, FOLLOW_UP_LIMITS } from './followUp.js';
import { isRealDate } from './dates.js';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LANGUAGES, LIMITS, NOTE_COLORS, POLL_TYPES, REACTIONS, STATEMENT_VOTES } from './limits.js';

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const noControlCharacters = (s: string) => !CONTROL_CHARACTERS.test(s);
const noControlMessage = 'must not contain control characters';

/** Text a person typed: trimmed, not empty, bounded, free of control characters other than newlines. */
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).refine(noControlCharacters, noControlMessage);

/** The same rule for text that may be left empty (a prompt, a question, a scale's end labels). */
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).refine(noControlCharacters, noControlMessage).default('');

const uniqueLabels = (labels: string[]) => new Set(labels.map((l) => l.toLowerCase())).size === labels.length;

const randomId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be an id');
export const groupIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a group id');

export const joinCodeSchema = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .length(JOIN_CODE_LENGTH, `must be ${JOIN_CODE_LENGTH} characters`)
      .refine((s) => [...s].every((c) => JOIN_CODE_ALPHABET.includes(c)), 'contains characters a join code never has'),
  );

export const followUpDaysSchema = z.number().int('must be a whole number').min(1).max(FOLLOW_UP_LIMITS.followUpDaysMax);

export const createWorkshopSchema = z.strictObject({
  title: text(LIMITS.workshopTitleMax),
  language: z.enum(LANGUAGES).default('en'),
  groups: z
    .array(text(LIMITS.groupLabelMax))
    .max(LIMITS.groupsMax, `at most ${LIMITS.groupsMax} groups`)
    .refine(uniqueLabels, 'group names must be unique')
    .optional(),
  anonymityThreshold: z
    .number()
    .int('must be a whole number')
    .min(LIMITS.anonymityThresholdMin, `must be at least ${LIMITS.anonymityThresholdMin}`)
    .max(LIMITS.anonymityThresholdMax, `must be at most ${LIMITS.anonymityThresholdMax}`)
    .default(LIMITS.anonymityThresholdDefault),
  retentionDays: z.number().int().min(1).max(LIMITS.retentionDaysMax).default(LIMITS.retentionDaysDefault),
  /** How long the follow-up record is kept once the workshop has ended (docs/FOLLOWUP.md). */
  followUpDays: followUpDaysSchema.default(FOLLOW_UP_LIMITS.followUpDaysDefault),
});
export type CreateWorkshopInput = z.input<typeof createWorkshopSchema>;

/** `GET …/export.{format}?language=ar&place=…`: the report's language (the workshop's by default) and its place. */
export const exportQuerySchema = z.object({
  language: z.enum(LANGUAGES).optional(),
  place: optionalText(LIMITS.exportPlaceMax),
});

/** Said aloud in the room for a closed-door session; see server/domain/passphrase.ts. */
export const passphraseSchema = z.string().trim().min(1, 'must not be empty').max(LIMITS.passphraseMax);

/** What a client presents in the Socket.IO handshake (`auth`). Secrets travel here, never in a URL. */
export const handshakeSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('facilitator'), workshopId: randomId, key: z.string().min(16).max(128) }),
  z.strictObject({
    role: z.literal('participant'),
    joinCode: joinCodeSchema,
    token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be a participant token'),
    /** Needed by a first-time participant when the workshop has a passphrase. */
    passphrase: passphraseSchema.optional(),
  }),
  /** The key is the screen link's fragment (the console shows the link); a lock or passphrase does not apply to it. */
  z.strictObject({ role: z.literal('screen'), joinCode: joinCodeSchema, key: z.string().min(16).max(128) }),
]);
export type Handshake = z.input<typeof handshakeSchema>;

const count = (min: number, max: number) => z.number().int('must be a whole number').min(min).max(max);

/** How a board's room decides what matters most. */
export const prioritisationSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('none') }),
  z
    .strictObject({
      method: z.literal('dots'),
      budget: count(1, LIMITS.dotBudgetMax).default(3),
      maxPerItem: count(1, LIMITS.dotBudgetMax).default(2),
    })
    .refine((d) => d.maxPerItem <= d.budget, { message: 'maxPerItem must not exceed the budget', path: ['maxPerItem'] }),
  z.strictObject({ method: z.literal('ranking'), topN: count(2, LIMITS.rankingTopMax).default(3) }),
  z.strictObject({ method: z.literal('impactEffort') }),
]);
export type Prioritisation = z.output<typeof prioritisationSchema>;

/**
 * What every activity can carry for the facilitator alone: notes to speak from (never sent to phones or
 * screens, see server/domain/agenda.ts `forTheRoom`) and the minutes it is planned to take (the session clock).
 */
const presenter = {
  speakerNotes: z
    .string()
    .trim()
    .max(LIMITS.speakerNotesMax, `must be at most ${LIMITS.speakerNotesMax} characters`)
    .refine(noControlCharacters, noControlMessage)
    .optional(),
  minutes: count(1, LIMITS.activityMinutesMax).optional(),
};

const infoInput = z.strictObject({
  kind: z.literal('info'),
  title: text(LIMITS.activityTitleMax),
  ...presenter,
  body: optionalText(LIMITS.activityBodyMax),
});

const boardInput = z.strictObject({
  kind: z.literal('board'),
  title: text(LIMITS.activityTitleMax),
  ...presenter,
  prompt: optionalText(LIMITS.boardPromptMax),
  /** `qa`: anonymous questions to a panel, upvoted; `board`: notes clustered and prioritised. */
  mode: z.enum(['board', 'qa']).default('board'),
  columns: z
    .array(text(LIMITS.columnLabelMax))
    .max(LIMITS.columnsMax, `at most ${LIMITS.columnsMax} columns`)
    .refine(uniqueLabels, 'column names must be unique')
    .default([])
    .transform((labels) => labelledIds(labels, 'column')),
  noteLimit: count(1, LIMITS.notesPerPersonMax).default(LIMITS.notesPerPersonDefault),
  /** New notes and questions wait in the facilitators' queue and reach the board once approved. */
  moderated: z.boolean().optional(),
  prioritisation: prioritisationSchema.default({ method: 'dots', budget: 3, maxPerItem: 2 }),
});

const pollInput = z
  .strictObject({
    kind: z.literal('poll'),
    title: text(LIMITS.activityTitleMax),
    ...presenter,
    question: optionalText(LIMITS.pollQuestionMax),
    type: z.enum(POLL_TYPES),
    /** Choices for single, multiple and ranking polls. */
    options: z
      .array(text(LIMITS.pollOptionMax))
      .max(LIMITS.pollOptionsMax, `at most ${LIMITS.pollOptionsMax} options`)
      .refine(uniqueLabels, 'options must be unique')
      .default([])
      .transform((labels) => labelledIds(labels, 'option')),
    /** Multiple choice: how many a person may pick. */
    maxSelections: count(1, LIMITS.pollOptionsMax).optional(),
    /** Scale polls: Likert 1–5 with end labels, or 0–10. */
    scale: z.strictObject({ kind: z.enum(['likert5', 'zeroToTen']), low: optionalText(60), high: optionalText(60) }).optional(),
    allowPreferNot: z.boolean().default(true),
    /**
     * Show counts while the poll is open (batched, from k answers). Off by default: in a small room the
     * final count at closing, compared with the last live one, can hint at the last few answers.
     */
    liveResults: z.boolean().default(false),
  })
  .refine((p) => !['single', 'multiple', 'ranking'].includes(p.type) || p.options.length >= LIMITS.pollOptionsMin, {
    message: `a choice or ranking poll needs at least ${LIMITS.pollOptionsMin} options`,
    path: ['options'],
  })
  .refine((p) => p.type !== 'scale' || p.scale !== undefined, { message: 'a scale poll needs a scale', path: ['scale'] });

/** Statements the room agrees or disagrees with, counted per stakeholder group (docs/STATEMENTS.md). */
const statementsInput = z.strictObject({
  kind: z.literal('statements'),
  title: text(LIMITS.activityTitleMax),
  ...presenter,
  prompt: optionalText(LIMITS.boardPromptMax),
  /** The facilitator's statements to start from (ids `seed-1`, `seed-2`…): fixed once the round has opened. */
  seeds: z
    .array(text(LIMITS.statementTextMax))
    .max(LIMITS.statementsMax, `at most ${LIMITS.statementsMax} statements`)
    .refine(uniqueLabels, 'statements must be unique')
    .default([]),
  /** Participants may send statements of their own while the round is open. */
  submissions: z.boolean().default(true),
  /** Participants' statements wait in the facilitators' queue and reach the cards once approved. */
  moderated: z.boolean().optional(),
});

const planInput = z.strictObject({
  kind: z.literal('plan'),
  title: text(LIMITS.activityTitleMax),
  ...presenter,
  /** `prevention`: the local prevention action plan (four pillars, M&E, lessons learned); `blank`: free sections. */
  template: z.enum(['prevention', 'blank']).default('prevention'),
});

/** Activity content as the facilitator writes it. One member per kind. */
export const activityInputSchema = z.discriminatedUnion('kind', [infoInput, boardInput, pollInput, statementsInput, planInput]);
export type ActivityInput = z.output<typeof activityInputSchema>;
/** An activity as a client writes it (board columns as plain labels, defaults optional). */
export type ActivityDraft = z.input<typeof activityInputSchema>;

const itemId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an item id');
const unit = z.number().min(0).max(1);

/**
 * One person's choice on a board. Which form is accepted depends on the board's prioritisation; Q&A
 * boards take `upvotes` (the questions this person upvotes, one each).
 */
export const ballotSchema = z.union([
  z.strictObject({ dots: z.record(itemId, count(0, LIMITS.dotBudgetMax)) }),
  z.strictObject({ ranking: z.array(itemId).max(LIMITS.rankingTopMax) }),
  z.strictObject({ placements: z.record(itemId, z.strictObject({ impact: unit, effort: unit })) }),
  z.strictObject({ upvotes: z.array(itemId).max(500) }),
]);
export type Ballot = z.output<typeof ballotSchema>;

/** One person's answer to a poll. Which form is accepted depends on the poll's type. */
export const pollAnswerSchema = z.union([
  z.strictObject({ choice: itemId }),
  z.strictObject({ choices: z.array(itemId).min(1).max(LIMITS.pollOptionsMax) }),
  z.strictObject({ value: z.number().int().min(0).max(10) }),
  z.strictObject({ ranking: z.array(itemId).min(1).max(LIMITS.pollOptionsMax) }),
  z.strictObject({ text: text(LIMITS.openAnswerMax) }),
  z.strictObject({ preferNot: z.literal(true) }),
]);
export type PollAnswer = z.output<typeof pollAnswerSchema>;

const empty = z.strictObject({});
const seconds = z.number().int().min(1).max(LIMITS.timerMaxSeconds);

/** Payload schema of every client-to-server event, keyed by event name. */
export const clientEventSchemas = {
  'participant:setGroup': z.strictObject({ groupId: groupIdSchema.nullable() }),
  'reaction:send': z.strictObject({ reaction: z.enum(REACTIONS) }),
  'agenda:add': z.strictObject({ activity: activityInputSchema, index: z.number().int().min(0).optional() }),
  'agenda:update': z.strictObject({ id: randomId, activity: activityInputSchema }),
  'agenda:remove': z.strictObject({ id: randomId }),
  'agenda:move': z.strictObject({ id: randomId, toIndex: z.number().int().min(0) }),
  /** `keepTimer`: the countdown carries on into the next activity (by default moving on clears it). */
  'agenda:goTo': z.strictObject({ id: randomId.nullable(), keepTimer: z.boolean().optional() }),
  'agenda:step': z.strictObject({ direction: z.enum(['next', 'back']), expectedCurrentId: randomId.nullable(), keepTimer: z.boolean().optional() }),
  'timer:start': z.strictObject({ seconds }),
  'timer:pause': empty,
  'timer:resume': empty,
  'timer:adjust': z.strictObject({ seconds: z.number().int().min(-LIMITS.timerMaxSeconds).max(LIMITS.timerMaxSeconds) }),
  'timer:clear': empty,
  'access:rotateCoFacilitatorLink': empty,
  'access:rotateScreenLink': empty,
  'access:screenLink': empty,
  /** `passphrase`: a new one, `null` to remove it, absent to keep it. */
  'access:setRoom': z.strictObject({ locked: z.boolean(), passphrase: passphraseSchema.nullable().optional() }),
  'activity:setState': z.strictObject({ id: randomId, state: z.enum(['open', 'locked', 'closed']) }),
  'activity:setResultsVisible': z.strictObject({ id: randomId, visible: z.boolean() }),
  'board:addNote': z.strictObject({
    boardId: randomId,
    /** Chosen by the phone (128 random bits), so sending the same note again cannot add it twice. */
    noteId: randomId.optional(),
    text: text(LIMITS.noteTextMax),
    color: z.enum(NOTE_COLORS).default('yellow'),
    column: z.string().max(64).nullable().default(null),
  }),
  'board:editNote': z.strictObject({ boardId: randomId, noteId: randomId, text: text(LIMITS.noteTextMax), color: z.enum(NOTE_COLORS).optional() }),
  'board:withdrawNote': z.strictObject({ boardId: randomId, noteId: randomId }),
  'board:myNotes': z.strictObject({ boardId: randomId }),
  'board:vote': z.strictObject({ boardId: randomId, ballot: ballotSchema }),
  'board:myBallot': z.strictObject({ boardId: randomId }),
  'board:hideNote': z.strictObject({ boardId: randomId, noteId: randomId }),
  'board:hiddenNotes': z.strictObject({ boardId: randomId }),
  'board:restoreNote': z.strictObject({ boardId: randomId, noteId: randomId }),
  'board:queue': z.strictObject({ boardId: randomId }),
  'board:approveNote': z.strictObject({ boardId: randomId, noteId: randomId }),
  'board:rejectNote': z.strictObject({ boardId: randomId, noteId: randomId }),
  'board:results': z.strictObject({ boardId: randomId }),
  /** `round`: the round the person answered, so an answer queued offline never lands in a later round. */
  'poll:vote': z.strictObject({ pollId: randomId, answer: pollAnswerSchema, round: count(1, 100).optional() }),
  'poll:myAnswer': z.strictObject({ pollId: randomId }),
  'poll:results': z.strictObject({ pollId: randomId, round: count(1, 100).optional() }),
  'poll:reopen': z.strictObject({ pollId: randomId }),
  'poll:paperTally': z.strictObject({
    pollId: randomId,
    /** Paper ballots counted by hand: how many, and per option (or per scale value) how many marked it. */
    ballots: count(0, 10_000),
    counts: z.record(z.string().max(64), count(0, 10_000)),
    preferNot: count(0, 10_000).default(0),
  }),
  'poll:hideAnswer': z.strictObject({ pollId: randomId, answerId: randomId, round: count(1, 100).optional() }),
  /** `statementId` is chosen by the phone, so sending the same statement again cannot add it twice. */
  'statements:submit': z.strictObject({ activityId: randomId, statementId: randomId, text: text(LIMITS.statementTextMax) }),
  'statements:list': z.strictObject({ activityId: randomId }),
  /** Facilitators: a waiting statement onto the cards (`approve`), or any statement off them for good. */
  'statements:moderate': z.strictObject({ activityId: randomId, statementId: itemId, approve: z.boolean() }),
  'statements:vote': z.strictObject({ activityId: randomId, statementId: itemId, vote: z.enum(STATEMENT_VOTES) }),
  'statements:mine': z.strictObject({ activityId: randomId }),
  'statements:results': z.strictObject({ activityId: randomId }),
  'plan:requestDrafting': z.strictObject({ name: optionalText(40) }),
  'plan:setDrafter': z.strictObject({ ref: randomId, allow: z.boolean() }),
  'plan:priorities': empty,
  'yjs:ticket': z.strictObject({ docName: z.string().regex(/^(plan|board-[A-Za-z0-9_-]{16,64})$/, 'must be a document name') }),
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientEventPayload<E extends ClientEventName> = z.input<(typeof clientEventSchemas)[E]>;

const planField = (max: number) => z.string().max(max).refine(noControlCharacters, noControlMessage).default('');

/**
 * A workshop to start from: a JSON export (schema roundtable.workshop/1 or /2) or a shipped template. Unknown
 * fields (the evidence, the export date) are ignored: only settings, the agenda's content and the plan are
 * taken over. Activities are checked one by one against `activityInputSchema` by the importer.
 */
export const importSchema = z.object({
  schema: z.enum(
    ['roundtable.workshop/1', 'roundtable.workshop/2', 'roundtable.workshop/3'],
    'must be a Roundtable workshop export (roundtable.workshop/1 to /3)',
  ),
  workshop: z.object({
    title: text(LIMITS.workshopTitleMax),
    language: z.enum(LANGUAGES),
    anonymityThreshold: count(LIMITS.anonymityThresholdMin, LIMITS.anonymityThresholdMax),
    groups: z.array(z.object({ label: text(LIMITS.groupLabelMax) })).max(LIMITS.groupsMax),
  }),
  activities: z.array(z.record(z.string(), z.unknown())).max(LIMITS.activitiesMax),
  plan: z
    .object({
      template: z.enum(['prevention', 'blank']).default('prevention'),
      title: planField(300),
      sections: z.partialRecord(
        z.enum(['context', 'vision', 'objectives', 'monitoring', 'worked', 'didNotWork']),
        z.string().max(20_000).refine(noControlCharacters, noControlMessage),
      ),
      actions: z
        .array(
          z.object({
            title: planField(300),
            description: planField(5000),
            lead: planField(300),
            partners: planField(1000),
            resources: planField(1000),
            risks: planField(2000),
            pillar: z.enum(['preparedness', 'prevention', 'response', 'recovery']).nullable().default(null),
            status: z.enum(['planned', 'underway', 'done']).default('planned'),
            start: planField(10),
            end: planField(10),
            indicators: z
              .array(z.object({ text: planField(500), target: planField(300) }))
              .max(20)
              .default([]),
          }),
        )
        .max(500),
      glossary: z
        .record(z.string().max(80).refine(noControlCharacters, noControlMessage), z.string().max(120).refine(noControlCharacters, noControlMessage))
        .refine((g) => Object.keys(g).length <= 200, 'at most 200 glossary terms')
        .default({}),
    })
    .optional(),
});
export type ImportInput = z.output<typeof importSchema>;

/**
 * `POST /api/workshops/:id/import/polis`: the two CSV files of a Pol.is conversation's open-data export, as text
 * (docs/STATEMENTS.md). `groupColumn` names the column of participants-votes.csv that holds each person's group.
 */
export const polisImportSchema = z.strictObject({
  comments: z.string().min(1, 'comments.csv is empty'),
  participantsVotes: z.string().min(1, 'participants-votes.csv is empty'),
  groupColumn: z.string().trim().min(1).max(60).refine(noControlCharacters, noControlMessage).optional(),
  title: text(LIMITS.activityTitleMax).optional(),
});
export type PolisImportInput = z.input<typeof polisImportSchema>;

// After the room (docs/FOLLOWUP.md).

/** `POST /api/workshops/:id/end`: the follow-up record's retention may be set again as the workshop ends. */
export const endWorkshopSchema = z.strictObject({ followUpDays: followUpDaysSchema.optional() });

const isoDate = z.string().refine(isRealDate, 'must be a date as YYYY-MM-DD');

/** An evidence address: http(s) only, shown as text (never a link) beside its domain. */
const evidenceUrl = z
  .string()
  .trim()
  .max(FOLLOW_UP_LIMITS.evidenceUrlMax)
  .refine((s) => {
    try {
      const url = new URL(s);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a web address starting with https://')
  // As the URL parser writes it: a host in punycode, other characters percent-encoded, so no direction mark or
  // look-alike letter survives into what the page shows.
  .transform((s) => new URL(s).href);

/** An owner's update (`POST /api/followup/:id/updates`). */
export const commitmentUpdateSchema = z
  .strictObject({
    commitmentId: randomId,
    status: z.enum(COMMITMENT_STATUSES).optional(),
    reason: text(FOLLOW_UP_LIMITS.dropReasonMax).optional(),
    note: optionalText(FOLLOW_UP_LIMITS.updateNoteMax),
    indicator: z.strictObject({ index: z.number().int().min(0).max(50), value: z.number().finite(), date: isoDate }).optional(),
    evidence: evidenceUrl.optional(),
    corrects: randomId.optional(),
  })
  .refine((u) => u.note !== '' || u.status !== undefined || u.indicator !== undefined, 'an update says something: a status, a note or a value');
export type CommitmentUpdateInput = z.input<typeof commitmentUpdateSchema>;

export const lessonsSchema = z.strictObject({
  worked: optionalText(FOLLOW_UP_LIMITS.lessonsMax),
  didNotWork: optionalText(FOLLOW_UP_LIMITS.lessonsMax),
});

export const pulseOpenSchema = z.strictObject({
  commitmentIds: z.array(randomId).max(FOLLOW_UP_LIMITS.pulseQuestionsMax - 1),
  repeatPollId: randomId.optional(),
});
export type PulseOpenInput = z.input<typeof pulseOpenSchema>;

/** A pulse check's answers, as a form posts them (`q.<questionId>` = `0`…`5`) or as JSON. */
export const pulseAnswersSchema = z
  .record(z.string().regex(/^q\.[A-Za-z0-9_-]{16,64}$/), z.coerce.number().int().min(0).max(5))
  .refine((answers) => Object.keys(answers).length <= FOLLOW_UP_LIMITS.pulseQuestionsMax, 'too many answers');
