/** The embedded store's `workshops` rows, and the deletion of a workshop with everything that belongs to it. */
import Database from 'better-sqlite3';
import type { Agenda } from '../../../shared/protocol/index.js';
import { sqliteFlag, toSummary, toWorkshop, WORKSHOP_COLUMNS, workshopValues, type SummaryRow, type WorkshopRow } from '../rows.js';
import type { RetentionStore, RoomAccess, WorkshopRecord, WorkshopStore, WorkshopSummary } from '../Store.js';
import { WORKSHOP_TABLES } from '../tables.js';

export function sqliteWorkshops(db: Database.Database): WorkshopStore & RetentionStore {
  const statements = {
    insertWorkshop: db.prepare<unknown[]>(`INSERT INTO workshops (${WORKSHOP_COLUMNS.join(', ')}) VALUES (${WORKSHOP_COLUMNS.map(() => '?').join(', ')})`),
    workshopById: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE id = ?'),
    workshopIdByCode: db.prepare<[string], { id: string }>('SELECT id FROM workshops WHERE join_code = ?'),
    saveAgenda: db.prepare<[string, number, string, number]>('UPDATE workshops SET agenda_json = ?, agenda_version = ? WHERE id = ? AND agenda_version = ?'),
    setCoFacilitatorKeyHash: db.prepare<[string, string]>('UPDATE workshops SET cofacilitator_key_hash = ? WHERE id = ?'),
    setScreenKey: db.prepare<[string, string]>('UPDATE workshops SET screen_key = ? WHERE id = ?'),
    setFacilitatorKeyHash: db.prepare<[string, string]>('UPDATE workshops SET facilitator_key_hash = ? WHERE id = ?'),
    workshopSummaries: db.prepare<[], SummaryRow>(
      `SELECT w.id, w.title, w.created_at, w.expires_at, w.retention_days, w.ended_at, w.followup_days,
       length(CAST(w.agenda_json AS BLOB))
         + coalesce((SELECT sum(length(d.data)) FROM doc_updates d WHERE d.workshop_id = w.id), 0)
         + coalesce((SELECT sum(length(CAST(r.result AS BLOB))) FROM activity_results r WHERE r.workshop_id = w.id), 0) AS bytes
     FROM workshops w ORDER BY w.created_at, w.id`,
    ),
    setRoomAccess: db.prepare<[number, string | null, string]>('UPDATE workshops SET locked = ?, passphrase_hash = ? WHERE id = ?'),
    shiftWorkshopDates: db.prepare<[number, number, number, string]>(
      'UPDATE workshops SET created_at = created_at + ?, expires_at = expires_at + ?, ended_at = ended_at + ? WHERE id = ?',
    ),
    expiredWorkshopIds: db.prepare<[number, number], { id: string }>(
      'SELECT id FROM workshops WHERE (ended_at IS NULL AND expires_at <= ?) OR (ended_at IS NOT NULL AND ended_at + followup_days * 86400000 <= ?)',
    ),
    deleteWorkshopRows: WORKSHOP_TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE workshop_id = ?`)),
    deleteWorkshop: db.prepare<[string]>('DELETE FROM workshops WHERE id = ?'),
  };

  return {
    async createWorkshop(record: WorkshopRecord): Promise<'ok' | 'join_code_taken'> {
      try {
        statements.insertWorkshop.run(...workshopValues(record, sqliteFlag));
        return 'ok';
      } catch (error) {
        if (error instanceof Database.SqliteError && /workshops\.join_code/.test(error.message)) return 'join_code_taken';
        throw error;
      }
    },

    async getWorkshop(id: string): Promise<WorkshopRecord | undefined> {
      const row = statements.workshopById.get(id);
      return row && toWorkshop(row);
    },

    async findWorkshopIdByJoinCode(joinCode: string): Promise<string | undefined> {
      return statements.workshopIdByCode.get(joinCode)?.id;
    },

    async saveAgenda(workshopId: string, agenda: Agenda, expectedVersion: number): Promise<boolean> {
      return statements.saveAgenda.run(JSON.stringify(agenda), agenda.version, workshopId, expectedVersion).changes === 1;
    },

    async setCoFacilitatorKeyHash(workshopId: string, hash: string): Promise<void> {
      statements.setCoFacilitatorKeyHash.run(hash, workshopId);
    },

    async setScreenKey(workshopId: string, key: string): Promise<void> {
      statements.setScreenKey.run(key, workshopId);
    },

    async setFacilitatorKeyHash(workshopId: string, hash: string): Promise<boolean> {
      return statements.setFacilitatorKeyHash.run(hash, workshopId).changes === 1;
    },

    async workshopSummaries(): Promise<WorkshopSummary[]> {
      return statements.workshopSummaries.all().map(toSummary);
    },

    async setRoomAccess(workshopId: string, access: RoomAccess): Promise<void> {
      statements.setRoomAccess.run(sqliteFlag(access.locked), access.passphraseHash, workshopId);
    },

    async shiftWorkshopDates(workshopIds: string[], ms: number): Promise<void> {
      db.transaction(() => {
        for (const id of workshopIds) statements.shiftWorkshopDates.run(ms, ms, ms, id);
      })();
    },

    async expiredWorkshopIds(now: number): Promise<string[]> {
      return statements.expiredWorkshopIds.all(now, now).map((row) => row.id);
    },

    async deleteWorkshop(workshopId: string): Promise<boolean> {
      const deleted = db.transaction(() => {
        for (const statement of statements.deleteWorkshopRows) statement.run(workshopId);
        return statements.deleteWorkshop.run(workshopId).changes === 1;
      })();
      return deleted; // secure_delete has zeroed the rows in the pages, and there is no log keeping them
    },
  };
}
