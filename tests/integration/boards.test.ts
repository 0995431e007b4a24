import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { BoardResults, CreateWorkshopResponse } from '../../shared/protocol/index.js';
import {
  ok,
  connect,
  createWorkshop,
  facilitatorAuth,
  nextEvent,
  participantAuth,
  screenAuth,
  send,
  type TestSocket,
} from '../helpers/clients.js';
import { session } from '../helpers/session.js';
import { startTestServer, useTestServer } from '../helpers/startTestServer.js';
import { clusterNotes, priorityItems } from '../../shared/boardDoc.js';
import { closeDocs, itemClientIds, openDoc } from '../helpers/yjsClients.js';

const server = useTestServer();
afterEach(closeDocs);

/** A y-websocket message: its type (0 sync, 1 awareness) and body. */
function yMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const noteTexts = (doc: Y.Doc) =>
  [...doc.getMap<Y.Map<unknown>>('notes').values()].map((fields) => fields.get('text') as string).sort();

/** A workshop (k = 3) with a running board, its facilitator and `people` participants. */
async function boardSession(
  people: number,
  board: Record<string, unknown> = {},
  url = server.url,
): Promise<{ boardId: string; created: CreateWorkshopResponse; facilitator: TestSocket; phones: TestSocket[] }> {
  const activity = { kind: 'board', title: 'Safety', prompt: 'What makes you feel unsafe?', columns: ['Concerns', 'Ideas'], ...board };
  const { activityId, ...rest } = await session(url, { workshop: { anonymityThreshold: 3 }, activity, phones: people });
  return { boardId: activityId, ...rest };
}

const addNote = async (phone: TestSocket, boardId: string, text: string, column: string | null = null) =>
  (await ok(send(phone, 'board:addNote', { boardId, text, column }))).noteId;

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

describe('dot voting', () => {
  it('answers "what are my dots" with the ballot sent just before it, as a reconnecting phone asks', async () => {
    const { boardId, facilitator, phones } = await boardSession(1, { prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } });
    const lighting = await addNote(phones[0]!, boardId, 'Lighting');
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const [sent, mine] = await Promise.all([
      send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 2 } } }),
      send(phones[0]!, 'board:myBallot', { boardId }),
    ]);
    expect(sent).toEqual({ ok: true });
    expect(mine).toEqual({ ok: true, ballot: { dots: { [lighting]: 2 } } });
  });

  it('counts anonymous dots, shows them only from k voters, to the room only once revealed; the last choice counts', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { prioritisation: { method: 'dots', budget: 3, maxPerItem: 2 } });
    const lighting = await addNote(phones[0]!, boardId, 'Lighting');
    const patrols = await addNote(phones[1]!, boardId, 'Patrols');
    const youth = await addNote(phones[2]!, boardId, 'Youth centre');
    expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 1 } } })).toMatchObject({
      ok: false,
      code: 'conflict', // voting opens when the notes are locked
    });
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });

    const refused = [
      { dots: { [lighting]: 3 } }, // more than 2 on one item
      { dots: { [lighting]: 2, [patrols]: 2 } }, // more than 3 in all
      { ranking: [lighting] }, // wrong form for this board
    ];
    for (const ballot of refused) {
      expect(await send(phones[0]!, 'board:vote', { boardId, ballot })).toMatchObject({ ok: false, code: 'invalid_input' });
    }

    // An item that left the board meanwhile (hidden, regrouped) is dropped from the ballot, not refused.
    expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [youth]: 2, 'item-gone-meanwhile': 1 } } })).toEqual({ ok: true });
    expect(await send(phones[0]!, 'board:myBallot', { boardId })).toEqual({ ok: true, ballot: { dots: { [youth]: 2 } } });
    await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 2, [patrols]: 1 } } }); // changed mind
    await send(phones[1]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 1, [patrols]: 2 } } });
    expect(await send(facilitator, 'board:results', { boardId })).toEqual({ ok: true, results: { boardId, voters: 2, items: null } });

    const facilitatorSees = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    const phoneSees = nextEvent(phones[0]!, 'board:results', (r) => r.voters === 3);
    await send(phones[2]!, 'board:vote', { boardId, ballot: { dots: { [lighting]: 2 } } });
    const expected: BoardResults = {
      boardId,
      voters: 3,
      items: [
        { id: lighting, label: 'Lighting', rank: 1, score: 5 },
        { id: patrols, label: 'Patrols', rank: 2, score: 3 },
        { id: youth, label: 'Youth centre', rank: 3, score: 0 },
      ],
    };
    expect(await facilitatorSees).toEqual(expected);
    expect(await phoneSees).toEqual({ boardId, voters: 3, items: null });
    expect(await send(phones[0]!, 'board:myBallot', { boardId })).toEqual({ ok: true, ballot: { dots: { [lighting]: 2, [patrols]: 1 } } });

    const revealed = nextEvent(phones[1]!, 'board:results', (r) => r.items !== null);
    await send(facilitator, 'activity:setResultsVisible', { id: boardId, visible: true });
    expect(await revealed).toEqual(expected);
  });

  it('closing the vote unlinks every ballot from its voter and keeps the ranking for the action plan', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(3, {}, own.url);
      const a = await addNote(phones[0]!, boardId, 'A');
      const b = await addNote(phones[1]!, boardId, 'B');
      await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
      for (const [i, phone] of phones.entries()) await send(phone, 'board:vote', { boardId, ballot: { dots: { [i ? a : b]: 1 } } });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 3 });

      const tags = (db.prepare('SELECT voter_tag FROM voters').all() as { voter_tag: string }[]).map((r) => r.voter_tag);
      const secrets = (db.prepare('SELECT secret FROM box_secrets').all() as { secret: Buffer }[]).map((r) => r.secret);
      expect(await send(facilitator, 'activity:setState', { id: boardId, state: 'closed' })).toEqual({ ok: true });
      expect(db.prepare('SELECT count(*) AS n FROM voters').get()).toEqual({ n: 0 });
      // Not only gone from the tables: gone from the bytes of the database and its log.
      const files = ['roundtable.sqlite', 'roundtable.sqlite-wal']
        .map((f) => join(own.dataDir, f))
        .filter(existsSync)
        .map((f) => readFileSync(f));
      for (const bytes of files) {
        for (const tag of tags) expect(bytes.includes(Buffer.from(tag))).toBe(false);
        for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
      }
      expect(db.prepare('SELECT count(*) AS n FROM box_secrets').get()).toEqual({ n: 0 });
      const ballots = db.prepare('SELECT * FROM ballots').all() as Record<string, string>[];
      expect(ballots).toHaveLength(3);
      expect(Object.keys(ballots[0]!).sort()).toEqual(['box_id', 'id', 'payload', 'workshop_id']);
      const result = JSON.parse((db.prepare('SELECT result FROM activity_results').get() as { result: string }).result);
      expect(result).toEqual({
        method: 'dots',
        voters: 3,
        items: [
          { id: a, label: 'A', rank: 1, score: 2 },
          { id: b, label: 'B', rank: 2, score: 1 },
        ],
      });
      db.close();
      expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [a]: 1 } } })).toMatchObject({ ok: false, code: 'conflict' });
      expect(await send(phones[0]!, 'board:myBallot', { boardId })).toEqual({ ok: true, ballot: null });
    } finally {
      await own.close();
    }
  });
});

