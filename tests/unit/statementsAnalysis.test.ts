import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTHER_GROUP_ID, STATEMENT_VOTES, type StatementVote } from '../../shared/protocol/index.js';
import { analyseRound, analyseStatements, bucketsOf, groupAwareConsensus, labelOf, type VoterVotes } from '../../server/domain/statements/analysis.js';
import { inferOpinionGroups } from '../../server/domain/statements/opinionGroups.js';
import { parseCsv, PolisImportError, readPolisExport } from '../../server/domain/statements/polisImport.js';

const K = 3;
const statements = [
  { id: 's1', text: 'Officers should attend youth club evenings' },
  { id: 's2', text: 'Street lighting first' },
];
/** `n` voters of one group, each voting `votes`. */
const people = (n: number, group: string | null, votes: Record<string, StatementVote>): VoterVotes[] => Array.from({ length: n }, () => ({ group, votes }));

describe('statements analysis: buckets', () => {
  it('shows each group with at least k voters, and puts smaller groups and no group in "other"', () => {
    const voters = [
      ...people(4, 'police', { s1: 'agree' }),
      ...people(3, 'residents', { s1: 'agree' }),
      ...people(2, 'youth', { s1: 'pass' }),
      ...people(1, null, { s1: 'agree' }),
    ];
    expect(bucketsOf(voters, K, ['police', 'residents', 'youth']).buckets).toEqual([
      { id: 'police', voters: 4 },
      { id: 'residents', voters: 3 },
      { id: OTHER_GROUP_ID, voters: 3 },
    ]);
  });

  it('folds the smallest shown group into an "other" of 1 to k−1 voters, the group listed last of two equal ones first', () => {
    // "other" would hold one person (readable by subtraction): one of the two groups of 3 must join it.
    const voters = [...people(5, 'police', { s1: 'agree' }), ...people(3, 'residents', {}), ...people(3, 'youth', {}), ...people(1, null, {})];
    expect(bucketsOf(voters, K, ['police', 'residents', 'youth']).buckets).toEqual([
      { id: 'police', voters: 5 },
      { id: 'residents', voters: 3 },
      { id: OTHER_GROUP_ID, voters: 4 },
    ]);
    // Listed the other way round, the other group goes.
    expect(bucketsOf(voters, K, ['police', 'youth', 'residents']).buckets.map((b) => b.id)).toEqual(['police', 'youth', OTHER_GROUP_ID]);
  });

  it('counts only people who voted on a statement still on the cards', () => {
    const voters = [...people(3, 'police', { s1: 'agree' }), ...people(3, 'residents', { gone: 'agree' })];
    const { buckets } = analyseStatements(statements, voters, K, ['police', 'residents']);
    expect(buckets).toEqual([{ id: 'police', voters: 3 }]);
  });
});

