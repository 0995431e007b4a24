/** The PostgreSQL store's participants: a hash of each browser's token, a group, and whether they draft the plan. */
import { PARTICIPANT_COLUMNS, toParticipant, type ParticipantRow } from '../rows.js';
import type { ParticipantRecord, ParticipantStore } from '../Store.js';
import type { PostgresPool } from './PostgresPool.js';

export function postgresParticipants(db: PostgresPool): ParticipantStore {
  const findParticipant = async (workshopId: string, tokenHash: string): Promise<ParticipantRecord | undefined> => {
    const sql = `SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE workshop_id = $1 AND token_hash = $2`;
    const [row] = await db.rows<ParticipantRow>(sql, [workshopId, tokenHash]);
    return row && toParticipant(row);
  };

  return {
    findParticipant,

    async getOrCreateParticipant(workshopId: string, tokenHash: string, newId: string): Promise<ParticipantRecord> {
      await db.run('INSERT INTO participants (workshop_id, token_hash, id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [workshopId, tokenHash, newId]);
      const participant = await findParticipant(workshopId, tokenHash);
      if (!participant) throw new Error('participant not stored');
      return participant;
    },

    async setParticipantGroup(workshopId: string, participantId: string, groupId: string | null): Promise<void> {
      await db.run('UPDATE participants SET group_id = $1 WHERE workshop_id = $2 AND id = $3', [groupId, workshopId, participantId]);
    },

    async setDrafter(workshopId: string, participantId: string, drafter: { name: string } | null): Promise<void> {
      const sql = 'UPDATE participants SET drafter = $1, drafter_name = $2 WHERE workshop_id = $3 AND id = $4';
      await db.run(sql, [drafter !== null, drafter?.name ?? null, workshopId, participantId]);
    },

    async drafters(workshopId: string): Promise<{ id: string; name: string }[]> {
      const sql = "SELECT id, coalesce(drafter_name, '') AS name FROM participants WHERE workshop_id = $1 AND drafter";
      return db.rows(sql, [workshopId]);
    },

    async groupCounts(workshopId: string): Promise<Map<string | null, number>> {
      const sql = 'SELECT group_id, count(*)::int AS n FROM participants WHERE workshop_id = $1 GROUP BY group_id';
      const rows = await db.rows<{ group_id: string | null; n: number }>(sql, [workshopId]);
      return new Map(rows.map((row) => [row.group_id, row.n]));
    },
  };
}
