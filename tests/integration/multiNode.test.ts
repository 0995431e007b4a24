/**
 * Several nodes (REDIS_URL): `server/main.ts` twice, in child processes on different ports, sharing one Redis and
 * one PostgreSQL database. The first node a facilitator reaches owns the workshop; the other forwards to it.
 * Killing a node (SIGKILL) stands in for a crash; reconnecting to the other node's URL for a load balancer.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readNotes } from '../../shared/boardDoc.js';
import { YjsCloseCode } from '../../shared/protocol/index.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, nextEvent, participantAuth, screenAuth, send, newToken, type TestSocket, ok } from '../helpers/clients.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgresCluster.js';
import { monitorRedis, startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { useServerProcesses, type ServerProcess } from '../helpers/serverProcess.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

let cluster: PostgresCluster;
let redis: RedisServer;
beforeAll(async () => {
  [cluster, redis] = await Promise.all([startPostgresCluster(), startRedisServer()]);
}, 120_000);
afterAll(async () => {
  await redis?.stop();
  await cluster?.stop();
});

const servers = useServerProcesses();
afterEach(() => {
  closeDocs();
  disconnectAll();
});

/** Two nodes on a fresh database (its URL third, for tests that reach into PostgreSQL). */
async function startNodes(): Promise<[ServerProcess, ServerProcess, string]> {
  const databaseUrl = await cluster.createDatabase();
  const start = () => servers.start({ env: { DATABASE_URL: databaseUrl, ...redis.env } });
  // One after the other: the first runs the migrations (the second would wait for its lock anyway).
  const a = await start();
  return [a, await start(), databaseUrl];
}

/** The Redis servers of tests that stop and restart their own; each is stopped after its test. */
const ownRedises: RedisServer[] = [];
afterEach(async () => {
  for (const own of ownRedises.splice(0)) await own.stop();
});

/** Two nodes on a Redis of their own, and an outage of it to stage: `begin` stops it, `end` starts it again, empty. */
async function startNodesOnOwnRedis() {
  const first = await startRedisServer();
  ownRedises.push(first);
  const env = { DATABASE_URL: await cluster.createDatabase(), ...first.env };
  const a = await servers.start({ env });
  const b = await servers.start({ env });
  const outage = {
    /** Stops Redis and waits until both nodes say so (503 on /healthz). */
    async begin() {
      await first.stop();
      await expect.poll(() => Promise.all([health(a), health(b)])).toEqual([503, 503]);
    },
    /** Starts Redis again on the same port, knowing nothing of before. */
    async end() {
      ownRedises.push(await startRedisServer({ port: first.port }));
    },
  };
  return { a, b, outage };
}

const health = async (node: ServerProcess) => (await fetch(`${node.url}/healthz`)).status;

