/**
 * Results by stakeholder group, with the k-threshold of server/domain/anonymity.ts: only groups with at
 * least k respondents are shown, the rest (and paper ballots, whose groups are unknown) form "other",
 * which is itself 0 or at least k — so no small group's answers can be recovered by subtraction.
 */
import { OTHER_GROUP_ID, type PollActivity, type PollResults } from '../../../shared/protocol/index.js';
import { foldSmallGroups } from '../anonymity.js';
import { tallyPoll, type PaperTally, type StoredAnswer } from './tallyPoll.js';

export function breakdownByGroup(
  poll: PollActivity,
  answers: (StoredAnswer & { group: string | null })[],
  k: number,
  paper?: PaperTally,
): NonNullable<PollResults['groups']> {
  const byGroup = new Map<string | null, number>();
  for (const { group } of answers) byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
  if (paper?.ballots) byGroup.set(null, (byGroup.get(null) ?? 0) + paper.ballots);
  const folded = foldSmallGroups(byGroup, k);
  const shown = new Set(folded.groups.map((g) => g.id));
  const groups = folded.groups.map((g) => ({
    id: g.id,
    respondents: g.count,
    tally: tallyPoll(poll, answers.filter((a) => a.group === g.id)),
  }));
  if (folded.other === 0) return groups;
  const rest = answers.filter((a) => a.group === null || !shown.has(a.group));
  return [...groups, { id: OTHER_GROUP_ID, respondents: folded.other, tally: tallyPoll(poll, rest, { paper }) }];
}
