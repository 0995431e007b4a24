/**
 * How a plan becomes commitments when its workshop ends (a commitment's state today is read by
 * shared/followUpState.ts, for the page and the owners' screen alike). Pure; docs/FOLLOWUP.md.
 */
import type { PlanSnapshot } from '../../../shared/planDoc.js';
import { isRealDate } from '../../../shared/protocol/dates.js';
import type { Commitment, CommitmentOwner, CommitmentStatus } from '../../../shared/protocol/followUp.js';

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
      due: isRealDate(action.end) ? action.end : '',
      indicators: action.indicators.filter((i) => i.text.trim()).map((i) => ({ text: i.text.trim(), target: i.target.trim() })),
      initialStatus: FROM_PLAN[action.status],
    }));
  return { owners: owners.filter((o) => commitments.some((c) => c.ownerId === o.id)), commitments };
}
