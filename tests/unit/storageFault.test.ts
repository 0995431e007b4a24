import { describe, expect, it } from 'vitest';
import { StorageHealth, storageFault, watchWrites } from '../../server/store/storageFault.js';

const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** A store-shaped object whose writes fail while `diskFull` is set. */
function storeOnADisk() {
  const disk = { full: false };
  const write = async <T>(result: T) => {
    if (disk.full) throw full;
    return result;
  };
  const store = {
    ballots: async () => [],
    castBallot: (changed: boolean) => write({ ballotId: 'b', changed }),
    saveAgenda: (stored: boolean) => write(stored),
    createBoxSecret: () => write(undefined),
    hideNote: () => write(undefined),
  };
  return { disk, store };
}

describe('storage faults', () => {
  it('tells a full disk and other disk errors from any other failure, on both stores', () => {
    expect(storageFault(full)).toBe('full');
    expect(storageFault({ code: '53100' })).toBe('full');
    expect(storageFault({ code: 'SQLITE_IOERR_WRITE' })).toBe('failed');
    expect(storageFault({ code: 'SQLITE_READONLY' })).toBe('failed');
    expect(storageFault({ code: '23505' })).toBeUndefined();
    expect(storageFault(new Error('something else'))).toBeUndefined();
  });

  it('reports the disk failing until a write that really wrote something succeeds', async () => {
    const health = new StorageHealth();
    const { disk, store } = storeOnADisk();
    const watched = watchWrites(store, health);
    disk.full = true;
    await expect(watched.hideNote()).rejects.toBe(full);
    expect(health.failing?.kind).toBe('full');
    // None of these proves the disk takes writes again: a read, the same ballot again, an agenda conflict, a
    // row that was there already.
    await watched.ballots();
    disk.full = false;
    await watched.castBallot(false);
    await watched.saveAgenda(false);
    await watched.createBoxSecret();
    expect(health.failing?.kind).toBe('full');
    await watched.castBallot(true);
    expect(health.failing).toBeUndefined();
  });
});
