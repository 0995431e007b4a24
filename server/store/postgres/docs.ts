/**
 * The PostgreSQL store's Yjs document logs, which several nodes append to at once: a per-document advisory lock
 * lets one node merge a log while the appends of every node wait (DocUpdateMerging, which PostgresStore declares).
 */
import type { DocLog } from '../ComposedStore.js';
import type { DocUpdateMerging } from '../Store.js';
import type { PostgresPool } from './PostgresPool.js';
import type { TableScrubber } from './TableScrubber.js';

/** First key of the per-document advisory locks (the second is a hash of the document's name): "RTDC". */
const DOC_LOCK_CLASS = 0x52_54_44_43;

const bytes = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export function postgresDocs(db: PostgresPool, scrubber: TableScrubber): DocLog & Pick<DocUpdateMerging, 'mergeDocUpdates'> {
  return {
    async appendDocUpdate(workshopId: string, docName: string, update: Uint8Array): Promise<number> {
      // One statement, so the document's lock (shared: appends do not wait for each other) is held until it
      // commits; mergeDocUpdates takes it exclusively and so sees every append that took a lower seq.
      const sql = `INSERT INTO doc_updates (workshop_id, doc_name, data)
        SELECT $1, $2, $3 FROM (SELECT pg_advisory_xact_lock_shared(${DOC_LOCK_CLASS}, hashtext($1 || '/' || $2))) AS locked RETURNING seq`;
      return Number((await db.rows<{ seq: string }>(sql, [workshopId, docName, bytes(update)]))[0]!.seq);
    },

    async mergeDocUpdates(workshopId: string, docName: string, merge: (stored: Uint8Array[]) => Uint8Array): Promise<void> {
      await db.transaction(async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock(${DOC_LOCK_CLASS}, hashtext($1 || '/' || $2))`, [workshopId, docName]);
        const { rows } = await client.query<{ seq: string; data: Buffer }>(
          'SELECT seq, data FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2 ORDER BY seq',
          [workshopId, docName],
        );
        if (rows.length === 0) return;
        const merged = merge(rows.map((row) => new Uint8Array(row.data)));
        await client.query('DELETE FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2 AND seq <= $3', [workshopId, docName, rows.at(-1)!.seq]);
        await client.query('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES ($1, $2, $3)', [workshopId, docName, bytes(merged)]);
      });
      await scrubber.owe(['doc_updates'], 'tidy');
    },

    async loadDocUpdates(workshopId: string, docName: string): Promise<Uint8Array[]> {
      const sql = 'SELECT data FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2 ORDER BY seq';
      return (await db.rows<{ data: Buffer }>(sql, [workshopId, docName])).map((row) => new Uint8Array(row.data));
    },

    async compactDocUpdates(workshopId: string, docName: string, state: Uint8Array, throughSeq: number): Promise<void> {
      await db.transaction(async (client) => {
        await client.query('DELETE FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2 AND seq <= $3', [workshopId, docName, throughSeq]);
        await client.query('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES ($1, $2, $3)', [workshopId, docName, bytes(state)]);
      });
      // Frequent, so the light VACUUM: the replaced updates (hidden or withdrawn note text) leave the table's
      // reachable data; their bytes may stay in free page space until reused or the next rewrite.
      await scrubber.owe(['doc_updates'], 'tidy');
    },

    async deleteDoc(workshopId: string, docName: string): Promise<void> {
      const deleted = await db.run('DELETE FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2', [workshopId, docName]);
      if (deleted > 0) await scrubber.owe(['doc_updates'], 'rewrite');
    },
  };
}
