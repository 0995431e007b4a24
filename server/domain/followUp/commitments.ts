/**
 * The commitments ledger's rules: how a plan becomes commitments when its workshop ends, and how a commitment's
 * updates give its status today. Pure; docs/FOLLOWUP.md.
 */
import type { PlanSnapshot } from '../../../shared/planDoc.js';
import type { Commitment, CommitmentOwner, CommitmentStatus, CommitmentUpdate } from '../../../shared/protocol/followUp.js';

const FROM_PLAN: Record<PlanSnapshot['actions'][number]['status'], CommitmentStatus> = {
  planned: 'not_started',
  underway: 'in_progress',
  done: 'done',
};

/**
 * Every action of the plan with a title or a description, as a commitment. Its owner is the plan's "lead"
 * (whitespace and case aside, one owner per name: the police service leading three actions gets one update
 * link); an action without a lead gets an owner without a name, which the facilitator can still hand a link.
 */
export function commitmentsFromPlan(plan: PlanSnapshot, newId: () => string): { owners: CommitmentOwner[]; commitments: Commitment[] } {
  const owners: CommitmentOwner[] = [];
  const ownerOf = (lead: string): string => {
    const name = lead.replace(/\s+/g, ' ').trim();
    const found = owners.find((o) => o.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (found) return found.id;
    const owner = { id: newId(), name };
    owners.push(owner);
    return owner.id;
  };
  const commitments = plan.actions
    .filter((action) => action.title.trim() || action.description.trim())
    .map((action) => ({
      id: action.id,
      title: action.title.trim(),
      description: action.description.trim(),
      ownerId: ownerOf(action.lead),
      due: /^\d{4}-\d{2}-\d{2}$/.test(action.end) ? action.end : '',
      indicators: action.indicators.filter((i) => i.text.trim()).map((i) => ({ text: i.text.trim(), target: i.target.trim() })),
      initialStatus: FROM_PLAN[action.status],
    }));
  return { owners: owners.filter((o) => commitments.some((c) => c.ownerId === o.id)), commitments };
}

/** A commitment's status now: the last update that set one (a correction is such an update), else the plan's. */
export function statusOf(commitment: Commitment, updates: readonly CommitmentUpdate[]): { status: CommitmentStatus; reason?: string } {
  const last = updates.findLast((u) => u.commitmentId === commitment.id && u.status);
  if (!last?.status) return { status: commitment.initialStatus };
  return last.status === 'dropped' ? { status: 'dropped', reason: last.reason ?? '' } : { status: last.status };
}

/** Late: its due date has passed (`today` is `YYYY-MM-DD`) and it is neither done nor dropped. */
export const isLate = (commitment: Commitment, status: CommitmentStatus, today: string): boolean =>
  commitment.due !== '' && commitment.due < today && status !== 'done' && status !== 'dropped';

/** An indicator's measured values over time, oldest first (a correction of a value replaces it). */
export function indicatorSeries(commitmentId: string, index: number, updates: readonly CommitmentUpdate[]): { date: string; value: number }[] {
  const corrected = new Set(updates.flatMap((u) => (u.corrects ? [u.corrects] : [])));
  return updates
    .filter((u) => u.commitmentId === commitmentId && u.indicator?.index === index && !corrected.has(u.id))
    .map((u) => ({ date: u.indicator!.date, value: u.indicator!.value }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The host of an evidence address, shown beside it (the address itself is shown as text, never linked). */
export function evidenceDomain(address: string): string {
  try {
    return new URL(address).hostname;
  } catch {
    return '';
  }
}
