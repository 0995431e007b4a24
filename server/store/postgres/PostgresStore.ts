/**
 * The store for deployments beyond one machine (`DATABASE_URL=postgres://…`): several server nodes may share one
 * database. Same contract as the SQLite store: every method resolves once its write is committed with
 * `synchronous_commit = on` (flushed to the server's disk, and to synchronous standbys if there are any).
 * Anything that deletes what ties a person to their notes or ballots, or a whole workshop, is followed by a
 * VACUUM before it resolves (TableScrubber): PostgreSQL's counterpart of SQLite's secure_delete, with limits
 * stated in docs/DEPLOYMENT.md.
 */
import pg from 'pg';
import type { Logger } from '../../log.js';
import { ComposedStore } from '../ComposedStore.js';
import type { DocUpdateMerging } from '../Store.js';
import { WORKSHOP_TABLES } from '../tables.js';
import { migrate } from './migrate.js';
import { OpenBallots } from './OpenBallots.js';
import { postgresActivityRecords } from './activityRecords.js';
import { postgresBoxes } from './boxes.js';
import { postgresDocs } from './docs.js';
import { postgresFollowUps } from './followUps.js';
import { postgresParticipants } from './participants.js';
import { PostgresPool } from './PostgresPool.js';
import { postgresWorkshops } from './workshops.js';
import { TableScrubber } from './TableScrubber.js';

export { WORKSHOP_TABLES } from '../tables.js';

export type PostgresStoreOptions = {
  /** SEAL_KEY: open votes' ballots are sealed with it (OpenBallots); every node must have the same. */
  sealKey: string;
  /** Where to report a pooled connection the server dropped while idle (the pool replaces it). */
  log?: Logger;
  /** Connections per node (default 10). */
  poolSize?: number;
};

export class PostgresStore extends ComposedStore implements DocUpdateMerging {
  override readonly mergesDocUpdates = true;
  readonly #db: PostgresPool;
  readonly #scrubber: TableScrubber;
  readonly #openBallots: OpenBallots;
  /** The docs part's, made the store's own by ComposedStore (declared only: a field here would reset it). */
  declare readonly mergeDocUpdates: DocUpdateMerging['mergeDocUpdates'];
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
    const db = new PostgresPool(pool);
    const scrubber = new TableScrubber(pool, (error) => log?.warn('postgres: a VACUUM owed after a deletion failed; trying again', { error: String(error) }));
    super({
      workshops: postgresWorkshops(db, scrubber),
      participants: postgresParticipants(db),
      docs: postgresDocs(db, scrubber),
      boxes: postgresBoxes(db, scrubber, openBallots),
      activityRecords: postgresActivityRecords(db),
      followUps: postgresFollowUps(db, scrubber),
    });
    this.#db = db;
    this.#scrubber = scrubber;
    this.#openBallots = openBallots;
  }

  /** Refuses to start with a key that cannot open the open votes already stored: their tallies would fail. */
  async #checkSealKey(): Promise<void> {
    const [row] = await this.#db.rows<{ id: string; payload: string }>("SELECT id, payload FROM ballots WHERE payload LIKE 'sealed:%' LIMIT 1");
    if (row) this.#openBallots.open(row.id, row.payload);
  }

  override async ping(): Promise<void> {
    await this.#db.pool.query('SELECT 1');
  }

  override async close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#scrubber.settle();
      await this.#db.pool.end();
    })();
    return this.#closed;
  }
}
