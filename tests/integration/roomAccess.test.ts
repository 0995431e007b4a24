import { describe, expect, it } from 'vitest';
import { ok, connect, connectError, createWorkshop, facilitatorAuth, newToken, nextEvent, participantAuth, screenAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

const newcomer = (created: { joinCode: string }, passphrase: string) => ({
  role: 'participant' as const,
  joinCode: created.joinCode,
  token: newToken(),
  passphrase,
});

async function session() {
  const created = await createWorkshop(server.url, { title: 'Closed door', groups: [] });
  const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
  return { created, facilitator };
}

describe('locking the room', () => {
  it('turns new participants away and lets those who joined before come back', async () => {
    const { created, facilitator } = await session();
    const token = newToken();
    const { socket: earlier } = await connect(server.url, participantAuth(created, token));
    const told = nextEvent(earlier, 'workshop:changed');
    expect(await send(facilitator, 'access:setRoom', { locked: true })).toEqual({ ok: true });
    expect(await told).toMatchObject({ locked: true, passphraseSet: false });

    expect(await connectError(server.url, participantAuth(created))).toMatchObject({ code: 'room_locked' });
    earlier.disconnect();
    const { snapshot } = await connect(server.url, participantAuth(created, token));
    expect(snapshot.workshop.locked).toBe(true);
    await connect(server.url, screenAuth(created)); // the projector, with its key, may reconnect

    expect(await send(facilitator, 'access:setRoom', { locked: false })).toEqual({ ok: true });
    await connect(server.url, participantAuth(created));
  });

  it('is only for facilitators', async () => {
    const { created } = await session();
    const { socket: phone } = await connect(server.url, participantAuth(created));
    expect(await send(phone, 'access:setRoom', { locked: true })).toMatchObject({ ok: false, code: 'forbidden' });
    await connect(server.url, participantAuth(created));
  });
});

describe('a passphrase', () => {
  it('is asked of new participants, forgiving case and spacing, never of those who joined before', async () => {
    const { created, facilitator } = await session();
    const token = newToken();
    await connect(server.url, participantAuth(created, token));
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: 'Blue River' })).toEqual({ ok: true });

    expect(await connectError(server.url, participantAuth(created))).toMatchObject({
      code: 'passphrase_required',
      message: 'this workshop asks for its passphrase',
    });
    expect(await connectError(server.url, newcomer(created, 'green river'))).toMatchObject({
      code: 'passphrase_required',
      message: 'that is not the passphrase of this workshop',
    });
    await connect(server.url, newcomer(created, '  blue   RIVER '));
    await connect(server.url, participantAuth(created, token)); // joined before: no passphrase needed
    await connect(server.url, screenAuth(created)); // the screen link's key is the screen's credential

    // Locking keeps the passphrase; `null` removes it.
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.workshop).toMatchObject({ locked: false, passphraseSet: true });
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: null })).toEqual({ ok: true });
    await connect(server.url, participantAuth(created));
  });

  it('set then cleared at once ends cleared: a connection’s events apply in the order sent', async () => {
    const { created, facilitator } = await session();
    // Hashing the passphrase waits on the thread pool; the clear that follows must not overtake it.
    const answers = await Promise.all([
      send(facilitator, 'access:setRoom', { locked: false, passphrase: 'Blue River' }),
      send(facilitator, 'access:setRoom', { locked: false, passphrase: null }),
    ]);
    expect(answers).toEqual([{ ok: true }, { ok: true }]);
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.workshop.passphraseSet).toBe(false);
    await connect(server.url, participantAuth(created));
  });

  it('is refused when empty or too long, and changes nothing then', async () => {
    const { created, facilitator } = await session();
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: '   ' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: 'x'.repeat(101) })).toMatchObject({ ok: false, code: 'invalid_input' });
    await connect(server.url, participantAuth(created));
  });
});

describe('screens', () => {
  const keyless = (created: { joinCode: string }, key: string) => ({ role: 'screen' as const, joinCode: created.joinCode, key });

  it('connect only with the screen link’s key: the join code alone opens nothing, locked room or not', async () => {
    const { created, facilitator } = await session();
    const { socket: phone, snapshot: phoneView } = await connect(server.url, participantAuth(created));
    // Nobody is sent the screen link with its key in a snapshot or broadcast; a facilitator asks for it.
    expect(phoneView.workshop.urls.screen).not.toContain('#');
    const { snapshot: consoleView } = await connect(server.url, facilitatorAuth(created));
    expect(consoleView.workshop.urls.screen).not.toContain('#');
    expect(await send(facilitator, 'access:screenLink', {})).toEqual({ ok: true, url: created.urls.screen });
    expect(await send(phone, 'access:screenLink', {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(created.urls.screen).toMatch(/\/screen\/[A-Z0-9]+#key=[A-Za-z0-9_-]{22}$/);

    for (const key of ['x'.repeat(22), created.facilitatorKey, created.coFacilitatorKey]) {
      expect(await connectError(server.url, keyless(created, key))).toMatchObject({ code: 'unauthorized' });
    }
    expect(await connectError(server.url, { role: 'screen', joinCode: created.joinCode } as never)).toMatchObject({ code: 'invalid_input' });
    expect(await send(facilitator, 'access:setRoom', { locked: true, passphrase: 'Blue River' })).toEqual({ ok: true });
    expect(await connectError(server.url, keyless(created, 'x'.repeat(22)))).toMatchObject({ code: 'unauthorized' });
    await connect(server.url, screenAuth(created));
  });

  it('are counted on the console, and a new screen link disconnects the screens of the old one', async () => {
    const { created, facilitator } = await session();
    const counted = nextEvent(facilitator, 'presence:changed', (p) => p.screens === 2);
    const { socket: projector } = await connect(server.url, screenAuth(created));
    await connect(server.url, screenAuth(created));
    await counted;
    const { socket: phone, snapshot } = await connect(server.url, participantAuth(created));
    expect(snapshot.presence.screens).toBeUndefined(); // the console's business only

    const gone = new Promise((resolve) => projector.once('disconnect', resolve));
    const rotated = await ok(send(facilitator, 'access:rotateScreenLink', {}));
    await gone;
    expect(rotated.url).not.toBe(created.urls.screen);
    expect(await connectError(server.url, screenAuth(created))).toMatchObject({ code: 'unauthorized' });
    await connect(server.url, screenAuth({ joinCode: created.joinCode, urls: { ...created.urls, screen: rotated.url } }));
    await expect.poll(async () => (await connect(server.url, facilitatorAuth(created))).snapshot.presence.screens).toBe(1);
    expect(await send(phone, 'access:rotateScreenLink', {})).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
