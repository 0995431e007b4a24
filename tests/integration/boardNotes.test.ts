/**
 * Notes on a board: a phone's note reaches every view with no author on it; the limits on notes; a note sent
 * twice is added once; only its writer may edit or withdraw it, until the board is locked and the link is
 * forgotten; a participant's own writes to the document are dropped; the facilitator hides and restores notes;
 * a flood is slowed; removing a board erases it; a restart keeps every note.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addNote, boardSessionOn, noteTexts } from '../helpers/boardSession.js';
import { ok, connect, createWorkshop, facilitatorAuth, participantAuth, screenAuth, send, type TestSocket } from '../helpers/clients.js';
import { startTestServer, useTestServer } from '../helpers/startTestServer.js';
import { closeDocs, itemClientIds, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
afterEach(closeDocs);
const boardSession = boardSessionOn(server);

/** A y-websocket message: its type (0 sync, 1 awareness) and body. */
function yMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('adding notes', () => {
  it('shows a participant’s note live to the facilitator and to other phones, with no author anywhere', async () => {
    const { boardId, facilitator, phones } = await boardSession(2);
    const facilitatorDoc = await openDoc(server.url, facilitator, `board-${boardId}`);
    const readers = await Promise.all(phones.map((phone) => openDoc(server.url, phone, `board-${boardId}`)));

    await addNote(phones[0]!, boardId, 'Poor street lighting on Main St', 'concerns');
    await addNote(phones[1]!, boardId, 'Youth centre open evenings', 'ideas');
    for (const provider of [facilitatorDoc, ...readers]) {
      await expect.poll(() => noteTexts(provider.doc)).toEqual(['Poor street lighting on Main St', 'Youth centre open evenings']);
    }
    const note = [...facilitatorDoc.doc.getMap<Y.Map<unknown>>('notes').values()][0]!;
    expect([...note.keys()].sort()).toEqual(['cluster', 'color', 'column', 'order', 'text']);

    // No item in the synced document was made by a participant's Yjs client.
    const participantClients = new Set(readers.map((r) => r.doc.clientID));
    for (const id of itemClientIds(Y.encodeStateAsUpdate(facilitatorDoc.doc))) expect(participantClients.has(id)).toBe(false);
  });

  it('enforces the per-person limit, the column list and the text length, and changes nothing when refusing', async () => {
    const { boardId, facilitator, phones } = await boardSession(1, { noteLimit: 2 });
    const phone = phones[0]!;
    await addNote(phone, boardId, 'one');
    await addNote(phone, boardId, 'two');
    expect(await send(phone, 'board:addNote', { boardId, text: 'three' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await send(phone, 'board:addNote', { boardId, text: 'x', column: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await send(phone, 'board:addNote', { boardId, text: 'x'.repeat(281) })).toMatchObject({ ok: false, code: 'invalid_input' });
    const doc = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(noteTexts(doc.doc)).toEqual(['one', 'two']);
  });

  it('refuses notes before the board starts and after it is locked', async () => {
    const created = await createWorkshop(server.url, { title: 'Dialogue' });
    const { socket: facilitator } = await connect(server.url, facilitatorAuth(created));
    const added = await ok(send(facilitator, 'agenda:add', { activity: { kind: 'board', title: 'Later' } }));
    const { socket: phone } = await connect(server.url, participantAuth(created));
    expect(await send(phone, 'board:addNote', { boardId: added.id, text: 'early' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await send(phone, 'yjs:ticket', { docName: `board-${added.id}` })).toMatchObject({ ok: false, code: 'forbidden' });
    await send(facilitator, 'activity:setState', { id: added.id, state: 'open' });
    await addNote(phone, added.id, 'on time');
    await send(facilitator, 'activity:setState', { id: added.id, state: 'locked' });
    expect(await send(phone, 'board:addNote', { boardId: added.id, text: 'late' })).toMatchObject({ ok: false, code: 'conflict' });
  });
});

describe('sending a note again', () => {
  it('adds it once: a repeat with the same note id (a phone unsure whether it arrived) changes nothing', async () => {
    const { boardId, facilitator, phones } = await boardSession(2, { noteLimit: 1 });
    const [alice, bob] = phones as [TestSocket, TestSocket];
    const noteId = 'offline-note-0000000001';
    const first = await send(alice, 'board:addNote', { boardId, noteId, text: 'Lighting on Main St' });
    expect(first).toEqual({ ok: true, noteId });
    // The same add again — even at the note limit — is answered as done, and the board still holds one note.
    expect(await send(alice, 'board:addNote', { boardId, noteId, text: 'Lighting on Main St' })).toEqual({ ok: true, noteId });
    const doc = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(noteTexts(doc.doc)).toEqual(['Lighting on Main St']);
    // Someone else cannot take over (or probe) that id.
    expect(await send(bob, 'board:addNote', { boardId, noteId, text: 'mine now' })).toMatchObject({ ok: false, code: 'conflict' });
    // A repeat arriving after the facilitator hid the note does not bring it back.
    expect(await send(facilitator, 'board:hideNote', { boardId, noteId })).toEqual({ ok: true });
    expect(await send(alice, 'board:addNote', { boardId, noteId, text: 'Lighting on Main St' })).toMatchObject({
      ok: false,
      code: 'conflict',
      message: 'that note id is taken',
    });
    await expect.poll(() => noteTexts(doc.doc)).toEqual([]);
  });
});

describe('owning a note without being named', () => {
  it('lets a participant edit and withdraw their own notes, and nobody else’s', async () => {
    const { boardId, facilitator, phones } = await boardSession(2);
    const [alice, bob] = phones as [TestSocket, TestSocket];
    const mine = await addNote(alice, boardId, 'Bad lighting');
    const doc = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(await send(bob, 'board:editNote', { boardId, noteId: mine, text: 'hijacked' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await send(bob, 'board:withdrawNote', { boardId, noteId: mine })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await send(alice, 'board:myNotes', { boardId })).toEqual({ ok: true, noteIds: [mine] });
    expect(await send(bob, 'board:myNotes', { boardId })).toEqual({ ok: true, noteIds: [] });

    expect(await send(alice, 'board:editNote', { boardId, noteId: mine, text: 'Bad lighting near the station' })).toEqual({ ok: true });
    await expect.poll(() => noteTexts(doc.doc)).toEqual(['Bad lighting near the station']);
    expect(await send(alice, 'board:withdrawNote', { boardId, noteId: mine })).toEqual({ ok: true });
    await expect.poll(() => noteTexts(doc.doc)).toEqual([]);
  });

  it('forgets who wrote what when the board is locked: no table links a note to a participant any more', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(2, {}, own.url);
      const note = await addNote(phones[0]!, boardId, 'Bad lighting');
      await addNote(phones[1]!, boardId, 'More patrols');
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM note_owners').get()).toEqual({ n: 2 });

      expect(await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' })).toEqual({ ok: true });
      expect(db.prepare('SELECT count(*) AS n FROM note_owners').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM box_secrets').get()).toEqual({ n: 0 });
      expect(await send(phones[0]!, 'board:editNote', { boardId, noteId: note, text: 'x' })).toMatchObject({ ok: false });
      expect(await send(phones[0]!, 'board:myNotes', { boardId })).toEqual({ ok: true, noteIds: [] });
      // Stored Yjs state: every item was written by the server.
      const rows = db.prepare('SELECT data FROM doc_updates').all() as { data: Buffer }[];
      const state = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data)));
      expect(itemClientIds(state).size).toBe(1);
      db.close();
    } finally {
      await own.close();
    }
  });
});

describe('read-only participants', () => {
  it('drops a participant’s direct writes and awareness: nobody sees them, nothing stores them', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(1, {}, own.url);
      const watcher = await openDoc(own.url, facilitator, `board-${boardId}`);
      const ticket = await ok(send(phones[0]!, 'yjs:ticket', { docName: `board-${boardId}` }));

      // A hand-made client: writes a note with its own Yjs client id, announces itself in awareness, then
      // asks for the document. The server answers messages in order, so the answer proves the write was read.
      const forged = new Y.Doc();
      const fields = new Y.Map<unknown>();
      forged.getMap('notes').set('forged-note-id-0001', fields);
      fields.set('text', 'forged note');
      const awareness = new Awareness(forged);
      awareness.setLocalState({ name: 'a participant' });
      const ws = new WebSocket(`${own.url.replace('http', 'ws')}${ticket.path}?ticket=${ticket.ticket}`);
      await new Promise((resolve) => ws.once('open', resolve));
      const answered = new Promise((resolve) => ws.on('message', (data: Buffer) => data[0] === 0 && data[1] === 1 && resolve(null)));
      ws.send(yMessage(0, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(forged))));
      ws.send(yMessage(1, (e) => encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [forged.clientID]))));
      ws.send(yMessage(0, (e) => syncProtocol.writeSyncStep1(e, new Y.Doc())));
      await answered;
      ws.close();

      await addNote(phones[0]!, boardId, 'a real note');
      await expect.poll(() => noteTexts(watcher.doc)).toEqual(['a real note']);
      expect(watcher.awareness.getStates().has(forged.clientID)).toBe(false);
      const late = await openDoc(own.url, facilitator, `board-${boardId}`);
      expect(noteTexts(late.doc)).toEqual(['a real note']);
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT data FROM doc_updates').all() as { data: Buffer }[];
      db.close();
      const stored = itemClientIds(Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data))));
      expect(stored.has(forged.clientID)).toBe(false);
      expect(stored.size).toBe(1); // the server's own client wrote every stored item
    } finally {
      closeDocs();
      await own.close();
    }
  });
});

