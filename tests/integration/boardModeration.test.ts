/**
 * A moderated board: a new note or question waits in the facilitators' queue and reaches the board — every
 * phone's and the projector's copy of it — only once approved; a rejected one never does, and frees its writer's
 * slot. The queue names no one, like the board.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { boardSessionOn, noteTexts } from '../helpers/boardSession.js';
import { connect, nextEvent, ok, screenAuth, send } from '../helpers/clients.js';
import { useTestServer } from '../helpers/startTestServer.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
afterEach(closeDocs);
const boardSession = boardSessionOn(server);

describe('a moderated board', () => {
  it('holds new notes in the queue until approved; rejected ones never reach anyone', async () => {
    const { boardId, created, facilitator, phones } = await boardSession(2, { kind: 'board', mode: 'qa', moderated: true, noteLimit: 2 });
    const { socket: screen } = await connect(server.url, screenAuth(created));
    const [phoneView, screenView] = [await openDoc(server.url, phones[1]!, `board-${boardId}`), await openDoc(server.url, screen, `board-${boardId}`)];

    const queued = nextEvent(facilitator, 'board:queue', (q) => q.notes.length === 2);
    const first = await ok(send(phones[0]!, 'board:addNote', { boardId, text: 'Why are patrols so rare at night?' }));
    expect(first).toMatchObject({ queued: true });
    const insult = await ok(send(phones[0]!, 'board:addNote', { boardId, text: 'an insult aimed at one officer' }));
    const { notes } = await queued;
    expect(notes.map((n) => n.text).sort()).toEqual(['Why are patrols so rare at night?', 'an insult aimed at one officer']);
    expect(JSON.stringify(notes)).not.toMatch(/token|participant|owner/i);
    // Nothing on the board yet, for phones or the projector.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(noteTexts(phoneView.doc)).toEqual([]);
    expect(noteTexts(screenView.doc)).toEqual([]);

    await ok(send(facilitator, 'board:approveNote', { boardId, noteId: first.noteId }));
    await expect.poll(() => noteTexts(screenView.doc)).toEqual(['Why are patrols so rare at night?']);
    await expect.poll(() => noteTexts(phoneView.doc)).toEqual(['Why are patrols so rare at night?']);
    await ok(send(facilitator, 'board:rejectNote', { boardId, noteId: insult.noteId }));
    expect(await ok(send(facilitator, 'board:queue', { boardId }))).toMatchObject({ notes: [] });
    // The rejected note freed its writer's slot (the limit is 2), and is on no board.
    await ok(send(phones[0]!, 'board:addNote', { boardId, text: 'Who do we call about the underpass?' }));
    expect(noteTexts(screenView.doc)).not.toContain('an insult aimed at one officer');
    // Only facilitators see or decide on the queue.
    expect(await send(phones[1]!, 'board:queue', { boardId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await send(screen, 'board:approveNote', { boardId, noteId: insult.noteId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await send(facilitator, 'board:approveNote', { boardId, noteId: insult.noteId })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('adds a note sent twice (a dropped connection) to the queue once', async () => {
    const { boardId, facilitator, phones } = await boardSession(1, { moderated: true });
    const noteId = 'resent-note-0000000001';
    for (let i = 0; i < 2; i++)
      expect(await ok(send(phones[0]!, 'board:addNote', { boardId, noteId, text: 'Lights', column: null }))).toMatchObject({ queued: true });
    expect((await ok(send(facilitator, 'board:queue', { boardId }))).notes).toHaveLength(1);
  });
});
