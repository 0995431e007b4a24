/**
 * The venue laptop's disk fills up during a session (issue 15): a real, small tmpfs as the data folder,
 * filled to the last byte. Every refused request changes nothing and says why; /healthz says so too; once
 * there is room again the same requests succeed. Needs root to mount the tmpfs: skipped, in one line, without.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { readNotes } from '../../shared/boardDoc.js';
import { planTitle } from '../../shared/planDoc.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, ok, participantAuth, send } from '../helpers/clients.js';
import { session } from '../helpers/session.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'roundtable-small-disk-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!mounted) console.log('diskFull.test.ts skipped: mounting a small tmpfs needs root');

let server: TestServer;
beforeAll(async () => {
  if (mounted) server = await startTestServer({ dataDir: join(mountPoint, 'data') });
});
afterAll(async () => {
  closeDocs();
  disconnectAll();
  await server?.close();
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
});

const filler = join(mountPoint, 'filler');
afterEach(() => rmSync(filler, { force: true })); // a failed test leaves room for the next

/** Fills the disk to the last byte; returns a function that makes room again. */
function fillDisk(): () => void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  let size = 0;
  for (;;) {
    try {
      writeFileSync(filler, chunk, { flag: size === 0 ? 'w' : 'a' });
      size += chunk.length;
    } catch {
      break;
    }
  }
  for (const small of [4096, 512, 1]) {
    try {
      for (;;) writeFileSync(filler, Buffer.alloc(small, 1), { flag: 'a' });
    } catch {
      // full at this size: try a smaller one
    }
  }
  return () => rmSync(filler);
}

/** The close codes a provider meets; it stays closed, as the client's own reconnect waits for a fresh ticket. */
function closesOf(provider: WebsocketProvider): (number | undefined)[] {
  const codes: (number | undefined)[] = [];
  provider.on('connection-close', (event) => {
    provider.shouldConnect = false;
    codes.push(event?.code);
  });
  return codes;
}

/** What the data folder holds of a workshop's document, read beside the running server. */
function storedDoc(workshopId: string, docName: string): Y.Doc {
  const db = new Database(join(mountPoint, 'data', 'roundtable.sqlite'), { readonly: true });
  const doc = new Y.Doc();
  try {
    const rows = db
      .prepare<[string, string], { data: Buffer }>('SELECT data FROM doc_updates WHERE workshop_id = ? AND doc_name = ? ORDER BY seq')
      .all(workshopId, docName);
    for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data));
  } finally {
    db.close();
  }
  return doc;
}

/** A workshop showing an open board, its facilitator and one phone. */
async function boardSession(title: string) {
  const { created, facilitator, activityId, phones } = await session(server.url, {
    workshop: { title, anonymityThreshold: 3 },
    activity: { kind: 'board', title: 'Ideas' },
    phones: 1,
  });
  return { created, facilitator, boardId: activityId, phone: phones[0]! };
}

const health = async () => {
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string } };
};

