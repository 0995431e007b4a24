import type { PollActivity } from '$shared/protocol/index.js';
import { scaleValues } from '$shared/protocol/pollScale.js';

/** The values and end labels of a scale poll. */
export function scaleOf(poll: Pick<PollActivity, 'scale'>): { values: number[]; low: string; high: string } {
  return { values: scaleValues(poll.scale), low: poll.scale?.low ?? '', high: poll.scale?.high ?? '' };
}
