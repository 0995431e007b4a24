import { FOLLOW_UP_LIMITS } from '../../shared/protocol/followUp.js';
import type { CreateWorkshopResponse, WorkshopInfo, WorkshopUrls } from '../../shared/protocol/index.js';
import type { z } from 'zod';
import type { createWorkshopSchema } from '../../shared/protocol/schemas.js';
import type { WorkshopRecord } from './records.js';
import { emptyAgenda } from './agenda.js';
import { buildGroups } from './groups.js';
import { defaultGroupLabels } from '../../shared/defaultGroups.js';
import { catalogues } from '../../shared/i18n/catalogues.js';
import { timingSafeEqual } from 'node:crypto';
import { hashSecret, newJoinCode, newSecret, randomId, secretMatches } from './secrets.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The public follow-up page of an ended workshop: short, for a handout and its QR code. */
export const followUpLink = (baseUrl: string, publicCode: string): string => `${baseUrl}/f/${publicCode}`;

/** The facilitator console of a workshop, without its key. */
export const facilitateUrl = (baseUrl: string, workshopId: string): string => `${baseUrl}/facilitate/${workshopId}`;

/** Links for a workshop. Keys are appended as a `#key=` fragment by the caller that may know them. */
export function workshopUrls(baseUrl: string, workshop: { id: string; joinCode: string }): WorkshopUrls {
  return {
    join: `${baseUrl}/j/${workshop.joinCode}`,
    screen: `${baseUrl}/screen/${workshop.joinCode}`,
    facilitate: facilitateUrl(baseUrl, workshop.id),
  };
}

/** A link that carries a key in its fragment, which browsers never send to a server or put in a Referer. */
export const withKey = (url: string, key: string) => `${url}#key=${key}`;

/** The projector's link, with the key no screen connects without. */
export const screenLink = (baseUrl: string, record: WorkshopRecord) => withKey(workshopUrls(baseUrl, record).screen, record.screenKey);

/** Whether `key` is the workshop's screen key (compared in constant time; a workshop always has one). */
export const screenKeyMatches = (record: WorkshopRecord, key: string) => screenKeyHashMatches(record, hashSecret(key));

/** The same, for a key already hashed (kept on the socket). */
export function screenKeyHashMatches(record: WorkshopRecord, keyHash: string): boolean {
  const presented = Buffer.from(keyHash, 'hex');
  const current = Buffer.from(hashSecret(record.screenKey), 'hex');
  return record.screenKey !== '' && presented.length === current.length && timingSafeEqual(presented, current);
}

/** Whose key this is, if it is one of the workshop's facilitator keys (compared in constant time). */
export function facilitatorRole(record: WorkshopRecord, key: string): 'facilitator' | 'cofacilitator' | undefined {
  if (secretMatches(key, record.facilitatorKeyHash)) return 'facilitator';
  if (secretMatches(key, record.coFacilitatorKeyHash)) return 'cofacilitator';
  return undefined;
}

/** A new workshop record with fresh secrets, and the secrets themselves (shown once, never stored). */
export function newWorkshop(input: Omit<z.output<typeof createWorkshopSchema>, 'followUpDays'> & { followUpDays?: number }, now: number) {
  const facilitatorKey = newSecret();
  const coFacilitatorKey = newSecret();
  const record: WorkshopRecord = {
    id: randomId(),
    joinCode: newJoinCode(),
    title: input.title,
    language: input.language,
    groups: buildGroups(input.groups ?? defaultGroupLabels(catalogues[input.language], input.language), input.language),
    anonymityThreshold: input.anonymityThreshold,
    retentionDays: input.retentionDays,
    facilitatorKeyHash: hashSecret(facilitatorKey),
    coFacilitatorKeyHash: hashSecret(coFacilitatorKey),
    agenda: emptyAgenda(),
    createdAt: now,
    expiresAt: now + input.retentionDays * DAY_MS,
    locked: false,
    passphraseHash: null,
    screenKey: newSecret(),
    followUpDays: input.followUpDays ?? FOLLOW_UP_LIMITS.followUpDaysDefault,
    endedAt: null,
  };
  return { record, facilitatorKey, coFacilitatorKey };
}

export function createdResponse(baseUrl: string, record: WorkshopRecord, facilitatorKey: string, coFacilitatorKey: string): CreateWorkshopResponse {
  const urls = workshopUrls(baseUrl, record);
  return {
    id: record.id,
    joinCode: record.joinCode,
    facilitatorKey,
    coFacilitatorKey,
    urls: {
      ...urls,
      screen: screenLink(baseUrl, record),
      facilitate: withKey(urls.facilitate, facilitatorKey),
      coFacilitate: withKey(urls.facilitate, coFacilitatorKey),
    },
  };
}

/**
 * The workshop as every client sees it. The screen link is without its key, which opens nothing: the key goes
 * only to a facilitator who asks (`access:screenLink`), never into a broadcast, which several nodes carry
 * through Redis's stream.
 */
export function workshopInfo(baseUrl: string, record: WorkshopRecord): WorkshopInfo {
  return {
    id: record.id,
    title: record.title,
    language: record.language,
    joinCode: record.joinCode,
    groups: record.groups,
    anonymityThreshold: record.anonymityThreshold,
    urls: workshopUrls(baseUrl, record),
    locked: record.locked,
    passphraseSet: record.passphraseHash !== null,
  };
}
