import type { PollActivity } from '../../../shared/protocol/index.js';
import { tallyPoll } from './tallyPoll.js';

export type PaperBallots = { ballots: number; counts: Record<string, number>; preferNot: number };

/**
 * What is wrong with a paper tally for this poll, or null: counts for what the poll has, adding up to the
 * ballots, and at least k ballots (fewer could be told apart from the phones' final result).
 */
export function checkPaperTally(poll: PollActivity, paper: PaperBallots, k: number): string | null {
  if (poll.type === 'open' || poll.type === 'ranking') return 'paper tallies are for choice and scale polls';
  if (paper.ballots > 0 && paper.ballots < k) return `enter paper ballots once there are at least ${k} of them, so that they cannot be told apart`;
  if (paper.preferNot > 0 && !poll.allowPreferNot) return 'this poll has no "prefer not to answer"';
  const keys = new Set(poll.type === 'scale' ? tallyPoll(poll, []).scale!.values.map((v) => String(v.value)) : poll.options.map((o) => o.id));
  if (Object.keys(paper.counts).some((key) => !keys.has(key))) return 'a count is for something this poll does not have';
  const marks = Object.values(paper.counts).reduce((a, b) => a + b, 0);
  if (poll.type !== 'multiple') {
    return marks + paper.preferNot === paper.ballots ? null : `the counts add up to ${marks + paper.preferNot}, not to the ${paper.ballots} paper ballots`;
  }
  const max = poll.maxSelections ?? poll.options.length;
  if (Object.values(paper.counts).some((n) => n > paper.ballots)) return 'an option has more marks than there are ballots';
  return marks <= (paper.ballots - paper.preferNot) * max ? null : `at most ${max} marks per ballot`;
}
