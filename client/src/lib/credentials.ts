/**
 * What this browser remembers: a participant's random token per workshop (so a reload or a dropped
 * connection is the same participant) and a facilitator's keys. Plain http on a LAN address is not a secure
 * context, so tokens come from crypto.getRandomValues, which works there too.
 */
import { readStored as read, removeStored as remove, writeStored as write } from './browserStorage';
import { randomBase64Url } from './randomId';

export function participantToken(joinCode: string): string {
  const key = `roundtable:participant:${joinCode}`;
  let token = read(key);
  if (!token) write(key, (token = randomBase64Url(32)));
  return token;
}

export const hasChosenGroup = (joinCode: string) => read(`roundtable:onboarded:${joinCode}`) === '1';
export const rememberGroupChosen = (joinCode: string) => write(`roundtable:onboarded:${joinCode}`, '1');

type StoredKey = { key: string; role: 'facilitator' | 'cofacilitator' };

function storedKey(workshopId: string): StoredKey | null {
  try {
    return JSON.parse(read(`roundtable:facilitator:${workshopId}`) ?? 'null');
  } catch {
    return null;
  }
}

export const facilitatorKey = (workshopId: string) => storedKey(workshopId)?.key ?? null;

/**
 * Remembers a key once the server has confirmed what it is. A lead facilitator's key is never replaced by a
 * co-facilitator key (opening the co-facilitator link to test it must not demote its creator).
 */
export function rememberFacilitatorKey(workshopId: string, key: string, role: StoredKey['role']): void {
  if (role === 'cofacilitator' && storedKey(workshopId)?.role === 'facilitator') return;
  write(`roundtable:facilitator:${workshopId}`, JSON.stringify({ key, role }));
}

/** An owner's update key (docs/FOLLOWUP.md), kept so that the link works again without its fragment. */
export const ownerKey = (workshopId: string) => read(`roundtable:owner:${workshopId}`);
export const rememberOwnerKey = (workshopId: string, key: string) => write(`roundtable:owner:${workshopId}`, key);
export const forgetOwnerKey = (workshopId: string) => remove(`roundtable:owner:${workshopId}`);

/** Forgets the keys and links kept for a workshop that no longer exists (deleted or expired). */
export function forgetWorkshop(workshopId: string): void {
  remove(`roundtable:facilitator:${workshopId}`);
  remove(`roundtable:cofacilitate:${workshopId}`);
}

/** A projector's screen key (from the screen link), kept so that reloading the screen needs no link again. */
export const screenKey = (joinCode: string) => read(`roundtable:screen:${joinCode}`);
export const rememberScreenKey = (joinCode: string, key: string) => write(`roundtable:screen:${joinCode}`, key);
export const forgetScreenKey = (joinCode: string) => remove(`roundtable:screen:${joinCode}`);

export const coFacilitatorLink = (workshopId: string) => read(`roundtable:cofacilitate:${workshopId}`);
export const rememberCoFacilitatorLink = (workshopId: string, url: string) => write(`roundtable:cofacilitate:${workshopId}`, url);

/**
 * Takes the key out of a `#key=…` fragment and removes it from the address bar, so it does not show when
 * the facilitator's screen is projected or shared. Returns the key, if there was one.
 */
export function takeKeyFromLocation(): string | null {
  const match = /(?:^|[#&])key=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  return match[1]!;
}
