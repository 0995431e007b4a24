/**
 * Several nodes (REDIS_URL) when something fails: while their shared Redis is down the nodes say so and go on
 * where they can, and once it is back they catch up by themselves (a deletion, a rotated link included). Killing
 * a node (SIGKILL) stands in for a crash; reconnecting to the other node's URL for a load balancer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readNotes } from '../../shared/boardDoc.js';
import { YjsCloseCode } from '../../shared/protocol/index.js';
import { connect, createWorkshop, facilitatorAuth, nextEvent, participantAuth, send, newToken, ok } from '../helpers/clients.js';
import { addActivity, cluster, useMultiNodeCluster } from '../helpers/multiNodeCluster.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import type { ServerProcess } from '../helpers/serverProcess.js';
import { openDoc } from '../helpers/yjsClients.js';

const { servers, startNodes } = useMultiNodeCluster();

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
      // A request that meets the node as it drops its Redis connection may be cut ("other side closed"): ask again.
      await expect.poll(() => Promise.all([health(a), health(b)]), { timeout: 10_000 }).toEqual([503, 503]);
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
    expect(
      readNotes(board.doc)
        .map((n) => n.text)
        .sort(),
    ).toEqual(['After', 'Before 0', 'Before 1', 'Before 2']);
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
