/** Schema migrations, applied in order at start-up. Append; never edit one that has shipped. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE workshops (
     id TEXT PRIMARY KEY,
     join_code TEXT NOT NULL UNIQUE,
     title TEXT NOT NULL,
     language TEXT NOT NULL,
     groups_json TEXT NOT NULL,
     anonymity_threshold INTEGER NOT NULL,
     retention_days INTEGER NOT NULL,
     facilitator_key_hash TEXT NOT NULL,
     cofacilitator_key_hash TEXT NOT NULL,
     agenda_json TEXT NOT NULL,
     agenda_version INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE participants (
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     token_hash TEXT NOT NULL,
     id TEXT NOT NULL UNIQUE,
     group_id TEXT,
     PRIMARY KEY (workshop_id, token_hash)
   ) STRICT;`,
  `CREATE TABLE doc_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     doc_name TEXT NOT NULL,
     data BLOB NOT NULL
   ) STRICT;
   CREATE INDEX doc_updates_by_doc ON doc_updates (workshop_id, doc_name, seq);`,
  // Anonymity by construction (docs/ANONYMITY.md). Tags are HMACs, under a per-board secret, of the participant's
  // token — which the server never stores — so a copy of the database cannot tie them to anyone. A note's
  // owner tag also covers the note id, so one person's notes do not share a tag. Locking a board deletes
  // the owners, the counts and the secret; closing a vote deletes the voter records and the secret.
  // Ballots never name a voter and, in WITHOUT ROWID tables keyed by a random id, are not stored in the
  // order they were cast.
  `CREATE TABLE box_secrets (
     box_id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     secret BLOB NOT NULL
   ) STRICT;
   CREATE TABLE note_owners (
     box_id TEXT NOT NULL,
     note_id TEXT NOT NULL,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     owner_tag TEXT NOT NULL,
     PRIMARY KEY (box_id, note_id)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE note_counts (
     box_id TEXT NOT NULL,
     person_tag TEXT NOT NULL,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     notes INTEGER NOT NULL,
     PRIMARY KEY (box_id, person_tag)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE ballots (
     id TEXT PRIMARY KEY,
     box_id TEXT NOT NULL,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     payload TEXT NOT NULL
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX ballots_by_box ON ballots (box_id);
   CREATE TABLE voters (
     box_id TEXT NOT NULL,
     voter_tag TEXT NOT NULL,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     ballot_id TEXT NOT NULL,
     PRIMARY KEY (box_id, voter_tag)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE hidden_notes (
     board_id TEXT NOT NULL,
     note_id TEXT NOT NULL,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     text TEXT NOT NULL,
     color TEXT NOT NULL,
     PRIMARY KEY (board_id, note_id)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE activity_results (
     activity_id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     result TEXT NOT NULL
   ) STRICT;`,
  `CREATE TABLE hidden_ballots (
     ballot_id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE paper_tallies (
     box_id TEXT PRIMARY KEY,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     payload TEXT NOT NULL
   ) STRICT;`,
  `ALTER TABLE participants ADD COLUMN drafter INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE participants ADD COLUMN drafter_name TEXT;`,
  `ALTER TABLE workshops ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE workshops ADD COLUMN passphrase_hash TEXT;`,
  // A per-person note counter changed with each of a person's notes, so successive copies of the file (or
  // the write-ahead log this store no longer keeps) tied their notes together. The limit is now counted from
  // the per-note owner tags.
  `DROP TABLE note_counts;`,
  // Screens need a key of their own (docs/SECURITY.md); workshops made before get one now.
  `ALTER TABLE workshops ADD COLUMN screen_key TEXT NOT NULL DEFAULT '';
   UPDATE workshops SET screen_key = lower(hex(randomblob(16)));`,
  // Ending a workshop (docs/FOLLOWUP.md): the follow-up record and its owners' updates.
  `ALTER TABLE workshops ADD COLUMN followup_days INTEGER NOT NULL DEFAULT 730;
   ALTER TABLE workshops ADD COLUMN ended_at INTEGER;
   CREATE TABLE followups (
     workshop_id TEXT PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
     public_code TEXT NOT NULL UNIQUE,
     record TEXT NOT NULL,
     version INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE followup_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     posted_at INTEGER NOT NULL,
     update_json TEXT NOT NULL
   ) STRICT;
   CREATE INDEX followup_updates_by_workshop ON followup_updates (workshop_id, seq);`,
];
