/**
 * Results by stakeholder group, with the k-threshold of server/domain/anonymity.ts: only groups with at
 * least k respondents are shown, the rest (and paper ballots, whose groups are unknown) form "other",
 * which is itself 0 or at least k — so no small group's answers can be recovered by subtraction.
 */
import { OTHER_GROUP_ID, type PollActivity, type PollResults } from '../../../shared/protocol/index.js';
import { foldSmallGroups } from '../anonymity.js';
import { scaleStats, tallyPoll, type PaperTally, type StoredAnswer } from './tallyPoll.js';
import type { PollTally } from '../../../shared/protocol/index.js';

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

type Group = NonNullable<PollResults['groups']>[number];

/** `total` minus the shown groups' tallies: what "other" answered. */
function minus(total: PollTally, shown: Group[]): PollTally {
  const sum = (pick: (t: PollTally) => number) => shown.reduce((n, g) => n + pick(g.tally), 0);
  return {
    preferNot: total.preferNot - sum((t) => t.preferNot),
    ...(total.options && { options: total.options.map((o, i) => ({ ...o, count: o.count - sum((t) => t.options?.[i]?.count ?? 0) })) }),
    ...(total.scale && { scale: scaleStats(total.scale.values.map((v, i) => ({ ...v, count: v.count - sum((t) => t.scale?.values[i]?.count ?? 0) }))) }),
  };
}

/**
 * The breakdown of a closed round, where who-was-in-which-group has been forgotten: the groups shown at
 * closing stay as they were, and "other" is everything else — including paper ballots entered later, which
 * are never fewer than k. Nothing here is finer than what was shown at closing.
 */
export function breakdownAfterClosing(total: PollTally, respondents: number, shown: Group[]): Group[] {
  const rest = respondents - shown.reduce((n, g) => n + g.respondents, 0);
  return rest > 0 ? [...shown, { id: OTHER_GROUP_ID, respondents: rest, tally: minus(total, shown) }] : shown;
}
