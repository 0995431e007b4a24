/**
 * Property-based fuzzing of every HTTP endpoint: hostile bodies, paths and headers get a 4xx with
 * `{code, message}` (never a 5xx), create nothing when refused, and leave the server up.
 * FUZZ_SEED reruns a failure; FUZZ_RUNS changes the number of cases per endpoint.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopSchema, importSchema, joinCodeSchema } from '../../shared/protocol/schemas.js';
import { createWorkshop } from '../helpers/clients.js';
import { EDGE_STRINGS, describeValue, fuzzSeed, hostilePayload, hugeString, onTheWire, serialize } from '../helpers/hostile.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const seed = fuzzSeed();
const volume: Record<string, { cases: number; accepted: number }> = {};
let created: Awaited<ReturnType<typeof createWorkshop>>;

beforeAll(async () => {
  created = await createWorkshop(server.url, { title: 'Exported' });
});

afterAll(() => {
  const total = Object.values(volume).reduce((sum, v) => sum + v.cases, 0);
  console.log(`HTTP fuzz volume: ${total} cases over ${Object.keys(volume).length} endpoints (seed ${seed})`);
  console.table(volume);
});

function workshopCount(): number {
  const db = new Database(join(server.dataDir, 'roundtable.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM workshops').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

type Answer = { status: number; type: string; body: string };

/** A request whose answer is read whole; a 429 (rate limit: nothing was done) is retried after a pause. */
async function request(path: string, init: RequestInit = {}): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${server.url}${path}`, init);
    const answer = {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: Buffer.from(await response.arrayBuffer()).toString('latin1'),
    };
    if (answer.status !== 429 || attempt === 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A refusal: 4xx, JSON `{code, message}` with a readable message. */
function expectRefusal(answer: Answer, context: string): void {
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.type, context).toMatch(/application\/json/);
  const body = JSON.parse(answer.body) as { code: string; message: string };
  expect(body.code, context).toMatch(/^[a-z_]+$/);
  expect(body.message, context).toMatch(/\S/);
  expect(body.message.length, context).toBeLessThanOrEqual(1000);
}

async function check<T>(name: string, arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<boolean>): Promise<void> {
  const stats = (volume[name] = { cases: 0, accepted: 0 });
  const property = fc.asyncProperty(arbitrary, async (value) => {
    stats.cases++;
    if (await run(value)) stats.accepted++;
  });
  const details = await fc.check(property, { numRuns: RUNS, seed, endOnFailure: true });
  if (details.failed) {
    throw new Error(`${name} failed after ${details.numRuns} cases (seed ${details.seed}): ${String(details.errorInstance)}`.slice(0, 4000));
  }
  expect((await request('/healthz')).status).toBe(200);
}

/** Percent-encodes a path segment; a lone surrogate becomes bytes that are not UTF-8 (%ED%A0%80), as a raw client could send. */
const segment = (text: string) =>
  text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\u0000lone\u0000')
    .split('\u0000lone\u0000')
    .map(encodeURIComponent)
    .join('%ED%A0%80');

const json = (body: string | undefined): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });
/** Bodies no JSON serialiser would write. */
const brokenBodies = fc.constantFrom('', '{', '{"title":', 'null', '"text"', '[]', '{"title":"x",}', '\u0000', '{"title":"\uD800"}', 'not json at all');

describe('HTTP endpoints, fuzzed', () => {
  it('POST /api/workshops creates a workshop only from a valid body', { timeout: 60_000 }, async () => {
    const valid = { title: 'Safer streets', language: 'fr', groups: ['Residents', 'Police'], anonymityThreshold: 5, retentionDays: 30 };
    const before = workshopCount();
    let accepted = 0;
    const body = fc.oneof({ arbitrary: hostilePayload(valid).map(serialize), weight: 6 }, { arbitrary: brokenBodies, weight: 1 });
    await check('POST /api/workshops', body, async (text) => {
      const answer = await request('/api/workshops', json(text));
      const context = `${describeValue(text)} → ${answer.status} ${answer.body.slice(0, 200)}`;
      const wire = (() => {
        try {
          return { ok: true, value: onTheWire(JSON.parse(text ?? '')) };
        } catch {
          return { ok: false, value: undefined };
        }
      })();
      const size = Buffer.byteLength(text ?? '');
      if (wire.ok && size < 32_000 && createWorkshopSchema.safeParse(wire.value).success) expect(answer.status, context).toBe(201);
      else expectRefusal(answer, context);
      if (answer.status === 201) accepted++;
      return answer.status === 201;
    });
    expect(workshopCount()).toBe(before + accepted);
  });

  it('POST /api/workshops/import creates a workshop only from a valid export', { timeout: 60_000 }, async () => {
    const valid = {
      schema: 'roundtable.workshop/1',
      workshop: { title: 'Imported', language: 'en', anonymityThreshold: 5, groups: [{ label: 'Residents' }] },
      activities: [
        { kind: 'info', title: 'Welcome', body: 'Hello' },
        {
          kind: 'board',
          title: 'Ideas',
          prompt: 'What?',
          mode: 'board',
          columns: [{ id: 'now', label: 'Now' }],
          noteLimit: 5,
          prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 },
        },
        {
          kind: 'poll',
          title: 'Trust',
          question: '',
          type: 'single',
          options: [
            { id: 'yes', label: 'Yes' },
            { id: 'no', label: 'No' },
          ],
          allowPreferNot: true,
          liveResults: false,
        },
      ],
      plan: {
        template: 'blank',
        title: 'Plan',
        sections: { vision: 'Safe' },
        actions: [{ title: 'Light the underpass', indicators: [{ text: 'Lamps', target: '10' }] }],
        glossary: { term: 'meaning' },
      },
    };
    const before = workshopCount();
    let accepted = 0;
    const body = fc.oneof({ arbitrary: hostilePayload(valid).map(serialize), weight: 6 }, { arbitrary: brokenBodies, weight: 1 });
    await check('POST /api/workshops/import', body, async (text) => {
      const answer = await request('/api/workshops/import', json(text));
      const context = `${describeValue(text)} → ${answer.status} ${answer.body.slice(0, 200)}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text ?? '');
      } catch {
        parsed = undefined;
      }
      if (answer.status === 201) {
        expect(importSchema.safeParse(parsed).success, context).toBe(true);
        accepted++;
      } else expectRefusal(answer, context);
      return answer.status === 201;
    });
    expect(workshopCount()).toBe(before + accepted);
  });

  it('GET /api/join/:code/qr.svg draws only valid join codes', { timeout: 60_000 }, async () => {
    const code = fc.oneof(
      fc.constantFrom(created.joinCode, created.joinCode.toLowerCase(), `${created.joinCode.slice(0, 3)}-${created.joinCode.slice(3)}`),
      fc.constantFrom(...EDGE_STRINGS),
      fc.string({ unit: 'binary', maxLength: 12 }),
      // Node refuses a request line over 16 KB before any route (see the end of this test).
      hugeString.filter((s) => s.length <= 1_000),
    );
    await check('GET /api/join/:code/qr.svg', code, async (value) => {
      const answer = await request(`/api/join/${segment(value)}/qr.svg`);
      const context = `${describeValue(value)} → ${answer.status}`;
      if (value !== '' && joinCodeSchema.safeParse(value).success) {
        expect(answer.status, context).toBe(200);
        expect(answer.type, context).toMatch(/image\/svg\+xml/);
      } else expectRefusal(answer, context);
      return answer.status === 200;
    });
    for (const broken of ['%E0%A4%A', '%', '%00', '..%2F..%2Fetc']) expectRefusal(await request(`/api/join/${broken}/qr.svg`), broken);
    // Over Node's 16 KB for a request line and headers: refused before any route, still in JSON.
    const tooLong = await request(`/api/join/${'A'.repeat(100_000)}/qr.svg`);
    expect(tooLong.status).toBe(431);
    expectRefusal(tooLong, 'a 100 KB address');
  });

  it('exports answer only with the facilitator key and a known format', { timeout: 60_000 }, async () => {
    const FORMATS = ['md', 'csv', 'json', 'docx', 'pdf'];
    const hostileText = fc.oneof(
      fc.constantFrom(...EDGE_STRINGS),
      fc.string({ unit: 'binary', maxLength: 30 }),
      hugeString.filter((s) => s.length <= 1_000),
    );
    const request_ = fc.record({
      id: fc.oneof({ arbitrary: fc.constant(created.id), weight: 2 }, { arbitrary: hostileText, weight: 1 }),
      what: fc.oneof(
        fc.constantFrom(...FORMATS.map((f) => `export.${f}`), 'export/checklist'),
        hostileText.map((t) => `export.${t}`),
      ),
      auth: fc.oneof(
        { arbitrary: fc.constantFrom(`Bearer ${created.facilitatorKey}`, `Bearer ${created.coFacilitatorKey}`), weight: 2 },
        {
          arbitrary: fc.constantFrom(
            undefined,
            '',
            'Bearer',
            `bearer ${created.facilitatorKey}`,
            `Bearer ${created.facilitatorKey} x`,
            `Basic ${created.facilitatorKey}`,
          ),
          weight: 1,
        },
        { arbitrary: hostileText.map((t) => `Bearer ${t}`), weight: 1 },
      ),
    });
    await check('GET /api/workshops/:id/export.*', request_, async ({ id, what, auth }) => {
      let answer: Answer;
      try {
        answer = await request(`/api/workshops/${segment(id)}/${what.split('/').map(segment).join('/')}`, {
          headers: auth === undefined ? {} : { authorization: auth },
        });
      } catch (error) {
        // fetch refuses header values a server could never receive (line breaks, characters beyond Latin-1).
        expect(String(error)).toMatch(/TypeError|header/i);
        return false;
      }
      const context = `${describeValue({ id, what, auth })} → ${answer.status} ${answer.body.slice(0, 200)}`;
      const known = what === 'export/checklist' || FORMATS.some((f) => what === `export.${f}`);
      const keyed = auth === `Bearer ${created.facilitatorKey}` || auth === `Bearer ${created.coFacilitatorKey}`;
      if (id === created.id && known && keyed) expect(answer.status, context).toBe(200);
      else expectRefusal(answer, context);
      return answer.status === 200;
    });
  });

  it('DELETE /api/workshops/:id deletes nothing without the key, and /healthz ignores what it is sent', { timeout: 60_000 }, async () => {
    const hostile = fc.record({ text: fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.string({ unit: 'binary', maxLength: 30 })), useId: fc.boolean() });
    await check('DELETE /api/workshops/:id, GET /healthz', hostile, async ({ text, useId }) => {
      const id = useId ? created.id : text;
      let answer: Answer | undefined;
      try {
        answer = await request(`/api/workshops/${segment(id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${text}` } });
      } catch {
        answer = await request(`/api/workshops/${segment(id)}`, { method: 'DELETE' });
      }
      expectRefusal(answer, `${describeValue(text)} → ${answer.status}`);
      const health = await request(`/healthz?q=${segment(text)}`);
      expect(health.status).toBe(200);
      return false;
    });
    expect((await request(`/api/workshops/${created.id}/export.json`, { headers: { authorization: `Bearer ${created.facilitatorKey}` } })).status).toBe(200);
  });
});
