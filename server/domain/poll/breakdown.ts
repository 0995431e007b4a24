/**
 * Results by stakeholder group: the groups shown are fixed for a round by the release rule, the rest (and
 * paper ballots, whose groups are unknown) form "other" — so no small group's answers can be recovered by
 * subtraction, within one release or between two.
 */
import { OTHER_GROUP_ID, type PollActivity, type PollResults } from '../../../shared/protocol/index.js';
import type { RowOf } from '../releaseGate.js';
import { scaleStats, tallyPoll, type PaperTally, type StoredAnswer } from './tallyPoll.js';
import type { PollTally } from '../../../shared/protocol/index.js';

/**
 * @param rowOf which row each group falls in: its own (a group shown since the round's first release) or
 *   "other" — fixed by the release rule (server/domain/releaseGate.ts), which also keeps each row at 0 or ≥ k.
 */
export function breakdownByGroup(
  poll: PollActivity,
  answers: (StoredAnswer & { group: string | null })[],
  rowOf: RowOf,
  paper?: PaperTally,
): NonNullable<PollResults['groups']> {
  const rows = new Map<string, StoredAnswer[]>();
  for (const answer of answers) {
    const row = rowOf(answer.group);
    rows.set(row, [...(rows.get(row) ?? []), answer]);
  }
  const shown = [...rows].filter(([id]) => id !== OTHER_GROUP_ID).sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const groups = shown.map(([id, rowAnswers]) => ({ id, respondents: rowAnswers.length, tally: tallyPoll(poll, rowAnswers) }));
  const rest = rows.get(OTHER_GROUP_ID) ?? [];
  const restCount = rest.length + (paper?.ballots ?? 0);
  return restCount === 0 ? groups : [...groups, { id: OTHER_GROUP_ID, respondents: restCount, tally: tallyPoll(poll, rest, { paper }) }];
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