describe('hiding a note', () => {
  it('takes it off every view and out of the stored document, and can put it back', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(1, {}, own.url);
      const abusive = await addNote(phones[0]!, boardId, 'an insult aimed at someone');
      await addNote(phones[0]!, boardId, 'a fair point');
      const reader = await openDoc(own.url, phones[0]!, `board-${boardId}`);
      expect(await send(phones[0]!, 'board:hideNote', { boardId, noteId: abusive })).toMatchObject({ ok: false, code: 'forbidden' });
      expect(await send(facilitator, 'board:hideNote', { boardId, noteId: abusive })).toEqual({ ok: true });
      await expect.poll(() => noteTexts(reader.doc)).toEqual(['a fair point']);

      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT data FROM doc_updates').all() as { data: Buffer }[];
      const stored = new Y.Doc();
      rows.forEach((r) => Y.applyUpdate(stored, new Uint8Array(r.data)));
      expect(noteTexts(stored)).toEqual(['a fair point']);
      expect(Buffer.concat(rows.map((r) => r.data)).toString('utf8')).not.toContain('an insult');
      db.close();

      expect(await send(facilitator, 'board:hiddenNotes', { boardId })).toEqual({
        ok: true,
        notes: [{ id: abusive, text: 'an insult aimed at someone', color: 'yellow' }],
      });
      expect(await send(facilitator, 'board:restoreNote', { boardId, noteId: abusive })).toEqual({ ok: true });
      await expect.poll(() => noteTexts(reader.doc)).toEqual(['a fair point', 'an insult aimed at someone']);
    } finally {
      await own.close();
    }
  });
});

