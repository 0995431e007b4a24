/**
 * Behind a reverse proxy every connection comes from the proxy's address. With TRUST_PROXY the per-address
 * limits apply to each client named in X-Forwarded-For; without it, or for an entry a client wrote itself in
 * front of the proxy's, the header changes nothing. The test client stands in for the proxy on loopback,
 * sending the header the proxy would add.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connectError, createWorkshop, disconnectAll, joinUntilRefused, participantAuth } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

const forwardedFor = (chain: string) => ({ 'x-forwarded-for': chain });
const through = (chain: string) => ({ headers: forwardedFor(chain) });
const ORGANISER_KEY = 'organiser-key-0123456789';
let server: TestServer;

/** POST /api/workshops as an organiser on a server that asks for the key (from `headers`' client). */
const createWithKey = (key: string, headers: Record<string, string>) =>
  fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ title: 'Behind nginx' }),
  });

describe('TRUST_PROXY=loopback: the client is the address the proxy names', () => {
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: 'loopback', addressJoinsPerSecond: 1, createKey: ORGANISER_KEY });
  });
  afterAll(async () => {
    disconnectAll();
    await server.close();
  });

  it('limits new participants per forwarded client, not for everyone behind the proxy', async () => {
    const workshop = await (await createWithKey(ORGANISER_KEY, {})).json();

    const first = await joinUntilRefused(server.url, workshop, () => through('203.0.113.7'));
    expect(first.refusal).toMatchObject({ code: 'rate_limited' });
    expect(first.joined).toBeLessThanOrEqual(first.mostAllowed(5));
    // Another phone behind the same proxy is not held back by the first one's joins…
    await connect(server.url, participantAuth(workshop), through('203.0.113.8'));
    // …and the first cannot slip past by writing an address of its own in front of what the proxy added.
    expect(await connectError(server.url, participantAuth(workshop), through('198.51.100.1, 203.0.113.7'))).toMatchObject({ code: 'rate_limited' });
  });

  it('counts wrong organiser keys per forwarded client', async () => {
    for (let i = 0; i < 30; i++) expect((await createWithKey(`wrong-guess-${String(i).padStart(10, '0')}`, forwardedFor('203.0.113.20'))).status).toBe(401);
    expect((await createWithKey(ORGANISER_KEY, forwardedFor('203.0.113.20'))).status).toBe(429);
    expect((await createWithKey(ORGANISER_KEY, forwardedFor('203.0.113.21'))).status).toBe(201);
  });
});

describe('without TRUST_PROXY, X-Forwarded-For is ignored', () => {
  beforeAll(async () => {
    server = await startTestServer({ addressJoinsPerSecond: 1 });
  });
  afterAll(async () => {
    disconnectAll();
    await server.close();
  });

  it('a client cannot escape the per-address limit by naming other addresses', async () => {
    const created = await createWorkshop(server.url, { title: 'No proxy' });
    const { joined, refusal, mostAllowed } = await joinUntilRefused(server.url, created, (n) => through(`203.0.113.${n + 1}`));
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    expect(joined).toBeLessThanOrEqual(mostAllowed(5));
  });
});
