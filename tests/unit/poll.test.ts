import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PollActivity, PollAnswer } from '../../shared/protocol/index.js';
import { breakdownAfterClosing, breakdownByGroup } from '../../server/domain/poll/breakdown.js';
import { ReleaseGate } from '../../server/domain/releaseGate.js';
import { tallyPoll } from '../../server/domain/poll/tallyPoll.js';
import { validateAnswer } from '../../server/domain/poll/validateAnswer.js';
import { countWords } from '../../server/domain/poll/words.js';

const options = [
  { id: 'yes', label: 'Yes' },
  { id: 'no', label: 'No' },
  { id: 'unsure', label: 'Unsure' },
];
function poll(extra: Partial<PollActivity> = {}): PollActivity {
  return { kind: 'poll', id: 'p1', state: 'open', title: 'Q', question: '', type: 'single', options, allowPreferNot: true, ...extra } as PollActivity;
}
const answers = (...list: PollAnswer[]) => list.map((answer, i) => ({ id: `b${i}`, answer }));

describe('poll answers', () => {
  it.each([
    [poll(), { choice: 'maybe' }, /not in this poll/],
    [poll(), { choices: ['yes'] }, /one choice/],
    [poll({ type: 'multiple', maxSelections: 2 }), { choices: ['yes', 'no', 'unsure'] }, /at most 2/],
    [poll({ type: 'multiple' }), { choices: ['yes', 'yes'] }, /twice/],
    [poll({ type: 'scale', scale: { kind: 'likert5', low: '', high: '' } }), { value: 0 }, /not on the scale/],
    [poll({ type: 'ranking' }), { ranking: ['yes', 'yes'] }, /twice/],
    [poll({ type: 'open' }), { choice: 'yes' }, /short text/],
    [poll({ allowPreferNot: false }), { preferNot: true }, /everyone to answer/],
  ] as const)('refuses %#: %j', (p, answer, message) => {
    expect(validateAnswer(p, answer as PollAnswer)).toMatch(message);
  });

  it('accepts 0–10 on a 0–10 scale and "prefer not to answer" where allowed', () => {
    const scale = poll({ type: 'scale', scale: { kind: 'zeroToTen', low: '', high: '' } });
    expect(validateAnswer(scale, { value: 0 })).toBeNull();
    expect(validateAnswer(scale, { value: 10 })).toBeNull();
    expect(validateAnswer(poll(), { preferNot: true })).toBeNull();
  });
});

describe('tallying polls', () => {
  it('counts single and multiple choices, with "prefer not" apart and paper ballots added', () => {
    expect(tallyPoll(poll(), answers({ choice: 'yes' }, { choice: 'yes' }, { choice: 'no' }, { preferNot: true }))).toEqual({
      options: [
        { id: 'yes', label: 'Yes', count: 2 },
        { id: 'no', label: 'No', count: 1 },
        { id: 'unsure', label: 'Unsure', count: 0 },
      ],
      preferNot: 1,
    });
    const withPaper = tallyPoll(poll({ type: 'multiple' }), answers({ choices: ['yes', 'no'] }), {
      paper: { ballots: 3, counts: { yes: 2, unsure: 1 }, preferNot: 1 },
    });
    expect(withPaper.options?.map((o) => o.count)).toEqual([3, 1, 1]);
    expect(withPaper.preferNot).toBe(1);
  });

  it('gives a scale its distribution, mean and median', () => {
    const scale = poll({ type: 'scale', scale: { kind: 'likert5', low: 'Disagree', high: 'Agree' } });
    const tally = tallyPoll(scale, answers({ value: 1 }, { value: 4 }, { value: 5 }, { value: 4 }, { preferNot: true }));
    expect(tally.scale).toEqual({
      values: [1, 2, 3, 4, 5].map((value) => ({ value, count: { 1: 1, 4: 2, 5: 1 }[value] ?? 0 })),
      mean: 3.5,
      median: 4,
    });
  });

  it('ranks by Borda points and ties share a rank', () => {
    const tally = tallyPoll(poll({ type: 'ranking' }), answers({ ranking: ['yes', 'no'] }, { ranking: ['no', 'yes'] }));
    expect(tally.options?.map((o) => [o.id, o.count, o.rank])).toEqual([
      ['yes', 5, 1],
      ['no', 5, 1],
      ['unsure', 0, 3],
    ]);
  });

  it('lists open answers without authors, leaves hidden ones out, and counts words', () => {
    const tally = tallyPoll(poll({ type: 'open' }), answers({ text: 'More lighting' }, { text: 'lighting and patrols' }, { text: 'abusive words' }), {
      hidden: new Set(['b2']),
    });
    expect(tally.open?.answers.map((a) => a.text).sort()).toEqual(['More lighting', 'lighting and patrols']);
    expect(Object.keys(tally.open!.answers[0]!).sort()).toEqual(['id', 'text']);
    expect(tally.open?.words).toEqual([
      { word: 'lighting', count: 2 }, // "and" and "more" are common words, left out
      { word: 'patrols', count: 1 },
    ]);
  });

  it('counts words in any script', () => {
    expect(countWords(['الأمن في الحي', 'الأمن أولا'], 'ar')[0]).toEqual({ word: 'الأمن', count: 2 });
  });

  it('property: every answer is counted once, whatever the answers', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<PollAnswer>({ choice: 'yes' }, { choice: 'no' }, { choice: 'unsure' }, { preferNot: true })), (list) => {
        const tally = tallyPoll(poll(), answers(...list));
        expect(tally.options!.reduce((sum, o) => sum + o.count, 0) + tally.preferNot).toBe(list.length);
      }),
    );
  });
});

