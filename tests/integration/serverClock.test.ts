/**
 * A venue laptop's clock corrected while a session runs (issue 15): the wall clock steps by an hour, while only
 * a minute really passes. Countdowns and the server time clients are told follow the time that passed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, connectError, createWorkshop, disconnectAll, facilitatorAuth, nextEvent, ok, participantAuth, send } from '../helpers/clients.js';
import { manualClock } from '../helpers/manualClock.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

const running: TestServer[] = [];
afterEach(async () => {
  disconnectAll();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const HOUR_MS = 60 * 60 * 1000;
const left = (snapshot: { serverTime: number; timer: { endsAt: number | null; remainingMs: number | null } | null }) =>
  snapshot.timer!.endsAt !== null ? snapshot.timer!.endsAt - snapshot.serverTime : snapshot.timer!.remainingMs!;

describe('the server clock', () => {
  for (const step of [HOUR_MS, -HOUR_MS]) {
    it(`keeps a running timer when the wall clock steps by ${step > 0 ? '+' : '−'}1 h and one minute passes`, async () => {
      const { clock, time } = manualClock();
      const server = await startTestServer({
        clock,
      });
      running.push(server);
      const created = await createWorkshop(server.url, { title: 'Clock' });
      const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
      const info = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'info', title: 'Break' } }))).id;
      await ok(send(facilitator, 'agenda:goTo', { id: info }));
      await ok(send(facilitator, 'timer:start', { seconds: 600 }));

      time.wall += step + 60_000;
      time.passed += 60_000;
      // A projector reloading now, and a phone: nine minutes left, whatever the wall clock says.
      const { snapshot } = await connect(server.url, participantAuth(created));
      expect(left(snapshot)).toBe(540_000);
      const paused = nextEvent(facilitator, 'timer:changed');
      await ok(send(facilitator, 'timer:pause', {}));
      expect((await paused).timer?.remainingMs).toBe(540_000);
    });
  }
});

describe('retention and a corrected clock', () => {
  it('keeps a workshop created while the clock was 400 days behind, through the correction and a restart', async () => {
    const DAY_MS = 24 * HOUR_MS;
    const { clock, time } = manualClock(Date.now() - 400 * DAY_MS); // booted offline with a wrong clock
    const first = await startTestServer({
      clock,
      purgeIntervalMs: 50,
    });
    const created = await createWorkshop(first.url, { title: 'Made before the clock was right', retentionDays: 30 });
    const { socket: phone } = await connect(first.url, participantAuth(created));
    let dropped = false;
    phone.on('disconnect', () => (dropped = true));

    time.wall = Date.now(); // NTP steps the clock forward by 400 days; a minute really passes
    time.passed += 60_000;
    // Several sweeps run meanwhile (every 50 ms): the first sees the step, the later ones find nothing expired.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(dropped).toBe(false);
    expect((await connect(first.url, facilitatorAuth(created))).snapshot.workshop.title).toBe('Made before the clock was right');
    disconnectAll();
    await first.close();

    // Started again with the clock right: the start-up sweep keeps it too (its dates moved with the clock).
    const second = await startTestServer({ dataDir: first.dataDir });
    running.push(second);
    expect((await connect(second.url, facilitatorAuth(created))).snapshot.workshop.title).toBe('Made before the clock was right');
  });

  /** A workshop kept for a day, on a server sweeping every 50 ms by a clock the test moves. */
  async function keptForADay() {
    const { clock, time } = manualClock();
    const server = await startTestServer({ clock, purgeIntervalMs: 50 });
    running.push(server);
    return { time, server, created: await createWorkshop(server.url, { title: 'Kept a day', retentionDays: 1 }) };
  }

  it('still deletes a workshop whose retention really passed', async () => {
    const DAY_MS = 24 * HOUR_MS;
    const { time, server, created } = await keptForADay();
    time.wall += DAY_MS + 60_000;
    time.passed += DAY_MS + 60_000;
    await expect.poll(async () => (await connectError(server.url, participantAuth(created))).code).toBe('not_found');
  });

  it('counts a laptop’s sleep as time passing, not as a clock step', async () => {
    const DAY_MS = 24 * HOUR_MS;
    // Asleep for two days: the wall clock and the time since boot move on, the monotonic clock stands still.
    const { time, server, created } = await keptForADay();
    time.wall += 2 * DAY_MS;
    time.sinceBoot = 2 * DAY_MS;
    await expect.poll(async () => (await connectError(server.url, participantAuth(created))).code).toBe('not_found');
  });
});
