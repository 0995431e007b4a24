/**
 * Several nodes (REDIS_URL): `server/main.ts` twice, in child processes on different ports, sharing one Redis and
 * one PostgreSQL database. The first node a facilitator reaches owns the workshop; the other forwards to it.
 * Here: what they refuse to start without, a room working across both nodes with identical results, one ballot
 * per person whichever node they use, a Pol.is import sent to the owner, a slow owner's answer, and what the
 * Redis operator can see.
 * Outages and crashes are in multiNodeFailover.test.ts.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readNotes } from '../../shared/boardDoc.js';
import { connect, createWorkshop, facilitatorAuth, nextEvent, participantAuth, screenAuth, send, newToken, ok } from '../helpers/clients.js';
import { addActivity, cluster, redis, useMultiNodeCluster } from '../helpers/multiNodeCluster.js';
import { monitorRedis } from '../helpers/redisServer.js';
import { openDoc } from '../helpers/yjsClients.js';

const { servers, startNodes } = useMultiNodeCluster();

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
      await expect
        .poll(() =>
          readNotes(doc)
            .map((n) => n.text)
            .sort(),
        )
        .toEqual(['Note 0', 'Note 1', 'Note 2', 'Note 3']);
    }

    // Hiding compacts the stored log on the owner (merged under the document's lock): the note leaves both
    // nodes, and a node loading the document afresh finds every other note.
    await ok(send(lead, 'board:hideNote', { boardId, noteId: notes[2] }));
    for (const doc of [boardOnA.doc, boardOnB.doc]) await expect.poll(() => readNotes(doc).length).toBe(3);
    boardOnB.doc.getMap('probe').set('after-hide', true);
    const fresh = await openDoc(b.url, colead, `board-${boardId}`);
    expect(
      readNotes(fresh.doc)
        .map((n) => n.text)
        .sort(),
    ).toEqual(['Note 0', 'Note 1', 'Note 3']);

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

  it('a Pol.is import reaching a node that does not run the workshop is sent back to try again; the owner takes it', async () => {
    const [a, b] = await startNodes();
    const created = await createWorkshop(a.url, { title: 'Imported', anonymityThreshold: 5 });
    const { socket: lead } = await connect(a.url, facilitatorAuth(created)); // a runs it now
    const { socket: onB } = await connect(b.url, facilitatorAuth(created));
    const file = (name: string) => readFileSync(new URL(`../fixtures/polis/brexit-consensus/${name}`, import.meta.url), 'utf8');
    const post = (url: string) =>
      fetch(`${url}/api/workshops/${created.id}/import/polis`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${created.facilitatorKey}` },
        body: JSON.stringify({ comments: file('comments.csv'), participantsVotes: file('participants-votes.csv'), groupColumn: 'group-id' }),
      });
    const elsewhere = await post(b.url);
    expect(elsewhere.status).toBe(503);
    expect(elsewhere.headers.get('retry-after')).toBe('1');
    const seenOnB = nextEvent(onB, 'agenda:changed', (agenda) => agenda.activities.length === 1);
    const here = await post(a.url);
    expect(here.status).toBe(201);
    const { activityId } = await here.json();
    expect((await seenOnB).activities[0]).toMatchObject({ id: activityId, kind: 'statements', state: 'closed' });
    // Through either node, the same analysis from the owner.
    const [fromA, fromB] = await Promise.all([lead, onB].map(async (s) => (await ok(send(s, 'statements:results', { activityId }))).results));
    expect(fromB).toEqual(fromA);
    expect(fromA!.voters).toBe(204);
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
      const answer = (phone.timeout(20_000).emitWithAck as (e: string, p: unknown) => Promise<{ ok: boolean }>)('poll:vote', {
        pollId,
        answer: { choice: 'yes' },
      });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await blocker.query('COMMIT');
      expect(await answer).toEqual({ ok: true });
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(6_000);
    } finally {
      await blocker.end();
    }
    expect((await ok(send(phone, 'poll:myAnswer', { pollId }))).answer).toEqual({ choice: 'yes' });
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
