import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ok, connect, createWorkshop, facilitatorAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

/** Opens a raw WebSocket upgrade and resolves with the HTTP status the server answered. */
function upgradeStatus(path: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });
}

function provider(workshopId: string, docName: string, ticket: string, doc = new Y.Doc()) {
  return new WebsocketProvider(`${server.url.replace('http', 'ws')}/yjs/${workshopId}`, docName, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { ticket },
    connect: true,
  });
}

describe('Yjs endpoint', () => {
  it('refuses an upgrade without a ticket, or with an invented one, before any document is opened', async () => {
    const created = await createWorkshop(server.url);
    expect(await upgradeStatus(`/yjs/${created.id}/plan`)).toBe(401);
    expect(await upgradeStatus(`/yjs/${created.id}/plan?ticket=${created.facilitatorKey}`)).toBe(401);
    expect(await upgradeStatus(`/yjs/not-a-workshop/plan`)).toBe(400);
    expect(await upgradeStatus(`/some/other/path`)).toBe(400); // answered, not left hanging
  });

  it('lets two facilitators with tickets edit one document together, and spends each ticket once', async () => {
    const created = await createWorkshop(server.url);
    const { socket } = await connect(server.url, facilitatorAuth(created));
    const first = await ok(send(socket, 'yjs:ticket', { docName: 'plan' }));
    const second = await ok(send(socket, 'yjs:ticket', { docName: 'plan' }));
    expect(first.path).toBe(`/yjs/${created.id}/plan`);

    const a = provider(created.id, 'plan', first.ticket);
    const b = provider(created.id, 'plan', second.ticket);
    try {
      await Promise.all([a, b].map((p) => new Promise<void>((resolve) => p.once('sync', () => resolve()))));
      a.doc.getText('vision').insert(0, 'A safe neighbourhood for everyone');
      await expect.poll(() => b.doc.getText('vision').toString()).toBe('A safe neighbourhood for everyone');
    } finally {
      a.destroy();
      b.destroy();
    }
    expect(await upgradeStatus(`/yjs/${created.id}/plan?ticket=${first.ticket}`)).toBe(401);
  });

  it("stores a writer's edits once: reconnecting, which resends its whole delete set, adds nothing to the log", async () => {
    const created = await createWorkshop(server.url);
    const { socket } = await connect(server.url, facilitatorAuth(created));
    const ticket = async () => {
      const granted = await ok(send(socket, 'yjs:ticket', { docName: 'plan' }));
      return granted.ticket;
    };
    const storedUpdates = () => {
      const db = new Database(join(server.dataDir, 'roundtable.sqlite'), { readonly: true });
      try {
        return db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM doc_updates WHERE workshop_id = ? AND doc_name = 'plan'").get(created.id)!.n;
      } finally {
        db.close();
      }
    };
    const writer = provider(created.id, 'plan', await ticket());
    try {
      await new Promise<void>((resolve) => writer.once('sync', () => resolve()));
      const vision = writer.doc.getText('vision');
      vision.insert(0, 'A safe neighbourhood');
      vision.delete(0, 2);
      vision.insert(0, 'One');
      await expect.poll(storedUpdates).toBe(3);
      for (let round = 0; round < 3; round++) {
        writer.disconnect();
        writer.params = { ticket: await ticket() };
        const synced = new Promise<void>((resolve) => writer.once('sync', (state: boolean) => state && resolve()));
        writer.connect();
        await synced;
      }
      vision.insert(vision.length, '!');
      await expect.poll(storedUpdates).toBe(4);
    } finally {
      writer.destroy();
    }
  });

  it('does not accept a ticket for another document or another workshop', async () => {
    const created = await createWorkshop(server.url);
    const other = await createWorkshop(server.url);
    const { socket } = await connect(server.url, facilitatorAuth(created));
    const forOtherWorkshop = await ok(send(socket, 'yjs:ticket', { docName: 'plan' }));
    const forOtherDoc = await ok(send(socket, 'yjs:ticket', { docName: 'plan' }));
    expect(await upgradeStatus(`/yjs/${other.id}/plan?ticket=${forOtherWorkshop.ticket}`)).toBe(401);
    expect(await upgradeStatus(`/yjs/${created.id}/board-AAAAAAAAAAAAAAAAAAAAAA?ticket=${forOtherDoc.ticket}`)).toBe(401);
  });

  it("closes a co-facilitator's document connection when their link is rotated", async () => {
    const created = await createWorkshop(server.url);
    const co = await connect(server.url, { role: 'facilitator', workshopId: created.id, key: created.coFacilitatorKey });
    const ticket = await ok(send(co.socket, 'yjs:ticket', { docName: 'plan' }));
    const unspent = await ok(send(co.socket, 'yjs:ticket', { docName: 'plan' }));
    const p = provider(created.id, 'plan', ticket.ticket);
    try {
      await new Promise<void>((resolve) => p.once('sync', () => resolve()));
      const closed = new Promise<number>((resolve) => p.ws!.addEventListener('close', (e) => resolve((e as CloseEvent).code)));
      p.shouldConnect = false;
      const lead = await connect(server.url, facilitatorAuth(created));
      await send(lead.socket, 'access:rotateCoFacilitatorLink', {});
      expect(await closed).toBe(4403);
      expect(await upgradeStatus(`/yjs/${created.id}/plan?ticket=${unspent.ticket}`)).toBe(401);
    } finally {
      p.destroy();
    }
  });
});
