import { afterEach, describe, expect, it } from 'vitest';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, ok, participantAuth, send } from '../helpers/clients.js';
import { startTestServer } from '../helpers/startTestServer.js';

afterEach(disconnectAll);

describe('a node that is stopping', () => {
  it('answers /readyz 503 as soon as it drains, while it still serves everyone connected', async () => {
    const server = await startTestServer();
    try {
      const created = await createWorkshop(server.url);
      const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
      const { socket: phone } = await connect(server.url, participantAuth(created));
      const ready = await fetch(`${server.url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok' }]);

      server.drain();
      const draining = await fetch(`${server.url}/readyz`);
      expect([draining.status, await draining.json()]).toEqual([503, { status: 'draining' }]);
      // Alive, and serving: the health check, the connections it has, and the API.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(phone.connected).toBe(true);
      await ok(send(facilitator, 'agenda:add', { activity: { kind: 'info', title: 'Still here', body: '' } }));
      expect(
        (await fetch(`${server.url}/api/workshops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' })).status,
      ).toBe(201);
    } finally {
      await server.close();
    }
  });
});
