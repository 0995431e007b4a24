import { afterEach, describe, expect, it } from 'vitest';
import { ok, connect, createWorkshop, disconnectAll, facilitatorAuth, newToken, nextEvent, participantAuth, send } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';

const running: TestServer[] = [];
afterEach(async () => {
  disconnectAll();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('a server restart', () => {
  it('keeps the workshop, its agenda, the current activity, the timer and each participant', async () => {
    const first = await startTestServer();
    const created = await createWorkshop(first.url, { title: 'Dialogue', groups: ['Residents', 'Police'] });
    const facilitator = await connect(first.url, facilitatorAuth(created));
    const token = newToken();
    const phone = await connect(first.url, participantAuth(created, token));
    await send(phone.socket, 'participant:setGroup', { groupId: 'residents' });
    await ok(send(facilitator.socket, 'agenda:add', { activity: { kind: 'info', title: 'Welcome' } }));
    const rules = await ok(send(facilitator.socket, 'agenda:add', { activity: { kind: 'info', title: 'Ground rules' } }));
    await send(facilitator.socket, 'agenda:goTo', { id: rules.id });
    await send(facilitator.socket, 'timer:start', { seconds: 600 });
    const { snapshot: before } = await connect(first.url, facilitatorAuth(created));
    disconnectAll();
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    running.push(second);
    const { snapshot: after } = await connect(second.url, facilitatorAuth(created));
    expect(after.agenda).toEqual(before.agenda);
    expect(after.current.activity?.title).toBe('Ground rules');
    expect(after.timer?.endsAt).toBe(before.timer?.endsAt);
    const { snapshot: phoneAfter } = await connect(second.url, participantAuth(created, token));
    expect(phoneAfter.you).toEqual({ groupId: 'residents', drafter: false, name: '' });
    expect(phoneAfter.current.activity?.title).toBe('Ground rules');
  });

  it('is survived by connected phones: they reconnect on their own and land on the current activity', async () => {
    const first = await startTestServer();
    const created = await createWorkshop(first.url);
    const facilitator = await connect(first.url, facilitatorAuth(created));
    const phone = await connect(first.url, participantAuth(created));
    const added = await ok(send(facilitator.socket, 'agenda:add', { activity: { kind: 'info', title: 'After the break' } }));
    await first.close();

    // While the server is down the facilitator's change cannot happen; on restart (same port) phones come back.
    const resumed = nextEvent(phone.socket, 'session:snapshot');
    const second = await startTestServer({ dataDir: first.dataDir, port: first.port });
    running.push(second);
    expect((await resumed).current.activity).toBeNull();
    const seen = nextEvent(phone.socket, 'activity:changed');
    const lead = await connect(second.url, facilitatorAuth(created));
    await send(lead.socket, 'agenda:goTo', { id: added.id });
    expect((await seen).activity?.title).toBe('After the break');
  });
});

describe('a server restart during a live poll', () => {
  it('serves the last release as it was amended: answers hidden before and after the restart stay hidden', async () => {
    const first = await startTestServer();
    const created = await createWorkshop(first.url, { title: 'Dialogue', anonymityThreshold: 3 });
    const facilitator = await connect(first.url, facilitatorAuth(created));
    const added = await ok(send(facilitator.socket, 'agenda:add', { activity: { kind: 'poll', title: 'Say it', type: 'open', liveResults: true } }));
    await send(facilitator.socket, 'agenda:goTo', { id: added.id });
    const released = nextEvent(facilitator.socket, 'poll:results', (r) => r.tally !== null);
    for (const text of ['more lighting', 'a youth centre', 'a name and address']) {
      const phone = await connect(first.url, participantAuth(created));
      await send(phone.socket, 'poll:vote', { pollId: added.id, answer: { text } });
    }
    const answers = (await released).tally!.open!.answers;
    const identifying = answers.find((a) => a.text === 'a name and address')!;
    expect(await send(facilitator.socket, 'poll:hideAnswer', { pollId: added.id, answerId: identifying.id })).toEqual({ ok: true });
    disconnectAll();
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    running.push(second);
    const lead = await connect(second.url, facilitatorAuth(created));
    // Hidden after the restart, before anything asked for the results: stays hidden too.
    const another = answers.find((a) => a.text === 'a youth centre')!;
    expect(await send(lead.socket, 'poll:hideAnswer', { pollId: added.id, answerId: another.id })).toEqual({ ok: true });
    // Before any new vote: the release stored before the restart, without either hidden answer.
    const results = await ok(send(lead.socket, 'poll:results', { pollId: added.id }));
    expect(results.results.tally?.open?.answers.map((a) => a.text)).toEqual(['more lighting']);
  });
});

describe('a server restart and presence', () => {
  it('compares with the breakdown stored before it: everyone reconnecting is no change, a newcomer stays unseen', async () => {
    const first = await startTestServer();
    const created = await createWorkshop(first.url, { title: 'Dialogue', groups: ['Residents', 'Police'], anonymityThreshold: 3 });
    const facilitator = await connect(first.url, facilitatorAuth(created));
    const residents = Array.from({ length: 6 }, () => newToken());
    const officer = newToken();
    const six = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 6);
    for (const token of residents)
      await send((await connect(first.url, participantAuth(created, token))).socket, 'participant:setGroup', { groupId: 'residents' });
    expect(await six).toMatchObject({ groups: [{ id: 'residents', count: 6 }], other: 0 });
    const seven = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 7);
    await send((await connect(first.url, participantAuth(created, officer))).socket, 'participant:setGroup', { groupId: 'police' });
    expect(await seven).toMatchObject({ groups: [{ id: 'residents', count: 6 }], other: 0 }); // one change: held back
    disconnectAll();
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    running.push(second);
    const lead = await connect(second.url, facilitatorAuth(created));
    const back = nextEvent(lead.socket, 'presence:changed', (p) => p.connected === 7);
    for (const token of [...residents, officer]) await connect(second.url, participantAuth(created, token));
    // A fresh count would fold everyone into "other" now, which would say the newcomer is no resident.
    expect(await back).toMatchObject({ connected: 7, groups: [{ id: 'residents', count: 6 }], other: 0 });
  });
});
