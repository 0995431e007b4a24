/**
 * Property-based fuzzing of every client-to-server Socket.IO event: hostile payloads must be refused with a
 * clear `{ok:false, code, message}`, leave everything stored as it was, and leave the server up.
 * FUZZ_SEED reruns a failure; FUZZ_RUNS changes the number of cases per event.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoles } from '../../server/realtime/defineHandler.js';
import { ErrorCode, type Ack, type ClientEventName, type Role } from '../../shared/protocol/index.js';
import { clientEventSchemas } from '../../shared/protocol/schemas.js';
import { connect, createWorkshop, facilitatorAuth, screenAuth } from '../helpers/clients.js';
import { fuzzWorkshop, rateLimitWaits, RotatingClient, type CallMode } from '../helpers/fuzzWorkshop.js';
import { describeValue, fuzzSeed, hostilePayload, hostileValue, onTheWire, serialize } from '../helpers/hostile.js';
import { useTestServer } from '../helpers/startTestServer.js';

// The per-address rate limit is tested in rateLimits.test.ts; here it would only slow thousands of cases down.
const server = useTestServer({ addressEventsPerSecond: 5_000 });
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const seed = fuzzSeed();
const events = Object.keys(clientEventSchemas) as ClientEventName[];
/** Socket.IO's maxHttpBufferSize on the server: a bigger message closes the connection. */
const SOCKET_IO_MAX_BYTES = 64 * 1024;
const ERROR_CODES: string[] = Object.values(ErrorCode);

const callMode: fc.Arbitrary<CallMode> = fc.oneof(
  { arbitrary: fc.constant('ack' as const), weight: 16 },
  { arbitrary: fc.constantFrom('noAck' as const, 'badAck' as const, 'noPayload' as const, 'extraArgs' as const), weight: 4 },
);

type Volume = { cases: number; refusedByShape: number; validShape: number; accepted: number; closed: number };
const volume: Record<string, Volume> = {};

beforeAll(async () => {
  // The handlers register (and name their roles) when a connection arrives.
  await connect(server.url, facilitatorAuth(await createWorkshop(server.url)));
});

afterAll(() => {
  const total = Object.values(volume).reduce((sum, v) => sum + v.cases, 0);
  console.log(`fuzz volume: ${total} cases over ${Object.keys(volume).length} events (seed ${seed}; ${rateLimitWaits.count} waits for the rate limit)`);
  console.table(volume);
});

/** `{ok:false, code, message}` with a known code and a message a person can read. */
function expectClearRefusal(ack: Ack<object>, context: string): void {
  if (ack.ok) return;
  expect(Object.keys(ack).sort(), context).toEqual(['code', 'message', 'ok']);
  expect(ERROR_CODES, context).toContain(ack.code);
  expect(ack.message, context).toMatch(/\S/);
  expect(ack.message.length, context).toBeLessThanOrEqual(1000);
}

/** Runs a property and fails with the seed, the case path and a shortened message (cases may be megabytes). */
async function check<T>(property: fc.IAsyncProperty<T>, runs: number): Promise<void> {
  const details = await fc.check(property, { numRuns: runs, seed, endOnFailure: true });
  if (details.failed) {
    throw new Error(
      `failed after ${details.numRuns} cases (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}`.slice(0, 4000),
      { cause: details.errorInstance },
    );
  }
}

