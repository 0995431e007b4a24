import type { PollResults, PollTally } from '$shared/protocol/index.js';

const counts = (tally: PollTally | null | undefined) => (tally?.scale ? tally.scale.values.map((v) => v.count) : (tally?.options ?? []).map((o) => o.count));

/**
 * The longest bar of rounds shown side by side: they share one scale, so one vote in round 1 never draws as long
 * as two in round 2 (each round scaled to its own maximum would).
 */
export const commonScale = (...rounds: (PollResults | null | undefined)[]) => Math.max(1, ...rounds.flatMap((r) => counts(r?.tally)));
