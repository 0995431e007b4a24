/** The embedded store's follow-up records (docs/FOLLOWUP.md), and the ending of a workshop that makes them. */
import type Database from 'better-sqlite3';
import type { CommitmentUpdate } from '../../../shared/protocol/followUp.js';
import type { Ending, FollowUpRecord, FollowUpStore, StoredFollowUp } from '../Store.js';
import { PERSON_TABLES } from '../tables.js';

export function sqliteFollowUps(db: Database.Database): FollowUpStore {
  const statements = {
    markEnded: db.prepare<[number, number, string]>('UPDATE workshops SET ended_at = ?, followup_days = ? WHERE id = ? AND ended_at IS NULL'),
    unfinished: db.prepare<[number], { id: string }>(
      'SELECT id FROM workshops WHERE ended_at <= ? AND NOT EXISTS (SELECT 1 FROM followups WHERE followups.workshop_id = workshops.id)',
    ),
    erase: PERSON_TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE workshop_id = ?`)),
    eraseDocs: db.prepare<[string]>('DELETE FROM doc_updates WHERE workshop_id = ?'),
    insertDoc: db.prepare<[string, string, Uint8Array]>('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, ?, ?)'),
    saveResult: db.prepare<[string, string, string]>('INSERT OR REPLACE INTO activity_results (activity_id, workshop_id, result) VALUES (?, ?, ?)'),
    insertFollowUp: db.prepare<[string, string, string]>(
      'INSERT INTO followups (workshop_id, public_code, record, version) VALUES (?, ?, ?, 1) ON CONFLICT (workshop_id) DO NOTHING',
    ),
    forgetResult: db.prepare<[string, string]>('DELETE FROM activity_results WHERE activity_id = ? AND workshop_id = ?'),
    followUp: db.prepare<[string], { public_code: string; record: string; version: number }>(
      'SELECT public_code, record, version FROM followups WHERE workshop_id = ?',
    ),
    byCode: db.prepare<[string], { workshop_id: string }>('SELECT workshop_id FROM followups WHERE public_code = ?'),
    save: db.prepare<[string, string, number]>('UPDATE followups SET record = ?, version = version + 1 WHERE workshop_id = ? AND version = ?'),
    appendUpdate: db.prepare<[string, string, number, string]>('INSERT INTO followup_updates (id, workshop_id, posted_at, update_json) VALUES (?, ?, ?, ?)'),
    updates: db.prepare<[string], { update_json: string }>('SELECT update_json FROM followup_updates WHERE workshop_id = ? ORDER BY seq'),
  };

  return {
    async markEnded(workshopId: string, endedAt: number, followUpDays: number): Promise<boolean> {
      return statements.markEnded.run(endedAt, followUpDays, workshopId).changes === 1;
    },

    async unfinishedEndings(endedBy: number): Promise<string[]> {
      return statements.unfinished.all(endedBy).map((row) => row.id);
    },

    async completeEnding(workshopId: string, ending: Ending): Promise<void> {
      db.transaction(() => {
        for (const statement of statements.erase) statement.run(workshopId);
        statements.eraseDocs.run(workshopId);
        for (const doc of ending.docs) statements.insertDoc.run(workshopId, doc.name, doc.state);
        for (const { id, result } of ending.results) statements.saveResult.run(id, workshopId, JSON.stringify(result));
        for (const id of ending.forget) statements.forgetResult.run(id, workshopId);
        statements.insertFollowUp.run(workshopId, ending.publicCode, JSON.stringify(ending.record));
      })();
      // secure_delete has zeroed the erased rows in their pages, and there is no write-ahead log keeping them.
    },

    async followUp(workshopId: string): Promise<StoredFollowUp | undefined> {
      const row = statements.followUp.get(workshopId);
      return row && { publicCode: row.public_code, record: JSON.parse(row.record) as FollowUpRecord, version: row.version };
    },

    async followUpIdByCode(publicCode: string): Promise<string | undefined> {
      return statements.byCode.get(publicCode)?.workshop_id;
    },

    async saveFollowUp(workshopId: string, record: FollowUpRecord, expectedVersion: number): Promise<boolean> {
      return statements.save.run(JSON.stringify(record), workshopId, expectedVersion).changes === 1;
    },

    async appendFollowUpUpdate(workshopId: string, update: CommitmentUpdate): Promise<void> {
      statements.appendUpdate.run(update.id, workshopId, update.postedAt, JSON.stringify(update));
    },

    async followUpUpdates(workshopId: string): Promise<CommitmentUpdate[]> {
      return statements.updates.all(workshopId).map((row) => JSON.parse(row.update_json) as CommitmentUpdate);
    },
  };
}
