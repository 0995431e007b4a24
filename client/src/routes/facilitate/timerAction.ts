import type { ClientEventPayload } from '$shared/protocol/index.js';

/** One of the timer events with its payload, as the timer controls ask for it. */
export type TimerAction =
  | ({ event: 'timer:start' } & ClientEventPayload<'timer:start'>)
  | ({ event: 'timer:adjust' } & ClientEventPayload<'timer:adjust'>)
  | { event: 'timer:pause' | 'timer:resume' | 'timer:clear' };
