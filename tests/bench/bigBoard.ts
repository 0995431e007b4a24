/**
 * Big board: a late joiner loads a board of 2,000 notes (document in memory, and just after a restart when
 * it comes from SQLite); then, while hundreds watch through read-only providers, notes arrive at 50 per
 * second — written through a facilitator's Yjs provider, and as participants' `board:addNote` — and at last
 * as fast as one writer can send them (relay throughput). The provider-written parts also run against a bare
 * @y/websocket-server, for the ratios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Y from 'yjs';
import { notesOf } from '../../shared/boardDoc.js';
import { connect, participantAuth, type TestSocket } from '../helpers/clients.js';
import { openDoc } from '../helpers/yjsClients.js';
import { startReference, startRoundtable, type BenchOptions, type BenchServer } from './benchServer.js';
import type { Fleet } from './fleet.js';
import { addNote, closeAll, openWorkshop, openWriter, seedNotes, type Workshop } from './setup.js';
import { addActivity } from '../helpers/session.js';
import { now, sleep, summarise } from './stats.js';

export type BoardSize = { notes: number; watchers: number; perSecond: number; seconds: number; burst: number; lateJoins: number };

const NOTE_LIMIT = 20;

/** Sequential late joins; each from a fresh connection to a synced copy holding every note. */
async function lateJoins(runs: number, notes: number, join: () => Promise<Y.Doc>): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = now();
    const doc = await join();
    times.push(now() - started);
    if (notesOf(doc).size < notes) throw new Error(`a late joiner saw ${notesOf(doc).size} notes, not ${notes}`);
  }
  closeAll();
  return times;
}

/** Waits until every watcher has seen `expected` notes since it synced; returns the latencies and the last arrival. */
async function drain(fleet: Fleet, expected: number, latencies: number[]): Promise<number> {
  let lastAt = 0;
  const deadline = now() + 120_000;
  for (;;) {
    const arrivals = await fleet.collectNotes();
    for (const latency of arrivals.latencies) latencies.push(latency);
    lastAt = Math.max(lastAt, ...arrivals.lastAt);
    if (arrivals.counts.every((c) => c >= expected)) return lastAt;
    if (now() > deadline) throw new Error(`watchers saw ${Math.min(...arrivals.counts)} of ${expected} notes`);
    await sleep(200);
  }
}

/** Calls `write(i)` `total` times at `perSecond`, on schedule (not drifting with the writes' own cost). */
async function paced(total: number, perSecond: number, write: (i: number) => Promise<unknown> | void): Promise<void> {
  const start = now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    await sleep(Math.max(0, start + (i * 1000) / perSecond - now()));
    // Handled at once: a write failing mid-run must not be an unhandled rejection before Promise.all sees it.
    const written = Promise.resolve(write(i)).then(
      () => null,
      (error: unknown) => error,
    );
    pending.push(written);
  }
  const failed = (await Promise.all(pending)).find((e) => e !== null);
  if (failed) throw failed;
}

/** Relay at a steady rate through a writer's provider; shared by Roundtable and the bare reference. */
async function relay(fleet: Fleet, size: BoardSize, writer: Y.Doc, seen: number) {
  const total = size.perSecond * size.seconds;
  const latencies: number[] = [];
  await paced(total, size.perSecond, (i) => addNote(writer, `paced-${i}`, `bench ${now()}`));
  await drain(fleet, seen + total, latencies);
  return summarise(latencies);
}

/** As many updates as one writer can send, back to back: how fast they reach every watcher. */
async function burst(fleet: Fleet, size: BoardSize, writer: Y.Doc, seen: number) {
  const burstStart = now();
  for (let i = 0; i < size.burst; i++) addNote(writer, `burst-${i}`, `burst ${i}`);
  const burstEnd = await drain(fleet, seen + size.burst, []);
  const updatesPerSecond = Math.round((size.burst / (burstEnd - burstStart)) * 1000);
  return { updates: size.burst, ms: burstEnd - burstStart, updatesPerSecond, deliveriesPerSecond: updatesPerSecond * size.watchers };
}

