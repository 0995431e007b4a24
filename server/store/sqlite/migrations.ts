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
];
