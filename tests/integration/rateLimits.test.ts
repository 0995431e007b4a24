import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  connectError,
  createWorkshop,
  facilitatorAuth,
  joinUntilRefused,
  newToken,
  participantAuth,
  send,
  type TestSocket,
} from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

// Small limits, so a test reaches them: 2 events a second per address (bursts of 10), 1 new participant (bursts of 5).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ addressEventsPerSecond: 2, addressJoinsPerSecond: 1 });
});
afterAll(() => server.close());

describe('limits per address', () => {
  it('share one budget of events between all connections from an address, and refused events change nothing', async () => {
    const created = await createWorkshop(server.url, { title: 'Limits', groups: ['Residents', 'Police', 'Youth'] });
    const phones: TestSocket[] = [];
    for (let i = 0; i < 3; i++) phones.push((await connect(server.url, participantAuth(created))).socket);
    // Each connection stays far below its own limit (20 at once); together they pass the address's 10.
    const answers = await Promise.all(phones.flatMap((phone) => Array.from({ length: 5 }, () => send(phone, 'participant:setGroup', { groupId: 'youth' }))));
    const refused = answers.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    for (const answer of refused) expect(answer).toMatchObject({ ok: false, code: 'rate_limited' });
  });

  it('let a handful of new participants in at once from one address, then one a second; people who joined before always come back', async () => {
    const created = await createWorkshop(server.url, { title: 'Joins', groups: [] });
    const token = newToken();
    await connect(server.url, participantAuth(created, token));
    const { joined, refusal, mostAllowed } = await joinUntilRefused(server.url, created);
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    expect(1 + joined).toBeLessThanOrEqual(mostAllowed(5)); // the burst of 5, plus what refilled meanwhile
    await connect(server.url, participantAuth(created, token));
    await connect(server.url, facilitatorAuth(created));
    expect(await connectError(server.url, participantAuth(created))).toMatchObject({ code: 'rate_limited' });
  });
});
