/**
 * Idle memory: participants connected to several workshops, doing nothing. The server's resident set size
 * (read from /proc/<pid>/status of its process) with every room loaded, before and after they connect.
 */
import { startRoundtable, type BenchOptions, type BenchServer } from './benchServer.js';
import type { Fleet } from './fleet.js';
import { closeAll, openWorkshop, type Workshop } from './setup.js';
import { addActivity } from '../helpers/session.js';
import { now, sleep } from './stats.js';

/** Median of a few readings, some time apart, once the server has settled. */
async function settledRss(server: BenchServer): Promise<number> {
  await sleep(2000);
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(server.rss());
    await sleep(300);
  }
  return readings.sort((a, b) => a - b)[2]!;
}

export async function idleMemory(fleet: Fleet, size: { participants: number; workshops: number }, options: BenchOptions) {
  const server = await startRoundtable('idle-memory', options);
  try {
    const workshops: Workshop[] = [];
    for (let w = 0; w < size.workshops; w++) {
      const workshop = await openWorkshop(server.url, `Neighbourhood ${w + 1}`);
      await addActivity(workshop.facilitator, { kind: 'info', title: 'Welcome', body: 'We start at seven.' });
      workshops.push(workshop);
    }
    // One participant in each first, so that the baseline holds the rooms and warmed-up code paths.
    const perWorkshop = Math.floor(size.participants / size.workshops);
    const auth = (w: number) => ({ role: 'participant', joinCode: workshops[w]!.joinCode });
    for (let w = 0; w < size.workshops; w++) await fleet.connect(1, { url: server.url, auth: auth(w), startAt: now() }, size.participants + w * 100);
    const before = await settledRss(server);
    for (let w = 0; w < size.workshops; w++) {
      await fleet.connect(perWorkshop, { url: server.url, auth: auth(w), startAt: now(), concurrency: 10 }, w * perWorkshop);
    }
    const after = await settledRss(server);
    const connected = perWorkshop * size.workshops;
    await fleet.reset();
    return {
      participants: connected,
      workshops: size.workshops,
      rssBeforeMiB: before / 2 ** 20,
      rssAfterMiB: after / 2 ** 20,
      bytesPerParticipant: Math.round((after - before) / connected),
    };
  } finally {
    closeAll();
    await server.stop();
  }
}
