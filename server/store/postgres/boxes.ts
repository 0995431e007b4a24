/**
 * The PostgreSQL store's anonymous boxes: a box's secret, the owner tags of a board's notes, a vote's voter tags
 * and ballots (sealed while the vote is open, OpenBallots), and the sealing that deletes every tag and the secret.
 */
import { randomId } from '../../domain/secrets.js';
import type { BallotStore, BoxStore, NoteOwnerStore } from '../Store.js';
import { TAG_TABLES } from '../tables.js';
import type { OpenBallots } from './OpenBallots.js';
import type { PostgresPool } from './PostgresPool.js';
import type { TableScrubber } from './TableScrubber.js';

/** Ballots in the order of their random ids (code-unit order, as `ORDER BY id` with the C collation). */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function postgresBoxes(db: PostgresPool, scrubber: TableScrubber, openBallots: OpenBallots): BoxStore & NoteOwnerStore & BallotStore {
  return {
    async boxSecret(boxId: string): Promise<Buffer | undefined> {
      return (await db.rows<{ secret: Buffer }>('SELECT secret FROM box_secrets WHERE box_id = $1', [boxId]))[0]?.secret;
    },

    async createBoxSecret(workshopId: string, boxId: string, secret: Buffer): Promise<void> {
      await db.run('INSERT INTO box_secrets (box_id, workshop_id, secret) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [boxId, workshopId, secret]);
    },

    /**
     * Deletes the box's tags and secret in one transaction. Because heap rows keep the order they were written
     * in and the id of the transaction that wrote them, the box's ballots are rewritten in the same transaction,
     * in the order of their random ids: afterwards neither their position nor their `xmin` tells the order in
     * which people voted. Then the tables are rewritten (VACUUM FULL), so the deleted rows leave the files too.
     */
    async sealBox(boxId: string): Promise<void> {
      const touched = await db.transaction(async (client) => {
        const tables: string[] = [];
        for (const table of TAG_TABLES) {
          if ((await client.query(`DELETE FROM ${table} WHERE box_id = $1`, [boxId])).rowCount) tables.push(table);
        }
        if (tables.includes('voters')) {
          const moved = await client.query<{ id: string; workshop_id: string; payload: string }>(
            'DELETE FROM ballots WHERE box_id = $1 RETURNING id, workshop_id, payload',
            [boxId],
          );
          const ballots = moved.rows.map((row) => ({ ...openBallots.open(row.id, row.payload), workshopId: row.workshop_id }));
          ballots.sort(byId);
          await client.query(
            `INSERT INTO ballots (id, box_id, workshop_id, payload)
             SELECT id, $1, workshop_id, payload FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS b(id, workshop_id, payload, n)
             ORDER BY n`,
            [boxId, ballots.map((b) => b.id), ballots.map((b) => b.workshopId), ballots.map((b) => b.payload)],
          );
          tables.push('ballots');
        }
        return tables;
      });
      // Sealing an already sealed box (repair at load) deletes nothing and costs nothing.
      if (touched.length > 0) await scrubber.owe(touched, 'rewrite');
    },

    async claimNote(workshopId: string, boxId: string, noteId: string, ownerTag: string): Promise<void> {
      await db.run('INSERT INTO note_owners (box_id, note_id, workshop_id, owner_tag) VALUES ($1, $2, $3, $4)', [boxId, noteId, workshopId, ownerTag]);
    },

    async noteOwnerTag(boxId: string, noteId: string): Promise<string | undefined> {
      const sql = 'SELECT owner_tag FROM note_owners WHERE box_id = $1 AND note_id = $2';
      return (await db.rows<{ owner_tag: string }>(sql, [boxId, noteId]))[0]?.owner_tag;
    },

    async noteOwners(boxId: string): Promise<{ noteId: string; ownerTag: string }[]> {
      return db.rows('SELECT note_id AS "noteId", owner_tag AS "ownerTag" FROM note_owners WHERE box_id = $1 ORDER BY note_id', [boxId]);
    },

    async releaseNote(boxId: string, noteId: string): Promise<void> {
      await db.run('DELETE FROM note_owners WHERE box_id = $1 AND note_id = $2', [boxId, noteId]);
    },

    async castBallot(
      workshopId: string,
      boxId: string,
      voterTag: string,
      payload: string,
      newBallotId: string,
    ): Promise<{ ballotId: string; changed: boolean }> {
      const row = { slot: randomId(), sealed: openBallots.seal(newBallotId, payload) };
      // A voter's first ballot — nearly every ballot — in one statement, so one round trip and one commit: the
      // voter row and the ballot are stored together or not at all. A voter already there falls through.
      const first = await db.run(
        `WITH claimed AS (
           INSERT INTO voters (box_id, voter_tag, workshop_id, ballot_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (box_id, voter_tag) DO NOTHING RETURNING ballot_id
         )
         INSERT INTO ballots (id, box_id, workshop_id, payload) SELECT ballot_id, $1, $3, $5 FROM claimed`,
        [boxId, voterTag, workshopId, row.slot, row.sealed],
      );
      if (first === 1) return { ballotId: newBallotId, changed: true };
      return db.transaction(async (client) => {
        const insertBallot = () =>
          client.query('INSERT INTO ballots (id, box_id, workshop_id, payload) VALUES ($1, $2, $3, $4)', [row.slot, boxId, workshopId, row.sealed]);
        // Claiming the voter row first serialises two ballots of one voter, even from two server nodes: the
        // second waits for the first to commit and then finds its row.
        const claimed = await client.query(
          `INSERT INTO voters (box_id, voter_tag, workshop_id, ballot_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (box_id, voter_tag) DO NOTHING`,
          [boxId, voterTag, workshopId, row.slot],
        );
        if (claimed.rowCount === 1) {
          await insertBallot();
          return { ballotId: newBallotId, changed: true };
        }
        const existing = await client.query<{ ballot_id: string; id: string | null; payload: string | null }>(
          `SELECT v.ballot_id, b.id, b.payload FROM voters v LEFT JOIN ballots b ON b.id = v.ballot_id
           WHERE v.box_id = $1 AND v.voter_tag = $2 FOR UPDATE OF v`,
          [boxId, voterTag],
        );
        const voter = existing.rows[0];
        if (!voter) throw new Error('the vote was sealed while this ballot was being cast');
        const stored = voter.id === null ? undefined : openBallots.open(voter.id, voter.payload!);
        if (stored?.payload === payload) return { ballotId: stored.id, changed: false };
        await client.query('DELETE FROM ballots WHERE id = $1', [voter.ballot_id]);
        await insertBallot();
        await client.query('UPDATE voters SET ballot_id = $1 WHERE box_id = $2 AND voter_tag = $3', [row.slot, boxId, voterTag]);
        return { ballotId: newBallotId, changed: true };
      });
    },

    async ballotOf(boxId: string, voterTag: string): Promise<string | undefined> {
      const sql = 'SELECT b.id, b.payload FROM voters v JOIN ballots b ON b.id = v.ballot_id WHERE v.box_id = $1 AND v.voter_tag = $2';
      const row = (await db.rows<{ id: string; payload: string }>(sql, [boxId, voterTag]))[0];
      return row && openBallots.open(row.id, row.payload).payload;
    },

    async ballots(boxId: string): Promise<{ id: string; payload: string }[]> {
      // In the order of the random ids, never in the order the rows happen to lie in the table.
      const rows = await db.rows<{ id: string; payload: string }>('SELECT id, payload FROM ballots WHERE box_id = $1', [boxId]);
      return rows.map((row) => openBallots.open(row.id, row.payload)).sort(byId);
    },

    async ballotCount(boxId: string): Promise<number> {
      return (await db.rows<{ n: number }>('SELECT count(*)::int AS n FROM ballots WHERE box_id = $1', [boxId]))[0]!.n;
    },

    async hideBallot(workshopId: string, ballotId: string): Promise<void> {
      await db.run('INSERT INTO hidden_ballots (ballot_id, workshop_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [ballotId, workshopId]);
    },

    async hiddenBallots(ballotIds: string[]): Promise<Set<string>> {
      const rows = await db.rows<{ ballot_id: string }>('SELECT ballot_id FROM hidden_ballots WHERE ballot_id = ANY($1::text[])', [ballotIds]);
      return new Set(rows.map((row) => row.ballot_id));
    },

    async deleteBallots(boxId: string): Promise<void> {
      const deleted = await db.transaction(async (client) => {
        const ballots = await client.query<{ id: string; payload: string }>('DELETE FROM ballots WHERE box_id = $1 RETURNING id, payload', [boxId]);
        // An open vote's hidden answers are marked by the ballots' own ids, which only their sealed rows hold.
        const ids = ballots.rows.map((row) => openBallots.open(row.id, row.payload).id);
        const hidden = await client.query('DELETE FROM hidden_ballots WHERE ballot_id = ANY($1::text[])', [ids]);
        const paper = await client.query('DELETE FROM paper_tallies WHERE box_id = $1', [boxId]);
        return (hidden.rowCount ?? 0) + (ballots.rowCount ?? 0) + (paper.rowCount ?? 0);
      });
      if (deleted > 0) await scrubber.owe(['ballots', 'hidden_ballots', 'paper_tallies'], 'rewrite');
    },

    async savePaperTally(workshopId: string, boxId: string, payload: string): Promise<void> {
      const sql = `INSERT INTO paper_tallies (box_id, workshop_id, payload) VALUES ($1, $2, $3)
                   ON CONFLICT (box_id) DO UPDATE SET workshop_id = excluded.workshop_id, payload = excluded.payload`;
      await db.run(sql, [boxId, workshopId, payload]);
    },

    async paperTally(boxId: string): Promise<string | undefined> {
      return (await db.rows<{ payload: string }>('SELECT payload FROM paper_tallies WHERE box_id = $1', [boxId]))[0]?.payload;
    },
  };
}
