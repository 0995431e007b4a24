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
  });
}
