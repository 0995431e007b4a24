/**
 * The store for deployments beyond one machine (`DATABASE_URL=postgres://…`): several server nodes may share one
 * database. Same contract as the SQLite store: every method resolves once its write is committed with
 * `synchronous_commit = on` (flushed to the server's disk, and to synchronous standbys if there are any).
 * Anything that deletes what ties a person to their notes or ballots, or a whole workshop, is followed by a
 * VACUUM before it resolves (TableScrubber): PostgreSQL's counterpart of SQLite's secure_delete, with limits
 * stated in docs/DEPLOYMENT.md.
 */
import pg from 'pg';
import type { Agenda, HiddenNote } from '../../../shared/protocol/index.js';
import type { Logger } from '../../log.js';
import type { ParticipantRecord, RoomAccess, Store, WorkshopRecord } from '../Store.js';
import { migrate } from './migrate.js';
import { randomId } from '../../domain/secrets.js';
import { OpenBallots } from './OpenBallots.js';
import { TableScrubber } from './TableScrubber.js';

type WorkshopRow = {
  id: string;
  join_code: string;
  title: string;
  language: WorkshopRecord['language'];
  groups_json: WorkshopRecord['groups'];
  anonymity_threshold: number;
  retention_days: number;
  facilitator_key_hash: string;
  cofacilitator_key_hash: string;
  agenda_json: Agenda;
  created_at: string;
  expires_at: string;
  locked: boolean;
  passphrase_hash: string | null;
  screen_key: string;
};

type ParticipantRow = { id: string; workshop_id: string; group_id: string | null; drafter: boolean; drafter_name: string | null };

/**
 * Every table besides `workshops` that holds a workshop's records, each with a `workshop_id` column, in the one
 * order in which every transaction here touches them (voters before ballots, as a ballot is cast; hidden answers
 * before ballots…), so that two transactions never wait for each other's rows in a cycle.
 */
export const WORKSHOP_TABLES = [
  'participants',
  'doc_updates',
  'voters',
  'note_owners',
  'box_secrets',
  'hidden_ballots',
  'ballots',
  'paper_tallies',
  'hidden_notes',
  'activity_results',
] as const;

/** The tables a sealed box's tags and secret lived in, in the order above. */
const TAG_TABLES = ['voters', 'note_owners', 'box_secrets'] as const;

/** First key of the per-document advisory locks (the second is a hash of the document's name): "RTDC". */
const DOC_LOCK_CLASS = 0x52_54_44_43;

/** deadlock_detected, serialization_failure: the transaction was rolled back and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);

const PARTICIPANT_COLUMNS = 'id, workshop_id, group_id, drafter, drafter_name';

const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  id: row.id,
  workshopId: row.workshop_id,
  groupId: row.group_id,
  drafter: row.drafter,
  drafterName: row.drafter_name ?? '',
});

/** Ballots in the order of their random ids (code-unit order, as `ORDER BY id` with the C collation). */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const bytes = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

export type PostgresStoreOptions = {
  /** SEAL_KEY: open votes' ballots are sealed with it (OpenBallots); every node must have the same. */
  sealKey: string;
  /** Where to report a pooled connection the server dropped while idle (the pool replaces it). */
  log?: Logger;
  /** Connections per node (default 10). */
  poolSize?: number;
};

