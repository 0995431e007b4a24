/**
 * The browser's board client (lib/BoardDoc.svelte.ts with the real WorkshopConnection) run in Node against
 * the real server: it must survive a server restart by reconnecting with a fresh single-use ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BoardDoc } from '../../client/src/lib/BoardDoc.svelte.js';
import { WorkshopConnection } from '../../client/src/lib/WorkshopConnection.svelte.js';
import { ok, connect, createWorkshop, disconnectAll, facilitatorAuth, newToken, send } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

let server: TestServer;
const globals = globalThis as Record<string, unknown>;

beforeAll(async () => {
  server = await startTestServer();
  // What a browser provides: the page's address, WebSocket, and a document to set the language on.
  globals.location = new URL(server.url);
  globals.WebSocket = WebSocket;
  globals.document = { documentElement: {} };
});
afterAll(async () => {
  disconnectAll();
  await server.close();
  delete globals.location;
  delete globals.WebSocket;
  delete globals.document;
});

describe('the board client in a browser', () => {
  it('reconnects its read-only copy with a fresh ticket after the server restarts, and catches up', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue' });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const added = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Board', noteLimit: 5 } }));
    await send(facilitator, 'agenda:goTo', { id: added.id });

    const token = newToken();
    const phone = new WorkshopConnection({ role: 'participant', joinCode: created.joinCode, token });
    const board = new BoardDoc(phone, added.id);
    try {
      await expect.poll(() => board.synced, { timeout: 5000 }).toBe(true);
      expect((await phone.request('board:addNote', { boardId: added.id, text: 'before the restart' })).ok).toBe(true);
      await expect.poll(() => board.notes.map((n) => n.text)).toEqual(['before the restart']);

      disconnectAll();
      await server.close();
      await expect.poll(() => phone.status).toBe('reconnecting');
      server = await startTestServer({ dataDir: server.dataDir, port: server.port });

      await expect.poll(() => phone.status, { timeout: 10_000 }).toBe('connected');
      expect(await phone.request('board:addNote', { boardId: added.id, text: 'after the restart' })).toMatchObject({ ok: true });
      await expect.poll(() => board.notes.map((n) => n.text), { timeout: 10_000 }).toEqual(['before the restart', 'after the restart']);
    } finally {
      board.destroy();
      phone.close();
    }
  });
});
