import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

const CREATE_KEY = 'organisers-only-0123456789';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ createKey: CREATE_KEY });
});
afterAll(() => server.close());

const create = (key?: string, path = '/api/workshops', body: unknown = { title: 'Public server' }) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });

describe('CREATE_KEY', () => {
  it('tells the create page to ask for the organiser key', async () => {
    expect(await (await fetch(`${server.url}/api/settings`)).json()).toEqual({ createKeyRequired: true });
  });

  it('lets only organisers holding the key create or import workshops', async () => {
    for (const key of [undefined, 'not-the-organiser-key-000']) {
      const refused = await create(key);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/organiser key/) });
    }
    expect((await create(undefined, '/api/workshops/import', {})).status).toBe(401);
    expect((await create(CREATE_KEY)).status).toBe(201);
  });

  it('slows down guessing: after 30 wrong keys a minute, even the right one waits', async () => {
    const guesser = await startTestServer({ createKey: CREATE_KEY });
    try {
      for (let i = 0; i < 30; i++)
        expect(
          (await fetch(`${guesser.url}/api/workshops`, { method: 'POST', headers: { authorization: `Bearer wrong-guess-${String(i).padStart(10, '0')}` } }))
            .status,
        ).toBe(401);
      const blocked = await fetch(`${guesser.url}/api/workshops`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CREATE_KEY}` },
        body: JSON.stringify({ title: 'x' }),
      });
      expect(blocked.status).toBe(429);
    } finally {
      await guesser.close();
    }
  });

  it('is off by default: a venue laptop lets anyone there create a workshop', async () => {
    const open = await startTestServer();
    try {
      expect(await (await fetch(`${open.url}/api/settings`)).json()).toEqual({ createKeyRequired: false });
    } finally {
      await open.close();
    }
  });
});
