/**
 * The deployment of docs/DEPLOYMENT.md, for real: nginx with deploy/nginx.conf (as compose.yaml mounts it) in front of two nodes
 * sharing PostgreSQL and Redis, round-robin with no stickiness. Everything goes through nginx — the API, Socket.IO
 * and the Yjs WebSockets (a ticket issued by one node is redeemed on whichever node nginx picks) — and the nodes
 * run with TRUST_PROXY set to nginx's address, so per-address limits see each phone's own address (each test
 * client connects from its own loopback address, 127.0.x.y, as phones behind different routers would).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readNotes } from '../../shared/boardDoc.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, joinUntilRefused, ok, participantAuth, send, type TestSocket } from '../helpers/clients.js';
import { cluster, redis, useMultiNodeCluster } from '../helpers/multiNodeCluster.js';
import { startNginx, type NginxServer } from '../helpers/nginxServer.js';
import { scrapeSamples, valueOf } from '../helpers/prometheus.js';
import { SERVICES } from '../helpers/services.js';
import { needs } from '../helpers/suiteNeeds.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const { servers } = useMultiNodeCluster();
needs(SERVICES.nginx);
let nginx: NginxServer | undefined;
afterEach(async () => {
  await nginx?.stop();
  nginx = undefined;
});

const METRICS_TOKEN = 'metrics-token-behind-nginx-0123';

/** Two nodes behind the shipped nginx; one new participant a second per address (bursts of 5) on each node. */
async function startDeployment(): Promise<{ proxy: NginxServer; nodes: string[] }> {
  const env = { DATABASE_URL: await cluster.createDatabase(), ...redis.env, TRUST_PROXY: '127.0.0.1', ADDRESS_JOINS_PER_SECOND: '1', METRICS_TOKEN };
  const a = await servers.start({ env });
  const b = await servers.start({ env });
  nginx = await startNginx([a.url, b.url].map((url) => new URL(url).host));
  return { proxy: nginx, nodes: [a.url, b.url] };
}

describe('behind nginx, configured as deploy/nginx.conf says', () => {
  it('serves the API, Socket.IO and Yjs from two nodes without sticky sessions, and limits each phone by its own address', async () => {
    const { proxy, nodes } = await startDeployment();
    const { url } = proxy;
    // HSTS on every answer (TLS is nginx's); /metrics stays inside, token or not.
    const page = await fetch(`${url}/api/settings`);
    expect(page.status).toBe(200);
    expect(page.headers.get('strict-transport-security')).toBe('max-age=63072000');
    for (const path of ['/metrics', '/metrics/', '/METRICS', '/Metrics/']) {
      expect((await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, path).toBe(404);
    }
    const created = await createWorkshop(url, { title: 'Behind nginx', anonymityThreshold: 3 });
    const { socket: lead } = await connect(url, facilitatorAuth(created));
    const boardId = (await ok(send(lead, 'agenda:add', { activity: { kind: 'board', title: 'Priorities' } }))).id;
    await ok(send(lead, 'agenda:goTo', { id: boardId }));

    // Phones land on either node (round robin); their notes all reach a board opened through nginx.
    const phones: TestSocket[] = [];
    for (let i = 0; i < 4; i++) phones.push((await connect(url, participantAuth(created), { localAddress: `127.0.1.${i + 2}` })).socket);
    for (const [i, phone] of phones.entries()) await ok(send(phone, 'board:addNote', { boardId, text: `Note ${i}` }));
    const board = await openDoc(url, lead, `board-${boardId}`);
    await expect
      .poll(() =>
        readNotes(board.doc)
          .map((n) => n.text)
          .sort(),
      )
      .toEqual(['Note 0', 'Note 1', 'Note 2', 'Note 3']);

    // Two copies of the plan, each through its own WebSocket (so on both nodes), stay in step.
    const [planOne, planTwo] = [await openDoc(url, lead, 'plan'), await openDoc(url, lead, 'plan')];
    planOne!.doc.getText('probe').insert(0, 'one;');
    await expect.poll(() => planTwo!.doc.getText('probe').toString()).toBe('one;');
    planTwo!.doc.getText('probe').insert(4, 'two;');
    await expect.poll(() => planOne!.doc.getText('probe').toString()).toBe('one;two;');

    // Every ballot counted once, whichever node took it.
    const pollId = (
      await ok(send(lead, 'agenda:add', { activity: { kind: 'poll', title: 'Trust', question: 'Safe at night?', type: 'single', options: ['Yes', 'No'] } }))
    ).id;
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'open' }));
    for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId, answer: { choice: i % 2 ? 'no' : 'yes' } }));
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'closed' }));
    expect((await ok(send(lead, 'poll:results', { pollId }))).results.respondents).toBe(4);

    // One address joining over and over is refused once its bursts on both nodes are spent…
    const { joined, refusal, mostAllowed } = await joinUntilRefused(url, created, () => ({ localAddress: '127.0.2.9' }));
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    expect(joined).toBeLessThanOrEqual(mostAllowed(5, 2));
    // …while other phones behind the same nginx still get in: nginx named each one in X-Forwarded-For.
    for (let i = 0; i < 4; i++) await connect(url, participantAuth(created), { localAddress: `127.0.3.${i + 2}` });

    // Each node's /metrics (scraped from inside, not through nginx): one owns the workshop, the other forwards
    // its connections there, and both are linked to Redis.
    const scraped = await Promise.all(nodes.map((node) => scrapeSamples(node, METRICS_TOKEN)));
    const placements = scraped.map((all) => [
      valueOf(all, 'roundtable_workshops', { placement: 'owned' }),
      valueOf(all, 'roundtable_workshops', { placement: 'forwarded' }),
    ]);
    expect(placements.sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    for (const all of scraped) expect(valueOf(all, 'roundtable_redis_connected')).toBe(1);

    // Both nodes served Socket.IO and Yjs connections: tickets issued by the workshop's owner were redeemed on
    // the other node too. (nginx logs a WebSocket once it is closed.)
    closeDocs();
    disconnectAll();
    const nodesServing = (prefix: string) =>
      new Set(
        proxy
          .served()
          .filter((r) => r.path.startsWith(prefix))
          .map((r) => r.upstream),
      );
    await expect.poll(() => nodesServing('/yjs/').size).toBe(2);
    await expect.poll(() => nodesServing('/socket.io/').size).toBe(2);
  }, 90_000);
});
