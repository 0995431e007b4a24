import { describe, expect, it } from 'vitest';
import { ok, connect, connectError, createWorkshop, facilitatorAuth, newToken, nextEvent, participantAuth, send, screenAuth } from '../helpers/clients.js';
import { startTestServer, useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

describe('joining a workshop', () => {
  it('gives the facilitator the whole agenda and participants only what is on screen', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', groups: ['Residents', 'Police'] });
    const facilitator = await connect(server.url, facilitatorAuth(created));
    expect(facilitator.snapshot.role).toBe('facilitator');
    expect(facilitator.snapshot.agenda).toEqual({ version: 0, activities: [], currentId: null, timer: null });
    expect(facilitator.snapshot.workshop).toMatchObject({
      id: created.id,
      title: 'Dialogue',
      joinCode: created.joinCode,
      anonymityThreshold: 5,
      groups: [
        { id: 'residents', label: 'Residents' },
        { id: 'police', label: 'Police' },
      ],
    });

    const counted = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 1);
    const participant = await connect(server.url, participantAuth(created));
    const told = nextEvent(participant.socket, 'presence:changed');
    expect(participant.snapshot.role).toBe('participant');
    expect(participant.snapshot.agenda).toBeUndefined();
    expect(participant.snapshot.current).toEqual({ activity: null, index: -1, total: 0 });
    expect(participant.snapshot.you).toEqual({ groupId: null, drafter: false, name: '' });
    // Presence as last published, then the batch that counts the newcomer; facilitators also see the screens.
    expect(participant.snapshot.presence).toEqual({ connected: 0 });
    expect(await told).toEqual({ connected: 1 });
    expect(await counted).toEqual({ connected: 1, groups: [], other: 0, screens: 0 });
  });

  it('accepts the join code typed in lower case or with a dash', async () => {
    const created = await createWorkshop(server.url);
    const typed = `${created.joinCode.slice(0, 3)}-${created.joinCode.slice(3)}`.toLowerCase();
    const { snapshot } = await connect(server.url, { role: 'participant', joinCode: typed, token: newToken() });
    expect(snapshot.workshop.id).toBe(created.id);
  });

  it('refuses an unknown join code, a wrong facilitator key and a malformed handshake', async () => {
    const created = await createWorkshop(server.url);
    expect(await connectError(server.url, { role: 'participant', joinCode: 'ZZZZZZ', token: newToken() })).toMatchObject({
      code: 'not_found',
    });
    expect(await connectError(server.url, { ...facilitatorAuth(created), key: 'A'.repeat(22) })).toMatchObject({
      code: 'unauthorized',
    });
    expect(await connectError(server.url, { role: 'facilitator', workshopId: created.id, key: created.facilitatorKey, extra: 1 })).toMatchObject({
      code: 'invalid_input',
    });
    expect(await connectError(server.url, { role: 'participant', joinCode: created.joinCode, token: 'short' })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/token/),
    });
  });

  it('lets a co-facilitator run the workshop but not rotate links, and rotating shuts the old link out', async () => {
    const created = await createWorkshop(server.url);
    const coAuth = { role: 'facilitator' as const, workshopId: created.id, key: created.coFacilitatorKey };
    const co = await connect(server.url, coAuth);
    expect(co.snapshot.role).toBe('cofacilitator');
    expect(await send(co.socket, 'agenda:add', { activity: { kind: 'info', title: 'Welcome' } })).toMatchObject({ ok: true });
    expect(await send(co.socket, 'access:rotateCoFacilitatorLink', {})).toMatchObject({ ok: false, code: 'forbidden' });

    const lead = await connect(server.url, facilitatorAuth(created));
    const disconnected = new Promise((resolve) => co.socket.once('disconnect', resolve));
    const rotated = await ok(send(lead.socket, 'access:rotateCoFacilitatorLink', {}));
    await disconnected;
    const newKey = new URL(rotated.url).hash.replace('#key=', '');
    expect(newKey).not.toBe(created.coFacilitatorKey);
    expect(await connectError(server.url, coAuth)).toMatchObject({ code: 'unauthorized' });
    expect((await connect(server.url, { ...coAuth, key: newKey })).snapshot.role).toBe('cofacilitator');
  });

  it('keeps a participant the same person across reconnects: one presence, and the group they chose', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', groups: ['Residents', 'Police'] });
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const token = newToken();
    const first = await connect(server.url, participantAuth(created, token));
    expect(await send(first.socket, 'participant:setGroup', { groupId: 'police' })).toEqual({ ok: true });
    first.socket.disconnect();
    await nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 0);

    const again = await connect(server.url, participantAuth(created, token));
    expect(again.snapshot.you).toEqual({ groupId: 'police', drafter: false, name: '' });
    await nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 1);
    const published = nextEvent(facilitator.socket, 'presence:changed');
    const second = await connect(server.url, participantAuth(created, token)); // a second tab
    expect(second.snapshot.presence.connected).toBe(1);
    // The second tab is no second person: the publication it causes still counts one.
    expect((await published).connected).toBe(1);
  });

  it('refuses a group that the workshop does not have', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', groups: ['Residents'] });
    const { socket } = await connect(server.url, participantAuth(created));
    expect(await send(socket, 'participant:setGroup', { groupId: 'police' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('catches up after a dropped connection on what changed meanwhile, from a fresh snapshot', async () => {
    const created = await createWorkshop(server.url);
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const participant = await connect(server.url, participantAuth(created));
    const added = await ok(send(facilitator.socket, 'agenda:add', { activity: { kind: 'info', title: 'Ground rules' } }));

    // Drop the transport underneath the client, as a phone leaving Wi-Fi would, and hold it off meanwhile.
    participant.socket.io.reconnection(false);
    const dropped = new Promise((resolve) => participant.socket.once('disconnect', resolve));
    participant.socket.io.engine.close();
    await dropped;
    await send(facilitator.socket, 'agenda:goTo', { id: added.id });

    const resumed = nextEvent(participant.socket, 'session:snapshot');
    participant.socket.connect();
    expect((await resumed).current.activity?.title).toBe('Ground rules');
  });

  it('slows down an address that keeps failing handshakes (guessing codes or keys)', async () => {
    const own = await startTestServer(); // this test blocks its address, so not on the shared server
    try {
      const created = await createWorkshop(own.url);
      let refusal = { code: '', message: '' };
      let failures = 0;
      while (refusal.code !== 'rate_limited' && failures <= 31) {
        refusal = await connectError(own.url, { ...screenAuth(created), joinCode: 'ZZZZZZ' });
        failures++;
      }
      expect(failures).toBe(31); // 30 wrong guesses a minute, then refused
      // Even the right code is refused from this address for now.
      expect(await connectError(own.url, screenAuth(created))).toMatchObject({ code: 'rate_limited' });
    } finally {
      await own.close();
    }
  });
});