/** Participants add notes through `board:addNote` at the same rate; the server writes them into the document. */
async function relayParticipantNotes(fleet: Fleet, size: BoardSize, url: string, workshop: Workshop, boardId: string, seen: number) {
  const total = size.perSecond * size.seconds;
  const writers: TestSocket[] = [];
  for (let i = 0; i < Math.ceil(total / NOTE_LIMIT); i++) writers.push((await connect(url, participantAuth(workshop))).socket);
  const acks: number[] = [];
  const latencies: number[] = [];
  await paced(total, size.perSecond, async (i) => {
    const sentAt = now();
    const added = await writers[i % writers.length]!.timeout(60_000).emitWithAck('board:addNote', { boardId, text: `bench ${sentAt}` });
    if (!added.ok) throw new Error(`board:addNote: ${added.message}`);
    acks.push(now() - sentAt);
  });
  await drain(fleet, seen + total, latencies);
  for (const writer of writers) writer.disconnect();
  return { relayMs: summarise(latencies), ackMs: summarise(acks) };
}

export async function bigBoard(fleet: Fleet, size: BoardSize, options: BenchOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-bench-'));
  let server: BenchServer = await startRoundtable('big-board', { ...options, dataDir });
  try {
    let workshop = await openWorkshop(server.url);
    const boardId = await addActivity(workshop.facilitator, { kind: 'board', title: 'Everything the town said', noteLimit: NOTE_LIMIT });
    const docName = `board-${boardId}`;
    await seedNotes(server.url, docName, size.notes, workshop);
    const participantJoin = async (url: string) => (await openDoc(url, (await connect(url, participantAuth(workshop))).socket, docName)).doc;
    const warm = await lateJoins(size.lateJoins, size.notes, () => participantJoin(server.url));
    await server.stop();

    server = await startRoundtable('big-board-restarted', { ...options, dataDir });
    const restarted = await lateJoins(size.lateJoins, size.notes, () => participantJoin(server.url));
    workshop = { ...workshop, facilitator: (await connect(server.url, { role: 'facilitator', workshopId: workshop.id, key: workshop.facilitatorKey })).socket };

    await fleet.connect(size.watchers, {
      url: server.url,
      auth: { role: 'participant', joinCode: workshop.joinCode },
      startAt: now(),
      concurrency: 10,
      doc: { docName },
      expectNotes: size.notes,
    });
    const writer = await openWriter(server.url, docName, workshop);
    const total = size.perSecond * size.seconds;
    const providerRelay = await relay(fleet, size, writer, 0);
    // Under overload this path can stall long enough for sockets to drop: report that rather than lose the run.
    const participantNotes = await relayParticipantNotes(fleet, size, server.url, workshop, boardId, total).catch((error: unknown) => ({
      error: String(error),
    }));
    const seenAfter = 'error' in participantNotes ? Math.min(...(await fleet.collectNotes()).counts) : 2 * total;
    const providerBurst = await burst(fleet, size, writer, seenAfter);
    await fleet.reset();
    return {
      notes: size.notes,
      watchers: size.watchers,
      perSecond: size.perSecond,
      lateJoinWarmMs: summarise(warm),
      lateJoinAfterRestartMs: { first: restarted[0]!, ...summarise(restarted.slice(1)) },
      providerNotes: { relayMs: providerRelay, burst: providerBurst },
      participantNotes,
    };
  } finally {
    closeAll();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same late joins and relay against a bare @y/websocket-server (nothing stored, nobody checked). */
export async function bigBoardReference(fleet: Fleet, size: BoardSize) {
  const server = await startReference('bareYjsServer');
  try {
    const docName = 'big-board';
    await seedNotes(server.url, docName, size.notes);
    const warm = await lateJoins(size.lateJoins, size.notes, () => openWriter(server.url, docName));
    await fleet.connect(size.watchers, {
      url: server.url,
      noSocket: true,
      startAt: now(),
      concurrency: 10,
      doc: { docName, bare: true },
      expectNotes: size.notes,
    });
    const writer = await openWriter(server.url, docName);
    const relayMs = await relay(fleet, size, writer, 0);
    const providerBurst = await burst(fleet, size, writer, size.perSecond * size.seconds);
    await fleet.reset();
    return { notes: size.notes, watchers: size.watchers, lateJoinWarmMs: summarise(warm), providerNotes: { relayMs, burst: providerBurst } };
  } finally {
    closeAll();
    await server.stop();
  }
}
