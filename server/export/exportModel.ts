/**
 * Everything an export contains, gathered once and rendered by each format. Only aggregates appear, each
 * already past the k-threshold (what the room could be shown): ranked priorities of closed boards, closed poll
 * rounds, and representation by stakeholder group folded at k. Never a ballot, a token or a hidden note.
 */
import { PLAN_DOC, type Activity, type Language, type PollResults, type RankedItem, type StakeholderGroup } from '../../shared/protocol/index.js';
import { readPlan, type PlanSnapshot } from '../../shared/planDoc.js';
import { foldSmallGroups } from '../domain/anonymity.js';
import type { ParticipantStore, ResultStore, WorkshopRecord } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';

export const EXPORT_SCHEMA = 'roundtable.workshop/1';

export type ExportModel = {
  schema: typeof EXPORT_SCHEMA;
  exportedOn: string;
  workshop: { title: string; language: Language; anonymityThreshold: number; groups: StakeholderGroup[]; createdOn: string };
  agenda: Pick<Activity, 'kind' | 'title'>[];
  /** The activities themselves (content only), so an import can rebuild the agenda. */
  activities: Omit<Activity, 'id' | 'state' | 'resultsVisible' | 'round'>[];
  plan: PlanSnapshot & { template: 'prevention' | 'blank' };
  evidence: {
    priorities: { board: string; voters: number; items: RankedItem[] }[];
    polls: { poll: string; question: string; type: string; rounds: Omit<PollResults, 'pollId'>[] }[];
    representation: { participants: number; groups: { id: string; label: string; count: number }[]; other: number };
  };
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function buildExportModel(
  record: WorkshopRecord,
  deps: { store: ParticipantStore & ResultStore; docs: DocRegistry },
  now = Date.now(),
): Promise<ExportModel> {
  const { store, docs } = deps;
  const activities = record.agenda.activities;
  const planDoc = await docs.get(record.id, PLAN_DOC);
  const planActivity = activities.find((a) => a.kind === 'plan');

  const priorities = [];
  for (const board of activities.filter((a) => a.kind === 'board' && a.state === 'closed')) {
    const kept = (await store.activityResult(board.id)) as { voters: number; items: RankedItem[] | null } | undefined;
    if (kept?.items) priorities.push({ board: board.title, voters: kept.voters, items: kept.items });
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
    if (rounds.length) polls.push({ poll: poll.title, question: poll.question, type: poll.type, rounds });
  }

  const folded = foldSmallGroups(await store.groupCounts(record.id), record.anonymityThreshold);
  const label = (id: string) => record.groups.find((g) => g.id === id)?.label ?? id;

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
    activities: activities.map(({ id: _id, state: _state, resultsVisible: _visible, round: _round, ...content }) => content),
    plan: { ...readPlan(planDoc.doc), template: planActivity?.kind === 'plan' ? planActivity.template : 'prevention' },
    evidence: {
      priorities,
      polls,
      representation: { participants: folded.total, groups: folded.groups.map((g) => ({ ...g, label: label(g.id) })), other: folded.other },
    },
  };
}