async function kill(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

const addActivity = async (facilitator: TestSocket, activity: Record<string, unknown>) =>
  (await ok(send(facilitator, 'agenda:add', { activity }))).id;

/** Retries `attempt` until it is acknowledged: a client whose node was just killed, or whose owner is being replaced. */
async function eventually<T extends { ok: boolean }>(attempt: () => Promise<T>): Promise<T & { ok: true }> {
  let last: unknown;
  const deadline = Date.now() + 25_000;
  while (Date.now() < deadline) {
    try {
      const result = await attempt();
      if (result.ok) return result as T & { ok: true };
      last = result;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`never acknowledged: ${JSON.stringify(last)}`);
}

describe('several server nodes sharing Redis and PostgreSQL', () => {
  it('refuses to start with REDIS_URL but no DATABASE_URL', async () => {
    const attempt = servers.start({ env: { REDIS_URL: redis.url } });
    await expect(attempt).rejects.toThrow(/REDIS_URL \(several nodes\) needs DATABASE_URL/);
  });

  it('agenda, presence, notes, votes and plan edits reach clients on both nodes, with identical results', async () => {
    const [a, b] = await startNodes();
    const created = await createWorkshop(a.url, { title: 'Two nodes', anonymityThreshold: 3 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created));
    const { socket: colead } = await connect(b.url, facilitatorAuth(created));
    const phones = await Promise.all([a, a, b, b].map(async (node) => (await connect(node.url, participantAuth(created))).socket));

    // Presence counts the participants of both nodes, on both nodes.
    await expect.poll(async () => (await nextEvent(phones[3]!, 'presence:changed')).connected, { timeout: 10_000 }).toBe(4);

    // An agenda change made on node B (forwarded to the owner, A) reaches phones on A and B.
    const boardId = await addActivity(colead, { kind: 'board', title: 'Priorities' });
    const moved = Promise.all(phones.map((phone) => nextEvent(phone, 'activity:changed', (position) => position.activity?.id === boardId)));
    await ok(send(colead, 'agenda:goTo', { id: boardId }));
    await moved;

    // A timer started from node B: every phone, on either node, counts down to the same instant.
    const timers = Promise.all(phones.map((phone) => nextEvent(phone, 'timer:changed', (update) => update.timer !== null)));
    await ok(send(colead, 'timer:start', { seconds: 300 }));
    const endsAt = new Set((await timers).map((update) => update.timer!.endsAt));
    expect(endsAt.size).toBe(1);
    expect([...endsAt][0]).toBeGreaterThan(Date.now() + 290_000);

    // Notes from phones on both nodes appear in the board document on both nodes.
    const boardOnA = await openDoc(a.url, lead, `board-${boardId}`);
    const boardOnB = await openDoc(b.url, colead, `board-${boardId}`);
    const notes = [];
    for (const [i, phone] of phones.entries()) notes.push((await ok(send(phone, 'board:addNote', { boardId, text: `Note ${i}` }))).noteId);
    for (const doc of [boardOnA.doc, boardOnB.doc]) {
      await expect.poll(() => readNotes(doc).map((n) => n.text).sort()).toEqual(['Note 0', 'Note 1', 'Note 2', 'Note 3']);
    }

    // Hiding compacts the stored log on the owner (merged under the document's lock): the note leaves both
    // nodes, and a node loading the document afresh finds every other note.
    await ok(send(lead, 'board:hideNote', { boardId, noteId: notes[2] }));
    for (const doc of [boardOnA.doc, boardOnB.doc]) await expect.poll(() => readNotes(doc).length).toBe(3);
    boardOnB.doc.getMap('probe').set('after-hide', true);
    const fresh = await openDoc(b.url, colead, `board-${boardId}`);
    expect(readNotes(fresh.doc).map((n) => n.text).sort()).toEqual(['Note 0', 'Note 1', 'Note 3']);

    // Plan edits go both ways.
    const planOnA = await openDoc(a.url, lead, 'plan');
    const planOnB = await openDoc(b.url, colead, 'plan');
    planOnA.doc.getText('probe').insert(0, 'from A;');
    await expect.poll(() => planOnB.doc.getText('probe').toString()).toBe('from A;');
    planOnB.doc.getText('probe').insert(7, 'from B;');
    await expect.poll(() => planOnA.doc.getText('probe').toString()).toBe('from A;from B;');

    // Votes from both nodes, one count: results are the same whichever node a client is on.
    const pollId = await addActivity(lead, { kind: 'poll', title: 'Trust', question: 'Safe at night?', type: 'single', options: ['Yes', 'No'] });
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'open' }));
    for (const [i, phone] of phones.entries()) await ok(send(phone, 'poll:vote', { pollId, answer: { choice: i < 3 ? 'yes' : 'no' } }));
    const finalOnB = nextEvent(colead, 'poll:results', (r) => r.pollId === pollId && r.tally !== null);
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'closed' }));
    const [onA, onB] = await Promise.all([send(lead, 'poll:results', { pollId }), send(colead, 'poll:results', { pollId })]);
    expect(onA).toEqual(onB);
    expect(onA).toMatchObject({ ok: true, results: { respondents: 4 } });
    expect((await finalOnB).respondents).toBe(4);
  }, 60_000);

  it('a participant connected to both nodes with the same token has one ballot', async () => {
    const [a, b] = await startNodes();
    const created = await createWorkshop(a.url, { title: 'Same person twice', anonymityThreshold: 3 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created));
    const token = newToken();
    const { socket: onA } = await connect(a.url, participantAuth(created, token));
    const { socket: onB } = await connect(b.url, participantAuth(created, token));
    const others = await Promise.all([a, b].map(async (node) => (await connect(node.url, participantAuth(created))).socket));
    const pollId = await addActivity(lead, { kind: 'poll', title: 'Trust', question: 'Safe at night?', type: 'single', options: ['Yes', 'No'] });
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'open' }));
    // Both at once, from both nodes: the owner casts them one after the other, the second replacing the first.
    await Promise.all([ok(send(onA, 'poll:vote', { pollId, answer: { choice: 'yes' } })), ok(send(onB, 'poll:vote', { pollId, answer: { choice: 'no' } }))]);
    for (const other of others) await ok(send(other, 'poll:vote', { pollId, answer: { choice: 'yes' } }));
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'closed' }));
    const results = await ok(send(lead, 'poll:results', { pollId }));
    expect(results.results.respondents).toBe(3);
    const mine = await ok(send(onB, 'poll:myAnswer', { pollId }));
    expect((await ok(send(onA, 'poll:myAnswer', { pollId }))).answer).toEqual(mine.answer);
  }, 60_000);

  it('an event that takes the owner longer than a forwarding round is answered "done", not "try again"', async () => {
    const [a, b, databaseUrl] = await startNodes();
    const created = await createWorkshop(a.url, { title: 'Slow database', anonymityThreshold: 3 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created));
    const pollId = await addActivity(lead, { kind: 'poll', title: 'Trust', question: 'Safe at night?', type: 'single', options: ['Yes', 'No'] });
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'open' }));
    const { socket: phone } = await connect(b.url, participantAuth(created));

    // Someone else holds the ballot tables for 6 s (a long VACUUM, a backup): the owner's commit waits.
    const blocker = new pg.Client({ connectionString: databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE voters, ballots IN EXCLUSIVE MODE');
      const sentAt = Date.now();
      const answer = (phone.timeout(20_000).emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean }>)('poll:vote', { pollId, answer: { choice: 'yes' } });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await blocker.query('COMMIT');
      expect(await answer).toEqual({ ok: true });
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(6_000);
    } finally {
      await blocker.end();
    }
    expect((await ok(send(phone, 'poll:myAnswer', { pollId }))).answer).toEqual({ choice: 'yes' });
  }, 60_000);

  it('while Redis is down the nodes say so and go on where they can; once it is back they catch up by themselves, losing nothing', async () => {
    const { a, b, outage } = await startNodesOnOwnRedis();
    const created = await createWorkshop(a.url, { title: 'Redis restarts', anonymityThreshold: 3 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created));
    const presentOnA: number[] = [];
    lead.on('presence:changed', (presence) => presentOnA.push(presence.connected));
    const { socket: colead } = await connect(b.url, facilitatorAuth(created));
    const { socket: phone } = await connect(b.url, participantAuth(created));
    await expect.poll(() => presentOnA.at(-1), { timeout: 10_000 }).toBe(1);
    // As the page does (client/src/lib/WorkshopConnection.svelte.ts): a connection the server ended is made again.
    for (const socket of [lead, colead, phone]) socket.on('disconnect', (reason) => reason === 'io server disconnect' && socket.connect());
    let leadDisconnects = 0;
    lead.on('disconnect', () => leadDisconnects++);
    // What the phone shows, whether it hears of it as a change or in a snapshot after reconnecting.
    let shownOnPhone: string | undefined;
    phone.on('activity:changed', (current) => (shownOnPhone = current.activity?.id));
    phone.on('session:snapshot', (snapshot) => (shownOnPhone = snapshot.current.activity?.id));
    const planOnA = await openDoc(a.url, lead, 'plan');
    const planOnB = await openDoc(b.url, colead, 'plan');
    expect([await health(a), await health(b)]).toEqual([200, 200]);

    await outage.begin();
    // Meanwhile each node serves what it can alone: the owner (A) its own clients, both nodes their plan writers.
    const during = await addActivity(lead, { kind: 'info', title: 'During the outage' });
    const leadSees = nextEvent(lead, 'activity:changed', (current) => current.activity?.id === during);
    await ok(send(lead, 'agenda:goTo', { id: during }));
    const movedAt = Date.now();
    await leadSees;
    expect(Date.now() - movedAt).toBeLessThan(1_000); // not held back until a Redis command times out (5 s)
    planOnA.doc.getText('probe').insert(0, 'A;');
    planOnB.doc.getText('probe').insert(0, 'B;');
    // What needs Redis is refused at once rather than left waiting to run late: a phone's event through the
    // other node, a Yjs ticket.
    const refusedAtOnce = async (attempt: Promise<unknown>) => {
      const sentAt = Date.now();
      expect(await attempt).toMatchObject({ ok: false, code: 'internal' });
      expect(Date.now() - sentAt).toBeLessThan(1_000);
    };
    await refusedAtOnce(send(phone, 'participant:setGroup', { groupId: null }));
    await refusedAtOnce(send(lead, 'yjs:ticket', { docName: 'plan' }));
    // A phone joining through the other node meanwhile is let in, and served once the owner can be reached.
    const newcomer = connect(b.url, participantAuth(created));
    // Down for longer than a lease (5 s) and than a node's word for its sockets lasts (8 s): the time is the
    // scenario here, not a wait for a result.
    await new Promise((resolve) => setTimeout(resolve, 9_000));

    await outage.end();
    await expect.poll(() => Promise.all([health(a), health(b)]), { timeout: 20_000 }).toEqual([200, 200]);
    // What each node stored alone reaches the other's clients: the same plan on both, with both edits.
    for (const plan of [planOnA, planOnB]) {
      await expect.poll(() => plan.doc.getText('probe').toString().split(';').sort(), { timeout: 10_000 }).toEqual(['', 'A', 'B']);
    }
    // The phones follow the activity shown during the outage.
    await expect.poll(() => shownOnPhone, { timeout: 10_000 }).toBe(during);
    expect((await newcomer).snapshot.current.activity?.id).toBe(during);
    // Redis lost every lease; the owner takes its workshop back (its own clients never notice), and the room
    // works across nodes again.
    const after = (await eventually(() => send(lead, 'agenda:add', { activity: { kind: 'info', title: 'After the restart' } }))).id;
    await eventually(() => send(lead, 'agenda:goTo', { id: after }));
    await expect.poll(() => shownOnPhone, { timeout: 10_000 }).toBe(after);
    expect((await eventually(() => send(phone, 'participant:setGroup', { groupId: null }))).ok).toBe(true);
    planOnB.doc.getText('probe').insert(0, 'C;');
    await expect.poll(() => planOnA.doc.getText('probe').toString().split(';').sort()).toEqual(['', 'A', 'B', 'C']);
    expect(leadDisconnects).toBe(0);
    // The phone on B was counted all along: nobody could vouch for it, but nothing said it had gone.
    expect(presentOnA).not.toContain(0);
  }, 90_000);

  it('a workshop deleted while Redis is down is closed on the other node too once Redis is back', async () => {
    const { a, b, outage } = await startNodesOnOwnRedis();
    const created = await createWorkshop(a.url, { title: 'Deleted in the dark', anonymityThreshold: 3 });
    await connect(a.url, facilitatorAuth(created));
    const { socket: colead } = await connect(b.url, facilitatorAuth(created));
    const planOnB = await openDoc(b.url, colead, 'plan');
    const closedOnB = new Promise<number | undefined>((resolve) => planOnB.once('connection-close', (event) => resolve(event?.code)));
    const endedOnB = new Promise((resolve) => colead.once('disconnect', resolve));

    await outage.begin();
    const deleted = await fetch(`${a.url}/api/workshops/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.facilitatorKey}` } });
    expect(deleted.status).toBe(204);
    await outage.end();
    // B never heard of the deletion (it was announced while Redis was away), but finds it out by itself.
    expect(await closedOnB).toBe(YjsCloseCode.notFound);
    await endedOnB;
  }, 60_000);

  it('a co-facilitator link rotated while Redis is down stops working on the other node too once Redis is back', async () => {
    const { a, b, outage } = await startNodesOnOwnRedis();
    const created = await createWorkshop(a.url, { title: 'New link in the dark', anonymityThreshold: 3 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created));
    const oldLink = { role: 'facilitator', workshopId: created.id, key: created.coFacilitatorKey } as const;
    const { socket: colead, snapshot } = await connect(b.url, oldLink);
    expect(snapshot.role).toBe('cofacilitator');
    const ended = new Promise((resolve) => colead.once('disconnect', resolve));

    await outage.begin();
    await ok(send(lead, 'access:rotateCoFacilitatorLink', {}));
    await outage.end();
    await ended;
    // Reconnecting with the old link is refused by the handshake, on either node.
    for (const node of [a, b]) await expect(connect(node.url, oldLink)).rejects.toThrow();
  }, 60_000);

  it('when a proxy node is killed its participants continue on the other node, and nothing acknowledged is lost', async () => {
    const [a, b] = await startNodes();
    const created = await createWorkshop(a.url, { title: 'Node B dies', anonymityThreshold: 3 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created));
    const boardId = await addActivity(lead, { kind: 'board', title: 'Priorities' });
    await ok(send(lead, 'agenda:goTo', { id: boardId }));
    const tokens = [newToken(), newToken(), newToken()];
    const phones = await Promise.all(tokens.map(async (token) => (await connect(b.url, participantAuth(created, token))).socket));
    const noteIds = [];
    for (const [i, phone] of phones.entries()) noteIds.push((await ok(send(phone, 'board:addNote', { boardId, text: `Before ${i}` }))).noteId);

    await kill(b);
    for (const phone of phones) phone.disconnect();
    // The load balancer sends them to A now.
    const again = await Promise.all(tokens.map(async (token) => (await connect(a.url, participantAuth(created, token))).socket));
    for (const [i, phone] of again.entries()) {
      expect((await ok(send(phone, 'board:myNotes', { boardId }))).noteIds).toEqual([noteIds[i]]);
    }
    await ok(send(again[0]!, 'board:addNote', { boardId, text: 'After' }));
    const board = await openDoc(a.url, lead, `board-${boardId}`);
    expect(readNotes(board.doc).map((n) => n.text).sort()).toEqual(['After', 'Before 0', 'Before 1', 'Before 2']);
    // Presence forgets the dead node's connections and counts the returning ones once.
    await expect.poll(async () => (await nextEvent(again[0]!, 'presence:changed')).connected, { timeout: 15_000 }).toBe(3);
  }, 60_000);

  it('when the owner node is killed, the other node takes the workshop over', async () => {
    const [a, b] = await startNodes();
    const created = await createWorkshop(a.url, { title: 'Node A dies', anonymityThreshold: 3, groups: ['Police'] });
    const { socket: lead, snapshot: first } = await connect(a.url, facilitatorAuth(created));
    const police = first.workshop.groups[0]!.id;
    const pollId = await addActivity(lead, { kind: 'poll', title: 'Trust', question: 'Safe at night?', type: 'single', options: ['Yes', 'No'] });
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'open' }));
    const phones = await Promise.all([0, 1, 2].map(async () => (await connect(b.url, participantAuth(created))).socket));
    // Groups chosen through A, after B's handshake: B must not fall back on what it knew then when it takes over.
    for (const phone of phones) await ok(send(phone, 'participant:setGroup', { groupId: police }));
    await ok(send(phones[0]!, 'poll:vote', { pollId, answer: { choice: 'yes' } }));

    await ok(send(lead, 'timer:start', { seconds: 600 }));

    await kill(a);
    // Once A's lease has lapsed, B owns the workshop: the phones' events are answered again.
    await eventually(() => send(phones[1]!, 'poll:vote', { pollId, answer: { choice: 'no' } }));
    await ok(send(phones[2]!, 'poll:vote', { pollId, answer: { choice: 'no' } }));
    // The ballot acknowledged by A before it died is there.
    expect((await ok(send(phones[0]!, 'poll:myAnswer', { pollId }))).answer).toEqual({ choice: 'yes' });
    lead.disconnect();
    const { socket: back, snapshot } = await connect(b.url, facilitatorAuth(created));
    // The agenda and its running timer were stored by A, so B, loading the room, carries on with them.
    expect(snapshot.agenda?.activities.map((a) => a.id)).toEqual([pollId]);
    expect(snapshot.timer?.durationMs).toBe(600_000);
    expect(snapshot.presence).toMatchObject({ connected: 3, groups: [{ id: police, count: 3 }], other: 0 });
    const told = nextEvent(phones[0]!, 'poll:results', (r) => r.pollId === pollId && r.respondents === 3);
    await ok(send(back, 'activity:setState', { id: pollId, state: 'closed' }));
    const results = await ok(send(back, 'poll:results', { pollId }));
    expect(results.results.respondents).toBe(3);
    expect(results.results.tally).not.toBeNull();
    await told;
  }, 60_000);
});

