import { ServerClock } from '../../server/ServerClock.js';

/**
 * A server clock (server/ServerClock.ts) a test moves by hand through `time`: `wall` is what the machine's clock
 * says (step it as NTP would), `passed` the time that really passed, and `sinceBoot` the time since boot, sleep
 * included (it follows `passed` unless set: set it alone for a laptop that slept).
 */
export function manualClock(wallAtStart = Date.now()) {
  const time: { wall: number; passed: number; sinceBoot?: number } = { wall: wallAtStart, passed: 0 };
  const clock = new ServerClock(
    () => time.wall,
    () => time.passed,
    () => time.sinceBoot ?? time.passed,
  );
  return { clock, time };
}
