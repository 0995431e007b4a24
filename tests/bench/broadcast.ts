/**
 * Broadcast: with everyone connected, the facilitator moves the agenda on; each participant's arrival time
 * of `activity:changed` minus the moment the facilitator sent the step is one delivery latency. The same
 * runs against a bare Socket.IO server that relays the same payload to one room.
 */
import { io, type Socket } from 'socket.io-client';
import type { CurrentActivity } from '../../shared/protocol/index.js';
import { ok, send } from '../helpers/clients.js';
import { startReference, startRoundtable, type BenchOptions, type BenchServer } from './benchServer.js';
import type { Fleet } from './fleet.js';
import { closeAll, openWorkshop } from './setup.js';
import { addActivity } from '../helpers/session.js';
import { now, sleep, summarise } from './stats.js';

type Size = { participants: number; rounds: number };
/** Between steps: long enough for every delivery to land, so that rounds do not overlap. */
const SETTLE_MS = 1000;

async function measureRounds(fleet: Fleet, size: Size, ids: string[], step: (round: number) => Promise<void>) {
  const latencies: number[] = [];
  let missing = 0;
  await fleet.collectActivity();
  for (let round = 0; round < size.rounds; round++) {
    const sentAt = now();
    await step(round);
    await sleep(SETTLE_MS);
    const arrivals = await fleet.collectActivity();
    for (const mine of arrivals) {
      const arrival = mine.find((a) => a.id === ids[round]);
      if (arrival) latencies.push(arrival.at - sentAt);
      else missing++;
    }
  }
  return { deliveryMs: summarise(latencies), deliveries: latencies.length, missing };
}

export async function broadcast(fleet: Fleet, size: Size, options: BenchOptions) {
  const server = await startRoundtable('broadcast', options);
  let payload: CurrentActivity | undefined;
  try {
    const workshop = await openWorkshop(server.url);
    const ids: string[] = [];
    for (let i = 0; i <= size.rounds; i++)
      ids.push(
        await addActivity(
          workshop.facilitator,
          { kind: 'info', title: `Part ${i + 1}`, body: 'Introductions, then the ground rules of the dialogue. '.repeat(4) },
          { show: false },
        ),
      );
    await send(workshop.facilitator, 'agenda:goTo', { id: ids[0]! });
    workshop.facilitator.on('activity:changed', (current) => (payload ??= current));
    await fleet.connect(size.participants, { url: server.url, auth: { role: 'participant', joinCode: workshop.joinCode }, startAt: now(), concurrency: 20 });
    let current = ids[0]!;
    const result = await measureRounds(fleet, size, ids.slice(1), async () => {
      const stepped = await ok(send(workshop.facilitator, 'agenda:step', { direction: 'next', expectedCurrentId: current }));
      current = stepped.currentId ?? current;
    });
    await fleet.reset();
    return { participants: size.participants, rounds: size.rounds, ...result, payload: payload! };
  } finally {
    closeAll();
    await server.stop();
  }
}

/** The same rounds against a bare Socket.IO server relaying `payload` (Roundtable's own, with a fresh id each round). */
export async function broadcastReference(fleet: Fleet, size: Size, payload: CurrentActivity) {
  const server: BenchServer = await startReference('bareSocketIoServer');
  const facilitator: Socket = io(server.url, { transports: ['websocket'], forceNew: true });
  try {
    await new Promise((resolve) => facilitator.once('connect', () => resolve(undefined)));
    await fleet.connect(size.participants, { url: server.url, bare: true, startAt: now(), concurrency: 20 });
    const ids = Array.from({ length: size.rounds }, (_, i) => `reference-${i}`);
    const result = await measureRounds(fleet, size, ids, async (round) => {
      await facilitator.emitWithAck('advance', { ...payload, activity: { ...payload.activity!, id: ids[round] } });
    });
    await fleet.reset();
    return { participants: size.participants, rounds: size.rounds, ...result };
  } finally {
    facilitator.disconnect();
    await server.stop();
  }
}
