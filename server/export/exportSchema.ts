/**
 * The JSON export (`roundtable.workshop/3`, server/export/exportModel.ts) as a zod schema, from which the OpenAPI
 * document gives its JSON Schema (server/http/openapi.ts). Every level a reader builds on is spelled out — the
 * workshop, the agenda, the plan, the evidence, the follow-up with its updates and pulse aggregates; an
 * activity's own settings and a poll round's tally keep their kind-specific shapes of docs/PROTOCOL.md and
 * docs/POLLS.md. tests/integration/openapi.test.ts checks real exports, live and ended, against it.
 */
import { z } from 'zod';
import { COMMITMENT_STATUSES } from '../../shared/protocol/followUp.js';
import { LANGUAGES, STATEMENT_LABELS } from '../../shared/protocol/index.js';
import { EXPORT_SCHEMA } from './exportModel.js';

const day = z.iso.date();
const count = z.number().int().min(0);
/** Null below the anonymity threshold k: never a count small enough to single anyone out. */
const released = <T extends z.ZodType>(schema: T) => schema.nullable();
const statementCounts = z.object({ agree: count, disagree: count, pass: count });

const plan = z.object({
  template: z.enum(['prevention', 'blank']),
  title: z.string(),
  sections: z.record(z.string(), z.string()),
  glossary: z.record(z.string(), z.string()),
  actions: z.array(
    z
      .object({
        id: z.string(),
        title: z.string(),
        pillar: z.string().nullable(),
        status: z.string(),
        start: z.string(),
        end: z.string(),
        indicators: z.array(z.object({ text: z.string(), target: z.string() })),
        links: z.array(z.string()),
      })
      .loose(),
  ),
});

const evidence = z.object({
  priorities: z.array(
    z.object({
      boardId: z.string(),
      board: z.string(),
      voters: count,
      items: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          rank: z.number().int(),
          score: z.number(),
          impact: z.number().optional(),
          effort: z.number().optional(),
        }),
      ),
    }),
  ),
  polls: z.array(
    z.object({
      pollId: z.string(),
      poll: z.string(),
      question: z.string(),
      type: z.string(),
      scale: z.object({ low: z.string(), high: z.string() }).optional(),
      rounds: z.array(
        z.object({
          round: z.number().int(),
          respondents: count,
          paper: count,
          tally: released(z.record(z.string(), z.unknown())),
          groups: released(z.array(z.object({ id: z.string(), respondents: count, tally: z.record(z.string(), z.unknown()) }))),
        }),
      ),
    }),
  ),
  representation: z.object({
    participants: count,
    groups: z.array(z.object({ id: z.string(), label: z.string(), key: z.string().optional(), count })),
    other: count,
  }),
  boards: z.array(
    z.object({
      boardId: z.string(),
      board: z.string(),
      mode: z.enum(['board', 'qa']),
      clusters: z.array(z.object({ name: z.string().nullable(), notes: z.array(z.string()) })),
      questions: z.array(z.object({ text: z.string(), answered: z.boolean(), votes: released(count) })),
    }),
  ),
  statements: z.array(
    z.object({
      activityId: z.string(),
      title: z.string(),
      voters: count,
      votes: count,
      buckets: z.array(z.object({ id: z.string(), name: z.string().nullable(), key: z.string().optional(), voters: count })),
      items: z.array(
        z
          .object({
            text: z.string(),
            totals: released(statementCounts),
            consensus: z.number().nullable(),
            label: z.enum(STATEMENT_LABELS),
            groups: z.array(statementCounts).nullable(),
          })
          .loose(),
      ),
      inferred: z.literal(true).optional(),
    }),
  ),
});

const followUp = z.object({
  endedOn: day,
  keptUntil: day,
  publicUrl: z.url(),
  commitments: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      owner: z.string(),
      due: z.string(),
      status: z.enum(COMMITMENT_STATUSES),
      reason: z.string().optional(),
      late: z.boolean(),
      indicators: z.array(z.object({ text: z.string(), target: z.string(), values: z.array(z.object({ date: day, value: z.number() })) })),
      updates: z.array(
        z.object({
          id: z.string(),
          postedOn: day,
          status: z.enum(COMMITMENT_STATUSES).optional(),
          reason: z.string().optional(),
          note: z.string(),
          indicator: z.object({ index: z.number().int(), value: z.number(), date: day }).optional(),
          evidence: z.string().optional(),
          corrects: z.string().optional(),
        }),
      ),
    }),
  ),
  lessons: z.object({ worked: z.string(), didNotWork: z.string() }),
  pulses: z.array(
    z.object({
      openedOn: day,
      closedOn: day.nullable(),
      answers: released(count),
      questions: z.array(
        z.object({
          kind: z.enum(['delivered', 'repeat']),
          text: z.string(),
          counts: released(z.array(count).length(6)),
          before: z.object({ respondents: count, counts: z.array(count).length(5), mean: z.number() }).nullable(),
        }),
      ),
    }),
  ),
});

export const workshopExportSchema = z
  .object({
    schema: z.literal(EXPORT_SCHEMA),
    exportedOn: day,
    workshop: z.object({
      title: z.string(),
      language: z.enum(LANGUAGES),
      anonymityThreshold: z.number().int().min(3),
      groups: z.array(z.object({ id: z.string(), label: z.string(), key: z.string().optional() })),
      createdOn: day,
    }),
    agenda: z.array(z.object({ kind: z.enum(['info', 'board', 'poll', 'statements', 'plan']), title: z.string() })),
    activities: z.array(z.object({ kind: z.enum(['info', 'board', 'poll', 'statements', 'plan']), title: z.string() }).loose()),
    plan,
    evidence,
    followUp: followUp.optional(),
  })
  .meta({ title: 'Roundtable workshop export', description: 'roundtable.workshop/3: docs/PLAN.md, docs/STATEMENTS.md, docs/FOLLOWUP.md' });
