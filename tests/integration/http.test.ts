import { describe, expect, it } from 'vitest';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

const post = (body: string, contentType = 'application/json') =>
  fetch(`${server.url}/api/workshops`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('HTTP API', () => {
  it('reports healthy when the store is reachable', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('creates a workshop with a join code, a facilitator key and links that keep the key out of the query', async () => {
    const response = await post(JSON.stringify({ title: '  Safer streets, Ward 4 ' }));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.joinCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(body.facilitatorKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.coFacilitatorKey).not.toBe(body.facilitatorKey);
    expect(body.urls.join).toBe(`${server.url}/j/${body.joinCode}`);
    expect(body.urls.screen).toMatch(new RegExp(`^${server.url}/screen/${body.joinCode}#key=[A-Za-z0-9_-]{22}$`));
    expect(body.urls.facilitate).toBe(`${server.url}/facilitate/${body.id}#key=${body.facilitatorKey}`);
    expect(body.urls.coFacilitate).toBe(`${server.url}/facilitate/${body.id}#key=${body.coFacilitatorKey}`);
    for (const url of Object.values(body.urls) as string[]) expect(new URL(url).search).toBe('');
  });

  it.each([
    ['a missing title', { language: 'en' }, /title/],
    ['an empty title', { title: '   ' }, /title: must not be empty/],
    ['a threshold below 3', { title: 'x', anonymityThreshold: 2 }, /anonymityThreshold: must be at least 3/],
    ['a fractional threshold', { title: 'x', anonymityThreshold: 4.5 }, /anonymityThreshold/],
    ['an unknown language', { title: 'x', language: 'de' }, /language/],
    ['duplicate groups', { title: 'x', groups: ['Police', 'police'] }, /groups: group names must be unique/],
    ['an unknown field', { title: 'x', isAdmin: true }, /isAdmin/],
    ['a title that is too long', { title: 'x'.repeat(121) }, /title: must be at most 120/],
  ])('refuses %s with 400 and a clear message', async (_, body, message) => {
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const response = await post('{"title": ');
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('invalid_input');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await fetch(`${server.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect((await response.json()).code).toBe('not_found');
  });

  it('draws the join QR code as SVG and refuses codes that cannot exist', async () => {
    const ok = await fetch(`${server.url}/api/join/ABCDEF/qr.svg`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(await ok.text()).toMatch(/^<svg/);
    expect((await fetch(`${server.url}/api/join/ABC0O1/qr.svg`)).status).toBe(400);
  });

  it('sends a strict content security policy and no framing, sniffing or referrer', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