describe('clustering', () => {
  it('makes a facilitator’s group one item to vote on, named as the facilitator named it', async () => {
    const { boardId, facilitator, phones } = await boardSession(3);
    const a = await addNote(phones[0]!, boardId, 'Dark underpass');
    const b = await addNote(phones[1]!, boardId, 'No lights at the underpass');
    const c = await addNote(phones[2]!, boardId, 'Youth centre');
    const editor = await openDoc(server.url, facilitator, `board-${boardId}`);
    const cluster = clusterNotes(editor.doc, [a, b], 'Underpass', 'cluster-underpass-01');
    const reader = await openDoc(server.url, phones[0]!, `board-${boardId}`);
    await expect.poll(() => priorityItems(reader.doc)).toEqual([
      { id: cluster, label: 'Underpass' },
      { id: c, label: 'Youth centre' },
    ]);
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const seen = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    for (const phone of phones) await send(phone, 'board:vote', { boardId, ballot: { dots: { [cluster]: 1, [a]: 1 } } });
    expect((await seen).items?.map((i) => [i.label, i.score])).toEqual([
      ['Underpass', 3],
      ['Youth centre', 0],
    ]);
  });
});

describe('publishing results without giving anyone away', () => {
  it('does not publish a single person’s change: a new count goes out only after k people changed their ballot', async () => {
    const { boardId, facilitator, phones } = await boardSession(4, { prioritisation: { method: 'dots', budget: 1, maxPerItem: 1 } });
    const a = await addNote(phones[0]!, boardId, 'A');
    const b = await addNote(phones[1]!, boardId, 'B');
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const published = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    for (const phone of phones.slice(0, 3)) await send(phone, 'board:vote', { boardId, ballot: { dots: { [a]: 1 } } });
    const first = await published;
    expect(first.items?.map((i) => [i.id, i.score])).toEqual([
      [a, 3],
      [b, 0],
    ]);

    // One person moves their dot, and a fourth votes: two changes, fewer than k = 3.
    await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [b]: 1 } } });
    await send(phones[3]!, 'board:vote', { boardId, ballot: { dots: { [b]: 1 } } });
    expect(await send(facilitator, 'board:results', { boardId })).toEqual({ ok: true, results: first });

    // A third person changes: now a new count may go out, mixing three people's changes.
    const next = nextEvent(facilitator, 'board:results', (r) => r.voters === 4);
    await send(phones[1]!, 'board:vote', { boardId, ballot: { dots: { [b]: 1 } } });
    expect((await next).items?.map((i) => [i.id, i.score])).toEqual([
      [b, 3],
      [a, 1],
    ]);
  });
});

