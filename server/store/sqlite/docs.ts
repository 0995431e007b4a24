/** The embedded store's Yjs document logs. One process, so its logs never need merging (DocUpdateMerging). */
import type Database from 'better-sqlite3';
import type { DocLog } from '../ComposedStore.js';
import type { GroupCommit } from './GroupCommit.js';

export function sqliteDocs(db: Database.Database, commit: GroupCommit): DocLog {
  const statements = {
    appendDocUpdate: db.prepare<[string, string, Uint8Array]>('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, ?, ?)'),
    docUpdates: db.prepare<[string, string], { data: Buffer }>('SELECT data FROM doc_updates WHERE workshop_id = ? AND doc_name = ? ORDER BY seq'),
    deleteDocUpdates: db.prepare<[string, string, number]>('DELETE FROM doc_updates WHERE workshop_id = ? AND doc_name = ? AND seq <= ?'),
    deleteDoc: db.prepare<[string, string]>('DELETE FROM doc_updates WHERE workshop_id = ? AND doc_name = ?'),
  };

  return {
    appendDocUpdate(workshopId: string, docName: string, update: Uint8Array): Promise<number> {
      return commit.write(() => Number(statements.appendDocUpdate.run(workshopId, docName, update).lastInsertRowid));
    },

    async loadDocUpdates(workshopId: string, docName: string): Promise<Uint8Array[]> {
      return statements.docUpdates.all(workshopId, docName).map((row) => new Uint8Array(row.data));
    },

    async compactDocUpdates(workshopId: string, docName: string, state: Uint8Array, throughSeq: number): Promise<void> {
      db.transaction(() => {
        statements.deleteDocUpdates.run(workshopId, docName, throughSeq);
        statements.appendDocUpdate.run(workshopId, docName, state);
      })();
    },

    async deleteDoc(workshopId: string, docName: string): Promise<void> {
      statements.deleteDoc.run(workshopId, docName);
    },
  };
}
