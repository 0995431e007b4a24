import type { CreateWorkshopInput, CreateWorkshopResponse } from '../../../shared/protocol/index.js';

class ApiError extends Error {}

async function post(path: string, payload: unknown): Promise<CreateWorkshopResponse> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const body = await response.json().catch(() => ({ message: response.statusText }));
  if (!response.ok) throw new ApiError(body.message ?? response.statusText);
  return body as CreateWorkshopResponse;
}

export const createWorkshop = (input: CreateWorkshopInput) => post('/api/workshops', input);

/** A new workshop from a JSON export or a template (see shared/templates). */
export const importWorkshop = (data: unknown) => post('/api/workshops/import', data);
