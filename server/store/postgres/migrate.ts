/** Applies the PostgreSQL store's pending migrations at start-up, one node at a time. */
import type pg from 'pg';
import { MIGRATIONS } from './migrations.js';

/** Key of the advisory lock that makes nodes starting together migrate one after the other. */
const MIGRATION_LOCK = 0x52_54_4d_47; // "RTMG"

/**
 * Runs every migration not yet recorded in `schema_migrations`, all in one transaction (PostgreSQL's DDL is
 * transactional: a failed migration leaves the schema as it was). Refuses a database migrated by a newer
 * Roundtable, whose schema this code does not know.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    // Looked up first: CREATE TABLE IF NOT EXISTS needs the right to create even when the table exists.
    const { rows: existing } = await client.query<{ found: string | null }>("SELECT to_regclass('schema_migrations')::text AS found");
    if (!existing[0]?.found) {
      await client.query(`CREATE TABLE schema_migrations (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    }
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const applied = rows[0]?.version ?? 0;
    if (applied > MIGRATIONS.length) {
      throw new Error(`the database's schema is at version ${applied}, newer than this Roundtable knows (${MIGRATIONS.length}): upgrade Roundtable`);
    }
    for (let version = applied; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
