import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlan, sectionText } from '../../shared/planDoc.js';
import type { CreateWorkshopResponse } from '../../shared/protocol/index.js';
import { ServerClock } from '../../server/ServerClock.js';
import { WORKSHOP_TABLES } from '../../server/store/sqlite/SqliteStore.js';
import {
  connect,
  connectError,
  createWorkshop,
  disconnectAll,
  facilitatorAuth,
  nextEvent,
  participantAuth,
  send,
  type TestSocket,
  ok,
} from '../helpers/clients.js';
import { manualClock } from '../helpers/manualClock.js';
import { startTestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

afterEach(() => {
  closeDocs();
  disconnectAll();
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** A string found nowhere else: what a workshop's participants and facilitators wrote. */
const newMarker = () => `trace-${randomBytes(6).toString('hex')}`;

const deleteWorkshop = (url: string, id: string, key?: string) =>
  fetch(`${url}/api/workshops/${id}`, { method: 'DELETE', headers: key ? { authorization: `Bearer ${key}` } : {} });

type Seeded = { created: CreateWorkshopResponse; facilitator: TestSocket; phones: TestSocket[]; marker: string };

/**
 * A workshop that has written `marker` into everything it stores, through the real protocol: its title, a
 * board's notes (Yjs board document, note owners), a hidden note, a poll's options (agenda) and closed results,
 * an open answer (ballot) that was then hidden, the action plan (Yjs plan document) and a drafter's name.
 */
async function seed(url: string, body: Record<string, unknown> = {}): Promise<Seeded> {
  const marker = newMarker();
  const created = await createWorkshop(url, { title: `Dialogue ${marker}`, anonymityThreshold: 3, ...body });
  const { socket: facilitator } = await connect(url, facilitatorAuth(created));
  const phones = await Promise.all([0, 1, 2].map(async () => (await connect(url, participantAuth(created))).socket));
  const add = async (activity: Record<string, unknown>) => (await ok(send(facilitator, 'agenda:add', { activity }))).id;
  const show = (id: string) => ok(send(facilitator, 'agenda:goTo', { id }));

  const boardId = await add({ kind: 'board', title: `Board ${marker}`, prompt: 'What makes you feel unsafe?' });
  await show(boardId);
  await ok(send(phones[0]!, 'board:addNote', { boardId, text: `Note ${marker}` }));
  const hidden = await ok(send(phones[1]!, 'board:addNote', { boardId, text: `Hidden ${marker}` }));
  await ok(send(facilitator, 'board:hideNote', { boardId, noteId: hidden.noteId }));

  const choiceId = await add({ kind: 'poll', title: 'Choice', type: 'single', options: [`Yes ${marker}`, 'No'] });
  await show(choiceId); // showing a poll opens it
  for (const phone of phones) await ok(send(phone, 'poll:vote', { pollId: choiceId, answer: { choice: 'no' } }));
  await ok(send(facilitator, 'activity:setState', { id: choiceId, state: 'closed' }));

  const openId = await add({ kind: 'poll', title: 'Open', type: 'open', liveResults: true });
  await show(openId);
  const published = nextEvent(facilitator, 'poll:results', (r) => r.pollId === openId && r.respondents === phones.length);
  for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId: openId, answer: { text: `Answer ${i} ${marker}` } }));
  const answer = (await published).tally?.open?.answers[0];
  if (!answer) throw new Error('no open answers to hide');
  await ok(send(facilitator, 'poll:hideAnswer', { pollId: openId, answerId: answer.id }));

  const planId = await add({ kind: 'plan', title: 'Plan' });
  await show(planId);
  const asked = nextEvent(facilitator, 'plan:drafters', (d) => d.requests.length === 1);
  await ok(send(phones[2]!, 'plan:requestDrafting', { name: marker }));
  await ok(send(facilitator, 'plan:setDrafter', { ref: (await asked).requests[0]!.ref, allow: true }));
  const editor = await openDoc(url, facilitator, 'plan');
  const reader = await openDoc(url, phones[0]!, 'plan');
  sectionText(editor.doc, 'vision').insert(0, `Vision ${marker}`);
  // The server relays an update only once it is stored.
  await expect.poll(() => readPlan(reader.doc).sections.vision).toBe(`Vision ${marker}`);
  return { created, facilitator, phones, marker };
}

