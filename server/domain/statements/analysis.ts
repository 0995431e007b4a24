/**
 * The statements analysis, defined exactly so that it can be checked (docs/STATEMENTS.md): buckets fixed once per
 * round from the people who voted, the comparability rule, Pol.is's group-aware consensus, and the labels. Pure:
 * it sees votes with a group each and nothing that names a person.
 */
import {
  OTHER_GROUP_ID,
  type Statement,
  type StatementBucket,
  type StatementCounts,
  type StatementLabel,
  type StatementResult,
  type StatementVote,
} from '../../../shared/protocol/index.js';
import { foldSmallGroups } from '../anonymity.js';
import { inferOpinionGroups } from './opinionGroups.js';

/** One person's votes in a round, with the group they count in (null: none stated, or not known). */
export type VoterVotes = { group: string | null; votes: Readonly<Record<string, StatementVote>> };

/** `inferred`: the buckets are opinion groups found from the votes, not declared groups (see `analyseRound`). */
export type Analysis = { buckets: StatementBucket[]; items: StatementResult[]; inferred?: true };

/** "A clear majority": at least this share of a bucket's votes (agrees, disagrees and passes) agree. */
export const COMMON_GROUND_SHARE = 0.6;
/** "Mostly": more than this share of a bucket's votes. */
export const MOSTLY_SHARE = 0.5;

const none = (): StatementCounts => ({ agree: 0, disagree: 0, pass: 0 });
const sizeOf = (c: StatementCounts) => c.agree + c.disagree + c.pass;

/**
 * Every declared group with at least k voters is a bucket; smaller groups and people with no group form "other",
 * and while "other" holds 1 to k−1 voters the smallest shown group joins it (ties: the group listed last goes
 * first) — the folding of presence. Buckets come in the workshop's order, "other" last.
 */
export function bucketsOf(
  voters: readonly VoterVotes[],
  k: number,
  order: readonly string[],
): { buckets: StatementBucket[]; bucketOf: (group: string | null) => number } {
  const byGroup = new Map<string | null, number>();
  for (const { group } of voters) byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
  const folded = foldSmallGroups(byGroup, k, order);
  const listed = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const shown = folded.groups.sort((a, b) => listed(a.id) - listed(b.id) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const buckets: StatementBucket[] = shown.map((g) => ({ id: g.id, voters: g.count }));
  if (folded.other > 0) buckets.push({ id: OTHER_GROUP_ID, voters: folded.other });
  const index = new Map(shown.map((g, i) => [g.id, i]));
  return { buckets, bucketOf: (group) => (group !== null && index.has(group) ? index.get(group)! : shown.length) };
}

/** Pol.is's group-aware consensus: the product over buckets of (A + 1) / (S + 2). */
export const groupAwareConsensus = (groups: readonly StatementCounts[]): number => groups.reduce((p, g) => p * ((g.agree + 1) / (sizeOf(g) + 2)), 1);

/** The label of a compared statement, from its buckets' counts. */
export function labelOf(groups: readonly StatementCounts[]): StatementLabel {
  const share = (g: StatementCounts, n: number) => n / sizeOf(g);
  if (groups.every((g) => share(g, g.agree) >= COMMON_GROUND_SHARE)) return 'commonGround';
  const agrees = groups.some((g) => share(g, g.agree) > MOSTLY_SHARE);
  const disagrees = groups.some((g) => share(g, g.disagree) > MOSTLY_SHARE);
  return agrees && disagrees ? 'divides' : 'mixed';
}

/**
 * @param statements the statements on the cards, in card order (votes on any other are left out)
 * @param k the workshop's anonymity threshold
 * @param order the workshop's group ids as listed
 * @returns compared statements by consensus (highest first), then the others in card order
 */
export function analyseStatements(statements: readonly Statement[], votersIn: readonly VoterVotes[], k: number, order: readonly string[]): Analysis {
  const onCards = new Set(statements.map((s) => s.id));
  // Only people who voted at least once on a statement still on the cards make the round's buckets.
  const voters = votersIn.filter((v) => Object.keys(v.votes).some((id) => onCards.has(id)));
  const { buckets, bucketOf } = bucketsOf(voters, k, order);
  const counts = new Map(statements.map((s) => [s.id, buckets.map(none)]));
  for (const voter of voters) {
    const bucket = bucketOf(voter.group);
    for (const [id, vote] of Object.entries(voter.votes)) {
      const row = counts.get(id)?.[bucket];
      if (row) row[vote]++;
    }
  }
  const results = statements.map((statement): StatementResult => {
    const groups = counts.get(statement.id)!;
    const totals = groups.reduce((sum, g) => ({ agree: sum.agree + g.agree, disagree: sum.disagree + g.disagree, pass: sum.pass + g.pass }), none());
    const compared = buckets.length >= 2 && groups.every((g) => sizeOf(g) >= k);
    if (!compared) return { ...statement, totals: sizeOf(totals) >= k ? totals : null, consensus: null, label: 'notEnough', groups: null };
    return { ...statement, totals, consensus: groupAwareConsensus(groups), label: labelOf(groups), groups };
  });
  const compared = results.filter((r) => r.consensus !== null).sort((a, b) => b.consensus! - a.consensus!);
  return { buckets, items: [...compared, ...results.filter((r) => r.consensus === null)] };
}

/**
 * A round's analysis: over the declared groups; where they make fewer than two buckets and 30 or more people
 * voted, over the opinion groups their votes fall into (opinionGroups.ts), each of k people or more.
 */
export function analyseRound(statements: readonly Statement[], votersIn: readonly VoterVotes[], k: number, order: readonly string[]): Analysis {
  const declared = analyseStatements(statements, votersIn, k, order);
  if (declared.buckets.length >= 2) return declared;
  const onCards = new Set(statements.map((s) => s.id));
  const voters = votersIn.filter((v) => Object.keys(v.votes).some((id) => onCards.has(id)));
  const groups = inferOpinionGroups(statements, voters, k);
  if (!groups) return declared;
  const inferred = analyseStatements(
    statements,
    voters.map((v, i) => ({ group: groups[i]!, votes: v.votes })),
    k,
    [...new Set(groups)].sort(),
  );
  return { ...inferred, inferred: true };
}
