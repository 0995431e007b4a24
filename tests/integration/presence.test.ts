import { describe, expect, it } from 'vitest';
import type { Presence } from '../../shared/protocol/index.js';
import { PRESENCE_INTERVAL_MS } from '../../server/rooms/Attendance.js';
import { connect, createWorkshop, facilitatorAuth, nextEvent, participantAuth, send, screenAuth } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';

const server = useTestServer();

/** What a console is sent: everyone connected, the rows shown (largest first), "other", no screens here. */
const consoleView = (connected: number, groups: [string, number][], other: number): Presence => ({
  connected,
  groups: groups.map(([id, count]) => ({ id, count })),
  other,
  screens: 0,
});

async function joinAs(created: Awaited<ReturnType<typeof createWorkshop>>, groupId: string | null, count: number) {
  for (let i = 0; i < count; i++) {
    const { socket } = await connect(server.url, participantAuth(created));
    if (groupId) expect(await send(socket, 'participant:setGroup', { groupId })).toEqual({ ok: true });
  }
}

describe('presence by stakeholder group', () => {
  it('shows the facilitator groups of at least k and folds the rest into "other"', async () => {
    const created = await createWorkshop(server.url, {
      title: 'Dialogue',
      groups: ['Residents', 'Police', 'Youth', 'Other'],
      anonymityThreshold: 3,
    });
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const settled = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 10);
    await joinAs(created, 'residents', 4);
    await joinAs(created, 'police', 3);
    await joinAs(created, 'youth', 2);
    await joinAs(created, null, 1);
    expect(await settled).toEqual(
      consoleView(
        10,
        [
          ['residents', 4],
          ['police', 3],
        ],
        3,
      ),
    );
  });

  it('never shows an "other" smaller than k, which would give a small group away by subtraction', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', groups: ['Residents', 'Police', 'Youth'], anonymityThreshold: 3 });
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const settled = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 8);
    await joinAs(created, 'residents', 4);
    await joinAs(created, 'police', 3);
    await joinAs(created, 'youth', 1); // alone: must not be computable as 8 − 4 − 3
    expect(await settled).toEqual(consoleView(8, [['residents', 4]], 4));
  });

  it('moves the breakdown only once k people changed, and a console reconnecting gets the last publication', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', groups: ['Residents', 'Police'], anonymityThreshold: 3 });
    const facilitator = await connect(server.url, facilitatorAuth(created));
    const six = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 6);
    await joinAs(created, 'residents', 6);
    expect(await six).toEqual(consoleView(6, [['residents', 6]], 0));

    // The officer arrives alone: everyone sees one more person, nobody sees where they fit (a resident would
    // not have moved the breakdown either).
    const seven = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 7);
    await joinAs(created, 'police', 1);
    const afterOfficer = consoleView(7, [['residents', 6]], 0);
    expect(await seven).toEqual(afterOfficer);
    // Reconnecting the console serves the publication, not a fresh count.
    expect((await connect(server.url, facilitatorAuth(created))).snapshot.presence).toEqual(afterOfficer);

    const nine = nextEvent(facilitator.socket, 'presence:changed', (p) => p.connected === 9);
    await joinAs(created, 'police', 2);
    expect(await nine).toEqual(
      consoleView(
        9,
        [
          ['residents', 6],
          ['police', 3],
        ],
        0,
      ),
    );
  });

  it('tells participants and the screen only how many are connected, in batches', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue', groups: ['Residents'], anonymityThreshold: 3 });
    const screen = await connect(server.url, screenAuth(created));
    const updates: { presence: Presence; at: number }[] = [];
    screen.socket.on('presence:changed', (presence) => updates.push({ presence, at: performance.now() }));
    const settled = nextEvent(screen.socket, 'presence:changed', (p) => p.connected === 6);
    await Promise.all(Array.from({ length: 6 }, () => joinAs(created, 'residents', 1)));
    expect(await settled).toEqual({ connected: 6 });
    expect(updates.every(({ presence }) => presence.groups === undefined && presence.other === undefined)).toBe(true);
    // Never one message per arrival: updates are at least a batch interval apart (less a little network jitter).
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThan(PRESENCE_INTERVAL_MS * 0.8);
  });
});
