/** The countdown shown to everyone: pure functions of the timer and the server clock (`now`, ms). */
import { ErrorCode, LIMITS, type Timer } from '../../shared/protocol/index.js';
import { fail, ok, type Result } from './result.js';

export const clearTimer = (): null => null;

export const startTimer = (seconds: number, now: number): Timer => ({
  durationMs: seconds * 1000,
  endsAt: now + seconds * 1000,
  remainingMs: null,
});

/** Milliseconds left, never negative. */
export function remainingMs(timer: Timer, now: number): number {
  if (timer.endsAt !== null) return Math.max(0, timer.endsAt - now);
  return Math.max(0, timer.remainingMs ?? 0);
}

export function pauseTimer(timer: Timer | null, now: number): Result<Timer> {
  if (!timer || timer.endsAt === null) return fail(ErrorCode.conflict, 'no timer is running');
  // At 0:00 there is nothing left to hold: "paused at 0:00" would only hide that the time is up.
  if (remainingMs(timer, now) === 0) return fail(ErrorCode.conflict, 'the time is up');
  return ok({ ...timer, endsAt: null, remainingMs: remainingMs(timer, now) });
}

export function resumeTimer(timer: Timer | null, now: number): Result<Timer> {
  if (!timer || timer.remainingMs === null) return fail(ErrorCode.conflict, 'no timer is paused');
  return ok({ ...timer, endsAt: now + timer.remainingMs, remainingMs: null });
}

/** Adds (or with a negative number removes) time, running or paused. Never below zero or above the maximum. */
export function adjustTimer(timer: Timer | null, seconds: number, now: number): Result<Timer> {
  if (!timer) return fail(ErrorCode.conflict, 'no timer to adjust');
  const left = Math.min(LIMITS.timerMaxSeconds * 1000, Math.max(0, remainingMs(timer, now) + seconds * 1000));
  const durationMs = Math.max(timer.durationMs, left);
  return ok(timer.endsAt !== null ? { ...timer, durationMs, endsAt: now + left } : { ...timer, durationMs, remainingMs: left });
}
