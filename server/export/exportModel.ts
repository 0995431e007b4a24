/**
 * Everything an export contains, gathered once and rendered by each format. Only aggregates appear, each
 * already past the k-threshold (what the room could be shown): ranked priorities of closed boards, closed poll
 * rounds, and representation by stakeholder group folded at k — and the notes and questions of every board the
 * room saw, as the room saw them (authorless, hidden ones gone), and the analysis of closed statements rounds.
 * Never a ballot, a token or a hidden note.
 */
import { readClusters, readNotes } from '../../shared/boardDoc.js';
import {
  boardDocName,
  OTHER_GROUP_ID,
  PLAN_DOC,
  type Activity,
  type Language,
  type PollResults,
  type RankedItem,
  type StakeholderGroup,
  type StatementCounts,
  type StatementLabel,
  type StatementResult,
} from '../../shared/protocol/index.js';
import { readPlan, type PlanSnapshot } from '../../shared/planDoc.js';
import { foldSmallGroups } from '../domain/anonymity.js';
import type { FollowUpStore, ParticipantStore, ResultStore, WorkshopRecord } from '../store/Store.js';
import type { CommitmentStatus, CommitmentUpdate, Lessons, PulseBefore, PulseQuestion } from '../../shared/protocol/followUp.js';
import { indicatorSeries, isLate, statusOf } from '../../shared/followUpState.js';
import { followUpLink } from '../domain/workshop.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import { keptKey, type KeptStatements } from '../domain/statements/keys.js';
import { representationKey } from '../domain/followUp/keys.js';

/**
 * 2: statements activities carry their `results` (docs/STATEMENTS.md). 3: an ended workshop carries its
 * `followUp` — commitments, every update, lessons and pulse aggregates (docs/FOLLOWUP.md). Imports take 1 to 3.
 */
export const EXPORT_SCHEMA = 'roundtable.workshop/3';

export type ExportModel = {
  schema: typeof EXPORT_SCHEMA;
  exportedOn: string;
  workshop: { title: string; language: Language; anonymityThreshold: number; groups: StakeholderGroup[]; createdOn: string };
  agenda: Pick<Activity, 'kind' | 'title'>[];
  /** The activities themselves (content only), so an import can rebuild the agenda; statements with their results. */
  activities: (Omit<Activity, 'id' | 'state' | 'resultsVisible' | 'round'> & { results?: StatementsJson | null })[];
  plan: PlanSnapshot & { template: 'prevention' | 'blank' };
  evidence: {
    priorities: { boardId: string; board: string; voters: number; items: RankedItem[] }[];
    polls: { pollId: string; poll: string; question: string; type: string; scale?: { low: string; high: string }; rounds: Omit<PollResults, 'pollId'>[] }[];
    representation: { participants: number; groups: (Pick<StakeholderGroup, 'id' | 'label' | 'key'> & { count: number })[]; other: number };
    /** Every note of every board shown to the room, by group; the Q&A boards' questions with their status. */
    boards: BoardRecord[];
    /** Closed statements activities: their analysis, as kept at closing. */
    statements: StatementsRecord[];
  };
  /** An ended workshop's follow-up: what was promised and what became of it. */
  followUp?: FollowUpJson;
};

