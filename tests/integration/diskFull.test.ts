/**
 * The venue laptop's disk fills up during a session (issue 15): a real, small tmpfs as the data folder,
 * filled to the last byte. Every refused request changes nothing and says why; /healthz says so too; once
 * there is room again the same requests succeed. Needs root to mount the tmpfs: skipped, in one line, without.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotes } from '../../shared/boardDoc.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, ok, participantAuth, send } from '../helpers/clients.js';
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

/** Fills the disk to the last byte; returns a function that makes room again. */
function fillDisk(): () => void {
  const filler = join(mountPoint, 'filler');
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

const health = async () => {
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string } };
};

describe.runIf(mounted)('a full disk', () => {
  it('refuses every write saying so, changes nothing, reports it on /healthz, and works again once there is room', async () => {
    const created = await createWorkshop(server.url, { title: 'Full disk', anonymityThreshold: 3 });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const boardId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Ideas' } }))).id;
    await ok(send(facilitator, 'agenda:goTo', { id: boardId }));
    const { socket: phone } = await connect(server.url, participantAuth(created));
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
    expect((await send(facilitator, 'agenda:add', { activity: { kind: 'info', title: 'Later' } }))).toMatchObject(full);
    const deletion = await fetch(`${server.url}/api/workshops/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.facilitatorKey}` } });
    expect(deletion.status).toBe(503);
    expect(await deletion.json()).toMatchObject({ code: 'storage_full' });
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
