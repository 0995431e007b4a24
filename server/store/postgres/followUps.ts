/** The PostgreSQL store's follow-up records (docs/FOLLOWUP.md), and the ending of a workshop that makes them. */
import type { CommitmentUpdate } from '../../../shared/protocol/followUp.js';
import type { Ending, FollowUpRecord, FollowUpStore, StoredFollowUp } from '../Store.js';
import { PERSON_TABLES, WORKSHOP_TABLES } from '../tables.js';
import type { PostgresPool } from './PostgresPool.js';
import type { TableScrubber } from './TableScrubber.js';

const bytes = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export function postgresFollowUps(db: PostgresPool, scrubber: TableScrubber): FollowUpStore {
  return {
    async markEnded(workshopId: string, endedAt: number, followUpDays: number): Promise<boolean> {
      const sql = 'UPDATE workshops SET ended_at = $1, followup_days = $2 WHERE id = $3 AND ended_at IS NULL';
      return (await db.run(sql, [endedAt, followUpDays, workshopId])) === 1;
    },

    async unfinishedEndings(endedBy: number): Promise<string[]> {
      const sql = 'SELECT id FROM workshops WHERE ended_at <= $1 AND NOT EXISTS (SELECT 1 FROM followups WHERE followups.workshop_id = workshops.id)';
      return (await db.rows<{ id: string }>(sql, [endedBy])).map((row) => row.id);
    },

    /**
     * One transaction, then every table it deleted from rewritten (VACUUM FULL), as a deletion is: the erased
     * rows, and the superseded document log, leave no dead tuple behind.
     */
    async completeEnding(workshopId: string, ending: Ending): Promise<void> {
      const erased = new Set<string>(PERSON_TABLES);
      await db.transaction(async (client) => {
        // In the one order of WORKSHOP_TABLES, as every transaction of this store (no cycle of waits).
        for (const table of WORKSHOP_TABLES) {
          if (erased.has(table)) await client.query(`DELETE FROM ${table} WHERE workshop_id = $1`, [workshopId]);
          if (table === 'doc_updates') {
            await client.query('DELETE FROM doc_updates WHERE workshop_id = $1', [workshopId]);
            for (const doc of ending.docs) {
              await client.query('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES ($1, $2, $3)', [workshopId, doc.name, bytes(doc.state)]);
            }
          }
          if (table === 'activity_results') {
            for (const id of ending.forget) await client.query('DELETE FROM activity_results WHERE activity_id = $1 AND workshop_id = $2', [id, workshopId]);
            for (const { id, result } of ending.results) {
              const sql = `INSERT INTO activity_results (activity_id, workshop_id, result) VALUES ($1, $2, $3)
                           ON CONFLICT (activity_id) DO UPDATE SET result = EXCLUDED.result`;
              await client.query(sql, [id, workshopId, JSON.stringify(result)]);
            }
          }
          if (table === 'followups') {
            const sql = 'INSERT INTO followups (workshop_id, public_code, record, version) VALUES ($1, $2, $3, 1) ON CONFLICT (workshop_id) DO NOTHING';
            await client.query(sql, [workshopId, ending.publicCode, JSON.stringify(ending.record)]);
          }
        }
      });
      await scrubber.owe(['workshops', ...PERSON_TABLES, 'doc_updates', 'activity_results'], 'rewrite');
    },

    async followUp(workshopId: string): Promise<StoredFollowUp | undefined> {
      const [row] = await db.rows<{ public_code: string; record: FollowUpRecord; version: number }>(
        'SELECT public_code, record, version FROM followups WHERE workshop_id = $1',
        [workshopId],
      );
      return row && { publicCode: row.public_code, record: row.record, version: row.version };
    },

    async followUpIdByCode(publicCode: string): Promise<string | undefined> {
      return (await db.rows<{ workshop_id: string }>('SELECT workshop_id FROM followups WHERE public_code = $1', [publicCode]))[0]?.workshop_id;
    },

    async saveFollowUp(workshopId: string, record: FollowUpRecord, expectedVersion: number): Promise<boolean> {
      const sql = 'UPDATE followups SET record = $1, version = version + 1 WHERE workshop_id = $2 AND version = $3';
      return (await db.run(sql, [JSON.stringify(record), workshopId, expectedVersion])) === 1;
    },

    async appendFollowUpUpdate(workshopId: string, update: CommitmentUpdate): Promise<void> {
      await db.run('INSERT INTO followup_updates (id, workshop_id, posted_at, update_json) VALUES ($1, $2, $3, $4)', [
        update.id,
        workshopId,
        update.postedAt,
        JSON.stringify(update),
      ]);
    },

    async followUpUpdates(workshopId: string): Promise<CommitmentUpdate[]> {
      const sql = 'SELECT update_json FROM followup_updates WHERE workshop_id = $1 ORDER BY seq';
      return (await db.rows<{ update_json: CommitmentUpdate }>(sql, [workshopId])).map((row) => row.update_json);
    },
  };
}