describe('every client event, fuzzed', () => {
  it.each(events)('%s refuses hostile payloads with a clear message and changes nothing', { timeout: 120_000 }, async (event) => {
    const fx = await fuzzWorkshop(server.url);
    const roles = registeredRoles.get(event) ?? [];
    expect(roles, `${event} has no handler`).not.toHaveLength(0);
    const client = roles.includes('participant') ? fx.participant : fx.facilitator;
    const schema = clientEventSchemas[event];
    const stats: Volume = (volume[event] = { cases: 0, refusedByShape: 0, validShape: 0, accepted: 0, closed: 0 });
    let stored = await fx.fingerprint();

    const property = fc.asyncProperty(hostilePayload(fx.valid[event]), callMode, async (payload, mode) => {
      stats.cases++;
      const context = `${event} (${mode}) ${describeValue(payload)}`;
      // Only a well-formed payload with a callback after it may get as far as changing something.
      const mayChange = (mode === 'ack' || mode === 'noAck') && schema.safeParse(onTheWire(payload)).success;
      const bytes = Buffer.byteLength(serialize(mode === 'noPayload' ? [event] : [event, payload]) ?? '') + 8;
      if (mayChange) {
        stats.validShape++;
        expect(await fx.fingerprint(), 'an earlier refused case changed the stored state').toBe(stored);
      } else stats.refusedByShape++;

      const outcome = await client.emit(event, payload, mode);
      if (bytes > SOCKET_IO_MAX_BYTES + 64) expect(outcome.kind, context).toBe('closed');
      else if (bytes < SOCKET_IO_MAX_BYTES - 64) expect(outcome.kind, context).toBe(mode === 'noAck' || mode === 'badAck' ? 'unanswered' : 'ack');
      if (outcome.kind === 'closed') stats.closed++;
      if (outcome.kind === 'ack') {
        const { ack } = outcome;
        expectClearRefusal(ack, context);
        if (!mayChange) expect(ack, context).toMatchObject({ ok: false, code: ErrorCode.invalidInput });
        else expect(ack.ok || (ack.code !== ErrorCode.internal && ack.code !== ErrorCode.rateLimited), `${context}: ${JSON.stringify(ack)}`).toBe(true);
        if (ack.ok) stats.accepted++;
      }
      if (mayChange) {
        const after = await fx.fingerprint();
        const refused = outcome.kind === 'closed' || (outcome.kind === 'ack' && !outcome.ack.ok);
        if (refused) expect(after, `${context} was refused but changed the stored state`).toBe(stored);
        stored = after;
      }
    });
    await check(property, RUNS);

    expect(await fx.fingerprint(), 'a refused case changed the stored state').toBe(stored);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('error messages', () => {
  it('stay short for a payload with hundreds of problems and long keys', async () => {
    const fx = await fuzzWorkshop(server.url);
    const counts = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`${'k'.repeat(200)}${i}`, -1]));
    const ack = await fx.facilitator.send('poll:paperTally', { pollId: fx.ids.poll, ballots: 1, counts });
    expect(ack).toMatchObject({ ok: false, code: ErrorCode.invalidInput });
    if (!ack.ok) {
      expect(ack.message.length).toBeLessThanOrEqual(1000);
      expect(ack.message).toMatch(/and \d+ more$/);
    }
  });
});

describe('roles', () => {
  it('every client event has a handler that names who may send it', () => {
    expect([...registeredRoles.keys()].sort()).toEqual([...events].sort());
  });

  const roles: Role[] = ['participant', 'screen', 'cofacilitator', 'facilitator'];
  it.each(roles)('a %s is refused every event it may not send, whatever the payload, and nothing changes', { timeout: 60_000 }, async (role) => {
    const fx = await fuzzWorkshop(server.url);
    const { created } = fx;
    const client =
      role === 'participant'
        ? fx.participant
        : role === 'facilitator'
          ? fx.facilitator
          : new RotatingClient(
              server.url,
              role === 'screen' ? screenAuth(created) : { role: 'facilitator', workshopId: created.id, key: created.coFacilitatorKey },
            );
    const before = await fx.fingerprint();
    const refused = events.filter((event) => registeredRoles.has(event) && !registeredRoles.get(event)?.includes(role));
    // Small enough for Socket.IO's message limit: an oversized one would close the connection before any check.
    const hostile = fc.sample(
      hostileValue.filter((v) => (serialize(v) ?? '').length < 30_000),
      { numRuns: refused.length, seed },
    );
    for (const [i, event] of refused.entries()) {
      expect(await client.send(event, fx.valid[event]), event).toEqual({ ok: false, code: ErrorCode.forbidden, message: expect.stringContaining(event) });
      expect(await client.send(event, hostile[i]), event).toMatchObject({ ok: false, code: ErrorCode.forbidden });
    }
    expect(await fx.fingerprint()).toBe(before);
    console.log(`a ${role} is refused ${refused.length} events: ${refused.join(', ')}`);
  });
});
