/**
 * Pulse checks on the public follow-up page: anonymous answers 1–5 (or 0, "I don't know"), one ballot per
 * browser, released by the polls' k rule in its simplest form. A ballot answers every question and cannot be
 * changed, so a release needs at least k answers and at least k more than the last release: any two releases,
 * and any question of them, differ by k people or more. Pure; docs/FOLLOWUP.md.
 */
import type { PulseQuestion, PulseTally } from '../../../shared/protocol/followUp.js';

/** A ballot: question id → 0..5, keys sorted (its text says nothing of the order it was filled in). */
export type PulseAnswers = Record<string, number>;

export function ballotOf(questions: readonly PulseQuestion[], answers: PulseAnswers): string | undefined {
  const entries = Object.entries(answers);
  if (entries.length !== questions.length) return undefined;
  if (entries.some(([id, value]) => !questions.some((q) => q.id === id) || !Number.isInteger(value) || value < 0 || value > 5)) return undefined;
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

export function tallyPulse(questions: readonly PulseQuestion[], ballots: readonly string[]): PulseTally[] {
  const tallies = questions.map((q) => ({ questionId: q.id, counts: [0, 0, 0, 0, 0, 0] as PulseTally['counts'] }));
  for (const ballot of ballots) {
    const answers = JSON.parse(ballot) as PulseAnswers;
    for (const tally of tallies) {
      const value = answers[tally.questionId];
      if (value !== undefined) tally.counts[value]!++;
    }
  }
  return tallies;
}

/** Whether `answers` ballots may be released after a release of `released` (0: none yet). */
export const mayRelease = (answers: number, released: number, k: number): boolean => answers >= k && answers - released >= k;
