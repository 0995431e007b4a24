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
import { ComposedStore } from '../ComposedStore.js';
import { GroupCommit } from './GroupCommit.js';
import { MIGRATIONS } from './migrations.js';
import { sqliteActivityRecords } from './activityRecords.js';
import { sqliteBoxes } from './boxes.js';
import { sqliteDocs } from './docs.js';
import { sqliteFollowUps } from './followUps.js';
import { sqliteParticipants } from './participants.js';
import { sqliteWorkshops } from './workshops.js';

export { WORKSHOP_TABLES } from '../tables.js';

/** The database file inside the data folder. */
export const DATABASE_FILE = 'roundtable.sqlite';

export class SqliteStore extends ComposedStore {
  override readonly mergesDocUpdates = false;
  readonly #db: Database.Database;
  readonly #commit: GroupCommit;

  /** @param dataDir folder for `roundtable.sqlite`, created if missing. */
  constructor(dataDir: string) {
    const db = openDatabase(dataDir);
    const commit = new GroupCommit(db);
    super({
      workshops: sqliteWorkshops(db),
      participants: sqliteParticipants(db, commit),
      docs: sqliteDocs(db, commit),
      boxes: sqliteBoxes(db, commit),
      activityRecords: sqliteActivityRecords(db),
      followUps: sqliteFollowUps(db),
    });
    this.#db = db;
    this.#commit = commit;
  }

  override async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  override async close(): Promise<void> {
    this.#commit.commit(); // what was asked for before closing is still written
    this.#db.close();
  }
}

/** Opens (and creates or migrates) the database of `dataDir`, set up as the header comment says. */
function openDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  // Also turns a data folder of an earlier version out of WAL. SQLite keeps WAL, silently, while another
  // connection (a backup still running) has the file open: then refuse to start rather than keep a log.
  const mode = db.pragma('journal_mode = DELETE', { simple: true });
  if (mode !== 'delete') {
    db.close();
    throw new Error(`could not leave write-ahead logging for ${DATABASE_FILE} (still "${String(mode)}"): is another program using the data folder?`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted rows (voter tags, note owners, secrets, replaced answers, compacted-out note text) are
  // overwritten with zeros, not merely unlinked: sealing a box must leave nothing in the file to recover.
  db.pragma('secure_delete = ON');
  migrate(db);
  // A write at once (the header's schema version, unchanged), so that a file that cannot be written — a
  // read-only disk or file — stops the start, rather than every later write.
  db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
  return db;
}

function migrate(db: Database.Database): void {
  const applied = db.pragma('user_version', { simple: true }) as number;
  // Written by a newer version (rolled back without restoring): its tables may mean what this one does not know.
  if (applied > MIGRATIONS.length) {
    db.close();
    throw new Error(
      `${DATABASE_FILE} was written by a newer Roundtable (schema ${applied}; this one knows ${MIGRATIONS.length}): upgrade Roundtable, or restore a backup made by this version`,
    );
  }
  for (let version = applied; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
