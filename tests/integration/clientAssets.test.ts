import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

// A built client in miniature: a page and one hashed script with the compressed copies the build writes.
const script = `console.log(${JSON.stringify('roundtable '.repeat(200))});`;
let server: TestServer;

beforeAll(async () => {
  const clientDir = mkdtempSync(join(tmpdir(), 'roundtable-client-'));
  mkdirSync(join(clientDir, 'assets'));
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Roundtable</title>');
  writeFileSync(join(clientDir, 'assets', 'app-1a2b3c.js'), script);
  writeFileSync(join(clientDir, 'assets', 'app-1a2b3c.js.br'), brotliCompressSync(script));
  writeFileSync(join(clientDir, 'assets', 'app-1a2b3c.js.gz'), gzipSync(script));
  server = await startTestServer({ clientDir });
});
afterAll(() => server.close());

// Node's fetch would decode for us; a raw request shows the bytes a phone receives.
async function get(path: string, acceptEncoding: string) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(`${server.url}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const parts: Buffer[] = [];
      res
        .on('data', (part: Buffer) => parts.push(part))
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('client assets', () => {
  it('are sent Brotli-compressed to browsers that accept it, cached for a year', async () => {
    const response = await get('/assets/app-1a2b3c.js', 'gzip, deflate, br');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.vary).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(response.body).toString()).toBe(script);
    expect(response.body.length).toBeLessThan(script.length / 5);
  });

  it('fall back to gzip, then to the plain file', async () => {
    const gzipped = await get('/assets/app-1a2b3c.js', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe(script);

    const plain = await get('/assets/app-1a2b3c.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answer 404 for an unknown asset rather than the page', async () => {
    expect((await get('/assets/nope.js', 'br')).status).toBe(404);
  });

  it('serve the page for client routes, revalidated on every visit so a new build arrives at once', async () => {
    const page = await get('/j/ABCDEF', 'br');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body.toString()).toContain('<title>Roundtable</title>');
  });
});
