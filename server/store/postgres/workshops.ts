/** The PostgreSQL store's `workshops` rows, and the deletion of a workshop with everything that belongs to it. */
import pg from 'pg';
import type { Agenda } from '../../../shared/protocol/index.js';
import { postgresFlag, toSummary, toWorkshop, WORKSHOP_COLUMNS, workshopValues, type SummaryRow, type WorkshopRow } from '../rows.js';
import type { RetentionStore, RoomAccess, WorkshopRecord, WorkshopStore, WorkshopSummary } from '../Store.js';
import { WORKSHOP_TABLES } from '../tables.js';
import type { PostgresPool } from './PostgresPool.js';
import type { TableScrubber } from './TableScrubber.js';

const INSERT_WORKSHOP = `INSERT INTO workshops (${WORKSHOP_COLUMNS.join(', ')}) VALUES (${WORKSHOP_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

export function postgresWorkshops(db: PostgresPool, scrubber: TableScrubber): WorkshopStore & RetentionStore {
  return {
    async createWorkshop(record: WorkshopRecord): Promise<'ok' | 'join_code_taken'> {
      try {
        await db.run(INSERT_WORKSHOP, workshopValues(record, postgresFlag));
        return 'ok';
      } catch (error) {
        if (error instanceof pg.DatabaseError && error.code === '23505' && error.constraint === 'workshops_join_code_key') return 'join_code_taken';
        throw error;
      }
    },

    async getWorkshop(id: string): Promise<WorkshopRecord | undefined> {
      const [row] = await db.rows<WorkshopRow>('SELECT * FROM workshops WHERE id = $1', [id]);
      return row && toWorkshop(row);
    },

    async findWorkshopIdByJoinCode(joinCode: string): Promise<string | undefined> {
      return (await db.rows<{ id: string }>('SELECT id FROM workshops WHERE join_code = $1', [joinCode]))[0]?.id;
    },

    async saveAgenda(workshopId: string, agenda: Agenda, expectedVersion: number): Promise<boolean> {
      const sql = 'UPDATE workshops SET agenda_json = $1, agenda_version = $2 WHERE id = $3 AND agenda_version = $4';
      return (await db.run(sql, [JSON.stringify(agenda), agenda.version, workshopId, expectedVersion])) === 1;
    },

    async setCoFacilitatorKeyHash(workshopId: string, hash: string): Promise<void> {
      await db.run('UPDATE workshops SET cofacilitator_key_hash = $1 WHERE id = $2', [hash, workshopId]);
    },

    async setScreenKey(workshopId: string, key: string): Promise<void> {
      await db.run('UPDATE workshops SET screen_key = $1 WHERE id = $2', [key, workshopId]);
    },

    async setFacilitatorKeyHash(workshopId: string, hash: string): Promise<boolean> {
      return (await db.run('UPDATE workshops SET facilitator_key_hash = $1 WHERE id = $2', [hash, workshopId])) === 1;
    },

    async workshopSummaries(): Promise<WorkshopSummary[]> {
      const rows = await db.rows<SummaryRow>(
        `SELECT w.id, w.title, w.created_at, w.expires_at, w.retention_days, w.ended_at, w.followup_days,
       octet_length(w.agenda_json::text)
         + coalesce((SELECT sum(octet_length(d.data)) FROM doc_updates d WHERE d.workshop_id = w.id), 0)
         + coalesce((SELECT sum(octet_length(r.result::text)) FROM activity_results r WHERE r.workshop_id = w.id), 0) AS bytes
     FROM workshops w ORDER BY w.created_at, w.id`,
      );
      return rows.map(toSummary);
    },

    async setRoomAccess(workshopId: string, access: RoomAccess): Promise<void> {
      await db.run('UPDATE workshops SET locked = $1, passphrase_hash = $2 WHERE id = $3', [access.locked, access.passphraseHash, workshopId]);
    },

    async shiftWorkshopDates(workshopIds: string[], ms: number): Promise<void> {
      await db.run('UPDATE workshops SET created_at = created_at + $1, expires_at = expires_at + $1, ended_at = ended_at + $1 WHERE id = ANY($2::text[])', [
        ms,
        workshopIds,
      ]);
    },

    async expiredWorkshopIds(now: number): Promise<string[]> {
      const rows = await db.rows<{ id: string }>(
        `SELECT id FROM workshops
         WHERE (ended_at IS NULL AND expires_at <= $1) OR (ended_at IS NOT NULL AND ended_at + followup_days * 86400000::bigint <= $1)
         ORDER BY expires_at, id`,
        [now],
      );
      return rows.map((row) => row.id);
    },

    /**
     * Deletes the workshop's rows in one transaction, then rewrites every table a workshop has rows in (VACUUM
     * FULL), so that no table or index file keeps them — including older versions of rows that were updated or
     * deleted earlier (agenda edits, unhidden notes). Writers to those tables wait while each one is copied.
     */
    async deleteWorkshop(workshopId: string): Promise<boolean> {
      const deleted = await db.transaction(async (client) => {
        for (const table of WORKSHOP_TABLES) await client.query(`DELETE FROM ${table} WHERE workshop_id = $1`, [workshopId]);
        return (await client.query('DELETE FROM workshops WHERE id = $1', [workshopId])).rowCount === 1;
      });
      if (deleted) await scrubber.owe(['workshops', ...WORKSHOP_TABLES], 'rewrite');
      return deleted;
    },
  };
}