/** Every file under `dir` (the database, a journal or log if one is there, anything else), recursively. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Where in the data folder's bytes any of `needles` occurs, as UTF-8 or UTF-16LE: `["needle (utf8) in file"]`. */
function tracesOf(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const file of filesIn(dir)) {
    const bytes = readFileSync(file);
    for (const needle of needles) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(needle, encoding))) found.push(`${needle} (${encoding}) in ${file}`);
      }
    }
  }
  return found;
}

/** What identifies a workshop in the files: what its people wrote, its id and its join code. */
const identifying = (seeded: Seeded) => [seeded.marker, seeded.created.id, seeded.created.joinCode];

describe('deleting a workshop', () => {
  it('is for the lead facilitator only: 401 without or with a wrong key, 403 for a co-facilitator, 404 once gone', async () => {
    const server = await startTestServer();
    try {
      const created = await createWorkshop(server.url);
      const refused = async (key: string | undefined, status: number, code: string) => {
        const response = await deleteWorkshop(server.url, created.id, key);
        expect(response.status).toBe(status);
        expect(await response.json()).toMatchObject({ code, message: expect.any(String) });
      };
      await refused(undefined, 401, 'unauthorized');
      await refused('A'.repeat(22), 401, 'unauthorized');
      await refused(created.coFacilitatorKey, 403, 'forbidden');
      expect((await deleteWorkshop(server.url, 'B'.repeat(22), created.facilitatorKey)).status).toBe(404);
      expect((await connect(server.url, facilitatorAuth(created))).snapshot.workshop.id).toBe(created.id); // still there

      const response = await deleteWorkshop(server.url, created.id, created.facilitatorKey);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      await refused(created.facilitatorKey, 404, 'not_found');
      const exported = await fetch(`${server.url}/api/workshops/${created.id}/export.json`, {
        headers: { authorization: `Bearer ${created.facilitatorKey}` },
      });
      expect(exported.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('disconnects everyone at once; reconnecting, phones and facilitators are told the workshop no longer exists', async () => {
    const server = await startTestServer();
    try {
      const created = await createWorkshop(server.url, { title: 'Dialogue', anonymityThreshold: 3 });
      const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
      const { socket: phone } = await connect(server.url, participantAuth(created));
      const planId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Plan' } }))).id;
      await ok(send(facilitator, 'agenda:goTo', { id: planId }));
      const plan = await openDoc(server.url, phone, 'plan');
      const docClosed = new Promise<number>((resolve) => plan.ws!.addEventListener('close', (e) => resolve((e as CloseEvent).code)));
      plan.shouldConnect = false;
      const dropped = [facilitator, phone].map((socket) => new Promise((resolve) => socket.once('disconnect', resolve)));

      expect((await deleteWorkshop(server.url, created.id, created.facilitatorKey)).status).toBe(204);
      expect(await Promise.all(dropped)).toEqual(['io server disconnect', 'io server disconnect']);
      expect(await docClosed).toBe(4404);
      expect(await connectError(server.url, participantAuth(created))).toMatchObject({ code: 'not_found' });
      expect(await connectError(server.url, facilitatorAuth(created))).toMatchObject({ code: 'not_found' });
    } finally {
      await server.close();
    }
  });

  it('leaves no trace in any file of the data folder: not what people wrote, not its id, not its join code', async () => {
    const server = await startTestServer();
    try {
      const doomed = await seed(server.url);
      const other = await seed(server.url);
      // The scan finds what is there: both workshops, before the deletion.
      expect(tracesOf(server.dataDir, identifying(doomed))).not.toEqual([]);
      // One file: no write-ahead log, and no rollback journal outside a transaction.
      expect(filesIn(server.dataDir).map((f) => f.slice(server.dataDir.length + 1))).toEqual(['roundtable.sqlite']);

      expect((await deleteWorkshop(server.url, doomed.created.id, doomed.created.facilitatorKey)).status).toBe(204);
      // While the server runs…
      expect(tracesOf(server.dataDir, identifying(doomed))).toEqual([]);
      // …the other workshop is untouched and carries on…
      expect(tracesOf(server.dataDir, [other.marker]).length).toBeGreaterThan(0);
      expect((await connect(server.url, facilitatorAuth(other.created))).snapshot.workshop.title).toBe(`Dialogue ${other.marker}`);
      closeDocs();
      disconnectAll();
      await server.close();
      // …and once it has stopped.
      expect(tracesOf(server.dataDir, identifying(doomed))).toEqual([]);
      expect(tracesOf(server.dataDir, [other.marker]).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('empties every table that holds workshop data: each has a workshop_id and is listed for deletion', async () => {
    const server = await startTestServer();
    await server.close();
    const db = new Database(join(server.dataDir, 'roundtable.sqlite'), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    const withWorkshopId = tables.filter((table) =>
      (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((c) => c.name === 'workshop_id'),
    );
    expect(tables.filter((t) => !withWorkshopId.includes(t))).toEqual(['workshops']);
    expect([...withWorkshopId].sort()).toEqual([...WORKSHOP_TABLES].sort());
    db.close();
  });
});

describe('retention', () => {
  it('purges a workshop at start-up once its retention is over, leaving no trace; the others stay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'roundtable-retention-'));
    const first = await startTestServer({ dataDir });
    const doomed = await seed(first.url, { retentionDays: 1 });
    const kept = await seed(first.url, { retentionDays: 3 });
    closeDocs();
    disconnectAll();
    await first.close();
    expect(tracesOf(dataDir, identifying(doomed))).not.toEqual([]);

    const later = Date.now() + 2 * DAY_MS;
    const second = await startTestServer({ dataDir, clock: new ServerClock(() => later) });
    try {
      expect(tracesOf(dataDir, identifying(doomed))).toEqual([]);
      expect(tracesOf(dataDir, [kept.marker]).length).toBeGreaterThan(0);
      expect(await connectError(second.url, facilitatorAuth(doomed.created))).toMatchObject({ code: 'not_found' });
      expect((await connect(second.url, facilitatorAuth(kept.created))).snapshot.workshop.id).toBe(kept.created.id);
    } finally {
      disconnectAll();
      await second.close();
    }
    expect(tracesOf(dataDir, identifying(doomed))).toEqual([]);
  });

  it('purges an expired workshop while it is running: its people are disconnected and nothing of it remains', async () => {
    // Time that really passes: the wall clock and the monotonic clock move together.
    const { clock, time } = manualClock();
    const server = await startTestServer({
      clock,
      purgeIntervalMs: 50,
    });
    try {
      const doomed = await seed(server.url, { retentionDays: 1 });
      const kept = await seed(server.url, { retentionDays: 3 });
      const dropped = new Promise((resolve) => doomed.phones[0]!.once('disconnect', resolve));
      const keptDropped = droppedSince(kept.phones[0]!);

      time.wall += DAY_MS + 60_000; // a day and a minute later: the next sweep finds it expired
      time.passed += DAY_MS + 60_000;
      expect(await dropped).toBe('io server disconnect');
      await expect.poll(() => connectError(server.url, participantAuth(doomed.created)).then((e) => e.code)).toBe('not_found');
      expect(tracesOf(server.dataDir, identifying(doomed))).toEqual([]);
      expect(tracesOf(server.dataDir, [kept.marker]).length).toBeGreaterThan(0);
      expect(keptDropped()).toBe(false);
      expect(await send(kept.facilitator, 'agenda:goTo', { id: null })).toEqual({ ok: true });

      closeDocs();
      disconnectAll();
      await server.close();
      expect(tracesOf(server.dataDir, identifying(doomed))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

/** Whether `socket` has been disconnected since this was called. */
function droppedSince(socket: TestSocket): () => boolean {
  let dropped = false;
  socket.once('disconnect', () => (dropped = true));
  return () => dropped;
}
