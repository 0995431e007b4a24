/** Whether a ballot fits its board: the right form, only items that exist, within the budget. */
import type { Ballot, Prioritisation } from '../../../shared/protocol/index.js';

export function validateBallot(ballot: Ballot, method: Prioritisation | { method: 'upvotes' }, itemIds: Set<string>): string | null {
  const unknown = (ids: string[]) => ids.find((id) => !itemIds.has(id));
  switch (method.method) {
    case 'none':
      return 'this board has no vote';
    case 'dots': {
      if (!('dots' in ballot)) return 'this board takes dots';
      const entries = Object.entries(ballot.dots);
      if (unknown(entries.map(([id]) => id))) return 'a dot is on an item that is not on the board';
      const spent = entries.reduce((sum, [, n]) => sum + n, 0);
      if (spent > method.budget) return `at most ${method.budget} dots in all`;
      if (entries.some(([, n]) => n > method.maxPerItem)) return `at most ${method.maxPerItem} dots on one item`;
      return null;
    }
    case 'ranking':
      if (!('ranking' in ballot)) return 'this board takes a ranking';
      if (ballot.ranking.length > method.topN) return `rank at most ${method.topN} items`;
      if (new Set(ballot.ranking).size !== ballot.ranking.length) return 'an item is ranked twice';
      return unknown(ballot.ranking) ? 'a ranked item is not on the board' : null;
    case 'impactEffort':
      if (!('placements' in ballot)) return 'this board takes impact/effort placements';
      return unknown(Object.keys(ballot.placements)) ? 'a placed item is not on the board' : null;
    case 'upvotes':
      if (!('upvotes' in ballot)) return 'this board takes upvotes';
      if (new Set(ballot.upvotes).size !== ballot.upvotes.length) return 'one upvote per question';
      return unknown(ballot.upvotes) ? 'an upvoted question is not on the board' : null;
  }
}

/** The ballot without items that are no longer on the board (hidden, merged or regrouped meanwhile). */
export function keepKnownItems(ballot: Ballot, itemIds: Set<string>): Ballot {
  if ('dots' in ballot) return { dots: Object.fromEntries(Object.entries(ballot.dots).filter(([id]) => itemIds.has(id))) };
  if ('ranking' in ballot) return { ranking: ballot.ranking.filter((id) => itemIds.has(id)) };
  if ('placements' in ballot) return { placements: Object.fromEntries(Object.entries(ballot.placements).filter(([id]) => itemIds.has(id))) };
  return { upvotes: ballot.upvotes.filter((id) => itemIds.has(id)) };
}