/** The follow-up in the JSON export and the progress report (docs/FOLLOWUP.md). No key, no browser, no person. */
export type FollowUpJson = {
  endedOn: string;
  keptUntil: string;
  publicUrl: string;
  commitments: {
    id: string;
    title: string;
    description: string;
    owner: string;
    due: string;
    status: CommitmentStatus;
    reason?: string;
    late: boolean;
    indicators: { text: string; target: string; values: { date: string; value: number }[] }[];
    updates: (Omit<CommitmentUpdate, 'commitmentId' | 'postedAt'> & { postedOn: string })[];
  }[];
  lessons: Lessons;
  pulses: {
    openedOn: string;
    closedOn: string | null;
    /** Released answers; null below k. Counts: "I don't know", then 1 to 5. */
    answers: number | null;
    /** `delivered`: "Has this been delivered?" of the commitment `text`; `repeat`: a session poll's question asked again. */
    questions: { kind: PulseQuestion['kind']; text: string; counts: number[] | null; before: PulseBefore | null }[];
  }[];
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The follow-up record as the export carries it: each commitment's state on `today`. */
async function followUpJson(record: WorkshopRecord, store: FollowUpStore, baseUrl: string, now: number): Promise<FollowUpJson | undefined> {
  const stored = await store.followUp(record.id);
  if (!stored || record.endedAt === null) return undefined;
  const updates = await store.followUpUpdates(record.id);
  const today = day(now);
  const { commitments, owners, lessons, pulses } = stored.record;
  const title = (commitmentId: string) => commitments.find((c) => c.id === commitmentId)?.title ?? '';
  return {
    endedOn: day(record.endedAt),
    keptUntil: day(record.endedAt + record.followUpDays * DAY_MS),
    publicUrl: followUpLink(baseUrl, stored.publicCode),
    commitments: commitments.map((c) => {
      const state = statusOf(c, updates);
      return {
        id: c.id,
        title: c.title,
        description: c.description,
        owner: owners.find((o) => o.id === c.ownerId)?.name ?? '',
        due: c.due,
        ...state,
        late: isLate(c, state.status, today),
        indicators: c.indicators.map((indicator, index) => ({ ...indicator, values: indicatorSeries(c.id, index, updates) })),
        updates: updates.filter((u) => u.commitmentId === c.id).map(({ commitmentId: _, postedAt, ...u }) => ({ ...u, postedOn: day(postedAt) })),
      };
    }),
    lessons,
    pulses: pulses.map((p) => ({
      openedOn: day(p.openedAt),
      closedOn: p.closedAt === null ? null : day(p.closedAt),
      answers: p.released?.answers ?? null,
      questions: p.questions.map((q) => ({
        kind: q.kind,
        text: q.kind === 'repeat' ? q.question : title(q.commitmentId),
        counts: p.released?.tallies.find((t) => t.questionId === q.id)?.counts ?? null,
        before: q.kind === 'repeat' ? q.before : null,
      })),
    })),
  };
}

export type StatementsRecord = {
  activityId: string;
  title: string;
  voters: number;
  votes: number;
  /** `name`: the group's label, an imported group's name, or null for "other" (each format names it). */
  buckets: { id: string; name: string | null; key?: string; voters: number }[];
  items: StatementResult[];
  /** The buckets are opinion groups found from the votes. */
  inferred?: true;
};

/** A statements activity's `results` in the JSON export (documented in docs/STATEMENTS.md). */
export type StatementsJson = {
  buckets: string[];
  inferred?: true;
  statements: ({ text: string; consensus: number | null; label: StatementLabel; groups?: StatementCounts[] } & {
    [K in keyof StatementCounts]: number | null;
  })[];
};

function statementsJson(record: StatementsRecord): StatementsJson {
  return {
    buckets: record.buckets.map((b) => b.name ?? OTHER_GROUP_ID),
    ...(record.inferred ? { inferred: true as const } : {}),
    statements: record.items.map((s) => ({
      text: s.text,
      agree: s.totals?.agree ?? null,
      disagree: s.totals?.disagree ?? null,
      pass: s.totals?.pass ?? null,
      consensus: s.consensus,
      label: s.label,
      ...(s.groups ? { groups: s.groups } : {}),
    })),
  };
}

export type BoardRecord = {
  boardId: string;
  board: string;
  mode: 'board' | 'qa';
  /** Named groups in their order, then the notes in none (`name: null`). */
  clusters: { name: string | null; notes: string[] }[];
  questions: { text: string; answered: boolean; votes: number | null }[];
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function buildExportModel(
  record: WorkshopRecord,
  deps: { store: ParticipantStore & ResultStore & FollowUpStore; docs: DocRegistry; baseUrl: string },
  now = Date.now(),
): Promise<ExportModel> {
  const { store, docs } = deps;
  const activities = record.agenda.activities;
  const planDoc = await docs.get(record.id, PLAN_DOC);
  const planActivity = activities.find((a) => a.kind === 'plan');

  const priorities = [];
  for (const board of activities.filter((a) => a.kind === 'board' && a.state === 'closed')) {
    const kept = (await store.activityResult(board.id)) as { voters: number; items: RankedItem[] | null } | undefined;
    if (kept?.items) priorities.push({ boardId: board.id, board: board.title, voters: kept.voters, items: kept.items });
  }

  const boards: BoardRecord[] = [];
  for (const board of activities.filter((a) => a.kind === 'board' && a.state !== 'draft')) {
    if (board.kind !== 'board') continue;
    const doc = (await docs.get(record.id, boardDocName(board.id))).doc;
    const notes = readNotes(doc);
    if (!notes.length) continue;
    const votes = new Map(priorities.find((p) => p.boardId === board.id)?.items.map((i) => [i.id, i.score]));
    const named = readClusters(doc);
    const clusters = named.map((c) => ({ name: c.name, notes: notes.filter((n) => n.cluster === c.id).map((n) => n.text) }));
    const loose = notes.filter((n) => !named.some((c) => c.id === n.cluster)).map((n) => n.text);
    boards.push({
      boardId: board.id,
      board: board.title,
      mode: board.mode,
      clusters: [...clusters.filter((c) => c.notes.length), ...(loose.length ? [{ name: null, notes: loose }] : [])],
      questions:
        board.mode === 'qa'
          ? notes.map((n) => ({ text: n.text, answered: n.answered === true, votes: votes.get(n.id) ?? null })).sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0))
          : [],
    });
  }

  const polls = [];
  for (const poll of activities.filter((a) => a.kind === 'poll')) {
    const rounds = [];
    const last = poll.state === 'closed' ? (poll.round ?? 1) : (poll.round ?? 1) - 1;
    for (let round = 1; round <= last; round++) {
      const kept = (await store.activityResult(`${poll.id}:round-${round}`)) as
        (Omit<PollResults, 'pollId' | 'round'> & { shownGroups?: unknown; phones?: unknown }) | undefined;
      if (!kept?.tally) continue;
      const { shownGroups: _, phones: __, ...counted } = kept;
      rounds.push({ round, ...counted });
    }
    const scale = poll.scale && (poll.scale.low || poll.scale.high) ? { low: poll.scale.low, high: poll.scale.high } : undefined;
    if (rounds.length) polls.push({ pollId: poll.id, poll: poll.title, question: poll.question, type: poll.type, ...(scale ? { scale } : {}), rounds });
  }

  const statements: StatementsRecord[] = [];
  for (const activity of activities.filter((a) => a.kind === 'statements' && a.state === 'closed')) {
    const kept = (await store.activityResult(keptKey(activity.id))) as KeptStatements | undefined;
    if (!kept) continue;
    const bucket = (b: { id: string; label?: string; voters: number }) => {
      const group = record.groups.find((g) => g.id === b.id);
      const name = b.label ?? (b.id === OTHER_GROUP_ID ? null : (group?.label ?? b.id));
      return { id: b.id, name, ...(group?.key && !b.label ? { key: group.key } : {}), voters: b.voters };
    };
    statements.push({
      activityId: activity.id,
      title: activity.title,
      voters: kept.voters,
      votes: kept.votes,
      buckets: kept.analysis.buckets.map(bucket),
      items: kept.analysis.items,
      ...(kept.analysis.inferred ? { inferred: true as const } : {}),
    });
  }

  // An ended workshop's participants are erased; its representation was frozen as they left.
  const frozen =
    record.endedAt === null ? undefined : ((await store.activityResult(representationKey(record.id))) as ReturnType<typeof foldSmallGroups> | undefined);
  const folded = frozen ?? foldSmallGroups(await store.groupCounts(record.id), record.anonymityThreshold);
  const group = (id: string) => {
    const { label = id, key } = record.groups.find((g) => g.id === id) ?? {};
    return key ? { label, key } : { label };
  };

  const followUp = await followUpJson(record, store, deps.baseUrl, now);
  return {
    schema: EXPORT_SCHEMA,
    exportedOn: day(now),
    workshop: {
      title: record.title,
      language: record.language,
      anonymityThreshold: record.anonymityThreshold,
      groups: record.groups,
      createdOn: day(record.createdAt),
    },
    agenda: activities.map(({ kind, title }) => ({ kind, title })),
    activities: activities.map(({ id, state: _state, resultsVisible: _visible, round: _round, ...content }) => {
      if (content.kind !== 'statements') return content;
      const kept = statements.find((s) => s.activityId === id);
      return { ...content, results: kept ? statementsJson(kept) : null };
    }),
    plan: { ...readPlan(planDoc.doc), template: planActivity?.kind === 'plan' ? planActivity.template : 'prevention' },
    evidence: {
      priorities,
      polls,
      representation: { participants: folded.total, groups: folded.groups.map((g) => ({ ...g, ...group(g.id) })), other: folded.other },
      boards,
      statements,
    },
    ...(followUp ? { followUp } : {}),
  };
}
