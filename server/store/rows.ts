/**
 * The `workshops` and `participants` rows of both stores, and the one mapping between them and the records.
 * The schemas type three kinds of column differently: SQLite (STRICT tables) has JSON as text, times as
 * integers and flags as 0 or 1; PostgreSQL returns jsonb parsed, bigint as text and booleans.
 */
import type { Agenda } from '../../shared/protocol/index.js';
import type { ParticipantRecord, WorkshopRecord, WorkshopSummary } from './Store.js';

export type WorkshopRow = {
  id: string;
  join_code: string;
  title: string;
  language: WorkshopRecord['language'];
  groups_json: string | WorkshopRecord['groups'];
  anonymity_threshold: number;
  retention_days: number;
  facilitator_key_hash: string;
  cofacilitator_key_hash: string;
  agenda_json: string | Agenda;
  created_at: number | string;
  expires_at: number | string;
  locked: number | boolean;
  passphrase_hash: string | null;
  screen_key: string;
  followup_days: number;
  ended_at: number | string | null;
};

export type ParticipantRow = { id: string; workshop_id: string; group_id: string | null; drafter: number | boolean; drafter_name: string | null };

/** How each store binds a flag: SQLite binds no booleans (0 or 1), PostgreSQL takes them as they are. */
export type FlagParam = (value: boolean) => number | boolean;
export const sqliteFlag = (value: boolean): number => (value ? 1 : 0);
export const postgresFlag = (value: boolean): boolean => value;

/** A JSON column: text in SQLite; in PostgreSQL already parsed (never a string: the values are arrays and objects). */
const fromJson = <T>(value: string | T): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

const isSet = (flag: number | boolean): boolean => flag === true || flag === 1;

/** The columns a new workshop is written with, in the order of `workshopValues`. */
export const WORKSHOP_COLUMNS = [
  'id',
  'join_code',
  'title',
  'language',
  'groups_json',
  'anonymity_threshold',
  'retention_days',
  'facilitator_key_hash',
  'cofacilitator_key_hash',
  'agenda_json',
  'agenda_version',
  'created_at',
  'expires_at',
  'locked',
  'passphrase_hash',
  'screen_key',
  'followup_days',
  'ended_at',
] as const;

export function workshopValues(record: WorkshopRecord, flag: FlagParam): unknown[] {
  return [
    record.id,
    record.joinCode,
    record.title,
    record.language,
    JSON.stringify(record.groups),
    record.anonymityThreshold,
    record.retentionDays,
    record.facilitatorKeyHash,
    record.coFacilitatorKeyHash,
    JSON.stringify(record.agenda),
    record.agenda.version,
    record.createdAt,
    record.expiresAt,
    flag(record.locked),
    record.passphraseHash,
    record.screenKey,
    record.followUpDays,
    record.endedAt,
  ];
}

export const toWorkshop = (row: WorkshopRow): WorkshopRecord => ({
  id: row.id,
  joinCode: row.join_code,
  title: row.title,
  language: row.language,
  groups: fromJson(row.groups_json),
  anonymityThreshold: row.anonymity_threshold,
  retentionDays: row.retention_days,
  facilitatorKeyHash: row.facilitator_key_hash,
  coFacilitatorKeyHash: row.cofacilitator_key_hash,
  agenda: fromJson(row.agenda_json),
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  locked: isSet(row.locked),
  passphraseHash: row.passphrase_hash,
  screenKey: row.screen_key,
  followUpDays: row.followup_days,
  endedAt: row.ended_at === null ? null : Number(row.ended_at),
});

/** A row of `workshopSummaries`' query: the workshop's dates and the bytes of what it stored (bigint on PostgreSQL). */
export type SummaryRow = Pick<WorkshopRow, 'id' | 'title' | 'created_at' | 'expires_at' | 'retention_days' | 'ended_at' | 'followup_days'> & {
  bytes: number | string;
};

export const toSummary = (row: SummaryRow): WorkshopSummary => ({
  id: row.id,
  title: row.title,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  retentionDays: row.retention_days,
  endedAt: row.ended_at === null ? null : Number(row.ended_at),
  followUpDays: row.followup_days,
  bytes: Number(row.bytes),
});

export const PARTICIPANT_COLUMNS = 'id, workshop_id, group_id, drafter, drafter_name';

export const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  id: row.id,
  workshopId: row.workshop_id,
  groupId: row.group_id,
  drafter: isSet(row.drafter),
  drafterName: row.drafter_name ?? '',
});
