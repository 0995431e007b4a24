/**
 * The contract every Store must meet. Each implementation's test file calls `storeContract` with a factory:
 * sqliteStore.test.ts and postgresStore.test.ts run exactly these checks.
 */
import { describe, expect, it } from 'vitest';
import { addActivity, emptyAgenda } from '../../server/domain/agenda.js';
import { newWorkshop } from '../../server/domain/workshop.js';
import type { Store } from '../../server/store/Store.js';

const input = { title: 'Contract', language: 'en' as const, anonymityThreshold: 5, retentionDays: 30 };

export function storeContract(name: string, open: () => Promise<{ store: Store; reopen: () => Promise<Store> }>) {
  describe(`${name} store`, () => {
    it('stores a workshop and finds it by id and by join code', async () => {
      const { store } = await open();
      const { record } = newWorkshop(input, 1_000);
      expect(await store.createWorkshop(record)).toBe('ok');
      expect(await store.getWorkshop(record.id)).toEqual(record);
      expect(await store.findWorkshopIdByJoinCode(record.joinCode)).toBe(record.id);
      expect(await store.getWorkshop('missing')).toBeUndefined();
      expect(await store.findWorkshopIdByJoinCode('ZZZZZZ')).toBeUndefined();
      await store.close();
    });

    it('lists workshops for an operator, with their retention and stored size, and replaces a facilitator key', async () => {
      const { store } = await open();
      // Other tests of the same database may have stored workshops: only these two are looked at.
      const older = newWorkshop({ ...input, title: 'Older' }, 1_000).record;
      const newer = newWorkshop({ ...input, title: 'Newer', retentionDays: 7 }, 2_000).record;
      for (const record of [newer, older]) await store.createWorkshop(record);
      await store.appendDocUpdate(newer.id, 'plan', new Uint8Array(1_000));
      const mine = (await store.workshopSummaries()).filter((s) => s.id === older.id || s.id === newer.id);
      expect(mine.map((s) => s.title)).toEqual(['Older', 'Newer']);
      expect(mine[1]).toEqual({
        id: newer.id,
        title: 'Newer',
        createdAt: 2_000,
        expiresAt: newer.expiresAt,
        retentionDays: 7,
        endedAt: null,
        followUpDays: newer.followUpDays,
        bytes: expect.any(Number),
      });
      // The agenda's JSON and the document's 1,000 bytes, at least.
      expect(mine[1]!.bytes).toBeGreaterThanOrEqual(1_000 + JSON.stringify(newer.agenda).length);
      expect(mine[1]!.bytes - mine[0]!.bytes).toBeGreaterThanOrEqual(1_000);

      expect(await store.setFacilitatorKeyHash(older.id, 'f'.repeat(64))).toBe(true);
      expect((await store.getWorkshop(older.id))?.facilitatorKeyHash).toBe('f'.repeat(64));
      expect(await store.setFacilitatorKeyHash('missing', 'f'.repeat(64))).toBe(false);
      await store.close();
    });

    it('refuses a second workshop with the same join code', async () => {
      const { store } = await open();
      const first = newWorkshop(input, 0).record;
      const second = { ...newWorkshop(input, 0).record, joinCode: first.joinCode };
      await store.createWorkshop(first);
      expect(await store.createWorkshop(second)).toBe('join_code_taken');
      expect(await store.getWorkshop(second.id)).toBeUndefined();
      await store.close();
    });

    it('saves an agenda only over the version it was computed from', async () => {
      const { store } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      const added = addActivity(emptyAgenda(), { kind: 'info', title: 'One', body: '' }, 'a1');
      if (!added.ok) throw new Error();
      expect(await store.saveAgenda(record.id, added.value, 0)).toBe(true);
      expect(await store.saveAgenda(record.id, added.value, 0)).toBe(false);
      expect((await store.getWorkshop(record.id))?.agenda).toEqual(added.value);
      await store.close();
    });

    it('knows a participant again by the hash of their token, and remembers their group', async () => {
      const { store } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      const first = await store.getOrCreateParticipant(record.id, 'hash-1', 'p1');
      expect(first).toEqual({ id: 'p1', workshopId: record.id, groupId: null, drafter: false, drafterName: '' });
      await store.setParticipantGroup(record.id, 'p1', 'police');
      expect(await store.getOrCreateParticipant(record.id, 'hash-1', 'p-other')).toEqual({ ...first, groupId: 'police' });
      expect((await store.getOrCreateParticipant(record.id, 'hash-2', 'p2')).id).toBe('p2');
      await store.close();
    });

    it('finds a participant only if they joined before, and keeps a room’s lock and passphrase', async () => {
      const { store, reopen } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      expect(await store.getWorkshop(record.id)).toMatchObject({ locked: false, passphraseHash: null });
      expect(await store.findParticipant(record.id, 'hash-1')).toBeUndefined();
      await store.getOrCreateParticipant(record.id, 'hash-1', 'p1');
      expect((await store.findParticipant(record.id, 'hash-1'))?.id).toBe('p1');
      await store.setRoomAccess(record.id, { locked: true, passphraseHash: 'scrypt:salt:hash' });
      await store.close();
      const again = await reopen();
      expect(await again.getWorkshop(record.id)).toMatchObject({ locked: true, passphraseHash: 'scrypt:salt:hash' });
      await again.close();
    });

    it('keeps everything across a reopen', async () => {
      const { store, reopen } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      await store.setCoFacilitatorKeyHash(record.id, 'f'.repeat(64));
      await store.getOrCreateParticipant(record.id, 'hash-1', 'p1');
      await store.close();
      const again = await reopen();
      expect(await again.getWorkshop(record.id)).toEqual({ ...record, coFacilitatorKeyHash: 'f'.repeat(64) });
      expect((await again.getOrCreateParticipant(record.id, 'hash-1', 'p-new')).id).toBe('p1');
      await again.ping();
      await again.close();
    });

    it('keeps one ballot per voter: the same answer again changes nothing, another replaces it under a new id', async () => {
      const { store } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      expect(await store.castBallot(record.id, 'box', 'voter-1', '{"choice":"a"}', 'b1')).toEqual({ ballotId: 'b1', changed: true });
      expect(await store.castBallot(record.id, 'box', 'voter-1', '{"choice":"a"}', 'b2')).toEqual({ ballotId: 'b1', changed: false });
      expect(await store.castBallot(record.id, 'box', 'voter-1', '{"choice":"b"}', 'b3')).toEqual({ ballotId: 'b3', changed: true });
      await store.castBallot(record.id, 'box', 'voter-2', '{"choice":"a"}', 'b4');
      await store.castBallot(record.id, 'other-box', 'voter-1', '{"choice":"c"}', 'b5');
      expect(await store.ballotOf('box', 'voter-1')).toBe('{"choice":"b"}');
      expect(await store.ballotOf('box', 'voter-3')).toBeUndefined();
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect((await store.ballots('box')).sort(byId)).toEqual([
        { id: 'b3', payload: '{"choice":"b"}' },
        { id: 'b4', payload: '{"choice":"a"}' },
      ]);

      await store.hideBallot(record.id, 'b4');
      await store.hideBallot(record.id, 'b4');
      expect(await store.hiddenBallots(['b3', 'b4', 'missing'])).toEqual(new Set(['b4']));
      expect(await store.hiddenBallots([])).toEqual(new Set());
      await store.savePaperTally(record.id, 'box', '{"a":1}');
      await store.savePaperTally(record.id, 'box', '{"a":2}');
      expect(await store.paperTally('box')).toBe('{"a":2}');

      // Sealing forgets who voted; the ballots stay and still count.
      await store.createBoxSecret(record.id, 'box', Buffer.alloc(32, 1));
      await store.createBoxSecret(record.id, 'box', Buffer.alloc(32, 2));
      expect(await store.boxSecret('box')).toEqual(Buffer.alloc(32, 1));
      await store.sealBox('box');
      await store.sealBox('box');
      expect(await store.boxSecret('box')).toBeUndefined();
      expect(await store.ballotOf('box', 'voter-1')).toBeUndefined();
      expect((await store.ballots('box')).sort(byId).map((b) => b.id)).toEqual(['b3', 'b4']);
      expect(await store.ballotCount('box')).toBe(2);
      expect(await store.ballotOf('other-box', 'voter-1')).toBe('{"choice":"c"}');

      await store.deleteBallots('box');
      expect(await store.ballots('box')).toEqual([]);
      expect(await store.ballotCount('box')).toBe(0);
      expect(await store.hiddenBallots(['b4'])).toEqual(new Set());
      expect(await store.paperTally('box')).toBeUndefined();
      expect(await store.ballots('other-box')).toHaveLength(1);
      await store.close();
    });

    it('keeps one owner tag per note, forgets a released one, and forgets all when sealed', async () => {
      const { store } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      await store.claimNote(record.id, 'board', 'n1', 'owner-1');
      await store.claimNote(record.id, 'board', 'n2', 'owner-2');
      await expect(store.claimNote(record.id, 'board', 'n2', 'owner-3')).rejects.toThrow();
      expect(await store.noteOwnerTag('board', 'n2')).toBe('owner-2');
      await store.releaseNote('board', 'n2');
      expect(await store.noteOwnerTag('board', 'n2')).toBeUndefined();
      expect(await store.noteOwners('board')).toEqual([{ noteId: 'n1', ownerTag: 'owner-1' }]);
      await store.sealBox('board');
      expect(await store.noteOwners('board')).toEqual([]);
      await store.close();
    });

    it('keeps a document’s updates in order, compacts them into one, and deletes the document', async () => {
      const { store, reopen } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      const first = await store.appendDocUpdate(record.id, 'plan', new Uint8Array([1]));
      const second = await store.appendDocUpdate(record.id, 'plan', new Uint8Array([2, 0, 255]));
      await store.appendDocUpdate(record.id, 'board-1', new Uint8Array([9]));
      expect(second).toBeGreaterThan(first);
      expect(await store.loadDocUpdates(record.id, 'plan')).toEqual([new Uint8Array([1]), new Uint8Array([2, 0, 255])]);
      await store.compactDocUpdates(record.id, 'plan', new Uint8Array([7, 7]), second);
      const third = await store.appendDocUpdate(record.id, 'plan', new Uint8Array([3]));
      expect(third).toBeGreaterThan(second);
      await store.close();
      const again = await reopen();
      expect(await again.loadDocUpdates(record.id, 'plan')).toEqual([new Uint8Array([7, 7]), new Uint8Array([3])]);
      await again.deleteDoc(record.id, 'plan');
      expect(await again.loadDocUpdates(record.id, 'plan')).toEqual([]);
      expect(await again.loadDocUpdates(record.id, 'board-1')).toEqual([new Uint8Array([9])]);
      await again.close();
    });

    it('keeps hidden notes until taken back, saved results, drafters and the count of each group', async () => {
      const { store } = await open();
      const { record } = newWorkshop(input, 0);
      await store.createWorkshop(record);
      await store.hideNote(record.id, 'board', { id: 'n1', text: 'first', color: 'yellow' });
      await store.hideNote(record.id, 'board', { id: 'n1', text: 'edited', color: 'blue' });
      await store.hideNote(record.id, 'board', { id: 'n2', text: 'second', color: 'green' });
      expect(await store.hiddenNotes('board')).toEqual([
        { id: 'n1', text: 'edited', color: 'blue' },
        { id: 'n2', text: 'second', color: 'green' },
      ]);
      expect(await store.takeHiddenNote('board', 'n1')).toEqual({ id: 'n1', text: 'edited', color: 'blue' });
      expect(await store.takeHiddenNote('board', 'n1')).toBeUndefined();
      expect(await store.hiddenNotes('board')).toEqual([{ id: 'n2', text: 'second', color: 'green' }]);

      const result = { method: 'dots', voters: 3, items: [{ id: 'n2', score: 2.5, label: 'ünïcødé ✓' }], none: null };
      await store.saveActivityResult(record.id, 'a1', { old: true });
      await store.saveActivityResult(record.id, 'a1', result);
      expect(await store.activityResult('a1')).toEqual(result);
      await store.deleteActivityResult('a1');
      expect(await store.activityResult('a1')).toBeUndefined();

      for (const [hash, id] of [
        ['h1', 'p1'],
        ['h2', 'p2'],
        ['h3', 'p3'],
      ])
        await store.getOrCreateParticipant(record.id, hash!, id!);
      await store.setParticipantGroup(record.id, 'p1', 'police');
      await store.setParticipantGroup(record.id, 'p2', 'police');
      await store.setDrafter(record.id, 'p2', { name: 'Amal' });
      await store.setDrafter(record.id, 'p3', { name: '' });
      expect(await store.groupCounts(record.id)).toEqual(
        new Map([
          ['police', 2],
          [null, 1],
        ]),
      );
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect((await store.drafters(record.id)).sort(byId)).toEqual([
        { id: 'p2', name: 'Amal' },
        { id: 'p3', name: '' },
      ]);
      await store.setDrafter(record.id, 'p2', null);
      expect(await store.drafters(record.id)).toEqual([{ id: 'p3', name: '' }]);
      expect(await store.findParticipant(record.id, 'h2')).toEqual({ id: 'p2', workshopId: record.id, groupId: 'police', drafter: false, drafterName: '' });
      await store.close();
    });

    it('lists the workshops past their retention, and deletes one with everything that belongs to it', async () => {
      const { store } = await open();
      const doomed = newWorkshop({ ...input, retentionDays: 1 }, 0).record;
      const kept = newWorkshop(input, 0).record;
      for (const record of [doomed, kept]) {
        await store.createWorkshop(record);
        await store.getOrCreateParticipant(record.id, `hash-${record.id}`, `p-${record.id}`);
        await store.appendDocUpdate(record.id, 'plan', new Uint8Array([1, 2, 3]));
        await store.createBoxSecret(record.id, `box-${record.id}`, Buffer.alloc(32, 7));
        await store.claimNote(record.id, `box-${record.id}`, 'note-1', 'owner-tag');
        await store.castBallot(record.id, `box-${record.id}`, 'voter-tag', '{"choice":"yes"}', `ballot-${record.id}`);
        await store.hideBallot(record.id, `ballot-${record.id}`);
        await store.savePaperTally(record.id, `box-${record.id}`, '{}');
        await store.hideNote(record.id, `board-${record.id}`, { id: 'note-2', text: 'hidden', color: 'yellow' });
        await store.saveActivityResult(record.id, `activity-${record.id}`, { total: 1 });
      }
      const day = 24 * 60 * 60 * 1000;
      expect(await store.expiredWorkshopIds(day - 1)).toEqual([]);
      expect(await store.expiredWorkshopIds(day)).toEqual([doomed.id]);
      // Dates stamped by a clock that was stepped since move with it.
      await store.shiftWorkshopDates([doomed.id], day);
      expect(await store.expiredWorkshopIds(day)).toEqual([]);
      expect((await store.getWorkshop(doomed.id))?.createdAt).toBe(doomed.createdAt + day);
      await store.shiftWorkshopDates([doomed.id], -day);

      expect(await store.deleteWorkshop(doomed.id)).toBe(true);
      expect(await store.deleteWorkshop(doomed.id)).toBe(false);
      expect(await store.getWorkshop(doomed.id)).toBeUndefined();
      expect(await store.findWorkshopIdByJoinCode(doomed.joinCode)).toBeUndefined();
      expect(await store.loadDocUpdates(doomed.id, 'plan')).toEqual([]);
      expect(await store.boxSecret(`box-${doomed.id}`)).toBeUndefined();
      expect(await store.noteOwners(`box-${doomed.id}`)).toEqual([]);
      expect(await store.ballots(`box-${doomed.id}`)).toEqual([]);
      expect(await store.ballotOf(`box-${doomed.id}`, 'voter-tag')).toBeUndefined();
      expect(await store.hiddenBallots([`ballot-${doomed.id}`])).toEqual(new Set());
      expect(await store.paperTally(`box-${doomed.id}`)).toBeUndefined();
      expect(await store.hiddenNotes(`board-${doomed.id}`)).toEqual([]);
      expect(await store.activityResult(`activity-${doomed.id}`)).toBeUndefined();
      expect(await store.groupCounts(doomed.id)).toEqual(new Map());
      expect(await store.expiredWorkshopIds(day)).toEqual([]);

      // The other workshop keeps everything.
      expect(await store.getWorkshop(kept.id)).toEqual(kept);
      expect(await store.loadDocUpdates(kept.id, 'plan')).toHaveLength(1);
      expect(await store.ballots(`box-${kept.id}`)).toHaveLength(1);
      expect(await store.hiddenNotes(`board-${kept.id}`)).toHaveLength(1);
      expect(await store.groupCounts(kept.id)).toEqual(new Map([[null, 1]]));
      await store.close();
    });

    it('ends a workshop: erases its people, replaces its documents, keeps its follow-up record and its updates in order', async () => {
      const { store, reopen } = await open();
      const day = 24 * 60 * 60 * 1000;
      const { record } = newWorkshop({ ...input, followUpDays: 100 }, 0);
      await store.createWorkshop(record);
      await store.getOrCreateParticipant(record.id, 'token-hash', 'participant-1');
      await store.createBoxSecret(record.id, 'box-1', Buffer.alloc(32, 7));
      await store.castBallot(record.id, 'box-1', 'voter-tag', '{"choice":"a"}', 'ballot-1');
      await store.appendDocUpdate(record.id, 'plan', new Uint8Array([1, 2, 3]));
      await store.appendDocUpdate(record.id, 'plan', new Uint8Array([4, 5]));

      expect(await store.markEnded(record.id, 5 * day, 100)).toBe(true);
      expect(await store.markEnded(record.id, 6 * day, 100)).toBe(false);
      expect(await store.unfinishedEndings(5 * day - 1)).toEqual([]); // ended too recently: left to its node
      expect(await store.unfinishedEndings(5 * day)).toEqual([record.id]);
      // Ended: the live retention (30 days) no longer counts, the record's does (100 days from the end).
      expect(await store.expiredWorkshopIds(31 * day)).toEqual([]);
      const followUp = { owners: [{ id: 'o1', name: 'Council', keyHash: null }], commitments: [], lessons: { worked: 'a', didNotWork: '' }, pulses: [] };
      await store.saveActivityResult(record.id, `presence:${record.id}`, { people: [['participant-1', null]] });
      const ending = {
        docs: [{ name: 'plan', state: new Uint8Array([9]) }],
        results: [{ id: `representation:${record.id}`, result: { total: 1 } }],
        forget: [`presence:${record.id}`],
        publicCode: 'ABCDEFGH',
        record: followUp,
      };
      await store.completeEnding(record.id, ending);
      expect(await store.unfinishedEndings(10 * day)).toEqual([]);
      expect(await store.activityResult(`presence:${record.id}`)).toBeUndefined();
      expect(await store.findParticipant(record.id, 'token-hash')).toBeUndefined();
      expect(await store.ballots('box-1')).toEqual([]);
      expect(await store.boxSecret('box-1')).toBeUndefined();
      expect(await store.loadDocUpdates(record.id, 'plan')).toEqual([new Uint8Array([9])]);
      expect(await store.activityResult(`representation:${record.id}`)).toEqual({ total: 1 });

      expect(await store.followUpIdByCode('ABCDEFGH')).toBe(record.id);
      const stored = await store.followUp(record.id);
      expect(stored).toEqual({ publicCode: 'ABCDEFGH', record: followUp, version: 1 });
      expect(await store.saveFollowUp(record.id, { ...followUp, lessons: { worked: 'b', didNotWork: '' } }, 1)).toBe(true);
      expect(await store.saveFollowUp(record.id, followUp, 1)).toBe(false);
      // Repeated (two nodes finishing one ending), it keeps the record already stored.
      await store.completeEnding(record.id, { ...ending, publicCode: 'HGFEDCBA' });
      expect(await store.followUp(record.id)).toMatchObject({ publicCode: 'ABCDEFGH', version: 2, record: { lessons: { worked: 'b' } } });
      // In the order they were posted, ties included (the posting time is a display, not the order).
      await store.appendFollowUpUpdate(record.id, { id: 'zz-first', commitmentId: 'c', postedAt: 2, note: 'first' });
      await store.appendFollowUpUpdate(record.id, { id: 'aa-second', commitmentId: 'c', postedAt: 2, note: 'second' });
      await store.close();

      const again = await reopen();
      expect((await again.getWorkshop(record.id))?.endedAt).toBe(5 * day);
      expect((await again.followUp(record.id))?.record.lessons.worked).toBe('b');
      expect((await again.followUpUpdates(record.id)).map((u) => u.note)).toEqual(['first', 'second']);
      expect(await again.expiredWorkshopIds(105 * day - 1)).toEqual([]);
      expect(await again.expiredWorkshopIds(105 * day)).toEqual([record.id]);
      expect(await again.deleteWorkshop(record.id)).toBe(true);
      expect(await again.followUp(record.id)).toBeUndefined();
      expect(await again.followUpUpdates(record.id)).toEqual([]);
      await again.close();
    });
  });
}
