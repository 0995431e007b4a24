import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, createWorkshop, facilitatorAuth, nextEvent, ok, participantAuth, screenAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

describe('live reactions', () => {
  it('reach the consoles and the projector as one batch of counts, each person once per reaction, stored nowhere', async () => {
    const created = await createWorkshop(server.url, { title: 'Town hall', anonymityThreshold: 3 });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const { socket: screen } = await connect(server.url, screenAuth(created));
    const phones = await Promise.all([0, 1, 2].map(async () => (await connect(server.url, participantAuth(created))).socket));
    let phoneBatches = 0;
    for (const phone of phones) phone.on('reactions:batch', () => phoneBatches++);
    const seen = [nextEvent(facilitator, 'reactions:batch'), nextEvent(screen, 'reactions:batch')];

    const sent = Date.now();
    // One person tapping five times is one 👍, not five.
    for (let i = 0; i < 5; i++) await ok(send(phones[0]!, 'reaction:send', { reaction: 'thumbsUp' }));
    await ok(send(phones[1]!, 'reaction:send', { reaction: 'thumbsUp' }));
    await ok(send(phones[2]!, 'reaction:send', { reaction: 'slowDown' }));
    const [console, projector] = await Promise.all(seen);
    expect(console).toEqual({ thumbsUp: 2, slowDown: 1 });
    expect(projector).toEqual(console);
    // Together at the window's end, not tap by tap.
    expect(Date.now() - sent).toBeLessThanOrEqual(3500); // by the next window's end at the latest
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a broadcast to reach phones, were there one
    expect(phoneBatches).toBe(0);

    // A reaction is not a contribution: nothing of it reaches the data folder.
    for (const file of readdirSync(server.dataDir)) expect(readFileSync(join(server.dataDir, file)).includes('slowDown'), file).toBe(false);
  });

  it('refuses a reaction outside the set, and reactions from anyone but a participant', async () => {
    const created = await createWorkshop(server.url, { title: 'Town hall' });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const { socket: phone } = await connect(server.url, participantAuth(created));
    expect(await send(phone, 'reaction:send', { reaction: 'boo' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await send(facilitator, 'reaction:send', { reaction: 'heart' })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});
