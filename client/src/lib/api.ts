import type { CreateWorkshopInput, CreateWorkshopResponse, PolisImportInput } from '$shared/protocol/index.js';

class ApiError extends Error {}

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
export async function importPolis(workshopId: string, facilitatorKey: string, input: PolisImportInput): Promise<{ activityId: string }> {
  // Several nodes: a node that does not run the workshop answers 503 with Retry-After; another try may land on one that does.
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`/api/workshops/${encodeURIComponent(workshopId)}/import/polis`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${facilitatorKey}` },
      body: JSON.stringify(input),
    });
    if (response.status === 503 && response.headers.has('retry-after') && attempt < 8) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    const body = await response.json().catch(() => ({ message: response.statusText }));
    if (!response.ok) throw new ApiError(body.message ?? response.statusText);
    return body;
  }
}
