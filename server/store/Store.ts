/**
 * Persistence behind one small interface. SQLite is the embedded default; a PostgreSQL store will satisfy
 * the same contract (tests/integration/storeContract.test.ts runs the same checks against every store).
 * Every method resolves only once the write is durable, so callers may acknowledge after awaiting it.
 */
import type { Agenda, Language, StakeholderGroup } from '../../shared/protocol/index.js';

export type WorkshopRecord = {
  id: string;
  joinCode: string;
  title: string;
  language: Language;
  groups: StakeholderGroup[];
  anonymityThreshold: number;
  retentionDays: number;
  facilitatorKeyHash: string;
  coFacilitatorKeyHash: string;
  agenda: Agenda;
  createdAt: number;
  expiresAt: number;
};

/** A participant as stored: no name, no address, no device — a hash of the browser's token and a group. */
export type ParticipantRecord = { id: string; workshopId: string; groupId: string | null };

export interface Store {
  ping(): Promise<void>;
  /** Fails with `'join_code_taken'` when another live workshop already has the code. */
  createWorkshop(record: WorkshopRecord): Promise<'ok' | 'join_code_taken'>;
  getWorkshop(id: string): Promise<WorkshopRecord | undefined>;
  findWorkshopIdByJoinCode(joinCode: string): Promise<string | undefined>;
  /** Writes the agenda if the stored version is still `expectedVersion`; returns false if someone else wrote first. */
  saveAgenda(workshopId: string, agenda: Agenda, expectedVersion: number): Promise<boolean>;
  setCoFacilitatorKeyHash(workshopId: string, hash: string): Promise<void>;
  /** The participant holding this token hash, created with `newId` on first sight. */
  getOrCreateParticipant(workshopId: string, tokenHash: string, newId: string): Promise<ParticipantRecord>;
  setParticipantGroup(workshopId: string, participantId: string, groupId: string | null): Promise<void>;
  /** Appends one Yjs update to a document's log; resolves with its sequence number once durable. */
  appendDocUpdate(workshopId: string, docName: string, update: Uint8Array): Promise<number>;
  loadDocUpdates(workshopId: string, docName: string): Promise<Uint8Array[]>;
  /** Replaces every logged update up to `throughSeq` with `state` (which contains them all). */
  compactDocUpdates(workshopId: string, docName: string, state: Uint8Array, throughSeq: number): Promise<void>;
  close(): Promise<void>;
}