describe('statements analysis: comparability, consensus and labels', () => {
  it('compares a statement only when every bucket has at least k votes on it', () => {
    const voters = [
      ...people(3, 'police', { s1: 'agree', s2: 'agree' }),
      ...people(2, 'residents', { s1: 'agree' }),
      ...people(1, 'residents', { s1: 'disagree', s2: 'pass' }),
    ];
    const { items } = analyseStatements(statements, voters, K, ['police', 'residents']);
    const s1 = items.find((s) => s.id === 's1')!;
    const s2 = items.find((s) => s.id === 's2')!;
    expect(s1.groups).toEqual([
      { agree: 3, disagree: 0, pass: 0 },
      { agree: 2, disagree: 1, pass: 0 },
    ]);
    expect(s1.consensus).toBeCloseTo((4 / 5) * (3 / 5), 12);
    // s2: residents gave it one vote; its totals (4 ≥ k) show, no per-bucket numbers.
    expect(s2).toMatchObject({ label: 'notEnough', consensus: null, groups: null, totals: { agree: 3, disagree: 0, pass: 1 } });
  });

  it('shows no totals for a statement fewer than k people voted on, and compares nothing with one bucket', () => {
    const voters = [...people(4, 'police', { s1: 'agree' }), ...people(2, 'police', { s2: 'agree' })];
    const { buckets, items } = analyseStatements(statements, voters, K, ['police']);
    expect(buckets).toHaveLength(1);
    expect(items.map((s) => [s.id, s.label, s.totals])).toEqual([
      ['s1', 'notEnough', { agree: 4, disagree: 0, pass: 0 }],
      ['s2', 'notEnough', null],
    ]);
  });

  it('lists compared statements by consensus, highest first, then the rest in card order', () => {
    const cards = [...statements, { id: 's3', text: 'Monthly open meetings' }, { id: 's4', text: 'Unseen' }];
    const voters = [
      ...people(3, 'police', { s1: 'disagree', s2: 'agree', s3: 'agree' }),
      ...people(2, 'residents', { s1: 'agree', s2: 'pass', s3: 'agree' }),
      ...people(1, 'residents', { s1: 'agree', s2: 'agree', s3: 'agree' }),
    ];
    expect(analyseStatements(cards, voters, K, ['police', 'residents']).items.map((s) => s.id)).toEqual(['s3', 's2', 's1', 's4']);
  });

  it('labels by the documented thresholds', () => {
    const c = (agree: number, disagree: number, pass: number) => ({ agree, disagree, pass });
    // A clear majority is 60 % of a bucket's votes, passes included.
    expect(labelOf([c(3, 2, 0), c(6, 1, 3)])).toBe('commonGround');
    expect(labelOf([c(3, 1, 1), c(5, 0, 5)])).toBe('mixed');
    // "Mostly" is more than half: one bucket mostly agrees, another mostly disagrees.
    expect(labelOf([c(4, 1, 0), c(1, 3, 1)])).toBe('divides');
    expect(labelOf([c(4, 1, 0), c(2, 2, 0)])).toBe('mixed');
    expect(groupAwareConsensus([c(3, 0, 0), c(0, 3, 0)])).toBeCloseTo((4 / 5) * (1 / 5), 12);
  });

  const voter = fc.record({
    group: fc.constantFrom<string | null>('police', 'residents', 'youth', 'council', null),
    votes: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom(...STATEMENT_VOTES), { maxKeys: 4 }),
  });
  const cards = ['a', 'b', 'c', 'd'].map((id) => ({ id, text: id }));
  const order = ['police', 'residents', 'youth', 'council'];

  it('never releases a bucket, a comparison or a total below k (property)', () => {
    fc.assert(
      fc.property(fc.array(voter, { maxLength: 40 }), fc.integer({ min: 2, max: 6 }), (voters, k) => {
        const { buckets, items } = analyseStatements(cards, voters, k, order);
        const shown = buckets.filter((b) => b.id !== OTHER_GROUP_ID);
        const other = buckets.find((b) => b.id === OTHER_GROUP_ID);
        for (const b of shown) expect(b.voters).toBeGreaterThanOrEqual(k);
        // "other" below k only when it is everyone: then nothing is compared and no total reaches k.
        if (other && other.voters < k) expect(buckets).toHaveLength(1);
        for (const item of items) {
          const size = (g: { agree: number; disagree: number; pass: number }) => g.agree + g.disagree + g.pass;
          if (item.totals) expect(size(item.totals)).toBeGreaterThanOrEqual(k);
          if (item.groups) {
            expect(buckets.length).toBeGreaterThanOrEqual(2);
            for (const g of item.groups) expect(size(g)).toBeGreaterThanOrEqual(k);
            expect(item.groups.reduce((n, g) => n + g.agree, 0)).toBe(item.totals!.agree);
            expect(item.consensus).toBeGreaterThan(0);
            expect(item.consensus).toBeLessThan(1);
          } else expect(item.consensus).toBeNull();
        }
      }),
    );
  });

  it('does not depend on the order the votes came in (property)', () => {
    fc.assert(
      fc.property(
        fc.array(voter, { maxLength: 30 }).chain((v) => fc.tuple(fc.constant(v), fc.shuffledSubarray(v, { minLength: v.length, maxLength: v.length }))),
        ([voters, shuffled]) => {
          expect(analyseStatements(cards, shuffled, 3, order)).toEqual(analyseStatements(cards, voters, 3, order));
        },
      ),
    );
  });
});

