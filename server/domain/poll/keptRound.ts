/**
 * What is kept of a poll's closed round, and how it is rebuilt when paper ballots are added or an answer is
 * hidden after closing: always from the phones' final release, never from a new count.
 */
import type { PollResults } from '../../../shared/protocol/index.js';
import { breakdownAfterClosing } from './breakdown.js';
import { withPaper, type PaperTally } from './tallyPoll.js';

/** Results as published: the facilitators' view; the room's is derived from it. */
export type Counted = Omit<PollResults, 'pollId' | 'round'>;
type Group = NonNullable<PollResults['groups']>[number];
/**
 * What is kept of a closed round: its final count (with paper, and without hidden answers), the phones'
 * final release it was made from, and the groups that release showed.
 */
export type Kept = Counted & { phones: Counted; shownGroups: Group[] | null };

/** A closed round's result: the phones' final release, paper ballots added (paper is never counted towards k). */
export function closedResult(kept: Kept, paper: PaperTally | undefined): Kept {
  const { phones, shownGroups } = kept;
  const respondents = phones.respondents + (paper?.ballots ?? 0);
  const tally = phones.tally && withPaper(phones.tally, paper);
  const groups = tally && shownGroups ? breakdownAfterClosing(tally, respondents, shownGroups) : null;
  return { respondents, paper: paper?.ballots ?? 0, tally, groups, ...heldBackOf(phones), phones, shownGroups };
}

const heldBackOf = ({ heldBack }: Counted) => (heldBack !== undefined && heldBack > 0 ? { heldBack } : {});
export const withoutKeeping = (kept: Kept): Counted => ({
  respondents: kept.respondents,
  paper: kept.paper,
  tally: kept.tally,
  groups: kept.groups,
  ...heldBackOf(kept),
});
