/**
 * Zod schemas for every payload that crosses the wire. Only the server imports this file at run time
 * (full zod costs ~90 KB on a phone); the client imports the inferred types with `import type`.
 */
import { z } from 'zod';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LANGUAGES, LIMITS } from './limits.js';

/** Text a person typed: trimmed, not empty, bounded, free of control characters other than newlines. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');

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

export const createWorkshopSchema = z.strictObject({
  title: text(LIMITS.workshopTitleMax),
  language: z.enum(LANGUAGES).default('en'),
  groups: z
    .array(text(LIMITS.groupLabelMax))
    .max(LIMITS.groupsMax, `at most ${LIMITS.groupsMax} groups`)
    .refine((labels) => new Set(labels.map((l) => l.toLowerCase())).size === labels.length, 'group names must be unique')
    .optional(),
  anonymityThreshold: z
    .number()
    .int('must be a whole number')
    .min(LIMITS.anonymityThresholdMin, `must be at least ${LIMITS.anonymityThresholdMin}`)
    .max(LIMITS.anonymityThresholdMax, `must be at most ${LIMITS.anonymityThresholdMax}`)
    .default(LIMITS.anonymityThresholdDefault),
  retentionDays: z.number().int().min(1).max(LIMITS.retentionDaysMax).default(LIMITS.retentionDaysDefault),
});
export type CreateWorkshopInput = z.input<typeof createWorkshopSchema>;

/** What a client presents in the Socket.IO handshake (`auth`). Secrets travel here, never in a URL. */
export const handshakeSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('facilitator'), workshopId: randomId, key: z.string().min(16).max(128) }),
  z.strictObject({
    role: z.literal('participant'),
    joinCode: joinCodeSchema,
    token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be a participant token'),
  }),
  z.strictObject({ role: z.literal('screen'), joinCode: joinCodeSchema }),
]);
export type Handshake = z.input<typeof handshakeSchema>;

/** Activity content as the facilitator writes it. One member per kind; board, poll and plan join later. */
export const activityInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('info'),
    title: text(LIMITS.activityTitleMax),
    body: z.string().trim().max(LIMITS.activityBodyMax, `must be at most ${LIMITS.activityBodyMax} characters`).default(''),
  }),
]);
export type ActivityInput = z.output<typeof activityInputSchema>;

const empty = z.strictObject({});
const seconds = z.number().int().min(1).max(LIMITS.timerMaxSeconds);

/** Payload schema of every client-to-server event, keyed by event name. */
export const clientEventSchemas = {
  'participant:setGroup': z.strictObject({ groupId: groupIdSchema.nullable() }),
  'agenda:add': z.strictObject({ activity: activityInputSchema, index: z.number().int().min(0).optional() }),
  'agenda:update': z.strictObject({ id: randomId, activity: activityInputSchema }),
  'agenda:remove': z.strictObject({ id: randomId }),
  'agenda:move': z.strictObject({ id: randomId, toIndex: z.number().int().min(0) }),
  'agenda:goTo': z.strictObject({ id: randomId.nullable() }),
  'agenda:step': z.strictObject({ direction: z.enum(['next', 'back']), expectedCurrentId: randomId.nullable() }),
  'timer:start': z.strictObject({ seconds }),
  'timer:pause': empty,
  'timer:resume': empty,
  'timer:adjust': z.strictObject({ seconds: z.number().int().min(-LIMITS.timerMaxSeconds).max(LIMITS.timerMaxSeconds) }),
  'timer:clear': empty,
  'access:rotateCoFacilitatorLink': empty,
  'yjs:ticket': z.strictObject({ docName: z.string().regex(/^(plan|board-[A-Za-z0-9_-]{16,64})$/, 'must be a document name') }),
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientEventPayload<E extends ClientEventName> = z.input<(typeof clientEventSchemas)[E]>;