describe('Pol.is open data', () => {
  const fixture = (conversation: string, file: string) => readFileSync(new URL(`../fixtures/polis/${conversation}/${file}`, import.meta.url), 'utf8');

  it('reads quoted CSV fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['1', ''],
    ]);
  });

  it('finds columns by name, whatever their order, and says which one is missing', () => {
    const comments = 'comment-body,moderated,comment-id\n"Lights, please",1,7\nSpam,-1,8\nSeen,0,9\n';
    const votes = 'xid,9,group-id,participant,7\nabc,0,1,0,1\n,,,1,\n';
    const read = readPolisExport({ comments, participantsVotes: votes, groupColumn: 'group-id' }, 140);
    expect(read.statements).toEqual([
      { id: 'polis-7', text: 'Lights, please' },
      { id: 'polis-9', text: 'Seen' },
    ]);
    // The second participant saw nothing: not a voter.
    expect(read.voters).toEqual([{ group: 'polis-1', votes: { 'polis-7': 'agree', 'polis-9': 'pass' } }]);
    expect(() => readPolisExport({ comments: 'comment-id,comment-body\n1,x\n', participantsVotes: votes }, 140)).toThrow(PolisImportError);
    expect(() => readPolisExport({ comments, participantsVotes: votes, groupColumn: 'cluster' }, 140)).toThrow(/no column "cluster"/);
    expect(() => readPolisExport({ comments: `${comments}Again,1,7\n`, participantsVotes: votes }, 140)).toThrow(/comment 7 twice/);
  });

  it('gives every group value an id of its own, "other" included', () => {
    const comments = 'comment-id,moderated,comment-body\n1,1,One\n';
    const votes = 'group-id,1\nA,1\na,1\n1.0,0\n1-0,-1\nother,1\n';
    const read = readPolisExport({ comments, participantsVotes: votes, groupColumn: 'group-id' }, 140);
    const ids = read.voters.map((v) => v.group);
    expect(new Set(ids).size).toBe(5);
    expect(ids).not.toContain(OTHER_GROUP_ID);
    expect(ids.map((id) => read.groupLabels.get(id!))).toEqual(['group-id A', 'group-id a', 'group-id 1.0', 'group-id 1-0', 'group-id other']);
  });

  // The rules written again, from the raw files, with none of the code above (no group-id: "other").
  function independentCounts(conversation: string) {
    const kept = new Set(
      [...fixture(conversation, 'comments.csv').matchAll(/^\d+,[^,]*,(\d+),\d+,\d+,\d+,(-?\d+),/gm)].filter((m) => m[2] !== '-1').map((m) => m[1]!),
    );
    const [header, ...rows] = fixture(conversation, 'participants-votes.csv')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const groupAt = header!.indexOf('group-id');
    const columns = header!.flatMap((name, i) => (kept.has(name) ? [i] : []));
    const perComment = new Map<string, Map<string, { a: number; d: number; s: number }>>();
    const buckets = new Map<string, number>();
    for (const row of rows) {
      const seen = columns.filter((i) => row[i] === '1' || row[i] === '-1' || row[i] === '0');
      if (!seen.length) continue;
      const bucket = row[groupAt] || 'other';
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      for (const i of seen) {
        const groups = perComment.get(header![i]!) ?? new Map();
        const g = groups.get(bucket) ?? { a: 0, d: 0, s: 0 };
        g.s += 1;
        if (row[i] === '1') g.a += 1;
        if (row[i] === '-1') g.d += 1;
        groups.set(bucket, g);
        perComment.set(header![i]!, groups);
      }
    }
    return { buckets, perComment };
  }

  for (const conversation of ['15-per-hour-seattle', 'brexit-consensus']) {
    it(`matches an independent computation of group-aware consensus: ${conversation}`, () => {
      const read = readPolisExport(
        { comments: fixture(conversation, 'comments.csv'), participantsVotes: fixture(conversation, 'participants-votes.csv'), groupColumn: 'group-id' },
        1000,
      );
      const { buckets, items } = analyseStatements(read.statements, read.voters, 5, []);
      expect(buckets.map((b) => b.id)).toEqual(['polis-0', 'polis-1', OTHER_GROUP_ID]);
      const k = 5;
      const { buckets: people, perComment } = independentCounts(conversation);
      // Nothing to fold in these two: every bucket (the "other" of people Pol.is did not place too) has k or more.
      expect(buckets.map((b) => b.voters).sort()).toEqual([...people.values()].sort());
      for (const item of items) {
        const groups = [...(perComment.get(item.id.slice('polis-'.length))?.values() ?? [])];
        const all = groups.reduce((t, g) => ({ a: t.a + g.a, d: t.d + g.d, s: t.s + g.s }), { a: 0, d: 0, s: 0 });
        expect(item.totals).toEqual(all.s >= k ? { agree: all.a, disagree: all.d, pass: all.s - all.a - all.d } : null);
        const comparable = groups.length === people.size && groups.every((g) => g.s >= k);
        if (!comparable) {
          expect(item).toMatchObject({ consensus: null, groups: null, label: 'notEnough' });
          continue;
        }
        expect(item.consensus).toBeCloseTo(
          groups.reduce((p, g) => p * ((g.a + 1) / (g.s + 2)), 1),
          12,
        );
        expect(item.label === 'commonGround').toBe(groups.every((g) => g.a / g.s >= 0.6));
      }
      // Seattle compares most statements; in Brexit the 7 people Pol.is placed in no group form an "other" that
      // never reaches k votes on one statement, so nothing is compared there (the rule working as written).
      if (conversation === '15-per-hour-seattle') expect(items.filter((s) => s.consensus !== null).length).toBeGreaterThan(20);
    });
  }

  it('leaves out comments moderated out', () => {
    const comments = fixture('brexit-consensus', 'comments.csv');
    const moderatedOut = parseCsv(comments)
      .slice(1)
      .filter((row) => row[6] === '-1')
      .map((row) => `polis-${row[2]}`);
    const read = readPolisExport({ comments, participantsVotes: fixture('brexit-consensus', 'participants-votes.csv') }, 1000);
    for (const id of moderatedOut) expect(read.statements.some((s) => s.id === id)).toBe(false);
  });
});

