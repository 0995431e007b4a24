import { describe, expect, it } from 'vitest';
import type { Agenda } from '../../shared/protocol/index.js';
import { connect, createWorkshop, facilitatorAuth, nextEvent, participantAuth, send, type TestSocket, screenAuth } from '../helpers/clients.js';
import { addActivity } from '../helpers/session.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

async function addSlides(socket: TestSocket, titles: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const title of titles) ids.push(await addActivity(socket, { kind: 'info', title, body: `About ${title}` }, { show: false }));
  return ids;
}

describe('running the agenda', () => {
  it('moves every phone to the next activity and back when the facilitator advances', async () => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const phones = await Promise.all([1, 2].map(() => connect(server.url, participantAuth(created))));
    const [welcome, rules] = await addSlides(facilitator.socket, ['Welcome', 'Ground rules']);

    // Earlier broadcasts (the agenda growing) may still be in flight: wait for the one that matters.
    const showing = (id: string | undefined) => phones.map(({ socket }) => nextEvent(socket, 'activity:changed', (c) => c.activity?.id === id));
    let seen = showing(welcome);
    expect(await send(facilitator.socket, 'agenda:step', { direction: 'next', expectedCurrentId: null })).toEqual({
      ok: true,
      currentId: welcome,
    });
    for (const current of await Promise.all(seen)) {
      expect(current).toMatchObject({ index: 0, total: 2, activity: { id: welcome, kind: 'info', title: 'Welcome', state: 'open' } });
    }

    seen = showing(rules);
    await send(facilitator.socket, 'agenda:step', { direction: 'next', expectedCurrentId: welcome });
    for (const current of await Promise.all(seen)) expect(current.activity?.id).toBe(rules);

    seen = showing(welcome);
    await send(facilitator.socket, 'agenda:step', { direction: 'back', expectedCurrentId: rules });
    for (const current of await Promise.all(seen)) expect(current.activity?.id).toBe(welcome);
  });

  it('refuses a step from a stale view instead of skipping an activity', async () => {
    const created = await createWorkshop(server.url);
    const a = await connect(server.url, facilitatorAuth(created));
    const b = await connect(server.url, facilitatorAuth(created));
    const [first] = await addSlides(a.socket, ['One', 'Two', 'Three']);
    await send(a.socket, 'agenda:step', { direction: 'next', expectedCurrentId: null });
    // b pressed "next" having seen the waiting screen; a already moved the room.
    expect(await send(b.socket, 'agenda:step', { direction: 'next', expectedCurrentId: null })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect((await send(a.socket, 'agenda:step', { direction: 'next', expectedCurrentId: first })).ok).toBe(true);
  });

  it('reorders, edits and removes activities, and every facilitator sees the new agenda', async () => {
    const created = await createWorkshop(server.url);
    const a = await connect(server.url, facilitatorAuth(created));
    const b = await connect(server.url, facilitatorAuth(created));
    const [one, two, three] = await addSlides(a.socket, ['One', 'Two', 'Three']);

    const version = (v: number) => (agenda: Agenda) => agenda.version === v;
    let changed = nextEvent(b.socket, 'agenda:changed', version(4));
    await send(a.socket, 'agenda:move', { id: three, toIndex: 0 });
    expect((await changed).activities.map((x) => x.id)).toEqual([three, one, two]);

    changed = nextEvent(b.socket, 'agenda:changed', version(5));
    await send(a.socket, 'agenda:update', { id: one, activity: { kind: 'info', title: 'One, revised', body: 'New text' } });
    expect((await changed).activities[1]).toMatchObject({ id: one, title: 'One, revised', body: 'New text' });

    changed = nextEvent(b.socket, 'agenda:changed', version(6));
    await send(a.socket, 'agenda:remove', { id: two });
    expect((await changed).activities.map((x) => x.id)).toEqual([three, one]);
  });

  it('sends everyone back to the waiting screen when the activity on screen is removed', async () => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const phone = await connect(server.url, participantAuth(created));
    const [id] = await addSlides(facilitator.socket, ['Only']);
    await send(facilitator.socket, 'agenda:goTo', { id });
    const seen = nextEvent(phone.socket, 'activity:changed', (c) => c.activity === null);
    await send(facilitator.socket, 'agenda:remove', { id });
    expect(await seen).toEqual({ activity: null, index: -1, total: 0 });
  });

  it('runs a countdown everyone sees, with pause, resume and extra time; a new activity clears it', async () => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const phone = await connect(server.url, participantAuth(created));
    const [one, two] = await addSlides(facilitator.socket, ['One', 'Two']);
    await send(facilitator.socket, 'agenda:goTo', { id: one });

    let update = nextEvent(phone.socket, 'timer:changed');
    const before = Date.now();
    expect(await send(facilitator.socket, 'timer:start', { seconds: 300 })).toEqual({ ok: true });
    const started = await update;
    expect(started.timer?.durationMs).toBe(300_000);
    expect(started.timer!.endsAt! - started.serverTime).toBeGreaterThan(299_000);
    // Server time is the start-up wall clock (whole milliseconds) carried forward by the monotonic clock: it may
    // trail Date.now() by a millisecond or so, never by a whole second.
    expect(started.timer!.endsAt!).toBeGreaterThanOrEqual(before + 300_000 - 50);

    update = nextEvent(phone.socket, 'timer:changed');
    await send(facilitator.socket, 'timer:pause', {});
    const paused = (await update).timer!;
    expect(paused.endsAt).toBeNull();
    expect(paused.remainingMs).toBeGreaterThan(298_000);

    update = nextEvent(phone.socket, 'timer:changed');
    await send(facilitator.socket, 'timer:adjust', { seconds: 60 });
    expect((await update).timer!.remainingMs).toBeGreaterThan(358_000);

    update = nextEvent(phone.socket, 'timer:changed');
    await send(facilitator.socket, 'timer:resume', {});
    expect((await update).timer!.endsAt).not.toBeNull();

    update = nextEvent(phone.socket, 'timer:changed');
    await send(facilitator.socket, 'agenda:goTo', { id: two });
    expect((await update).timer).toBeNull();
    expect(await send(facilitator.socket, 'timer:pause', {})).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('what a participant may do', () => {
  const facilitatorEvents: [string, unknown][] = [
    ['agenda:add', { activity: { kind: 'info', title: 'Hijack' } }],
    ['agenda:update', { id: 'AAAAAAAAAAAAAAAAAAAAAA', activity: { kind: 'info', title: 'x' } }],
    ['agenda:remove', { id: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    ['agenda:move', { id: 'AAAAAAAAAAAAAAAAAAAAAA', toIndex: 0 }],
    ['agenda:goTo', { id: null }],
    ['agenda:step', { direction: 'next', expectedCurrentId: null }],
    ['timer:start', { seconds: 60 }],
    ['timer:pause', {}],
    ['timer:resume', {}],
    ['timer:adjust', { seconds: 60 }],
    ['timer:clear', {}],
    ['access:rotateCoFacilitatorLink', {}],
    ['yjs:ticket', { docName: 'plan' }],
  ];

  it.each(facilitatorEvents)('a participant cannot call %s', async (event, payload) => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const phone = await connect(server.url, participantAuth(created));
    const result = await send(phone.socket, event as 'agenda:add', payload);
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.agenda?.version).toBe(0);
    facilitator.socket.disconnect();
  });

  it('a screen cannot change anything either', async () => {
    const created = await createWorkshop(server.url);
    const screen = await connect(server.url, screenAuth(created));
    expect(await send(screen.socket, 'agenda:step', { direction: 'next', expectedCurrentId: null })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await send(screen.socket, 'participant:setGroup', { groupId: null })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('bad input', () => {
  const invalid: [string, unknown, RegExp][] = [
    ['agenda:add', { activity: { kind: 'info', title: '' } }, /activity.title: must not be empty/],
    ['agenda:add', { activity: { kind: 'info', title: 'x'.repeat(121) } }, /at most 120/],
    ['agenda:add', { activity: { kind: 'video', title: 'x' } }, /activity.kind/],
    ['agenda:add', { activity: { kind: 'info', title: 'x', extra: 1 } }, /extra/],
    ['agenda:add', { activity: { kind: 'info', title: 'bell\u0007' } }, /control characters/],
    ['agenda:add', 'not an object', /expected object/],
    ['agenda:add', null, /expected object/],
    ['agenda:move', { id: 'x', toIndex: -1 }, /id|toIndex/],
    ['agenda:step', { direction: 'sideways', expectedCurrentId: null }, /direction/],
    ['timer:start', { seconds: 0 }, /seconds/],
    ['timer:start', { seconds: 999_999 }, /seconds/],
    ['timer:start', { seconds: '60' }, /seconds/],
    ['yjs:ticket', { docName: '../../etc/passwd' }, /docName/],
  ];

  it.each(invalid)('%s with %j is refused with a clear message and changes nothing', async (event, payload, message) => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const before: Agenda = facilitator.snapshot.agenda!;
    const result = await send(facilitator.socket, event as 'agenda:add', payload);
    expect(result).toMatchObject({ ok: false, code: 'invalid_input', message: expect.stringMatching(message) });
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.agenda).toEqual(before);
  });

  it('answers an unknown activity id with not_found and changes nothing', async () => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const result = await send(facilitator.socket, 'agenda:goTo', { id: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(result).toMatchObject({ ok: false, code: 'not_found' });
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.agenda?.version).toBe(0);
  });
});
