/**
 * GET /metrics (docs/DEPLOYMENT.md, "Metrics"): served only with METRICS_TOKEN and only to a scraper bearing it;
 * counts what an operator needs, and no label ever names a workshop, a join code, a group or a person.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol/index.js';
import { clientEventSchemas } from '../../shared/protocol/schemas.js';
import { connect, createWorkshop, facilitatorAuth, newToken, ok, participantAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';
import { openDoc } from '../helpers/yjsClients.js';
import { samples, scrape, valueOf } from '../helpers/prometheus.js';

const TOKEN = 'metrics-token-for-the-tests-0123';
const server = useTestServer({ metricsToken: TOKEN });
const untokened = useTestServer();

describe('GET /metrics', () => {
  it('is not there without METRICS_TOKEN, and asks for the token where it is set', async () => {
    expect((await scrape(untokened.url, TOKEN)).status).toBe(404);
    expect((await scrape(server.url)).status).toBe(401);
    const wrong = await scrape(server.url, 'not-the-metrics-token-at-all');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: ErrorCode.unauthorized });
    // The token goes in the header only: one in the query string is no token.
    expect((await fetch(`${server.url}/metrics?token=${TOKEN}`)).status).toBe(401);
  });

  it('counts connections by role, workshops, events with their ack times, Yjs messages, store writes and the process', async () => {
    const created = await createWorkshop(server.url, { title: 'Metrics room', groups: ['Residents of Elm Street'] });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const token = newToken();
    const phones = await Promise.all([token, newToken()].map(async (t) => (await connect(server.url, participantAuth(created, t))).socket));
    const pollId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'poll', title: 'Trust', type: 'single', options: ['Yes', 'No'] } }))).id;
    await ok(send(facilitator, 'activity:setState', { id: pollId, state: 'open' }));
    await ok(send(phones[0]!, 'poll:vote', { pollId, answer: { choice: 'yes' } }));
    expect(await send(phones[1]!, 'poll:vote', { pollId, answer: { choice: 'maybe' } })).toMatchObject({ ok: false, code: ErrorCode.invalidInput });
    const boardId = (await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Ideas' } }))).id;
    await ok(send(facilitator, 'agenda:goTo', { id: boardId }));
    await openDoc(server.url, facilitator, `board-${boardId}`);

    const response = await scrape(server.url, TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const all = samples(text);
    expect(valueOf(all, 'roundtable_connections', { role: 'participant' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(all, 'roundtable_connections', { role: 'facilitator' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'roundtable_workshops', { placement: 'owned' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'roundtable_workshops', { placement: 'forwarded' })).toBe(0);
    expect(valueOf(all, 'roundtable_yjs_connections')).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'roundtable_yjs_messages_received_total')).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'roundtable_client_events_total', { event: 'poll:vote', answer: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'roundtable_client_events_total', { event: 'poll:vote', answer: ErrorCode.invalidInput })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'roundtable_client_event_seconds_count', { event: 'poll:vote' })).toBeGreaterThanOrEqual(2);
    expect(valueOf(all, 'roundtable_store_write_seconds_count', { operation: 'createWorkshop', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(all, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(all, 'nodejs_eventloop_lag_p99_seconds')).toBeDefined();
    // A single node has no Redis link to report.
    expect(valueOf(all, 'roundtable_redis_connected')).toBeUndefined();

    // Nothing that names a workshop or anyone in it, in a label or anywhere else.
    for (const secret of [created.id, created.joinCode, created.facilitatorKey, token, 'Elm Street', 'residents-of-elm-street', pollId, boardId]) {
      expect(text).not.toContain(secret);
    }
    // Every roundtable_ label is drawn from a fixed set.
    const allowed: Record<string, (value: string) => boolean> = {
      role: (v) => ['participant', 'screen', 'cofacilitator', 'facilitator'].includes(v),
      placement: (v) => v === 'owned' || v === 'forwarded',
      event: (v) => v in clientEventSchemas,
      answer: (v) => v === 'ok' || (Object.values(ErrorCode) as string[]).includes(v),
      operation: (v) => /^[a-z][A-Za-z]{2,40}$/.test(v),
      outcome: (v) => v === 'ok' || v === 'failed',
      le: (v) => v === '+Inf' || Number.isFinite(Number(v)),
    };
    for (const sample of all.filter((s) => s.name.startsWith('roundtable_'))) {
      for (const [label, value] of Object.entries(sample.labels)) {
        expect(allowed[label]?.(value), `${sample.name}{${label}="${value}"}`).toBe(true);
      }
    }
  });
});
