import { hashSecret } from '../domain/secrets.js';
import type { ClientData } from '../rooms/ports.js';
import type { ParticipantStore } from '../store/Store.js';

/**
 * A client's data as the store has it now. What a proxy node learnt at the handshake goes stale as the owner
 * changes it (a group chosen, drafting allowed), so a node that starts serving a client it did not serve until
 * now — the owner for another node's client, a proxy taking the workshop over — reads it again.
 * Undefined if the participant is gone (the workshop was deleted).
 */
export async function freshClientData(store: ParticipantStore, data: ClientData): Promise<ClientData | undefined> {
  if (data.role !== 'participant') return data;
  const participant = await store.findParticipant(data.workshopId, hashSecret(data.token ?? ''));
  if (!participant) return undefined;
  return { ...data, participantId: participant.id, groupId: participant.groupId, drafter: participant.drafter, drafterName: participant.drafterName };
}