describe.runIf(mounted)('a full disk', () => {
  it('refuses every write saying so, changes nothing, reports it on /healthz, and works again once there is room', async () => {
    const { created, facilitator, boardId, phone } = await boardSession('Full disk');
    const kept = (await ok(send(phone, 'board:addNote', { boardId, text: 'stays on the board' }))).noteId;
    const board = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect((await health()).status).toBe(200);

    const told: string[] = [];
    facilitator.on('storage:changed', ({ status }) => told.push(status));
    const makeRoom = fillDisk();
    const full = { ok: false, code: 'storage_full' };
    expect(await send(phone, 'board:addNote', { boardId, text: 'no room for this one' })).toMatchObject(full);
    expect(await send(facilitator, 'board:hideNote', { boardId, noteId: kept })).toMatchObject(full);
    expect(await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' })).toMatchObject(full);
    expect(await send(facilitator, 'agenda:add', { activity: { kind: 'info', title: 'Later' } })).toMatchObject(full);
    const deletion = await fetch(`${server.url}/api/workshops/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${created.facilitatorKey}` },
    });
    expect(deletion.status).toBe(503);
    expect(await deletion.json()).toMatchObject({ code: 'storage_full' });
    const creation = await fetch(`${server.url}/api/workshops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Not now' }),
    });
    expect([creation.status, await creation.json()]).toMatchObject([503, { code: 'storage_full' }]);
    expect(await health()).toMatchObject({ status: 503, body: { status: 'disk_full' } });
    await expect.poll(() => told).toEqual(['full']); // the console's standing alert

    // Nothing was done: the note is still on everyone's board, the board still open, the workshop still there.
    expect(readNotes(board.doc).map((n) => n.text)).toEqual(['stays on the board']);
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.agenda?.activities.map((a) => [a.title, a.state])).toEqual([['Ideas', 'open']]);

    makeRoom();
    expect(await send(facilitator, 'board:hideNote', { boardId, noteId: kept })).toEqual({ ok: true });
    expect(await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' })).toEqual({ ok: true });
    expect((await health()).status).toBe(200);
    await expect.poll(() => told).toEqual(['full', 'ok']);
    await expect.poll(() => readNotes(board.doc).length).toBe(0);
  });
});

describe.runIf(mounted)('a full disk under live documents', () => {
  it("leaves a writer's refused edit with the writer, keeps every reader connected, and stores it once there is room", async () => {
    const created = await createWorkshop(server.url, { title: 'Full disk plan', anonymityThreshold: 3 });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const planId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Plan' } }))).id;
    await ok(send(facilitator, 'agenda:goTo', { id: planId }));
    const { socket: phone } = await connect(server.url, participantAuth(created));
    const writer = await openDoc(server.url, facilitator, 'plan');
    const reader = await openDoc(server.url, phone, 'plan');
    planTitle(writer.doc).insert(0, 'Before. ');
    await expect.poll(() => planTitle(reader.doc).toString()).toBe('Before. ');
    const writerCloses = closesOf(writer);
    const readerCloses = closesOf(reader);

    const makeRoom = fillDisk();
    planTitle(writer.doc).insert(8, 'Typed while the disk was full.');
    await expect.poll(() => writerCloses).toEqual([4507]);
    // The server's copy is what is stored: nobody else sees the refused edit, and nobody else is cut off.
    const newcomer = await openDoc(server.url, phone, 'plan');
    expect(planTitle(newcomer.doc).toString()).toBe('Before. ');
    expect(planTitle(reader.doc).toString()).toBe('Before. ');
    expect(readerCloses).toEqual([]);

    makeRoom();
    // The client reconnects with a fresh ticket; its step 2 carries the edit the server lacks.
    writer.params = { ticket: (await ok(send(facilitator, 'yjs:ticket', { docName: 'plan' }))).ticket };
    writer.connect();
    await expect.poll(() => planTitle(reader.doc).toString()).toBe('Before. Typed while the disk was full.');
    expect(planTitle(storedDoc(created.id, 'plan')).toString()).toBe('Before. Typed while the disk was full.');
    expect(readerCloses).toEqual([]);
  });

  it('refuses a note edit it cannot store: the board keeps the old text, its readers are told to come back later', async () => {
    const { created, facilitator, boardId, phone } = await boardSession('Full disk edit');
    const noteId = (await ok(send(phone, 'board:addNote', { boardId, text: 'first wording' }))).noteId;
    const board = await openDoc(server.url, facilitator, `board-${boardId}`);
    const closes = closesOf(board);

    const makeRoom = fillDisk();
    expect(await send(phone, 'board:editNote', { boardId, noteId, text: 'second wording' })).toMatchObject({ ok: false, code: 'storage_full' });
    await expect.poll(() => closes).toEqual([4507]);
    expect(readNotes(board.doc).map((n) => n.text)).toEqual(['first wording']);
    const reread = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(readNotes(reread.doc).map((n) => n.text)).toEqual(['first wording']);

    makeRoom();
    expect(await send(phone, 'board:editNote', { boardId, noteId, text: 'second wording' })).toEqual({ ok: true });
    await expect.poll(() => readNotes(reread.doc).map((n) => n.text)).toEqual(['second wording']);
    expect(readNotes(storedDoc(created.id, `board-${boardId}`)).map((n) => n.text)).toEqual(['second wording']);
  });
});

describe.runIf(mounted)('a full disk under a burst of votes', () => {
  it('refuses every ballot of a burst, counts none of them, and takes each once there is room', async () => {
    const created = await createWorkshop(server.url, { title: 'Full disk vote', anonymityThreshold: 3 });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const pollId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'poll', title: 'Poll', type: 'single', options: ['Yes', 'No'] } }))).id;
    await ok(send(facilitator, 'agenda:goTo', { id: pollId }));
    const phones = await Promise.all(Array.from({ length: 12 }, async () => (await connect(server.url, participantAuth(created))).socket));
    const voteAll = () => Promise.all(phones.map((phone, i) => send(phone, 'poll:vote', { pollId, answer: { choice: i % 2 ? 'yes' : 'no' } })));

    const makeRoom = fillDisk();
    // The ballots of one turn share a transaction, which SQLite rolls back whole on a full disk: each is told.
    expect((await voteAll()).map((answer) => !answer.ok && answer.code)).toEqual(phones.map(() => 'storage_full'));
    expect(await send(facilitator, 'poll:results', { pollId })).toMatchObject({ ok: true, results: { respondents: 0 } });

    makeRoom();
    expect(await voteAll()).toEqual(phones.map(() => ({ ok: true })));
    await expect.poll(() => send(facilitator, 'poll:results', { pollId })).toMatchObject({ ok: true, results: { respondents: 12 } });
  });
});
