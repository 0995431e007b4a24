import * as Y from 'yjs';

/**
 * Whether `update` holds nothing `doc` lacks: no item it does not have, no deletion it has not made. A
 * reconnecting writer's step 2 is such an update (its whole delete set, nothing new), and storing it would
 * grow the log on every reconnection.
 */
export function addsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)));
  if (structs.length > 0) return false;
  if (ds.clients.size === 0) return true;
  const deleted = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (let at = clock; at < clock + len; at++) if (!Y.isDeleted(deleted, Y.createID(client, at))) return false;
    }
  }
  return true;
}