type Queryable = Pick<pg.PoolClient, 'query'>;

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #scrubber: TableScrubber;
  readonly #openBallots: OpenBallots;
  #closed: Promise<void> | undefined;

  /** Connects, applies pending migrations (one node at a time) and returns the store. */
  static async open(connectionString: string, options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      // Durable before resolving, whatever the server's, database's or role's default is. The pool awaits this
      // before it hands the new connection out.
      onConnect: async (client) => {
        await client.query('SET synchronous_commit = on');
      },
    });
    // An idle connection the server closed must not crash the process; the pool discards it.
    pool.on('error', (error) => options.log?.warn('postgres: idle connection lost', { error: error.message }));
    const store = new PostgresStore(pool, new OpenBallots(options.sealKey), options.log);
    try {
      await migrate(pool);
      await store.#checkSealKey();
      // Clears whatever a crash between a deletion and its VACUUM left behind, and fails the start at once if
      // this role may not VACUUM the tables (deletion would not be complete).
      await store.#scrubber.vacuumNow(['workshops', ...WORKSHOP_TABLES], 'tidy');
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private constructor(pool: pg.Pool, openBallots: OpenBallots, log: Logger | undefined) {
    this.#pool = pool;
    this.#scrubber = new TableScrubber(pool, (error) => log?.warn('postgres: a VACUUM owed after a deletion failed; trying again', { error: String(error) }));
    this.#openBallots = openBallots;
  }

  /** Refuses to start with a key that cannot open the open votes already stored: their tallies would fail. */
  async #checkSealKey(): Promise<void> {
    const [row] = await this.#rows<{ id: string; payload: string }>("SELECT id, payload FROM ballots WHERE payload LIKE 'sealed:%' LIMIT 1");
    if (row) this.#openBallots.open(row.id, row.payload);
  }

  async #rows<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.#pool.query<Row>(text, values)).rows;
  }

  async #run(text: string, values: unknown[]): Promise<number> {
    return (await this.#pool.query(text, values)).rowCount ?? 0;
  }

  /** Runs `work` in one transaction on one pooled connection, again if PostgreSQL rolled it back to break a deadlock. */
  async #transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transactionOnce(work);
      } catch (error) {
        if (attempt >= 3 || !(error instanceof pg.DatabaseError) || !RETRYABLE.has(error.code ?? '')) throw error;
      }
    }
  }

  async #transactionOnce<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async createWorkshop(record: WorkshopRecord): Promise<'ok' | 'join_code_taken'> {
    try {
      await this.#pool.query(
        `INSERT INTO workshops (id, join_code, title, language, groups_json, anonymity_threshold, retention_days,
           facilitator_key_hash, cofacilitator_key_hash, agenda_json, agenda_version, created_at, expires_at, locked, passphrase_hash,
           screen_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          record.id,
          record.joinCode,
          record.title,
          record.language,
          JSON.stringify(record.groups),
          record.anonymityThreshold,
          record.retentionDays,
          record.facilitatorKeyHash,
          record.coFacilitatorKeyHash,
          JSON.stringify(record.agenda),
          record.agenda.version,
          record.createdAt,
          record.expiresAt,
          record.locked,
          record.passphraseHash,
          record.screenKey,
        ],
      );
      return 'ok';
    } catch (error) {
      if (error instanceof pg.DatabaseError && error.code === '23505' && error.constraint === 'workshops_join_code_key') return 'join_code_taken';
      throw error;
    }
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | undefined> {
    const [row] = await this.#rows<WorkshopRow>('SELECT * FROM workshops WHERE id = $1', [id]);
    if (!row) return undefined;
    return {
      id: row.id,
      joinCode: row.join_code,
      title: row.title,
      language: row.language,
      groups: row.groups_json,
      anonymityThreshold: row.anonymity_threshold,
      retentionDays: row.retention_days,
      facilitatorKeyHash: row.facilitator_key_hash,
      coFacilitatorKeyHash: row.cofacilitator_key_hash,
      agenda: row.agenda_json,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      locked: row.locked,
      passphraseHash: row.passphrase_hash,
      screenKey: row.screen_key,
    };
  }

  async findWorkshopIdByJoinCode(joinCode: string): Promise<string | undefined> {
    return (await this.#rows<{ id: string }>('SELECT id FROM workshops WHERE join_code = $1', [joinCode]))[0]?.id;
  }

  async saveAgenda(workshopId: string, agenda: Agenda, expectedVersion: number): Promise<boolean> {
    const sql = 'UPDATE workshops SET agenda_json = $1, agenda_version = $2 WHERE id = $3 AND agenda_version = $4';
    return (await this.#run(sql, [JSON.stringify(agenda), agenda.version, workshopId, expectedVersion])) === 1;
  }

  async setCoFacilitatorKeyHash(workshopId: string, hash: string): Promise<void> {
    await this.#run('UPDATE workshops SET cofacilitator_key_hash = $1 WHERE id = $2', [hash, workshopId]);
  }

  async setScreenKey(workshopId: string, key: string): Promise<void> {
    await this.#run('UPDATE workshops SET screen_key = $1 WHERE id = $2', [key, workshopId]);
  }

  async setRoomAccess(workshopId: string, access: RoomAccess): Promise<void> {
    await this.#run('UPDATE workshops SET locked = $1, passphrase_hash = $2 WHERE id = $3', [access.locked, access.passphraseHash, workshopId]);
  }

  async findParticipant(workshopId: string, tokenHash: string): Promise<ParticipantRecord | undefined> {
    const sql = `SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE workshop_id = $1 AND token_hash = $2`;
    const [row] = await this.#rows<ParticipantRow>(sql, [workshopId, tokenHash]);
    return row && toParticipant(row);
  }

  async getOrCreateParticipant(workshopId: string, tokenHash: string, newId: string): Promise<ParticipantRecord> {
    await this.#run('INSERT INTO participants (workshop_id, token_hash, id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      workshopId,
      tokenHash,
      newId,
    ]);
    const participant = await this.findParticipant(workshopId, tokenHash);
    if (!participant) throw new Error('participant not stored');
    return participant;
  }

  async setParticipantGroup(workshopId: string, participantId: string, groupId: string | null): Promise<void> {
    await this.#run('UPDATE participants SET group_id = $1 WHERE workshop_id = $2 AND id = $3', [groupId, workshopId, participantId]);
  }

  async setDrafter(workshopId: string, participantId: string, drafter: { name: string } | null): Promise<void> {
    const sql = 'UPDATE participants SET drafter = $1, drafter_name = $2 WHERE workshop_id = $3 AND id = $4';
    await this.#run(sql, [drafter !== null, drafter?.name ?? null, workshopId, participantId]);
  }

  async drafters(workshopId: string): Promise<{ id: string; name: string }[]> {
    const sql = "SELECT id, coalesce(drafter_name, '') AS name FROM participants WHERE workshop_id = $1 AND drafter";
    return this.#rows(sql, [workshopId]);
  }

  async groupCounts(workshopId: string): Promise<Map<string | null, number>> {
    const sql = 'SELECT group_id, count(*)::int AS n FROM participants WHERE workshop_id = $1 GROUP BY group_id';
    const rows = await this.#rows<{ group_id: string | null; n: number }>(sql, [workshopId]);
    return new Map(rows.map((row) => [row.group_id, row.n]));
  }

  async appendDocUpdate(workshopId: string, docName: string, update: Uint8Array): Promise<number> {
    // One statement, so the document's lock (shared: appends do not wait for each other) is held until it
    // commits; mergeDocUpdates takes it exclusively and so sees every append that took a lower seq.
    const sql = `INSERT INTO doc_updates (workshop_id, doc_name, data)
      SELECT $1, $2, $3 FROM (SELECT pg_advisory_xact_lock_shared(${DOC_LOCK_CLASS}, hashtext($1 || '/' || $2))) AS locked RETURNING seq`;
    return Number((await this.#rows<{ seq: string }>(sql, [workshopId, docName, bytes(update)]))[0]!.seq);
  }

  async mergeDocUpdates(workshopId: string, docName: string, merge: (stored: Uint8Array[]) => Uint8Array): Promise<void> {
    await this.#transaction(async (client) => {
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
    await this.#scrubber.owe(['doc_updates'], 'tidy');
  }

  async loadDocUpdates(workshopId: string, docName: string): Promise<Uint8Array[]> {
    const sql = 'SELECT data FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2 ORDER BY seq';
    return (await this.#rows<{ data: Buffer }>(sql, [workshopId, docName])).map((row) => new Uint8Array(row.data));
  }

  async compactDocUpdates(workshopId: string, docName: string, state: Uint8Array, throughSeq: number): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('DELETE FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2 AND seq <= $3', [workshopId, docName, throughSeq]);
      await client.query('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES ($1, $2, $3)', [workshopId, docName, bytes(state)]);
    });
    // Frequent, so the light VACUUM: the replaced updates (hidden or withdrawn note text) leave the table's
    // reachable data; their bytes may stay in free page space until reused or the next rewrite.
    await this.#scrubber.owe(['doc_updates'], 'tidy');
  }

  async deleteDoc(workshopId: string, docName: string): Promise<void> {
    const deleted = await this.#run('DELETE FROM doc_updates WHERE workshop_id = $1 AND doc_name = $2', [workshopId, docName]);
    if (deleted > 0) await this.#scrubber.owe(['doc_updates'], 'rewrite');
  }

  async boxSecret(boxId: string): Promise<Buffer | undefined> {
    return (await this.#rows<{ secret: Buffer }>('SELECT secret FROM box_secrets WHERE box_id = $1', [boxId]))[0]?.secret;
  }

  async createBoxSecret(workshopId: string, boxId: string, secret: Buffer): Promise<void> {
    await this.#run('INSERT INTO box_secrets (box_id, workshop_id, secret) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [boxId, workshopId, secret]);
  }

  async claimNote(workshopId: string, boxId: string, noteId: string, ownerTag: string): Promise<void> {
    await this.#run('INSERT INTO note_owners (box_id, note_id, workshop_id, owner_tag) VALUES ($1, $2, $3, $4)', [boxId, noteId, workshopId, ownerTag]);
  }

  async noteOwnerTag(boxId: string, noteId: string): Promise<string | undefined> {
    const sql = 'SELECT owner_tag FROM note_owners WHERE box_id = $1 AND note_id = $2';
    return (await this.#rows<{ owner_tag: string }>(sql, [boxId, noteId]))[0]?.owner_tag;
  }

  async noteOwners(boxId: string): Promise<{ noteId: string; ownerTag: string }[]> {
    return this.#rows('SELECT note_id AS "noteId", owner_tag AS "ownerTag" FROM note_owners WHERE box_id = $1 ORDER BY note_id', [boxId]);
  }

  async releaseNote(boxId: string, noteId: string): Promise<void> {
    await this.#run('DELETE FROM note_owners WHERE box_id = $1 AND note_id = $2', [boxId, noteId]);
  }

  async castBallot(
    workshopId: string,
    boxId: string,
    voterTag: string,
    payload: string,
    newBallotId: string,
  ): Promise<{ ballotId: string; changed: boolean }> {
    const row = { slot: randomId(), sealed: this.#openBallots.seal(newBallotId, payload) };
    // A voter's first ballot — nearly every ballot — in one statement, so one round trip and one commit: the
    // voter row and the ballot are stored together or not at all. A voter already there falls through.
    const first = await this.#run(
      `WITH claimed AS (
         INSERT INTO voters (box_id, voter_tag, workshop_id, ballot_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (box_id, voter_tag) DO NOTHING RETURNING ballot_id
       )
       INSERT INTO ballots (id, box_id, workshop_id, payload) SELECT ballot_id, $1, $3, $5 FROM claimed`,
      [boxId, voterTag, workshopId, row.slot, row.sealed],
    );
    if (first === 1) return { ballotId: newBallotId, changed: true };
    return this.#transaction(async (client) => {
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
      const stored = voter.id === null ? undefined : this.#openBallots.open(voter.id, voter.payload!);
      if (stored?.payload === payload) return { ballotId: stored.id, changed: false };
      await client.query('DELETE FROM ballots WHERE id = $1', [voter.ballot_id]);
      await insertBallot();
      await client.query('UPDATE voters SET ballot_id = $1 WHERE box_id = $2 AND voter_tag = $3', [row.slot, boxId, voterTag]);
      return { ballotId: newBallotId, changed: true };
    });
  }

  async ballotOf(boxId: string, voterTag: string): Promise<string | undefined> {
    const sql = 'SELECT b.id, b.payload FROM voters v JOIN ballots b ON b.id = v.ballot_id WHERE v.box_id = $1 AND v.voter_tag = $2';
    const row = (await this.#rows<{ id: string; payload: string }>(sql, [boxId, voterTag]))[0];
    return row && this.#openBallots.open(row.id, row.payload).payload;
  }

  async ballots(boxId: string): Promise<{ id: string; payload: string }[]> {
    // In the order of the random ids, never in the order the rows happen to lie in the table.
    const rows = await this.#rows<{ id: string; payload: string }>('SELECT id, payload FROM ballots WHERE box_id = $1', [boxId]);
    return rows.map((row) => this.#openBallots.open(row.id, row.payload)).sort(byId);
  }

  async ballotCount(boxId: string): Promise<number> {
    return (await this.#rows<{ n: number }>('SELECT count(*)::int AS n FROM ballots WHERE box_id = $1', [boxId]))[0]!.n;
  }

  async hideBallot(workshopId: string, ballotId: string): Promise<void> {
    await this.#run('INSERT INTO hidden_ballots (ballot_id, workshop_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [ballotId, workshopId]);
  }

  async hiddenBallots(ballotIds: string[]): Promise<Set<string>> {
    const rows = await this.#rows<{ ballot_id: string }>('SELECT ballot_id FROM hidden_ballots WHERE ballot_id = ANY($1::text[])', [ballotIds]);
    return new Set(rows.map((row) => row.ballot_id));
  }

  async deleteBallots(boxId: string): Promise<void> {
    const deleted = await this.#transaction(async (client) => {
      const ballots = await client.query<{ id: string; payload: string }>('DELETE FROM ballots WHERE box_id = $1 RETURNING id, payload', [boxId]);
      // An open vote's hidden answers are marked by the ballots' own ids, which only their sealed rows hold.
      const ids = ballots.rows.map((row) => this.#openBallots.open(row.id, row.payload).id);
      const hidden = await client.query('DELETE FROM hidden_ballots WHERE ballot_id = ANY($1::text[])', [ids]);
      const paper = await client.query('DELETE FROM paper_tallies WHERE box_id = $1', [boxId]);
      return (hidden.rowCount ?? 0) + (ballots.rowCount ?? 0) + (paper.rowCount ?? 0);
    });
    if (deleted > 0) await this.#scrubber.owe(['ballots', 'hidden_ballots', 'paper_tallies'], 'rewrite');
  }

  async savePaperTally(workshopId: string, boxId: string, payload: string): Promise<void> {
    const sql = `INSERT INTO paper_tallies (box_id, workshop_id, payload) VALUES ($1, $2, $3)
                 ON CONFLICT (box_id) DO UPDATE SET workshop_id = excluded.workshop_id, payload = excluded.payload`;
    await this.#run(sql, [boxId, workshopId, payload]);
  }

  async paperTally(boxId: string): Promise<string | undefined> {
    return (await this.#rows<{ payload: string }>('SELECT payload FROM paper_tallies WHERE box_id = $1', [boxId]))[0]?.payload;
  }

  /**
   * Deletes the box's tags and secret in one transaction. Because heap rows keep the order they were written
   * in and the id of the transaction that wrote them, the box's ballots are rewritten in the same transaction,
   * in the order of their random ids: afterwards neither their position nor their `xmin` tells the order in
   * which people voted. Then the tables are rewritten (VACUUM FULL), so the deleted rows leave the files too.
   */
  async sealBox(boxId: string): Promise<void> {
    const touched = await this.#transaction(async (client) => {
      const tables: string[] = [];
      for (const table of TAG_TABLES) {
        if ((await client.query(`DELETE FROM ${table} WHERE box_id = $1`, [boxId])).rowCount) tables.push(table);
      }
      if (tables.includes('voters')) {
        const moved = await client.query<{ id: string; workshop_id: string; payload: string }>(
          'DELETE FROM ballots WHERE box_id = $1 RETURNING id, workshop_id, payload',
          [boxId],
        );
        const ballots = moved.rows.map((row) => ({ ...this.#openBallots.open(row.id, row.payload), workshopId: row.workshop_id }));
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
    if (touched.length > 0) await this.#scrubber.owe(touched, 'rewrite');
  }

  async hideNote(workshopId: string, boardId: string, note: HiddenNote): Promise<void> {
    const sql = `INSERT INTO hidden_notes (board_id, note_id, workshop_id, text, color) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (board_id, note_id) DO UPDATE SET workshop_id = excluded.workshop_id, text = excluded.text, color = excluded.color`;
    await this.#run(sql, [boardId, note.id, workshopId, note.text, note.color]);
  }

  async hiddenNotes(boardId: string): Promise<HiddenNote[]> {
    return this.#rows('SELECT note_id AS id, text, color FROM hidden_notes WHERE board_id = $1 ORDER BY note_id', [boardId]);
  }

  async takeHiddenNote(boardId: string, noteId: string): Promise<HiddenNote | undefined> {
    const sql = 'DELETE FROM hidden_notes WHERE board_id = $1 AND note_id = $2 RETURNING note_id AS id, text, color';
    return (await this.#rows<HiddenNote>(sql, [boardId, noteId]))[0];
  }

  async saveActivityResult(workshopId: string, activityId: string, result: unknown): Promise<void> {
    const sql = `INSERT INTO activity_results (activity_id, workshop_id, result) VALUES ($1, $2, $3)
                 ON CONFLICT (activity_id) DO UPDATE SET workshop_id = excluded.workshop_id, result = excluded.result`;
    await this.#run(sql, [activityId, workshopId, JSON.stringify(result)]);
  }

  async activityResult(activityId: string): Promise<unknown> {
    return (await this.#rows<{ result: unknown }>('SELECT result FROM activity_results WHERE activity_id = $1', [activityId]))[0]?.result;
  }

  async deleteActivityResult(activityId: string): Promise<void> {
    await this.#run('DELETE FROM activity_results WHERE activity_id = $1', [activityId]);
  }

  async shiftWorkshopDates(workshopIds: string[], ms: number): Promise<void> {
    await this.#run('UPDATE workshops SET created_at = created_at + $1, expires_at = expires_at + $1 WHERE id = ANY($2::text[])', [ms, workshopIds]);
  }

  async expiredWorkshopIds(now: number): Promise<string[]> {
    const rows = await this.#rows<{ id: string }>('SELECT id FROM workshops WHERE expires_at <= $1 ORDER BY expires_at, id', [now]);
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the workshop's rows in one transaction, then rewrites every table a workshop has rows in (VACUUM
   * FULL), so that no table or index file keeps them — including older versions of rows that were updated or
   * deleted earlier (agenda edits, unhidden notes). Writers to those tables wait while each one is copied.
   */
  async deleteWorkshop(workshopId: string): Promise<boolean> {
    const deleted = await this.#transaction(async (client: Queryable) => {
      for (const table of WORKSHOP_TABLES) await client.query(`DELETE FROM ${table} WHERE workshop_id = $1`, [workshopId]);
      return (await client.query('DELETE FROM workshops WHERE id = $1', [workshopId])).rowCount === 1;
    });
    if (deleted) await this.#scrubber.owe(['workshops', ...WORKSHOP_TABLES], 'rewrite');
    return deleted;
  }

  async close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#scrubber.settle();
      await this.#pool.end();
    })();
    return this.#closed;
  }
}
