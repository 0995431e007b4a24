/** What the PostgreSQL store keeps of an activity besides its document and ballots: hidden notes and results. */
import type { HiddenNote } from '../../../shared/protocol/index.js';
import type { HiddenNoteStore, ResultStore } from '../Store.js';
import type { PostgresPool } from './PostgresPool.js';

export function postgresActivityRecords(db: PostgresPool): HiddenNoteStore & ResultStore {
  return {
    async hideNote(workshopId: string, boardId: string, note: HiddenNote): Promise<void> {
      const sql = `INSERT INTO hidden_notes (board_id, note_id, workshop_id, text, color) VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (board_id, note_id) DO UPDATE SET workshop_id = excluded.workshop_id, text = excluded.text, color = excluded.color`;
      await db.run(sql, [boardId, note.id, workshopId, note.text, note.color]);
    },

    async hiddenNotes(boardId: string): Promise<HiddenNote[]> {
      return db.rows('SELECT note_id AS id, text, color FROM hidden_notes WHERE board_id = $1 ORDER BY note_id', [boardId]);
    },

    async takeHiddenNote(boardId: string, noteId: string): Promise<HiddenNote | undefined> {
      const sql = 'DELETE FROM hidden_notes WHERE board_id = $1 AND note_id = $2 RETURNING note_id AS id, text, color';
      return (await db.rows<HiddenNote>(sql, [boardId, noteId]))[0];
    },

    async saveActivityResult(workshopId: string, activityId: string, result: unknown): Promise<void> {
      const sql = `INSERT INTO activity_results (activity_id, workshop_id, result) VALUES ($1, $2, $3)
                   ON CONFLICT (activity_id) DO UPDATE SET workshop_id = excluded.workshop_id, result = excluded.result`;
      await db.run(sql, [activityId, workshopId, JSON.stringify(result)]);
    },

    async activityResult(activityId: string): Promise<unknown> {
      return (await db.rows<{ result: unknown }>('SELECT result FROM activity_results WHERE activity_id = $1', [activityId]))[0]?.result;
    },

    async deleteActivityResult(activityId: string): Promise<void> {
      await db.run('DELETE FROM activity_results WHERE activity_id = $1', [activityId]);
    },
  };
}
