import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldSmallGroups } from '../../server/domain/anonymity.js';
import { oneRow, ReleaseGate, type Contribution, type RowOf } from '../../server/domain/releaseGate.js';

/** What an attacker holding two releases sees: per row, each person's contribution. */
type Seen = Map<string, { value: string; row: string }>;

/** The attacker's best subtraction: the fewest people that explain the difference of two releases, in any row. */
function fewestBehindDifference(a: Seen, b: Seen): number {
  let total = 0;
  const byRow = new Map<string, number>();
  for (const person of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(person);
    const y = b.get(person);
    if (x && y && x.value === y.value && x.row === y.row) continue;
    total++;
    for (const row of new Set([x?.row, y?.row])) if (row !== undefined) byRow.set(row, (byRow.get(row) ?? 0) + 1);
  }
  return Math.min(total, ...byRow.values());
}

const rowsOf = (seen: Seen) => {
  const sizes = new Map<string, number>();
  for (const { row } of seen.values()) sizes.set(row, (sizes.get(row) ?? 0) + 1);
  return [...sizes.values()];
};

/** Releases when the gate allows, with rows folded afresh (presence) or fixed once shown (a poll round). */
function run(k: number, steps: { person: number; value: string | null; group: string | null }[], fixedRows: boolean): Seen[] {
  const gate = new ReleaseGate(k);
  const people = new Map<string, Contribution>();
  const seen: Seen[] = [];
  for (const step of steps) {
    const person = `p${step.person}`;
    const contribution = step.value === null ? undefined : { value: step.value, group: step.group };
    gate.set(person, contribution);
    if (contribution) people.set(person, contribution);
    else people.delete(person);
    const byGroup = new Map<string | null, number>();
    for (const { group } of people.values()) byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
    const shown = new Set(foldSmallGroups(byGroup, k).groups.map((g) => g.id));
    const fresh: RowOf = (group) => (group !== null && shown.has(group) ? group : 'other');
    const rowOf = (fixedRows && gate.lastRowOf) || fresh;
    if (!gate.allows(rowOf)) continue;
    gate.record(rowOf);
    seen.push(new Map([...people].map(([p, c]) => [p, { value: c.value, row: rowOf(c.group) }])));
  }
  return seen;
}

const steps = fc.array(
  fc.record({
    person: fc.integer({ min: 0, max: 11 }),
    value: fc.option(fc.constantFrom('yes', 'no', 'maybe'), { freq: 8 }),
    group: fc.constantFrom('police', 'residents', 'youth', null),
  }),
  // Each release needs at least k ≥ 3 changes, so 96 steps make at most 32 releases: the gate remembers all.
  { maxLength: 96 },
);

describe('the release rule', () => {
  it('no two releases, nor any row of them, differ by fewer than k people; no row holds 1 to k−1 people', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), steps, fc.boolean(), (k, script, fixedRows) => {
        const seen = run(k, script, fixedRows);
        for (const release of seen) for (const size of rowsOf(release)) expect(size).toBeGreaterThanOrEqual(k);
        // Every pair of releases, as the gate remembers every one of them here (beyond 32 it is not claimed).
        for (let i = 0; i < seen.length; i++) {
          for (let j = i + 1; j < seen.length; j++) expect(fewestBehindDifference(seen[i]!, seen[j]!)).toBeGreaterThanOrEqual(k);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('holds back a lone officer’s dots at closing: three voted and were counted, one more is not enough', () => {
    const gate = new ReleaseGate(3);
    for (const p of ['a', 'b', 'c']) gate.set(p, { value: '{"x":1}', group: null });
    expect(gate.allows(oneRow)).toBe(true);
    gate.record(oneRow);
    gate.set('officer', { value: '{"y":3}', group: null });
    expect(gate.allows(oneRow)).toBe(false);
  });

  it('does not let people who switch away and back again isolate one other change', () => {
    const gate = new ReleaseGate(3);
    for (const p of ['a', 'b', 'c']) gate.set(p, { value: 'yes', group: null });
    gate.record(oneRow);
    for (const p of ['a', 'b', 'c']) gate.set(p, { value: 'no', group: null });
    gate.record(oneRow);
    for (const p of ['a', 'b']) gate.set(p, { value: 'yes', group: null });
    gate.set('c', { value: 'yes', group: null });
    gate.set('officer', { value: 'no', group: null });
    // Against the second release four people changed; against the first, only the officer.
    expect(gate.allows(oneRow)).toBe(false);
  });

  it('keeps a breakdown row from moving: a group folded into "other" cannot appear with one newcomer', () => {
    const gate = new ReleaseGate(3);
    const shownFirst: RowOf = (g) => (g === 'residents' ? g : 'other');
    for (const p of ['r1', 'r2', 'r3']) gate.set(p, { value: 'yes', group: 'residents' });
    for (const p of ['y1', 'y2', 'y3']) gate.set(p, { value: 'no', group: 'youth' });
    gate.record(shownFirst);
    gate.set('officer', { value: 'no', group: 'police' });
    for (const p of ['r4', 'r5']) gate.set(p, { value: 'yes', group: 'residents' });
    // Three people changed in all, but only one in "other": that row would give the officer away.
    expect(gate.allows(shownFirst)).toBe(false);
  });
});
