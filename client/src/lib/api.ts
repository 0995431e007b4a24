import type { CreateWorkshopInput, CreateWorkshopResponse } from '../../../shared/protocol/index.js';

export class ApiError extends Error {}

export async function createWorkshop(input: CreateWorkshopInput): Promise<CreateWorkshopResponse> {
  const response = await fetch('/api/workshops', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = await response.json().catch(() => ({ message: response.statusText }));
  if (!response.ok) throw new ApiError(body.message ?? response.statusText);
  return body as CreateWorkshopResponse;
}
