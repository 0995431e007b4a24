/**
 * A document's content as one update written by one new Yjs client, with no history. A log of updates (even
 * compacted by Yjs's own merge) keeps every item's client id and clock and the structure of deleted items: who
 * wrote which notes in one sitting, in what order, and what was typed and removed. Ending a workshop keeps only
 * the final content (docs/FOLLOWUP.md), so the content is copied, value by value, into a fresh document.
 */
import * as Y from 'yjs';

export type DocRoots = { readonly texts: readonly string[]; readonly arrays: readonly string[]; readonly maps: readonly string[] };

/** A copy of a nested value, not yet part of any document (Yjs fills prelim types when they are inserted). */
function copyOf(value: unknown): unknown {
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    for (const [key, item] of value.entries()) map.set(key, copyOf(item));
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.push(value.toArray().map(copyOf));
    return array;
  }
  return value;
}

/** The content of `updates` as a single update of a new client; roots not listed in `roots` are left out. */
export function freshState(updates: readonly Uint8Array[], roots: DocRoots): Uint8Array {
  const old = new Y.Doc();
  for (const update of updates) Y.applyUpdate(old, update);
  const fresh = new Y.Doc();
  fresh.transact(() => {
    for (const name of roots.texts) {
      const text = old.getText(name).toString();
      if (text) fresh.getText(name).insert(0, text);
    }
    for (const name of roots.arrays) {
      const items = old.getArray(name).toArray();
      if (items.length) fresh.getArray(name).push(items.map(copyOf));
    }
    for (const name of roots.maps) {
      for (const [key, item] of old.getMap(name).entries()) fresh.getMap(name).set(key, copyOf(item));
    }
  });
  const state = Y.encodeStateAsUpdate(fresh);
  old.destroy();
  fresh.destroy();
  return state;
}
