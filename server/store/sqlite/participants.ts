/** The embedded store's participants: a hash of each browser's token, a group, and whether they draft the plan. */
import type Database from 'better-sqlite3';
import { PARTICIPANT_COLUMNS, sqliteFlag, toParticipant, type ParticipantRow } from '../rows.js';
import type { ParticipantRecord, ParticipantStore } from '../Store.js';
import type { GroupCommit } from './GroupCommit.js';

export function sqliteParticipants(db: Database.Database, commit: GroupCommit): ParticipantStore {
  const statements = {
    insertParticipant: db.prepare<[string, string, string]>('INSERT INTO participants (workshop_id, token_hash, id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    participantByToken: db.prepare<[string, string], ParticipantRow>(
      `SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE workshop_id = ? AND token_hash = ?`,
    ),
    setParticipantGroup: db.prepare<[string | null, string, string]>('UPDATE participants SET group_id = ? WHERE workshop_id = ? AND id = ?'),
    setDrafter: db.prepare<[number, string | null, string, string]>('UPDATE participants SET drafter = ?, drafter_name = ? WHERE workshop_id = ? AND id = ?'),
    drafters: db.prepare<[string], { id: string; name: string }>(
      "SELECT id, coalesce(drafter_name, '') AS name FROM participants WHERE workshop_id = ? AND drafter = 1",
    ),
    groupCounts: db.prepare<[string], { group_id: string | null; n: number }>(
      'SELECT group_id, count(*) AS n FROM participants WHERE workshop_id = ? GROUP BY group_id',
    ),
  };

  return {
    async findParticipant(workshopId: string, tokenHash: string): Promise<ParticipantRecord | undefined> {
      const row = statements.participantByToken.get(workshopId, tokenHash);
      return row && toParticipant(row);
    },

    getOrCreateParticipant(workshopId: string, tokenHash: string, newId: string): Promise<ParticipantRecord> {
      return commit.write(() => {
        statements.insertParticipant.run(workshopId, tokenHash, newId);
        return toParticipant(statements.participantByToken.get(workshopId, tokenHash)!);
      });
    },

    async setParticipantGroup(workshopId: string, participantId: string, groupId: string | null): Promise<void> {
      statements.setParticipantGroup.run(groupId, workshopId, participantId);
    },

    async setDrafter(workshopId: string, participantId: string, drafter: { name: string } | null): Promise<void> {
      statements.setDrafter.run(sqliteFlag(drafter !== null), drafter?.name ?? null, workshopId, participantId);
    },

    async drafters(workshopId: string): Promise<{ id: string; name: string }[]> {
      return statements.drafters.all(workshopId);
    },

    async groupCounts(workshopId: string): Promise<Map<string | null, number>> {
      return new Map(statements.groupCounts.all(workshopId).map((row) => [row.group_id, row.n]));
    },
  };
}
