/**
 * A poll's rounds and where each is kept: one ballot box per round (`poll:<id>:<round>`), its kept result
 * once closed, and its last live release while open.
 */
import type { PollActivity } from '../../../shared/protocol/index.js';

export const roundOf = (poll: PollActivity) => poll.round ?? 1;
export const boxOf = (pollId: string, round: number) => `poll:${pollId}:${round}`;
export function parseBox(box: string): { pollId: string; round: number } {
  const [, pollId, round] = box.split(':') as [string, string, string];
  return { pollId, round: Number(round) };
}
export const resultKey = (pollId: string, round: number) => `${pollId}:round-${round}`;
/** The last live release of an open round, kept so that a restart serves it rather than nothing. */
export const releaseKey = (box: string) => `release:${box}`;
/** A round is closed once a new one started, or the poll closed. */
export const isClosed = (poll: PollActivity, round: number) => round < roundOf(poll) || poll.state === 'closed';
/** Choice and scale polls are counted per stakeholder group too; open answers and rankings never. */
export const hasBreakdown = (poll: PollActivity) => poll.type !== 'open' && poll.type !== 'ranking';
