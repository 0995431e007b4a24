/**
 * The embedded store: one SQLite file in DATA_DIR with `synchronous=FULL`, so a committed transaction
 * survives power loss, not only a crash. better-sqlite3 is synchronous; the async interface is for the
 * PostgreSQL store's sake.
 *
 * No write-ahead log, on purpose: a WAL keeps every committed version of every page until a checkpoint, so
 * one copy of the data folder would replay a session commit by commit (who changed an answer, which notes
 * came from one person). With a rollback journal the file holds only the current state, the journal only the
 * pages of the transaction in progress, deleted at its commit, and `secure_delete` zeroes what is deleted.
 * docs/ANONYMITY.md says what a copy taken during a session still shows.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Agenda, HiddenNote } from '../../../shared/protocol/index.js';
import type { ParticipantRecord, RoomAccess, Store, WorkshopRecord } from '../Store.js';
import { MIGRATIONS } from './migrations.js';

type WorkshopRow = {
  id: string;
  join_code: string;
  title: string;
  language: WorkshopRecord['language'];
  groups_json: string;
  anonymity_threshold: number;
  retention_days: number;
  facilitator_key_hash: string;
  cofacilitator_key_hash: string;
  agenda_json: string;
  created_at: number;
  expires_at: number;
  locked: number;
  passphrase_hash: string | null;
  screen_key: string;
};

type ParticipantRow = { id: string; workshop_id: string; group_id: string | null; drafter: number; drafter_name: string | null };

/**
 * Every table that holds a workshop's records besides `workshops` itself, each with a `workshop_id` column.
 * `deleteWorkshop` empties them explicitly (the foreign keys would cascade too); a test checks that the schema
 * has no other table, so a new migration cannot leave a workshop's data behind unnoticed.
 */
export const WORKSHOP_TABLES = [
  'participants',
  'doc_updates',
  'box_secrets',
  'note_owners',
  'ballots',
  'voters',
  'hidden_notes',
  'activity_results',
  'hidden_ballots',
  'paper_tallies',
] as const;

const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  id: row.id,
  workshopId: row.workshop_id,
  groupId: row.group_id,
  drafter: row.drafter === 1,
  drafterName: row.drafter_name ?? '',
});

/** The database file inside the data folder. */
export const DATABASE_FILE = 'roundtable.sqlite';

