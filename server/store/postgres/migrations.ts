/**
 * Schema migrations of the PostgreSQL store, applied in order at start-up and recorded in `schema_migrations`.
 * Append; never edit one that has shipped. The first one is the SQLite schema as it stands after its own
 * migrations (server/store/sqlite/migrations.ts), in PostgreSQL's types: `bytea` for Yjs updates and secrets,
 * `bigint` for milliseconds since the epoch, `boolean` for flags, `json` (kept verbatim, unlike `jsonb`) for
 * documents the server writes whole and reads whole. A later change to the logical schema goes into both files.
 *
 * The anonymity notes of the SQLite schema hold here too, with one difference PostgreSQL imposes: a heap table
 * keeps rows in the order they were written and stamps each with its transaction id (`xmin`), so ballots are
 * not stored in random order while a vote is open. Sealing the vote rewrites its ballots in one transaction,
 * in the order of their random ids (see PostgresStore.sealBox).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE workshops (
     id text PRIMARY KEY,
     join_code text NOT NULL UNIQUE,
     title text NOT NULL,
     language text NOT NULL,
     groups_json json NOT NULL,
     anonymity_threshold integer NOT NULL,
     retention_days integer NOT NULL,
     facilitator_key_hash text NOT NULL,
     cofacilitator_key_hash text NOT NULL,
     agenda_json json NOT NULL,
     agenda_version integer NOT NULL,
     created_at bigint NOT NULL,
     expires_at bigint NOT NULL,
     locked boolean NOT NULL DEFAULT false,
     passphrase_hash text
   );
   CREATE INDEX workshops_by_expiry ON workshops (expires_at);
   CREATE TABLE participants (
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     token_hash text NOT NULL,
     id text NOT NULL UNIQUE,
     group_id text,
     drafter boolean NOT NULL DEFAULT false,
     drafter_name text,
     PRIMARY KEY (workshop_id, token_hash)
   );
   CREATE TABLE doc_updates (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     doc_name text NOT NULL,
     data bytea NOT NULL
   );
   CREATE INDEX doc_updates_by_doc ON doc_updates (workshop_id, doc_name, seq);
   CREATE TABLE box_secrets (
     box_id text PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     secret bytea NOT NULL
   );
   CREATE INDEX box_secrets_by_workshop ON box_secrets (workshop_id);
   CREATE TABLE note_owners (
     box_id text NOT NULL,
     note_id text NOT NULL,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     owner_tag text NOT NULL,
     PRIMARY KEY (box_id, note_id)
   );
   CREATE INDEX note_owners_by_workshop ON note_owners (workshop_id);
   CREATE TABLE note_counts (
     box_id text NOT NULL,
     person_tag text NOT NULL,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     notes integer NOT NULL,
     PRIMARY KEY (box_id, person_tag)
   );
   CREATE INDEX note_counts_by_workshop ON note_counts (workshop_id);
   CREATE TABLE ballots (
     id text PRIMARY KEY,
     box_id text NOT NULL,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     payload text NOT NULL
   );
   CREATE INDEX ballots_by_box ON ballots (box_id, id);
   CREATE INDEX ballots_by_workshop ON ballots (workshop_id);
   CREATE TABLE voters (
     box_id text NOT NULL,
     voter_tag text NOT NULL,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     ballot_id text NOT NULL,
     PRIMARY KEY (box_id, voter_tag)
   );
   CREATE INDEX voters_by_workshop ON voters (workshop_id);
   CREATE TABLE hidden_notes (
     board_id text NOT NULL,
     note_id text NOT NULL,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     text text NOT NULL,
     color text NOT NULL,
     PRIMARY KEY (board_id, note_id)
   );
   CREATE INDEX hidden_notes_by_workshop ON hidden_notes (workshop_id);
   CREATE TABLE activity_results (
     activity_id text PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     result json NOT NULL
   );
   CREATE INDEX activity_results_by_workshop ON activity_results (workshop_id);
   CREATE TABLE hidden_ballots (
     ballot_id text PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE
   );
   CREATE INDEX hidden_ballots_by_workshop ON hidden_ballots (workshop_id);
   CREATE TABLE paper_tallies (
     box_id text PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     payload text NOT NULL
   );
   CREATE INDEX paper_tallies_by_workshop ON paper_tallies (workshop_id);`,
  // As in the SQLite store: no per-person note counter, whose updates shared each note's transaction.
  `DROP TABLE note_counts;`,
  `ALTER TABLE workshops ADD COLUMN screen_key text NOT NULL DEFAULT '';
   UPDATE workshops SET screen_key = replace(gen_random_uuid()::text, '-', '');`,
  `ALTER TABLE workshops ADD COLUMN followup_days integer NOT NULL DEFAULT 730;
   ALTER TABLE workshops ADD COLUMN ended_at bigint;
   CREATE TABLE followups (
     workshop_id text PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
     public_code text NOT NULL UNIQUE,
     record json NOT NULL,
     version integer NOT NULL
   );
   CREATE TABLE followup_updates (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     workshop_id text NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     posted_at bigint NOT NULL,
     update_json json NOT NULL
   );
   CREATE INDEX followup_updates_by_workshop ON followup_updates (workshop_id, seq);`,
];
