/**
 * The embedded store's anonymous boxes: a box's secret, the owner tags of a board's notes, a vote's voter tags
 * and ballots, and the sealing that deletes every tag and the secret (server/store/Store.ts).
 */
import type Database from 'better-sqlite3';
import type { BallotStore, BoxStore, NoteOwnerStore } from '../Store.js';
import { TAG_TABLES } from '../tables.js';
import type { GroupCommit } from './GroupCommit.js';

type BallotCast = { ballotId: string; changed: boolean };

export function sqliteBoxes(db: Database.Database, commit: GroupCommit): BoxStore & NoteOwnerStore & BallotStore {
  const statements = {
    boxSecret: db.prepare<[string], { secret: Buffer }>('SELECT secret FROM box_secrets WHERE box_id = ?'),
    createBoxSecret: db.prepare<[string, string, Buffer]>('INSERT INTO box_secrets (box_id, workshop_id, secret) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    deleteTags: TAG_TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE box_id = ?`)),
    claimNote: db.prepare<[string, string, string, string]>('INSERT INTO note_owners (box_id, note_id, workshop_id, owner_tag) VALUES (?, ?, ?, ?)'),
    noteOwnerTag: db.prepare<[string, string], { owner_tag: string }>('SELECT owner_tag FROM note_owners WHERE box_id = ? AND note_id = ?'),
    noteOwners: db.prepare<[string], { noteId: string; ownerTag: string }>('SELECT note_id AS noteId, owner_tag AS ownerTag FROM note_owners WHERE box_id = ?'),
    releaseNote: db.prepare<[string, string]>('DELETE FROM note_owners WHERE box_id = ? AND note_id = ?'),
    voterBallotId: db.prepare<[string, string], { ballot_id: string }>('SELECT ballot_id FROM voters WHERE box_id = ? AND voter_tag = ?'),
    insertVoter: db.prepare<[string, string, string, string]>('INSERT INTO voters (box_id, voter_tag, workshop_id, ballot_id) VALUES (?, ?, ?, ?)'),
    deleteVoter: db.prepare<[string, string]>('DELETE FROM voters WHERE box_id = ? AND voter_tag = ?'),
    insertBallot: db.prepare<[string, string, string, string]>('INSERT INTO ballots (id, box_id, workshop_id, payload) VALUES (?, ?, ?, ?)'),
    deleteBallot: db.prepare<[string]>('DELETE FROM ballots WHERE id = ?'),
    deleteBoxBallots: db.prepare<[string]>('DELETE FROM ballots WHERE box_id = ?'),
    deleteBoxHidden: db.prepare<[string]>('DELETE FROM hidden_ballots WHERE ballot_id IN (SELECT id FROM ballots WHERE box_id = ?)'),
    ballotPayload: db.prepare<[string], { payload: string }>('SELECT payload FROM ballots WHERE id = ?'),
    ballots: db.prepare<[string], { id: string; payload: string }>('SELECT id, payload FROM ballots WHERE box_id = ?'),
    ballotCount: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM ballots WHERE box_id = ?'),
    ballotsInIdOrder: db.prepare<[string], { id: string; workshop_id: string; payload: string }>(
      'SELECT id, workshop_id, payload FROM ballots WHERE box_id = ? ORDER BY id',
    ),
    hideBallot: db.prepare<[string, string]>('INSERT OR IGNORE INTO hidden_ballots (ballot_id, workshop_id) VALUES (?, ?)'),
    isHidden: db.prepare<[string], { ballot_id: string }>('SELECT ballot_id FROM hidden_ballots WHERE ballot_id = ?'),
    savePaper: db.prepare<[string, string, string]>('INSERT OR REPLACE INTO paper_tallies (box_id, workshop_id, payload) VALUES (?, ?, ?)'),
    paper: db.prepare<[string], { payload: string }>('SELECT payload FROM paper_tallies WHERE box_id = ?'),
    deletePaper: db.prepare<[string]>('DELETE FROM paper_tallies WHERE box_id = ?'),
  };

  return {
    async boxSecret(boxId: string): Promise<Buffer | undefined> {
      return statements.boxSecret.get(boxId)?.secret;
    },

    async createBoxSecret(workshopId: string, boxId: string, secret: Buffer): Promise<void> {
      statements.createBoxSecret.run(boxId, workshopId, secret);
    },

    /**
     * Deletes the box's tags and secret and, in the same transaction, writes its ballots again in the order of
     * their random ids: SQLite places each new row in the page's free space, so the rows as first written lie in
     * the order people voted. Deleted first, they are zeroed, and the new copies take the space in id order.
     */
    async sealBox(boxId: string): Promise<void> {
      db.transaction(() => {
        const deleted = new Map(TAG_TABLES.map((table, i) => [table, statements.deleteTags[i]!.run(boxId).changes]));
        if (deleted.get('voters') === 0) return; // a board's notes, or a box sealed before (repair at load)
        const ballots = statements.ballotsInIdOrder.all(boxId);
        statements.deleteBoxBallots.run(boxId);
        for (const b of ballots) statements.insertBallot.run(b.id, boxId, b.workshop_id, b.payload);
      })();
    },

    async claimNote(workshopId: string, boxId: string, noteId: string, ownerTag: string): Promise<void> {
      statements.claimNote.run(boxId, noteId, workshopId, ownerTag);
    },

    async noteOwnerTag(boxId: string, noteId: string): Promise<string | undefined> {
      return statements.noteOwnerTag.get(boxId, noteId)?.owner_tag;
    },

    async noteOwners(boxId: string): Promise<{ noteId: string; ownerTag: string }[]> {
      return statements.noteOwners.all(boxId);
    },

    async releaseNote(boxId: string, noteId: string): Promise<void> {
      statements.releaseNote.run(boxId, noteId);
    },

    castBallot(workshopId: string, boxId: string, voterTag: string, payload: string, newBallotId: string): Promise<BallotCast> {
      return commit.write(() => {
        const existing = statements.voterBallotId.get(boxId, voterTag);
        if (existing) {
          if (statements.ballotPayload.get(existing.ballot_id)?.payload === payload) return { ballotId: existing.ballot_id, changed: false };
          statements.deleteBallot.run(existing.ballot_id);
          statements.deleteVoter.run(boxId, voterTag);
        }
        statements.insertBallot.run(newBallotId, boxId, workshopId, payload);
        statements.insertVoter.run(boxId, voterTag, workshopId, newBallotId);
        return { ballotId: newBallotId, changed: true };
      });
    },

    async ballotOf(boxId: string, voterTag: string): Promise<string | undefined> {
      const voter = statements.voterBallotId.get(boxId, voterTag);
      return voter && statements.ballotPayload.get(voter.ballot_id)?.payload;
    },

    async ballots(boxId: string): Promise<{ id: string; payload: string }[]> {
      return statements.ballots.all(boxId);
    },

    async ballotCount(boxId: string): Promise<number> {
      return statements.ballotCount.get(boxId)!.n;
    },

    async hideBallot(workshopId: string, ballotId: string): Promise<void> {
      statements.hideBallot.run(ballotId, workshopId);
    },

    async hiddenBallots(ballotIds: string[]): Promise<Set<string>> {
      return new Set(ballotIds.filter((id) => statements.isHidden.get(id)));
    },

    async deleteBallots(boxId: string): Promise<void> {
      db.transaction(() => {
        statements.deleteBoxHidden.run(boxId);
        statements.deleteBoxBallots.run(boxId);
        statements.deletePaper.run(boxId);
      })();
    },

    async savePaperTally(workshopId: string, boxId: string, payload: string): Promise<void> {
      statements.savePaper.run(boxId, workshopId, payload);
    },

    async paperTally(boxId: string): Promise<string | undefined> {
      return statements.paper.get(boxId)?.payload;
    },
  };
}