type BallotCast = { ballotId: string; changed: boolean };
type PendingWrite = { write: () => unknown; resolve: (result: never) => void; reject: (error: unknown) => void };

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements;
  #writes: PendingWrite[] = [];

  /** @param dataDir folder for `roundtable.sqlite`, created if missing. */
  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new Database(join(dataDir, DATABASE_FILE));
    // Also turns a data folder of an earlier version out of WAL. SQLite keeps WAL, silently, while another
    // connection (a backup still running) has the file open: then refuse to start rather than keep a log.
    const mode = this.#db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') {
      this.#db.close();
      throw new Error(`could not leave write-ahead logging for ${DATABASE_FILE} (still "${String(mode)}"): is another program using the data folder?`);
    }
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
    // Deleted rows (voter tags, note owners, secrets, replaced answers, compacted-out note text) are
    // overwritten with zeros, not merely unlinked: sealing a box must leave nothing in the file to recover.
    this.#db.pragma('secure_delete = ON');
    this.#migrate();
    // A write at once (the header's schema version, unchanged), so that a file that cannot be written — a
    // read-only disk or file — stops the start, rather than every later write.
    this.#db.pragma(`user_version = ${Number(this.#db.pragma('user_version', { simple: true }))}`);
    const db = this.#db;
    this.#statements = {
      insertWorkshop: db.prepare(
        `INSERT INTO workshops (id, join_code, title, language, groups_json, anonymity_threshold, retention_days,
           facilitator_key_hash, cofacilitator_key_hash, agenda_json, agenda_version, created_at, expires_at, screen_key)
         VALUES (@id, @joinCode, @title, @language, @groupsJson, @anonymityThreshold, @retentionDays,
           @facilitatorKeyHash, @coFacilitatorKeyHash, @agendaJson, @agendaVersion, @createdAt, @expiresAt, @screenKey)`,
      ),
      workshopById: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE id = ?'),
      workshopIdByCode: db.prepare<[string], { id: string }>('SELECT id FROM workshops WHERE join_code = ?'),
      saveAgenda: db.prepare<[string, number, string, number]>(
        'UPDATE workshops SET agenda_json = ?, agenda_version = ? WHERE id = ? AND agenda_version = ?',
      ),
      setCoFacilitatorKeyHash: db.prepare<[string, string]>('UPDATE workshops SET cofacilitator_key_hash = ? WHERE id = ?'),
      setScreenKey: db.prepare<[string, string]>('UPDATE workshops SET screen_key = ? WHERE id = ?'),
      setRoomAccess: db.prepare<[number, string | null, string]>('UPDATE workshops SET locked = ?, passphrase_hash = ? WHERE id = ?'),
      insertParticipant: db.prepare<[string, string, string]>(
        'INSERT INTO participants (workshop_id, token_hash, id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      participantByToken: db.prepare<[string, string], ParticipantRow>(
        'SELECT id, workshop_id, group_id, drafter, drafter_name FROM participants WHERE workshop_id = ? AND token_hash = ?',
      ),
      setParticipantGroup: db.prepare<[string | null, string, string]>(
        'UPDATE participants SET group_id = ? WHERE workshop_id = ? AND id = ?',
      ),
      setDrafter: db.prepare<[number, string | null, string, string]>(
        'UPDATE participants SET drafter = ?, drafter_name = ? WHERE workshop_id = ? AND id = ?',
      ),
      drafters: db.prepare<[string], { id: string; name: string }>(
        "SELECT id, coalesce(drafter_name, '') AS name FROM participants WHERE workshop_id = ? AND drafter = 1",
      ),
      groupCounts: db.prepare<[string], { group_id: string | null; n: number }>(
        'SELECT group_id, count(*) AS n FROM participants WHERE workshop_id = ? GROUP BY group_id',
      ),
      appendDocUpdate: db.prepare<[string, string, Uint8Array]>(
        'INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, ?, ?)',
      ),
      docUpdates: db.prepare<[string, string], { data: Buffer }>(
        'SELECT data FROM doc_updates WHERE workshop_id = ? AND doc_name = ? ORDER BY seq',
      ),
      deleteDocUpdates: db.prepare<[string, string, number]>(
        'DELETE FROM doc_updates WHERE workshop_id = ? AND doc_name = ? AND seq <= ?',
      ),
      deleteDoc: db.prepare<[string, string]>('DELETE FROM doc_updates WHERE workshop_id = ? AND doc_name = ?'),
      boxSecret: db.prepare<[string], { secret: Buffer }>('SELECT secret FROM box_secrets WHERE box_id = ?'),
      createBoxSecret: db.prepare<[string, string, Buffer]>(
        'INSERT INTO box_secrets (box_id, workshop_id, secret) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      deleteBoxSecret: db.prepare<[string]>('DELETE FROM box_secrets WHERE box_id = ?'),
      claimNote: db.prepare<[string, string, string, string]>(
        'INSERT INTO note_owners (box_id, note_id, workshop_id, owner_tag) VALUES (?, ?, ?, ?)',
      ),
      noteOwnerTag: db.prepare<[string, string], { owner_tag: string }>(
        'SELECT owner_tag FROM note_owners WHERE box_id = ? AND note_id = ?',
      ),
      noteOwners: db.prepare<[string], { noteId: string; ownerTag: string }>(
        'SELECT note_id AS noteId, owner_tag AS ownerTag FROM note_owners WHERE box_id = ?',
      ),
      releaseNote: db.prepare<[string, string]>('DELETE FROM note_owners WHERE box_id = ? AND note_id = ?'),
      deleteOwners: db.prepare<[string]>('DELETE FROM note_owners WHERE box_id = ?'),
      voterBallotId: db.prepare<[string, string], { ballot_id: string }>(
        'SELECT ballot_id FROM voters WHERE box_id = ? AND voter_tag = ?',
      ),
      insertBallot: db.prepare<[string, string, string, string]>(
        'INSERT INTO ballots (id, box_id, workshop_id, payload) VALUES (?, ?, ?, ?)',
      ),
      deleteBallot: db.prepare<[string]>('DELETE FROM ballots WHERE id = ?'),
      deleteVoter: db.prepare<[string, string]>('DELETE FROM voters WHERE box_id = ? AND voter_tag = ?'),
      deleteBoxBallots: db.prepare<[string]>('DELETE FROM ballots WHERE box_id = ?'),
      deleteBoxHidden: db.prepare<[string]>('DELETE FROM hidden_ballots WHERE ballot_id IN (SELECT id FROM ballots WHERE box_id = ?)'),
      deletePaper: db.prepare<[string]>('DELETE FROM paper_tallies WHERE box_id = ?'),
      deleteResult: db.prepare<[string]>('DELETE FROM activity_results WHERE activity_id = ?'),
      insertVoter: db.prepare<[string, string, string, string]>(
        'INSERT INTO voters (box_id, voter_tag, workshop_id, ballot_id) VALUES (?, ?, ?, ?)',
      ),
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
      deleteVoters: db.prepare<[string]>('DELETE FROM voters WHERE box_id = ?'),
      hideNote: db.prepare<[string, string, string, string, string]>(
        'INSERT OR REPLACE INTO hidden_notes (board_id, note_id, workshop_id, text, color) VALUES (?, ?, ?, ?, ?)',
      ),
      hiddenNotes: db.prepare<[string], HiddenNote>('SELECT note_id AS id, text, color FROM hidden_notes WHERE board_id = ?'),
      hiddenNote: db.prepare<[string, string], HiddenNote>(
        'SELECT note_id AS id, text, color FROM hidden_notes WHERE board_id = ? AND note_id = ?',
      ),
      deleteHiddenNote: db.prepare<[string, string]>('DELETE FROM hidden_notes WHERE board_id = ? AND note_id = ?'),
      saveResult: db.prepare<[string, string, string]>(
        'INSERT OR REPLACE INTO activity_results (activity_id, workshop_id, result) VALUES (?, ?, ?)',
      ),
      result: db.prepare<[string], { result: string }>('SELECT result FROM activity_results WHERE activity_id = ?'),
      shiftWorkshopDates: db.prepare<[number, number, string]>('UPDATE workshops SET created_at = created_at + ?, expires_at = expires_at + ? WHERE id = ?'),
      expiredWorkshopIds: db.prepare<[number], { id: string }>('SELECT id FROM workshops WHERE expires_at <= ?'),
      deleteWorkshopRows: WORKSHOP_TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE workshop_id = ?`)),
      deleteWorkshop: db.prepare<[string]>('DELETE FROM workshops WHERE id = ?'),
    };
  }

  #migrate(): void {
    const applied = this.#db.pragma('user_version', { simple: true }) as number;
    // Written by a newer version (rolled back without restoring): its tables may mean what this one does not know.
    if (applied > MIGRATIONS.length) {
      this.#db.close();
      throw new Error(`${DATABASE_FILE} was written by a newer Roundtable (schema ${applied}; this one knows ${MIGRATIONS.length}): upgrade Roundtable, or restore a backup made by this version`);
    }
    for (let version = applied; version < MIGRATIONS.length; version++) {
      this.#db.transaction(() => {
        this.#db.exec(MIGRATIONS[version]!);
        this.#db.pragma(`user_version = ${version + 1}`);
      })();
    }
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async createWorkshop(record: WorkshopRecord): Promise<'ok' | 'join_code_taken'> {
    try {
      this.#statements.insertWorkshop.run({
        ...record,
        groupsJson: JSON.stringify(record.groups),
        agendaJson: JSON.stringify(record.agenda),
        agendaVersion: record.agenda.version,
      });
      return 'ok';
    } catch (error) {
      if (error instanceof Database.SqliteError && /workshops\.join_code/.test(error.message)) return 'join_code_taken';
      throw error;
    }
  }

  async getWorkshop(id: string): Promise<WorkshopRecord | undefined> {
    const row = this.#statements.workshopById.get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      joinCode: row.join_code,
      title: row.title,
      language: row.language,
      groups: JSON.parse(row.groups_json),
      anonymityThreshold: row.anonymity_threshold,
      retentionDays: row.retention_days,
      facilitatorKeyHash: row.facilitator_key_hash,
      coFacilitatorKeyHash: row.cofacilitator_key_hash,
      agenda: JSON.parse(row.agenda_json),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      locked: row.locked === 1,
      passphraseHash: row.passphrase_hash,
      screenKey: row.screen_key,
    };
  }

  async findWorkshopIdByJoinCode(joinCode: string): Promise<string | undefined> {
    return this.#statements.workshopIdByCode.get(joinCode)?.id;
  }

  async saveAgenda(workshopId: string, agenda: Agenda, expectedVersion: number): Promise<boolean> {
    return this.#statements.saveAgenda.run(JSON.stringify(agenda), agenda.version, workshopId, expectedVersion).changes === 1;
  }

  async setCoFacilitatorKeyHash(workshopId: string, hash: string): Promise<void> {
    this.#statements.setCoFacilitatorKeyHash.run(hash, workshopId);
  }

  async setScreenKey(workshopId: string, key: string): Promise<void> {
    this.#statements.setScreenKey.run(key, workshopId);
  }

  async setRoomAccess(workshopId: string, access: RoomAccess): Promise<void> {
    this.#statements.setRoomAccess.run(access.locked ? 1 : 0, access.passphraseHash, workshopId);
  }

  async findParticipant(workshopId: string, tokenHash: string): Promise<ParticipantRecord | undefined> {
    const row = this.#statements.participantByToken.get(workshopId, tokenHash);
    return row && toParticipant(row);
  }

  getOrCreateParticipant(workshopId: string, tokenHash: string, newId: string): Promise<ParticipantRecord> {
    return this.#groupCommit(() => {
      this.#statements.insertParticipant.run(workshopId, tokenHash, newId);
      return toParticipant(this.#statements.participantByToken.get(workshopId, tokenHash)!);
    });
  }

  async setParticipantGroup(workshopId: string, participantId: string, groupId: string | null): Promise<void> {
    this.#statements.setParticipantGroup.run(groupId, workshopId, participantId);
  }

  async setDrafter(workshopId: string, participantId: string, drafter: { name: string } | null): Promise<void> {
    this.#statements.setDrafter.run(drafter ? 1 : 0, drafter?.name ?? null, workshopId, participantId);
  }

  async drafters(workshopId: string): Promise<{ id: string; name: string }[]> {
    return this.#statements.drafters.all(workshopId);
  }

  async groupCounts(workshopId: string): Promise<Map<string | null, number>> {
    return new Map(this.#statements.groupCounts.all(workshopId).map((row) => [row.group_id, row.n]));
  }

  appendDocUpdate(workshopId: string, docName: string, update: Uint8Array): Promise<number> {
    return this.#groupCommit(() => Number(this.#statements.appendDocUpdate.run(workshopId, docName, update).lastInsertRowid));
  }

  async loadDocUpdates(workshopId: string, docName: string): Promise<Uint8Array[]> {
    return this.#statements.docUpdates.all(workshopId, docName).map((row) => new Uint8Array(row.data));
  }

  async compactDocUpdates(workshopId: string, docName: string, state: Uint8Array, throughSeq: number): Promise<void> {
    this.#db.transaction(() => {
      this.#statements.deleteDocUpdates.run(workshopId, docName, throughSeq);
      this.#statements.appendDocUpdate.run(workshopId, docName, state);
    })();
  }

  async deleteDoc(workshopId: string, docName: string): Promise<void> {
    this.#statements.deleteDoc.run(workshopId, docName);
  }

  async boxSecret(boxId: string): Promise<Buffer | undefined> {
    return this.#statements.boxSecret.get(boxId)?.secret;
  }

  async createBoxSecret(workshopId: string, boxId: string, secret: Buffer): Promise<void> {
    this.#statements.createBoxSecret.run(boxId, workshopId, secret);
  }

  async claimNote(workshopId: string, boxId: string, noteId: string, ownerTag: string): Promise<void> {
    this.#statements.claimNote.run(boxId, noteId, workshopId, ownerTag);
  }

  async noteOwnerTag(boxId: string, noteId: string): Promise<string | undefined> {
    return this.#statements.noteOwnerTag.get(boxId, noteId)?.owner_tag;
  }

  async noteOwners(boxId: string): Promise<{ noteId: string; ownerTag: string }[]> {
    return this.#statements.noteOwners.all(boxId);
  }

  async releaseNote(boxId: string, noteId: string): Promise<void> {
    this.#statements.releaseNote.run(boxId, noteId);
  }

  /**
   * Group commit for the writes that come in bursts (ballots, joins, document updates): those asked for in
   * the same turn of the event loop share one transaction, so one sync to disk serves them all, and each is
   * still durable before its promise resolves. Each runs in its own savepoint: one failing fails alone,
   * unless SQLite rolled the whole transaction back (a full disk), when all of them fail with that error.
   */
  #groupCommit<T>(write: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#writes.push({ write, resolve: resolve as (result: never) => void, reject });
      if (this.#writes.length === 1) setImmediate(() => this.#commitWrites());
    });
  }

  #commitWrites(): void {
    const batch = this.#writes;
    if (batch.length === 0) return; // already written by close()
    this.#writes = [];
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      outcomes = this.#db.transaction(() =>
        batch.map(({ write }) => {
          try {
            return { ok: true as const, value: this.#db.transaction(write)() };
          } catch (error) {
            // A full disk or an I/O error can make SQLite roll the whole transaction back by itself: then
            // nothing of the batch is written, and the writes after this one must not run on their own.
            if (!this.#db.inTransaction) throw error;
            return { ok: false as const, error };
          }
        }),
      )();
    } catch (error) {
      for (const b of batch) b.reject(error);
      return;
    }
    batch.forEach((b, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) b.resolve(outcome.value as never);
      else b.reject(outcome.error);
    });
  }

  castBallot(workshopId: string, boxId: string, voterTag: string, payload: string, newBallotId: string): Promise<BallotCast> {
    return this.#groupCommit(() => {
      const existing = this.#statements.voterBallotId.get(boxId, voterTag);
      if (existing) {
        if (this.#statements.ballotPayload.get(existing.ballot_id)?.payload === payload) return { ballotId: existing.ballot_id, changed: false };
        this.#statements.deleteBallot.run(existing.ballot_id);
        this.#statements.deleteVoter.run(boxId, voterTag);
      }
      this.#statements.insertBallot.run(newBallotId, boxId, workshopId, payload);
      this.#statements.insertVoter.run(boxId, voterTag, workshopId, newBallotId);
      return { ballotId: newBallotId, changed: true };
    });
  }

  async ballotOf(boxId: string, voterTag: string): Promise<string | undefined> {
    const voter = this.#statements.voterBallotId.get(boxId, voterTag);
    return voter && this.#statements.ballotPayload.get(voter.ballot_id)?.payload;
  }

  async ballots(boxId: string): Promise<{ id: string; payload: string }[]> {
    return this.#statements.ballots.all(boxId);
  }

  async ballotCount(boxId: string): Promise<number> {
    return this.#statements.ballotCount.get(boxId)!.n;
  }

  async hideBallot(workshopId: string, ballotId: string): Promise<void> {
    this.#statements.hideBallot.run(ballotId, workshopId);
  }

  async hiddenBallots(ballotIds: string[]): Promise<Set<string>> {
    return new Set(ballotIds.filter((id) => this.#statements.isHidden.get(id)));
  }

  async deleteBallots(boxId: string): Promise<void> {
    this.#db.transaction(() => {
      this.#statements.deleteBoxHidden.run(boxId);
      this.#statements.deleteBoxBallots.run(boxId);
      this.#statements.deletePaper.run(boxId);
    })();
  }

  async deleteActivityResult(activityId: string): Promise<void> {
    this.#statements.deleteResult.run(activityId);
  }

  async savePaperTally(workshopId: string, boxId: string, payload: string): Promise<void> {
    this.#statements.savePaper.run(boxId, workshopId, payload);
  }

  async paperTally(boxId: string): Promise<string | undefined> {
    return this.#statements.paper.get(boxId)?.payload;
  }

  /**
   * Deletes the box's tags and secret and, in the same transaction, writes its ballots again in the order of
   * their random ids: SQLite places each new row in the page's free space, so the rows as first written lie in
   * the order people voted. Deleted first, they are zeroed, and the new copies take the space in id order.
   */
  async sealBox(boxId: string): Promise<void> {
    this.#db.transaction(() => {
      const hadVoters = this.#statements.deleteVoters.run(boxId).changes > 0;
      this.#statements.deleteOwners.run(boxId);
      this.#statements.deleteBoxSecret.run(boxId);
      if (!hadVoters) return; // a board's notes, or a box sealed before (repair at load)
      const ballots = this.#statements.ballotsInIdOrder.all(boxId);
      this.#statements.deleteBoxBallots.run(boxId);
      for (const b of ballots) this.#statements.insertBallot.run(b.id, boxId, b.workshop_id, b.payload);
    })();
  }

  async hideNote(workshopId: string, boardId: string, note: HiddenNote): Promise<void> {
    this.#statements.hideNote.run(boardId, note.id, workshopId, note.text, note.color);
  }

  async hiddenNotes(boardId: string): Promise<HiddenNote[]> {
    return this.#statements.hiddenNotes.all(boardId);
  }

  async takeHiddenNote(boardId: string, noteId: string): Promise<HiddenNote | undefined> {
    return this.#db.transaction(() => {
      const note = this.#statements.hiddenNote.get(boardId, noteId);
      if (note) this.#statements.deleteHiddenNote.run(boardId, noteId);
      return note;
    })();
  }

  async saveActivityResult(workshopId: string, activityId: string, result: unknown): Promise<void> {
    this.#statements.saveResult.run(activityId, workshopId, JSON.stringify(result));
  }

  async activityResult(activityId: string): Promise<unknown> {
    const row = this.#statements.result.get(activityId);
    return row ? JSON.parse(row.result) : undefined;
  }

  async shiftWorkshopDates(workshopIds: string[], ms: number): Promise<void> {
    this.#db.transaction(() => {
      for (const id of workshopIds) this.#statements.shiftWorkshopDates.run(ms, ms, id);
    })();
  }

  async expiredWorkshopIds(now: number): Promise<string[]> {
    return this.#statements.expiredWorkshopIds.all(now).map((row) => row.id);
  }

  async deleteWorkshop(workshopId: string): Promise<boolean> {
    const deleted = this.#db.transaction(() => {
      for (const statement of this.#statements.deleteWorkshopRows) statement.run(workshopId);
      return this.#statements.deleteWorkshop.run(workshopId).changes === 1;
    })();
    return deleted; // secure_delete has zeroed the rows in the pages, and there is no log keeping them
  }

  async close(): Promise<void> {
    if (this.#writes.length > 0) this.#commitWrites(); // what was asked for before closing is still written
    this.#db.close();
  }
}
