import { newBoxSecret } from '../domain/secrets.js';
import type { BoxStore } from '../store/Store.js';

/**
 * The secret of a box of anonymous records (a board's notes, a vote); with `create`, made on first use.
 * Undefined once the box is sealed.
 */
export async function boxSecret(store: BoxStore, workshopId: string, boxId: string, create: boolean): Promise<Buffer | undefined> {
  const secret = await store.boxSecret(boxId);
  if (secret || !create) return secret;
  await store.createBoxSecret(workshopId, boxId, newBoxSecret());
  return store.boxSecret(boxId);
}

/** For one batch of ballots: each box's secret is read (or made) once, however many ballots share it. */
export function onceEach(secret: (box: string) => Promise<Buffer | undefined>): (box: string) => Promise<Buffer | undefined> {
  const read = new Map<string, Promise<Buffer | undefined>>();
  return (box) => read.get(box) ?? read.set(box, secret(box)).get(box)!;
}