describe('removing a board', () => {
  it('erases its document and every tag it kept', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(1, {}, own.url);
      await addNote(phones[0]!, boardId, 'to be removed');
      expect(await send(facilitator, 'agenda:remove', { id: boardId })).toEqual({ ok: true });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      for (const table of ['doc_updates', 'note_owners', 'box_secrets']) {
        expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
      }
      db.close();
    } finally {
      await own.close();
    }
  });
});

describe('a flood of requests', () => {
  it('is slowed down per connection, and what is refused changes nothing', async () => {
    const { boardId, facilitator, phones } = await boardSession(1, { noteLimit: 20 });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => send(phones[0]!, 'board:addNote', { boardId, text: `spam ${i}` })));
    const accepted = answers.filter((a) => a.ok).length;
    expect(answers.filter((a) => !a.ok && a.code === 'rate_limited').length).toBeGreaterThan(30);
    expect(accepted).toBeGreaterThan(0);
    const doc = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(noteTexts(doc.doc)).toHaveLength(accepted);
  });
});

describe('a server restart', () => {
  it('keeps the whole board; a late joiner loads every note', async () => {
    const first = await startTestServer();
    const { boardId, created, phones } = await boardSession(1, { noteLimit: 20 }, first.url);
    const texts = Array.from({ length: 20 }, (_, i) => `note ${String(i).padStart(2, '0')}`);
    for (const text of texts) await addNote(phones[0]!, boardId, text);
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const { socket: screen } = await connect(second.url, screenAuth(created));
      const late = await openDoc(second.url, screen, `board-${boardId}`);
      expect(noteTexts(late.doc)).toEqual(texts);
    } finally {
      closeDocs();
      await second.close();
    }
  });
});