describe('opinion groups found from the votes (no groups declared)', () => {
  const cards = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, text: `Statement ${i}` }));
  /** A camp agrees with the even statements and disagrees with the odd ones (or the other way round), with some noise. */
  const camp = (n: number, even: StatementVote, odd: StatementVote, seed: number): VoterVotes[] =>
    Array.from({ length: n }, (_, p) => ({
      group: null,
      votes: Object.fromEntries(cards.map((c, i) => [c.id, (p * 7 + i * 3 + seed) % 11 === 0 ? 'pass' : i % 2 ? odd : even])),
    }));

  it('finds two camps of a room of 40, each whole, and compares the statements over them', () => {
    const voters = [...camp(24, 'agree', 'disagree', 1), ...camp(16, 'disagree', 'agree', 2)];
    const groups = inferOpinionGroups(cards, voters, 5)!;
    expect(new Set(groups.slice(0, 24))).toEqual(new Set(['opinion:A']));
    expect(new Set(groups.slice(24))).toEqual(new Set(['opinion:B']));
    const analysis = analyseRound(cards, voters, 5, []);
    expect(analysis.inferred).toBe(true);
    expect(analysis.buckets).toEqual([
      { id: 'opinion:A', voters: 24 },
      { id: 'opinion:B', voters: 16 },
    ]);
    expect(analysis.items.every((s) => s.label === 'divides')).toBe(true);
  });

  it('finds none in a room under 30, and leaves declared groups alone', () => {
    const small = [...camp(14, 'agree', 'disagree', 1), ...camp(14, 'disagree', 'agree', 2)];
    expect(inferOpinionGroups(cards, small, 5)).toBeNull();
    expect(analyseRound(cards, small, 5, []).inferred).toBeUndefined();
    const declared = [
      ...camp(24, 'agree', 'disagree', 1).map((v) => ({ ...v, group: 'police' })),
      ...camp(16, 'disagree', 'agree', 2).map((v) => ({ ...v, group: 'residents' })),
    ];
    expect(analyseRound(cards, declared, 5, ['police', 'residents']).buckets.map((b) => b.id)).toEqual(['police', 'residents']);
  });

  it('never makes a group of fewer than k people (property)', () => {
    let found = 0;
    const vote = fc.constantFrom<StatementVote>(...STATEMENT_VOTES);
    // At least 7 answers each, so that everyone can be placed and the property is tried on real groupings.
    const someone = fc.dictionary(fc.constantFrom(...cards.map((c) => c.id)), vote, { minKeys: 7 }).map((votes) => ({ group: null, votes }));
    fc.assert(
      fc.property(fc.array(someone, { minLength: 30, maxLength: 70 }), fc.integer({ min: 3, max: 12 }), (voters, k) => {
        const groups = inferOpinionGroups(cards, voters, k);
        found += groups ? 1 : 0;
        if (!groups) return;
        expect(groups).toHaveLength(voters.length);
        const sizes = new Map<string, number>();
        for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
        expect(sizes.size).toBeGreaterThanOrEqual(2);
        for (const n of sizes.values()) expect(n).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 40 },
    );
    expect(found).toBeGreaterThan(10);
  });

  it('mostly agrees with Pol.is’s own groups on the Seattle conversation', () => {
    const file = (name: string) => readFileSync(new URL(`../fixtures/polis/15-per-hour-seattle/${name}`, import.meta.url), 'utf8');
    const read = readPolisExport({ comments: file('comments.csv'), participantsVotes: file('participants-votes.csv'), groupColumn: 'group-id' }, 1000);
    const groups = inferOpinionGroups(read.statements, read.voters, 5)!;
    // Among the people Pol.is placed, count how many share a group with the majority of their Pol.is group.
    const placed = read.voters.map((v, i) => ({ polis: v.group, ours: groups[i]! })).filter((p) => p.polis !== null);
    let agreeing = 0;
    const majorities = new Set<string>();
    for (const polis of new Set(placed.map((p) => p.polis))) {
      const ours = placed.filter((p) => p.polis === polis).map((p) => p.ours);
      const [majority, count] = [...new Set(ours)].map((g) => [g, ours.filter((o) => o === g).length] as const).sort((a, b) => b[1] - a[1])[0]!;
      majorities.add(majority);
      agreeing += count;
    }
    // Each of Pol.is's two groups lands mostly in a group of its own.
    expect(majorities.size).toBe(2);
    expect(agreeing / placed.length).toBeGreaterThan(0.75);
  });
});
