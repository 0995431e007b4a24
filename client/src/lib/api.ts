import type { CreateWorkshopInput, CreateWorkshopResponse, PolisImportInput } from '$shared/protocol/index.js';
import type { CommitmentUpdate, FollowUpView, Lessons, OwnerView } from '$shared/protocol/followUp.js';
import type { CommitmentUpdateInput, PulseOpenInput } from '$shared/protocol/schemas.js';

/** A refusal from the server: its message, and the HTTP status (401: the key is not valid any more). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

/** The organiser key, on a server that sets CREATE_KEY: sent in a header, never in the URL. */
async function post(path: string, payload: unknown, organiserKey?: string): Promise<CreateWorkshopResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (organiserKey) headers.authorization = `Bearer ${organiserKey}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(payload) });
  const body = await response.json().catch(() => ({ message: response.statusText }));
  if (!response.ok) throw new ApiError(body.message ?? response.statusText);
  return body as CreateWorkshopResponse;
}

export const createWorkshop = (input: CreateWorkshopInput, organiserKey?: string) => post('/api/workshops', input, organiserKey);

/** A new workshop from a JSON export or a template (see shared/templates). */
export const importWorkshop = (data: unknown, organiserKey?: string) => post('/api/workshops/import', data, organiserKey);

/** Whether this server asks for an organiser key before creating a workshop. */
export async function serverSettings(): Promise<{ createKeyRequired: boolean }> {
  const response = await fetch('/api/settings');
  return response.ok ? response.json() : { createKeyRequired: false };
}

/**
 * Deletes a workshop and everything in it, for everyone (lead facilitator only). The key goes in a header,
 * never in the URL. A workshop that is already gone counts as deleted.
 */
export async function deleteWorkshop(workshopId: string, facilitatorKey: string): Promise<void> {
  const response = await fetch(`/api/workshops/${encodeURIComponent(workshopId)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${facilitatorKey}` },
  });
  if (response.ok || response.status === 404) return;
  const body = await response.json().catch(() => ({ message: response.statusText }));
  throw new ApiError(body.message ?? response.statusText);
}

/** Adds a Pol.is conversation (its two open-data CSV files) to the agenda as a closed statements activity. */
export const importPolis = (workshopId: string, facilitatorKey: string, input: PolisImportInput) =>
  withKey<{ activityId: string }>(`${workshopPath(workshopId)}/import/polis`, facilitatorKey, { method: 'POST', body: input });

/**
 * A call to the API with a key as a bearer key (a facilitator's or an owner's); resolves with the JSON
 * answer (`undefined` for 204), rejects with the server's message. Several nodes: a 503 with Retry-After is
 * tried again, as another try may land on the node that runs the workshop.
 */
async function withKey<T>(path: string, key: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${key}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (response.status === 503 && response.headers.has('retry-after') && attempt < 8) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (response.status === 204) return undefined as T;
    const body = await response.json().catch(() => ({ message: response.statusText }));
    if (!response.ok) throw new ApiError(body.message ?? response.statusText, response.status);
    return body as T;
  }
}

const workshopPath = (workshopId: string) => `/api/workshops/${encodeURIComponent(workshopId)}`;

/** Ends the workshop (lead facilitator): docs/FOLLOWUP.md. */
export const endWorkshop = (workshopId: string, key: string, followUpDays: number) =>
  withKey<FollowUpView>(`${workshopPath(workshopId)}/end`, key, { method: 'POST', body: { followUpDays } });
export const followUp = (workshopId: string, key: string) => withKey<FollowUpView>(`${workshopPath(workshopId)}/followup`, key);
export const newOwnerLink = (workshopId: string, key: string, ownerId: string) =>
  withKey<{ url: string }>(`${workshopPath(workshopId)}/followup/owners/${encodeURIComponent(ownerId)}/link`, key, { method: 'POST' });
export const saveLessons = (workshopId: string, key: string, lessons: Lessons) =>
  withKey<void>(`${workshopPath(workshopId)}/followup/lessons`, key, { method: 'PUT', body: lessons });
export const openPulse = (workshopId: string, key: string, input: PulseOpenInput) =>
  withKey<{ pulseId: string }>(`${workshopPath(workshopId)}/followup/pulses`, key, { method: 'POST', body: input });
export const closePulse = (workshopId: string, key: string, pulseId: string) =>
  withKey<void>(`${workshopPath(workshopId)}/followup/pulses/${encodeURIComponent(pulseId)}/close`, key, { method: 'POST' });

/** An owner's update link opens their commitments; they post updates with it. */
export const ownerView = (workshopId: string, ownerKey: string) => withKey<OwnerView>(`/api/followup/${encodeURIComponent(workshopId)}/owner`, ownerKey);
export const postUpdate = (workshopId: string, ownerKey: string, update: CommitmentUpdateInput) =>
  withKey<CommitmentUpdate>(`/api/followup/${encodeURIComponent(workshopId)}/updates`, ownerKey, { method: 'POST', body: update });
