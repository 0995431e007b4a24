/**
 * A compaction the store refuses (a full disk) is owed, not a failure: the changes it follows are stored and
 * acknowledged, the log keeps the old content only until a retry succeeds, and the copy is not dropped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createWorkshopSchema } from '../../shared/protocol/schemas.js';
import { newWorkshop } from '../../server/domain/workshop.js';
import { createLogger } from '../../server/log.js';
import { SqliteStore } from '../../server/store/sqlite/SqliteStore.js';
import { SERVER_ORIGIN, SharedDoc } from '../../server/yjs/SharedDoc.js';

const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

afterEach(() => vi.useRealTimers());

describe('a refused compaction', () => {
  it('acknowledges the change, keeps the copy, and compacts on a later try', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'roundtable-compaction-')));
    const { record } = newWorkshop(createWorkshopSchema.parse({ title: 'Compaction' }), Date.now());
    await store.createWorkshop(record);
    const id = record.id;
    let refusals = 1;
    const evicted: unknown[] = [];
    const doc = new SharedDoc({
      key: `${id}/plan`,
      stored: [],
      persistence: {
        append: (update) => store.appendDocUpdate(id, 'plan', update),
        compact: async (state, through) => {
          if (refusals-- > 0) throw full();
          await store.compactDocUpdates(id, 'plan', state, through);
        },
      },
      log: createLogger('silent'),
      onIdle: () => undefined,
      onFailure: (close) => evicted.push(close),
    });
    const text = doc.doc.getText('title');
    Y.transact(doc.doc, () => text.insert(0, 'a secret first wording'), SERVER_ORIGIN);
    Y.transact(doc.doc, () => text.delete(0, text.length), SERVER_ORIGIN);
    Y.transact(doc.doc, () => text.insert(0, 'the final wording'), SERVER_ORIGIN);

    await expect(doc.compact()).resolves.toBeUndefined();
    expect(doc.compactionOwed).toBe(true);
    expect(doc.failed).toBe(false);
    expect(evicted).toEqual([]);
    const log = await store.loadDocUpdates(id, 'plan');
    expect(log).toHaveLength(3);
    expect(Buffer.concat(log).toString('latin1')).toContain('a secret first wording');

    await vi.advanceTimersByTimeAsync(30_000);
    await doc.flush();
    expect(doc.compactionOwed).toBe(false);
    const compacted = await store.loadDocUpdates(id, 'plan');
    expect(compacted).toHaveLength(1);
    expect(Buffer.concat(compacted).toString('latin1')).not.toContain('secret');
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, compacted[0]!);
    expect(reloaded.getText('title').toString()).toBe('the final wording');
    doc.destroy();
    await store.close();
  });
});
