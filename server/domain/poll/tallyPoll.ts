/**
 * Counting poll answers. Pure: answers (and paper tallies) in, a PollTally out. Open answers come out in
 * a random order, without anything that says who wrote them.
 */
import { randomInt } from 'node:crypto';
import type { PollActivity, PollAnswer, PollTally } from '../../../shared/protocol/index.js';
import { median } from '../board/tally.js';
import { scaleValues } from '../../../shared/protocol/pollScale.js';
import { countWords } from './words.js';

/** Counts entered from paper ballots: how many ballots, and per option id (or scale value) how many marked it. */
export type PaperTally = { ballots: number; counts: Record<string, number>; preferNot: number };

export type StoredAnswer = { id: string; answer: PollAnswer };

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A scale's distribution with its mean and median. */
export function scaleStats(values: { value: number; count: number }[]): NonNullable<PollTally['scale']> {
  const all = values.flatMap(({ value, count }) => Array<number>(Math.max(0, count)).fill(value));
  const mean = all.length ? Math.round((all.reduce((a, b) => a + b, 0) / all.length) * 100) / 100 : 0;
  return { values, mean, median: median(all) };
}

export function tallyPoll(
  poll: PollActivity,
  answers: StoredAnswer[],
  options: { paper?: PaperTally; hidden?: ReadonlySet<string>; language?: string } = {},
): PollTally {
  const { paper, hidden = new Set<string>() } = options;
  const preferNot = answers.filter(({ answer }) => 'preferNot' in answer).length + (paper?.preferNot ?? 0);

  if (poll.type === 'scale') {
    const values = scaleValues(poll.scale);
    const given = answers.flatMap(({ answer }) => ('value' in answer ? [answer.value] : []));
    const counts = values.map((value) => ({ value, count: given.filter((v) => v === value).length + (paper?.counts[String(value)] ?? 0) }));
    return { scale: scaleStats(counts), preferNot };
  }

  if (poll.type === 'open') {
    const visible = answers.filter(({ id, answer }) => 'text' in answer && !hidden.has(id)) as { id: string; answer: { text: string } }[];
    return {
      open: {
        answers: shuffled(visible.map(({ id, answer }) => ({ id, text: answer.text }))),
        words: countWords(
          visible.map((v) => v.answer.text),
          options.language,
        ),
      },
      preferNot,
    };
  }

  const points = new Map(poll.options.map((o) => [o.id, paper?.counts[o.id] ?? 0]));
  for (const { answer } of answers) {
    if ('choice' in answer) points.set(answer.choice, (points.get(answer.choice) ?? 0) + 1);
    if ('choices' in answer) for (const id of answer.choices) points.set(id, (points.get(id) ?? 0) + 1);
    // Borda: with N options, first place is worth N points, the N-th 1.
    if ('ranking' in answer) answer.ranking.forEach((id, i) => points.set(id, (points.get(id) ?? 0) + poll.options.length - i));
  }
  const counted = poll.options.map((o) => ({ id: o.id, label: o.label, count: points.get(o.id) ?? 0 }));
  if (poll.type !== 'ranking') return { options: counted, preferNot };
  const sorted = [...counted].sort((a, b) => b.count - a.count);
  return { options: counted.map((o) => ({ ...o, rank: sorted.findIndex((s) => s.count === o.count) + 1 })), preferNot };
}

/** Adds paper ballots to a count of phones' answers (choice and scale polls; paper is entered after closing). */
export function withPaper(tally: PollTally, paper: PaperTally | undefined): PollTally {
  if (!paper) return tally;
  const extra = (key: string) => paper.counts[key] ?? 0;
  return {
    ...tally,
    preferNot: tally.preferNot + paper.preferNot,
    ...(tally.options && { options: tally.options.map((o) => ({ ...o, count: o.count + extra(o.id) })) }),
    ...(tally.scale && { scale: scaleStats(tally.scale.values.map((v) => ({ ...v, count: v.count + extra(String(v.value)) }))) }),
  };
}
