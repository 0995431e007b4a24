import { describe, expect, it } from 'vitest';
import { connect, connectError, createWorkshop, facilitatorAuth, newToken, nextEvent, participantAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

const newcomer = (created: { joinCode: string }, passphrase: string) => ({ role: 'participant' as const, joinCode: created.joinCode, token: newToken(), passphrase });

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
    await connect(server.url, { role: 'screen', joinCode: created.joinCode }); // the projector may reconnect

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
  it('is asked of new participants and screens, forgiving case and spacing, never of those who joined before', async () => {
    const { created, facilitator } = await session();
    const token = newToken();
    await connect(server.url, participantAuth(created, token));
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: 'Blue River' })).toEqual({ ok: true });

    expect(await connectError(server.url, participantAuth(created))).toMatchObject({ code: 'passphrase_required', message: 'this workshop asks for its passphrase' });
    expect(await connectError(server.url, newcomer(created, 'green river'))).toMatchObject({
      code: 'passphrase_required',
      message: 'that is not the passphrase of this workshop',
    });
    await connect(server.url, newcomer(created, '  blue   RIVER '));
    await connect(server.url, participantAuth(created, token)); // joined before: no passphrase needed
    expect(await connectError(server.url, { role: 'screen', joinCode: created.joinCode })).toMatchObject({ code: 'passphrase_required' });
    await connect(server.url, { role: 'screen', joinCode: created.joinCode, passphrase: 'blue river' });

    // Locking keeps the passphrase; `null` removes it.
    const { snapshot } = await connect(server.url, facilitatorAuth(created));
    expect(snapshot.workshop).toMatchObject({ locked: false, passphraseSet: true });
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: null })).toEqual({ ok: true });
    await connect(server.url, participantAuth(created));
  });

  it('is refused when empty or too long, and changes nothing then', async () => {
    const { created, facilitator } = await session();
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: '   ' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await send(facilitator, 'access:setRoom', { locked: false, passphrase: 'x'.repeat(101) })).toMatchObject({ ok: false, code: 'invalid_input' });
    await connect(server.url, participantAuth(created));
  });
});
