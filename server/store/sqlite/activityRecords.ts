/** What the embedded store keeps of an activity besides its document and ballots: hidden notes and results. */
import type Database from 'better-sqlite3';
import type { HiddenNote } from '../../../shared/protocol/index.js';
import type { HiddenNoteStore, ResultStore } from '../Store.js';

export function sqliteActivityRecords(db: Database.Database): HiddenNoteStore & ResultStore {
  const statements = {
    hideNote: db.prepare<[string, string, string, string, string]>(
      'INSERT OR REPLACE INTO hidden_notes (board_id, note_id, workshop_id, text, color) VALUES (?, ?, ?, ?, ?)',
    ),
    hiddenNotes: db.prepare<[string], HiddenNote>('SELECT note_id AS id, text, color FROM hidden_notes WHERE board_id = ?'),
    hiddenNote: db.prepare<[string, string], HiddenNote>('SELECT note_id AS id, text, color FROM hidden_notes WHERE board_id = ? AND note_id = ?'),
    deleteHiddenNote: db.prepare<[string, string]>('DELETE FROM hidden_notes WHERE board_id = ? AND note_id = ?'),
    saveResult: db.prepare<[string, string, string]>('INSERT OR REPLACE INTO activity_results (activity_id, workshop_id, result) VALUES (?, ?, ?)'),
    result: db.prepare<[string], { result: string }>('SELECT result FROM activity_results WHERE activity_id = ?'),
    deleteResult: db.prepare<[string]>('DELETE FROM activity_results WHERE activity_id = ?'),
  };

  return {
    async hideNote(workshopId: string, boardId: string, note: HiddenNote): Promise<void> {
      statements.hideNote.run(boardId, note.id, workshopId, note.text, note.color);
    },

    async hiddenNotes(boardId: string): Promise<HiddenNote[]> {
      return statements.hiddenNotes.all(boardId);
    },

    async takeHiddenNote(boardId: string, noteId: string): Promise<HiddenNote | undefined> {
      return db.transaction(() => {
        const note = statements.hiddenNote.get(boardId, noteId);
        if (note) statements.deleteHiddenNote.run(boardId, noteId);
        return note;
      })();
    },

    async saveActivityResult(workshopId: string, activityId: string, result: unknown): Promise<void> {
      statements.saveResult.run(activityId, workshopId, JSON.stringify(result));
    },

    async activityResult(activityId: string): Promise<unknown> {
      const row = statements.result.get(activityId);
      return row ? JSON.parse(row.result) : undefined;
    },

    async deleteActivityResult(activityId: string): Promise<void> {
      statements.deleteResult.run(activityId);
    },
  };
}
