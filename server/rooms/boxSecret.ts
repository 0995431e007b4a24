import { newBoxSecret } from '../domain/secrets.js';
import type { Store } from '../store/Store.js';

/**
 * The secret of a box of anonymous records (a board's notes, a vote); with `create`, made on first use.
 * Undefined once the box is sealed.
 */
export async function boxSecret(store: Store, workshopId: string, boxId: string, create: boolean): Promise<Buffer | undefined> {
  const secret = await store.boxSecret(boxId);
  if (secret || !create) return secret;
  await store.createBoxSecret(workshopId, boxId, newBoxSecret());
  return store.boxSecret(boxId);
}