/** The rows a round's first release would show: the release gate's fold of these answers' groups. */
function foldedRows(list: { id: string; group: string | null }[], k: number) {
  const gate = new ReleaseGate(k);
  for (const { id, group } of list) gate.set(id, { value: id, group });
  return gate.foldedRows();
}

describe('breakdown by group', () => {
  const single = poll();
  it('shows groups of at least k and never a group recoverable by subtraction', () => {
    const list = [
      ...Array.from({ length: 4 }, () => ({ answer: { choice: 'yes' } as PollAnswer, group: 'residents' })),
      ...Array.from({ length: 3 }, () => ({ answer: { choice: 'no' } as PollAnswer, group: 'police' })),
      { answer: { choice: 'unsure' } as PollAnswer, group: 'youth' }, // alone: must not be 8 − 4 − 3
    ].map((a, i) => ({ ...a, id: `b${i}` }));
    const groups = breakdownByGroup(single, list, foldedRows(list, 3));
    expect(groups.map((g) => [g.id, g.respondents])).toEqual([
      ['residents', 4],
      ['other', 4],
    ]);
    expect(groups[1]!.tally.options?.map((o) => o.count)).toEqual([0, 3, 1]);
  });

  it('property: every bucket shown has 0 or at least k respondents, and they add up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 6 }),
        fc.array(fc.record({ group: fc.constantFrom('a', 'b', 'c', 'd', null), choice: fc.constantFrom('yes', 'no') })),
        (k, votes) => {
          const list = votes.map((v, i) => ({ id: `b${i}`, answer: { choice: v.choice } as PollAnswer, group: v.group }));
          const groups = breakdownByGroup(single, list, foldedRows(list, k));
          for (const g of groups) expect(g.respondents >= k || g.respondents === list.length).toBe(true);
          expect(groups.reduce((sum, g) => sum + g.respondents, 0)).toBe(list.length);
        },
      ),
    );
  });
});

describe('breakdown after closing', () => {
  it('keeps the groups shown at closing and makes "other" the rest, paper included', () => {
    const single = poll();
    const shown = [
      {
        id: 'residents',
        respondents: 4,
        tally: {
          options: [
            { id: 'yes', label: 'Yes', count: 3 },
            { id: 'no', label: 'No', count: 1 },
            { id: 'unsure', label: 'Unsure', count: 0 },
          ],
          preferNot: 0,
        },
      },
    ];
    const total = tallyPoll(single, answers({ choice: 'yes' }, { choice: 'yes' }, { choice: 'yes' }, { choice: 'no' }, { choice: 'no' }), {
      paper: { ballots: 3, counts: { unsure: 3 }, preferNot: 0 },
    });
    const groups = breakdownAfterClosing(total, 8, shown);
    expect(groups.map((g) => [g.id, g.respondents, g.tally.options?.map((o) => o.count)])).toEqual([
      ['residents', 4, [3, 1, 0]],
      ['other', 4, [0, 1, 3]],
    ]);
  });
});
