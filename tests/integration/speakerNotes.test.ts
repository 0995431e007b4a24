/** A facilitator's speaker notes reach facilitators only: never a phone's or a screen's snapshot or activity. */
import { describe, expect, it } from 'vitest';
import { connect, createWorkshop, facilitatorAuth, nextEvent, ok, participantAuth, screenAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();
const NOTES = 'Thank the imam for the room; mention the fire exits';

describe('speaker notes', () => {
  it('stay with the facilitators, on every event a phone or a screen receives', async () => {
    const created = await createWorkshop(server.url, { title: 'Ward 7' });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const { id } = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'info', title: 'Welcome', body: '', speakerNotes: NOTES, minutes: 10 } }));
    const { socket: phone } = await connect(server.url, participantAuth(created));
    const { socket: screen } = await connect(server.url, screenAuth(created));
    const received: string[] = [];
    for (const viewer of [phone, screen]) viewer.onAny((event, ...args) => received.push(`${event} ${JSON.stringify(args)}`));

    const shown = [nextEvent(phone, 'activity:changed'), nextEvent(screen, 'activity:changed')];
    const agenda = nextEvent(facilitator, 'agenda:changed');
    await ok(send(facilitator, 'agenda:goTo', { id }));
    for (const current of await Promise.all(shown)) expect(current.activity).toMatchObject({ title: 'Welcome', minutes: 10 });
    expect((await agenda).activities[0]!.speakerNotes).toBe(NOTES);
    // A phone and a screen connecting now get the current activity in their snapshot: without the notes too.
    const late = await Promise.all([connect(server.url, participantAuth(created)), connect(server.url, screenAuth(created))]);
    for (const { snapshot } of late) {
      expect(snapshot.current.activity?.title).toBe('Welcome');
      expect(JSON.stringify(snapshot)).not.toContain('fire exits');
    }
    await ok(send(facilitator, 'agenda:update', { id, activity: { kind: 'info', title: 'Welcome', body: '', speakerNotes: `${NOTES}, twice` } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.join('\n')).not.toContain('fire exits');
  });
});
