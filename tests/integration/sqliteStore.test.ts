import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { connect, createWorkshop, disconnectAll, newToken, participantAuth } from '../helpers/clients.js';
import { startTestServer } from '../helpers/startTestServer.js';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import { storeContract } from '../helpers/storeContract.js';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-store-'));
  return { store: new SqliteStore(dir), reopen: async () => new SqliteStore(dir) };
});

describe('SQLite store on disk', () => {
  it('keeps no write-ahead log, and a participant row holds the hash of the token, never the token', async () => {
    const server = await startTestServer();
    const created = await createWorkshop(server.url);
    const token = newToken();
    await connect(server.url, participantAuth(created, token));
    disconnectAll();
    await server.close();
    const db = new Database(join(server.dataDir, 'roundtable.sqlite'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete'); // no write-ahead log: docs/ANONYMITY.md
    const rows = db.prepare('SELECT * FROM participants').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['drafter', 'drafter_name', 'group_id', 'id', 'token_hash', 'workshop_id']);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    db.close();
  });
});
