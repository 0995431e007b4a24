import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import { storeContract } from './storeContract.js';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-store-'));
  return { store: new SqliteStore(dir), reopen: async () => new SqliteStore(dir) };
});

describe('SQLite store on disk', () => {
  it('uses write-ahead logging with full sync, and stores no participant token, only its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roundtable-store-'));
    const store = new SqliteStore(dir);
    await store.close();
    const db = new Database(join(dir, 'roundtable.sqlite'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const columns = db.prepare("SELECT name FROM pragma_table_info('participants')").all() as { name: string }[];
    expect(columns.map((c) => c.name).sort()).toEqual(['group_id', 'id', 'token_hash', 'workshop_id']);
    db.close();
  });
});
