/**
 * Scenario: a participant joins late and loads a board of 2,000 notes. Measures, from opening the
 * connection, the time until the whole board is in the phone's document — with the document already in
 * the server's memory (warm) and just after a restart (cold: loaded from SQLite).
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { insertNote } from '../../shared/boardDoc.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, participantAuth, send } from '../helpers/clients.js';
import { startTestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const NOTES = 2000;
const RUNS = 7;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timeLateJoins(url: string, created: Awaited<ReturnType<typeof createWorkshop>>, boardId: string) {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const { socket } = await connect(url, participantAuth(created));
    const provider = await openDoc(url, socket, `board-${boardId}`);
    const loaded = provider.doc.getMap('notes').size;
    times.push(performance.now() - started);
    if (loaded !== NOTES) throw new Error(`late joiner saw ${loaded} notes, not ${NOTES}`);
    closeDocs();
    disconnectAll();
  }
  return times.sort((a, b) => a - b);
}

export async function lateJoinBenchmark() {
  const server = await startTestServer();
  const created = await createWorkshop(server.url, { title: 'Bench' });
  const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
  const added = await send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Big board' } });
  if (!added.ok) throw new Error(added.message);
  await send(facilitator, 'agenda:goTo', { id: added.id });

  // Seed through a facilitator's writable copy, one note per update, as they arrive in a live room.
  const seed = await openDoc(server.url, facilitator, `board-${added.id}`);
  for (let i = 0; i < NOTES; i++) {
    const doc: Y.Doc = seed.doc;
    insertNote(doc, { id: `note-${String(i).padStart(5, '0')}-xxxxxxxx`, text: `Concern number ${i}: street lighting near the market`, color: 'yellow', column: null }, null);
  }
  const { socket: check } = await connect(server.url, facilitatorAuth(created));
  const checkDoc = await openDoc(server.url, check, `board-${added.id}`);
  while (checkDoc.doc.getMap('notes').size < NOTES) await new Promise((r) => setTimeout(r, 50));
  closeDocs();
  disconnectAll();

  const warm = await timeLateJoins(server.url, created, added.id);
  await server.close();
  const restarted = await startTestServer({ dataDir: server.dataDir });
  const cold = await timeLateJoins(restarted.url, created, added.id);
  await restarted.close();
  const stateBytes = Y.encodeStateAsUpdate(checkDoc.doc).byteLength;
  return {
    scenario: `late joiner loads a ${NOTES}-note board`,
    runs: RUNS,
    warm: { p50: percentile(warm, 50), max: warm.at(-1)! },
    coldFirst: cold[0]!,
    coldThenWarm: { p50: percentile(cold, 50), max: cold.at(-1)! },
    stateBytes,
  };
}
