/**
 * The attacker who copies the data folder (a sync tool, a backup, a disk image), during a session and after
 * it, and reads the copy byte by byte with the SQLite file format alone (tests/helpers/sqliteBytes.ts).
 * docs/ANONYMITY.md names what each copy may and may not show; these tests are the proof it points to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { disconnectAll, ok, send, type TestSocket } from '../helpers/clients.js';
import { session } from '../helpers/session.js';
import { startTestServer, type TestServer } from '../helpers/startTestServer.js';
import { copyFolder, copyHolds, recordKey, type FolderCopy, type RawRecord, type RawValue } from '../helpers/sqliteBytes.js';

const running: TestServer[] = [];
afterEach(async () => {
  disconnectAll();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const holds = (record: RawRecord, text: string) => record.values.some((v) => typeof v === 'string' && v.includes(text));
const texts = (records: RawRecord[]) => new Set(records.flatMap((r) => r.values.filter((v): v is string => typeof v === 'string')));

describe('a copy of the data folder', () => {
  it('taken while a poll is open shows only current answers; after closing, no order, no voter, no earlier answer', async () => {
    const server = await startTestServer();
    running.push(server);
    const poll = { kind: 'poll', title: 'Open question', type: 'open' };
    const { facilitator, phones, activityId: pollId } = await session(server.url, { workshop: { anonymityThreshold: 3 }, activity: poll, phones: 8 });
    const answer = (i: number, text: string) => send(phones[i]!, 'poll:vote', { pollId, answer: { text } });

    const order = phones.map((_, i) => `arrived ${i + 1} of 8`);
    for (const [i, text] of order.entries()) {
      if (i === 2) {
        // Phone 3 first writes something it then takes back.
        expect(await answer(i, 'first wording, taken back')).toEqual({ ok: true });
        const before = copyFolder(server.dataDir);
        expect(before.records.some((r) => holds(r, 'first wording, taken back'))).toBe(true); // the reader finds ballots
      }
      expect(await answer(i, text)).toEqual({ ok: true });
    }

    // During the session: one file, no log of earlier versions, no trace of the answer taken back.
    const open = copyFolder(server.dataDir);
    expect([...open.files.keys()]).toEqual(['roundtable.sqlite']);
    expect(copyHolds(open, 'first wording, taken back')).toBe(false);
    const box = `poll:${pollId}:1`;
    // What one vote per person needs while the poll is open: a voter tag per person and the box's secret.
    const voterRows = open.records.filter((r) => r.values[0] === box && r.values.length === 4 && !holds(r, 'arrived'));
    expect(voterRows).toHaveLength(8);
    const tags = voterRows.map((r) => r.values[1] as string);
    // Each tag lies in one record only: no earlier version of a voter's row survives next to the current one.
    for (const tag of tags) expect(open.records.filter((r) => r.values.includes(tag))).toHaveLength(1);
    const secret = open.records.find((r) => r.values[0] === box && Buffer.isBuffer(r.values[2]))?.values[2] as Buffer;
    expect(secret).toHaveLength(32);

    expect(await send(facilitator, 'activity:setState', { id: pollId, state: 'closed' })).toEqual({ ok: true });
    const sealed = copyFolder(server.dataDir);
    expect([...sealed.files.keys()]).toEqual(['roundtable.sqlite']);
    // No voter tag and no secret in any byte of the folder, in any page: live, free or from a journal.
    for (const tag of tags) expect(copyHolds(sealed, tag)).toBe(false);
    expect(copyHolds(sealed, secret)).toBe(false);
    // The ballots are all there, but the file no longer lays them out in the order they came.
    const ballots = sealed.records
      .filter((r) => r.values.length === 4 && r.values[1] === box)
      .sort((a, b) => a.page - b.page || a.offset - b.offset)
      .map((r) => (JSON.parse(r.values[3] as string) as { text: string }).text);
    expect([...ballots].sort()).toEqual([...order].sort());
    expect(ballots).not.toEqual(order);
    expect(ballots).not.toEqual([...order].reverse());
  });

  it('never ties one person’s notes together, even compared copy by copy as they arrive', async () => {
    const server = await startTestServer();
    running.push(server);
    const board = { kind: 'board', title: 'Safety', prompt: 'What makes you feel unsafe?', columns: ['Concerns'] };
    const { phones, activityId: boardId } = await session(server.url, { workshop: { anonymityThreshold: 3 }, activity: board, phones: 2 });
    const addNote = async (phone: TestSocket, text: string) => {
      await ok(send(phone, 'board:addNote', { boardId, text, column: null }));
      return copyFolder(server.dataDir);
    };
    const start = copyFolder(server.dataDir);
    const [officer, resident] = phones as [TestSocket, TestSocket];
    const first = await addNote(officer, 'note one of the officer');
    const second = await addNote(officer, 'note two of the officer');
    const other = await addNote(resident, 'a note of a resident');

    /** The values of the records a copy holds that the copy before it did not: what one note changed. */
    const changedValues = (before: FolderCopy, after: FolderCopy): Set<string> => {
      const earlier = new Set(before.records.map((r) => recordKey(r.values)));
      const values = (v: RawValue) => recordKey([v]);
      return new Set(after.records.filter((r) => !earlier.has(recordKey(r.values))).flatMap((r) => r.values.map(values)));
    };
    const officerFirst = changedValues(start, first);
    const officerSecond = changedValues(first, second);
    const residentNote = changedValues(second, other);
    expect(texts(first.records).has('note one of the officer') || copyHolds(first, 'note one of the officer')).toBe(true);
    // Whatever the officer's two notes changed in common, a note of someone else changed too (the board's
    // and the workshop's ids, a flag): nothing in the files belongs to the officer alone.
    const shared = [...officerFirst].filter((v) => officerSecond.has(v));
    expect(shared.length).toBeGreaterThan(0); // the comparison sees the records the notes wrote
    expect(shared.filter((v) => !residentNote.has(v))).toEqual([]);
  });
});