/** The Redis operator's view; what Redis may still see is listed in docs/ANONYMITY.md. */
describe('what Redis sees of several nodes', () => {
  it('refuses to start on PostgreSQL and Redis without SEAL_KEY', async () => {
    const attempt = servers.start({ env: { DATABASE_URL: await cluster.createDatabase(), REDIS_URL: redis.url } });
    await expect(attempt).rejects.toThrow(/DATABASE_URL \(PostgreSQL\) needs SEAL_KEY/);
  });

  it('a MONITOR shows no token, key, participant, group, socket, note or answer of a phone or console on the proxy node', async () => {
    const databaseUrl = await cluster.createDatabase();
    const owner = await servers.start({ env: { DATABASE_URL: databaseUrl, ...redis.env } });
    const proxy = await servers.start({ env: { DATABASE_URL: databaseUrl, ...redis.env } });
    const created = await createWorkshop(owner.url, { title: 'Watched', anonymityThreshold: 3, groups: ['Residents', 'Police'] });
    const { socket: lead, snapshot } = await connect(owner.url, facilitatorAuth(created)); // the owner is the first node
    const police = snapshot.workshop.groups.find((g) => g.label === 'Police')!.id;
    const boardId = (await ok(send(lead, 'agenda:add', { activity: { kind: 'board', title: 'Concerns' } }))).id;
    const pollId = (await ok(send(lead, 'agenda:add', { activity: { kind: 'poll', title: 'Trust', type: 'open' } }))).id;
    await ok(send(lead, 'agenda:goTo', { id: boardId }));

    const monitor = await monitorRedis(redis);
    const token = newToken();
    const { socket: officer } = await connect(proxy.url, participantAuth(created, token));
    await ok(send(officer, 'participant:setGroup', { groupId: police }));
    await ok(send(officer, 'board:addNote', { boardId, text: 'the first note of the officer' }));
    await ok(send(officer, 'board:addNote', { boardId, text: 'the second note of the officer' }));
    await ok(send(lead, 'activity:setState', { id: pollId, state: 'open' }));
    await ok(send(officer, 'poll:vote', { pollId, answer: { text: 'a first wording' } }));
    await ok(send(officer, 'poll:vote', { pollId, answer: { text: 'the changed wording' } }));
    // A co-facilitator and a screen on the proxy node, both cut off by new links from the owner's console.
    const { socket: colead } = await connect(proxy.url, { role: 'facilitator', workshopId: created.id, key: created.coFacilitatorKey });
    const { socket: screen } = await connect(proxy.url, screenAuth(created));
    const cut = Promise.all([colead, screen].map((socket) => new Promise((resolve) => socket.once('disconnect', resolve))));
    const rotated = await ok(send(lead, 'access:rotateScreenLink', {}));
    await ok(send(lead, 'access:rotateCoFacilitatorLink', {}));
    await cut;
    const seen = await monitor.stop();

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const participantId = (await db.query<{ id: string }>('SELECT id FROM participants')).rows[0]!.id;
    await db.end();
    // The monitor saw the nodes talk about this phone: its attach, events and acks went through Redis.
    expect(seen.match(/"PUBLISH"/g)?.length ?? 0).toBeGreaterThan(6);
    const keyOf = (url: string) => new URL(url).hash.slice('#key='.length);
    const keys = [created.facilitatorKey, created.coFacilitatorKey, keyOf(created.urls.screen), keyOf(rotated.url)];
    // The group's id is the workshop's own setting (in its broadcasts); who chose it is what must not show.
    const personal = [token, participantId, 'groupId', officer.id!, 'the first note', 'the second note', 'a first wording', 'the changed wording', ...keys];
    expect(personal.filter((value) => seen.includes(value))).toEqual([]);
  }, 60_000);
});
