/**
 * The contract every Store must meet. Each implementation's test file calls `storeContract` with a factory;
 * the PostgreSQL store will run exactly these checks too.
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

    it('lists the workshops past their retention, and deletes one with everything that belongs to it', async () => {
      const { store } = await open();
      const doomed = newWorkshop({ ...input, retentionDays: 1 }, 0).record;
      const kept = newWorkshop(input, 0).record;
      for (const record of [doomed, kept]) {
        await store.createWorkshop(record);
        await store.getOrCreateParticipant(record.id, `hash-${record.id}`, `p-${record.id}`);
        await store.appendDocUpdate(record.id, 'plan', new Uint8Array([1, 2, 3]));
        await store.createBoxSecret(record.id, `box-${record.id}`, Buffer.alloc(32, 7));
        await store.claimNote(record.id, `box-${record.id}`, 'note-1', 'owner-tag', 'person-tag');
        await store.castBallot(record.id, `box-${record.id}`, 'voter-tag', '{"choice":"yes"}', `ballot-${record.id}`);
        await store.hideBallot(record.id, `ballot-${record.id}`);
        await store.savePaperTally(record.id, `box-${record.id}`, '{}');
        await store.hideNote(record.id, `board-${record.id}`, { id: 'note-2', text: 'hidden', color: 'yellow' });
        await store.saveActivityResult(record.id, `activity-${record.id}`, { total: 1 });
      }
      const day = 24 * 60 * 60 * 1000;
      expect(await store.expiredWorkshopIds(day - 1)).toEqual([]);
      expect(await store.expiredWorkshopIds(day)).toEqual([doomed.id]);

      expect(await store.deleteWorkshop(doomed.id)).toBe(true);
      expect(await store.deleteWorkshop(doomed.id)).toBe(false);
      expect(await store.getWorkshop(doomed.id)).toBeUndefined();
      expect(await store.findWorkshopIdByJoinCode(doomed.joinCode)).toBeUndefined();
      expect(await store.loadDocUpdates(doomed.id, 'plan')).toEqual([]);
      expect(await store.boxSecret(`box-${doomed.id}`)).toBeUndefined();
      expect(await store.noteOwners(`box-${doomed.id}`)).toEqual([]);
      expect(await store.noteCount(`box-${doomed.id}`, 'person-tag')).toBe(0);
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
  });
}
