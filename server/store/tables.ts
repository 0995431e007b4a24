/**
 * Every table besides `workshops` that holds a workshop's records, each with a `workshop_id` column, in the one
 * order in which every transaction of the PostgreSQL store touches them (voters before ballots, as a ballot is
 * cast; hidden answers before ballots…), so that two transactions never wait for each other's rows in a cycle.
 * Both stores' `deleteWorkshop` empties them explicitly, in this order (SQLite's foreign keys would cascade too);
 * tests check that neither schema has another table, so a new migration cannot leave a workshop's data behind
 * unnoticed.
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
  'followups',
  'followup_updates',
] as const;

/**
 * What could tie anything to a person, emptied when a workshop ends (docs/FOLLOWUP.md): participants (token
 * hashes, groups, drafters' names), every tag and secret, every ballot (their counts are kept as results), hidden
 * notes and answers (never shown to the room). `doc_updates` is rewritten, not emptied.
 */
export const PERSON_TABLES = ['participants', 'voters', 'note_owners', 'box_secrets', 'hidden_ballots', 'ballots', 'paper_tallies', 'hidden_notes'] as const;

/** The tables a sealed box's tags and secret lived in, in the order above. */
export const TAG_TABLES = ['voters', 'note_owners', 'box_secrets'] as const;
