import { describe, expect, it } from 'vitest';
import { adjustTimer, pauseTimer, remainingMs, resumeTimer, startTimer } from '../../server/domain/timer.js';

describe('countdown timer', () => {
  it('counts down on the server clock, never below zero', () => {
    const timer = startTimer(60, 1_000);
    expect(remainingMs(timer, 31_000)).toBe(30_000);
    expect(remainingMs(timer, 999_000)).toBe(0);
  });

  it('keeps the time left while paused and continues from it on resume', () => {
    const paused = pauseTimer(startTimer(60, 0), 20_000);
    if (!paused.ok) throw new Error();
    expect(paused.value).toMatchObject({ endsAt: null, remainingMs: 40_000 });
    expect(remainingMs(paused.value, 500_000)).toBe(40_000);
    const resumed = resumeTimer(paused.value, 100_000);
    if (!resumed.ok) throw new Error();
    expect(resumed.value).toMatchObject({ endsAt: 140_000, remainingMs: null });
  });

  it('adds and removes time, running or paused, without going below zero', () => {
    const more = adjustTimer(startTimer(60, 0), 60, 30_000);
    if (!more.ok) throw new Error();
    expect(remainingMs(more.value, 30_000)).toBe(90_000);
    const less = adjustTimer(startTimer(60, 0), -600, 0);
    if (!less.ok) throw new Error();
    expect(remainingMs(less.value, 0)).toBe(0);
  });

  it('refuses to pause a timer whose time is up: 0:00 has nothing left to hold', () => {
    const timer = startTimer(10, 0);
    expect(pauseTimer(timer, 10_000)).toMatchObject({ ok: false, code: 'conflict', message: 'the time is up' });
    expect(pauseTimer(timer, 9_000)).toMatchObject({ ok: true, value: { remainingMs: 1000 } });
  });

  it('refuses to pause, resume or adjust a timer that is not there', () => {
    expect(pauseTimer(null, 0)).toMatchObject({ ok: false, code: 'conflict' });
    expect(resumeTimer(startTimer(10, 0), 0)).toMatchObject({ ok: false, code: 'conflict' });
    expect(adjustTimer(null, 60, 0)).toMatchObject({ ok: false, code: 'conflict' });
  });
});