describe('ranking and impact/effort boards', () => {
  it('ranks by Borda count once k people have ranked', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { prioritisation: { method: 'ranking', topN: 2 } });
    const [a, b, c] = [await addNote(phones[0]!, boardId, 'A'), await addNote(phones[1]!, boardId, 'B'), await addNote(phones[2]!, boardId, 'C')];
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    expect(await send(phones[0]!, 'board:vote', { boardId, ballot: { ranking: [a, b, c] } })).toMatchObject({ ok: false, code: 'invalid_input' });
    const seen = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    await send(phones[0]!, 'board:vote', { boardId, ballot: { ranking: [a, b] } });
    await send(phones[1]!, 'board:vote', { boardId, ballot: { ranking: [b, a] } });
    await send(phones[2]!, 'board:vote', { boardId, ballot: { ranking: [b, c] } });
    expect((await seen).items?.map((i) => [i.label, i.rank, i.score])).toEqual([
      ['B', 1, 5],
      ['A', 2, 3],
      ['C', 3, 1],
    ]);
  });

  it('places items by the median of everyone’s impact and effort', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { prioritisation: { method: 'impactEffort' } });
    const a = await addNote(phones[0]!, boardId, 'Quick win');
    const b = await addNote(phones[1]!, boardId, 'Hard slog');
    await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
    const seen = nextEvent(facilitator, 'board:results', (r) => r.voters === 3);
    const placements = [
      [0.9, 0.1, 0.4, 0.9],
      [0.8, 0.3, 0.6, 0.7],
      [0.7, 0.2, 0.5, 0.8],
    ];
    for (const [i, [ia, ea, ib, eb]] of placements.entries()) {
      await send(phones[i]!, 'board:vote', { boardId, ballot: { placements: { [a]: { impact: ia, effort: ea }, [b]: { impact: ib, effort: eb } } } });
    }
    expect((await seen).items).toEqual([
      { id: a, label: 'Quick win', rank: 1, score: 0.6, impact: 0.8, effort: 0.2 },
      { id: b, label: 'Hard slog', rank: 2, score: -0.3, impact: 0.5, effort: 0.8 },
    ]);
  });
});

describe('what the database alone can tell', () => {
  it('holds no tag computable from anything it stores about a participant', async () => {
    const own = await startTestServer();
    try {
      const { boardId, facilitator, phones } = await boardSession(2, {}, own.url);
      const notes = [await addNote(phones[0]!, boardId, 'one'), await addNote(phones[0]!, boardId, 'two'), await addNote(phones[1]!, boardId, 'three')];
      await send(facilitator, 'activity:setState', { id: boardId, state: 'locked' });
      await send(phones[0]!, 'board:vote', { boardId, ballot: { dots: { [notes[0]!]: 1 } } });
      const db = new Database(join(own.dataDir, 'roundtable.sqlite'), { readonly: true });
      const secret = (db.prepare("SELECT secret FROM box_secrets WHERE box_id LIKE 'votes:%'").get() as { secret: Buffer }).secret;
      const voterTags = new Set((db.prepare('SELECT voter_tag FROM voters').all() as { voter_tag: string }[]).map((r) => r.voter_tag));
      const people = db.prepare('SELECT id, token_hash FROM participants').all() as { id: string; token_hash: string }[];
      db.close();
      expect(voterTags.size).toBe(1);
      for (const person of people) {
        for (const stored of [person.id, person.token_hash]) {
          expect(voterTags.has(createHmac('sha256', secret).update(stored).digest('base64url'))).toBe(false);
        }
      }
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

describe('Q&A boards', () => {
  it('takes anonymous questions and one upvote per question each, counted once k people have voted', async () => {
    const { boardId, facilitator, phones } = await boardSession(3, { mode: 'qa' });
    const q1 = await addNote(phones[0]!, boardId, 'How will patrols change?');
    const q2 = await addNote(phones[1]!, boardId, 'Who do we call at night?');
    expect(await send(phones[2]!, 'board:vote', { boardId, ballot: { upvotes: [q1, q1] } })).toMatchObject({ ok: false, code: 'invalid_input' });
    const seen = nextEvent(phones[0]!, 'board:results', (r) => r.voters === 3);
    await send(phones[0]!, 'board:vote', { boardId, ballot: { upvotes: [q2] } });
    await send(phones[1]!, 'board:vote', { boardId, ballot: { upvotes: [q1, q2] } });
    await send(phones[2]!, 'board:vote', { boardId, ballot: { upvotes: [q2] } });
    expect((await seen).items?.map(({ id, score, rank }) => ({ id, score, rank }))).toEqual([
      { id: q2, score: 3, rank: 1 },
      { id: q1, score: 1, rank: 2 },
    ]);
    const doc = await openDoc(server.url, facilitator, `board-${boardId}`);
    expect(noteTexts(doc.doc)).toHaveLength(2);
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
