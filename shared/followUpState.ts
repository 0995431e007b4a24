/**
 * A commitment's state today, read from its updates: its status, whether it is late, its indicators' values
 * over time. Pure, for the public page (server), the reports and the owners' screen (client); docs/FOLLOWUP.md.
 */
import type { Commitment, CommitmentStatus, CommitmentUpdate } from './protocol/followUp.js';

/** Updates a later one corrects: what they said is replaced by the correction (they stay in the history). */
const correctedIds = (updates: readonly CommitmentUpdate[]) => new Set(updates.flatMap((u) => (u.corrects ? [u.corrects] : [])));

/** A commitment's status now: the last update that set one (a correction is such an update), else the plan's. */
export function statusOf(commitment: Commitment, updates: readonly CommitmentUpdate[]): { status: CommitmentStatus; reason?: string } {
  const corrected = correctedIds(updates);
  const last = updates.findLast((u) => u.commitmentId === commitment.id && u.status && !corrected.has(u.id));
  if (!last?.status) return { status: commitment.initialStatus };
  return last.status === 'dropped' ? { status: 'dropped', reason: last.reason ?? '' } : { status: last.status };
}

/** Late: its due date has passed (`today` is `YYYY-MM-DD`) and it is neither done nor dropped. */
export const isLate = (commitment: Commitment, status: CommitmentStatus, today: string): boolean =>
  commitment.due !== '' && commitment.due < today && status !== 'done' && status !== 'dropped';

/** An indicator's measured values over time, oldest first (a correction of a value replaces it). */
export function indicatorSeries(commitmentId: string, index: number, updates: readonly CommitmentUpdate[]): { date: string; value: number }[] {
  const corrected = correctedIds(updates);
  return updates
    .filter((u) => u.commitmentId === commitmentId && u.indicator?.index === index && !corrected.has(u.id))
    .map((u) => ({ date: u.indicator!.date, value: u.indicator!.value }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The host of an evidence address, shown beside it (the address itself is shown as text, never linked). */
export function evidenceDomain(address: string): string {
  try {
    return new URL(address).hostname;
  } catch {
    return '';
  }
}
