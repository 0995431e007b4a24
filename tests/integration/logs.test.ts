import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, connect, connectError, createWorkshop, disconnectAll, facilitatorAuth, newToken, participantAuth, send } from '../helpers/clients.js';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';
import { sectionText } from '../../shared/planDoc.js';

const running: ServerProcess[] = [];
afterEach(() => {
  closeDocs();
  disconnectAll();
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
});

describe('the log of a whole session', () => {
  it('is JSON lines that never carry a key, a token, a ticket, a note, an answer or plan text', async () => {
    const server = await startServerProcess(mkdtempSync(join(tmpdir(), 'roundtable-logs-')), { env: { LOG_LEVEL: 'debug' } });
    running.push(server);
    const created = await createWorkshop(server.url, { title: 'Logged session', groups: ['Residents', 'Police', 'Youth'] });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const board = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Ideas' } }));
    const poll = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'poll', title: 'Say it', type: 'open' } }));
    const plan = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'plan', title: 'Plan' } }));

    const tokens = [newToken(), newToken(), newToken()];
    const phones = await Promise.all(tokens.map(async (token) => (await connect(server.url, participantAuth(created, token))).socket));
    await send(phones[0]!, 'participant:setGroup', { groupId: 'police' });
    await send(facilitator, 'agenda:goTo', { id: board.id });
    for (const [i, phone] of phones.entries()) await send(phone, 'board:addNote', { boardId: board.id, text: `NOTE-MARKER-${i}` });
    await send(facilitator, 'activity:setState', { id: board.id, state: 'locked' });
    await send(facilitator, 'agenda:goTo', { id: poll.id });
    await send(facilitator, 'activity:setState', { id: poll.id, state: 'open' });
    for (const [i, phone] of phones.entries()) await send(phone, 'poll:vote', { pollId: poll.id, answer: { text: `ANSWER-MARKER-${i}` } });
    await send(facilitator, 'activity:setState', { id: poll.id, state: 'closed' });
    await send(facilitator, 'agenda:goTo', { id: plan.id });
    const ticket = await send(facilitator, 'yjs:ticket', { docName: 'plan' });
    const editor = await openDoc(server.url, facilitator, 'plan');
    sectionText(editor.doc, 'vision').insert(0, 'PLAN-MARKER');
    await send(facilitator, 'access:rotateCoFacilitatorLink', {});
    // Mistakes and attacks are logged too — without the key that was tried.
    expect((await connectError(server.url, { role: 'facilitator', workshopId: created.id, key: 'WRONG-KEY-MARKER-000000' })).code).toBe('unauthorized');
    const exported = await fetch(`${server.url}/api/workshops/${created.id}/export.json`, { headers: { authorization: `Bearer ${created.facilitatorKey}` } });
    expect(exported.status).toBe(200);
    expect((await fetch(`${server.url}/api/workshops/${created.id}/export.md`, { headers: { authorization: 'Bearer WRONG-KEY-MARKER-000000' } })).status).toBe(
      401,
    );
    await new Promise((resolve) => setTimeout(resolve, 600)); // let batched work (results, presence) log too

    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    const log = server.output();
    const secrets = [
      created.facilitatorKey,
      created.coFacilitatorKey,
      ...tokens,
      ticket.ok ? ticket.ticket : 'no ticket',
      'WRONG-KEY-MARKER',
      'NOTE-MARKER',
      'ANSWER-MARKER',
      'PLAN-MARKER',
    ];
    for (const secret of secrets) expect(log, `the log contains ${secret}`).not.toContain(secret);
    // Not even the moment of a contribution: no line for a participant's accepted event, at debug level either.
    const participantEvents = lines.map((line) => JSON.parse(line) as { msg: string; role?: string }).filter((entry) => entry.role === 'participant');
    expect(participantEvents.filter((entry) => entry.msg === 'event' || entry.msg === 'event refused')).toEqual([]);
    expect(lines.some((line) => line.includes('"msg":"event"'))).toBe(true); // facilitators' events are logged
  });
});
