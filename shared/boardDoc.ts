/**
 * Reading and writing a board's Yjs document. Layout: `notes` (Y.Map of note id → Y.Map of fields),
 * `clusters` (cluster id → Y.Map {name, column, order}) and `meta` ({featured}). A note has no author
 * field, and participants' notes are written by the server's own Yjs client.
 */
import * as Y from 'yjs';
import type { BoardCluster, BoardNote, HiddenNote } from './protocol/index.js';

export const notesOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('notes');
export const clustersOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('clusters');
export const metaOf = (doc: Y.Doc) => doc.getMap<unknown>('meta');
/** Every root of the document by its type (server/yjs/freshState.ts copies them). */
export const BOARD_ROOTS = { texts: [], arrays: [], maps: ['notes', 'clusters', 'meta'] } as const;

function readNote(id: string, fields: Y.Map<unknown>): BoardNote {
  return {
    id,
    text: String(fields.get('text') ?? ''),
    color: String(fields.get('color') ?? 'yellow'),
    column: (fields.get('column') as string | null) ?? null,
    cluster: (fields.get('cluster') as string | null) ?? null,
    order: Number(fields.get('order') ?? 0),
    ...(fields.get('answered') ? { answered: true } : {}),
  };
}

export function readNotes(doc: Y.Doc): BoardNote[] {
  return [...notesOf(doc).entries()].map(([id, fields]) => readNote(id, fields)).sort((a, b) => a.order - b.order);
}

export function readClusters(doc: Y.Doc): BoardCluster[] {
  return [...clustersOf(doc).entries()]
    .map(([id, fields]) => ({
      id,
      name: String(fields.get('name') ?? ''),
      column: (fields.get('column') as string | null) ?? null,
      order: Number(fields.get('order') ?? 0),
    }))
    .sort((a, b) => a.order - b.order);
}

export function readNoteById(doc: Y.Doc, id: string): BoardNote | undefined {
  const fields = notesOf(doc).get(id);
  return fields && readNote(id, fields);
}

/** One greater than every note's order: new notes go last (a plain scan: this runs for every note added). */
function nextOrder(doc: Y.Doc): number {
  let max = 0;
  for (const fields of notesOf(doc).values()) max = Math.max(max, Number(fields.get('order') ?? 0));
  return max + 1;
}

export function insertNote(doc: Y.Doc, note: Omit<BoardNote, 'order' | 'cluster'>, origin: unknown): void {
  doc.transact(() => {
    const fields = new Y.Map<unknown>();
    notesOf(doc).set(note.id, fields);
    fields.set('text', note.text);
    fields.set('color', note.color);
    fields.set('column', note.column);
    fields.set('cluster', null);
    fields.set('order', nextOrder(doc));
  }, origin);
}

export function editNote(doc: Y.Doc, id: string, changes: { text: string; color?: string }, origin: unknown): boolean {
  const fields = notesOf(doc).get(id);
  if (!fields) return false;
  doc.transact(() => {
    fields.set('text', changes.text);
    if (changes.color) fields.set('color', changes.color);
  }, origin);
  return true;
}

/** Removes a note; returns what it was (for the hidden list). */
export function removeNote(doc: Y.Doc, id: string, origin: unknown): HiddenNote | undefined {
  const note = readNoteById(doc, id);
  if (!note) return undefined;
  doc.transact(() => {
    notesOf(doc).delete(id);
    if (metaOf(doc).get('featured') === id) metaOf(doc).set('featured', null);
  }, origin);
  return { id, text: note.text, color: note.color };
}

/**
 * What the room prioritises: every cluster that holds a note, labelled by its name, and every note in no
 * cluster, labelled by its text. Notes in a cluster are voted on through their cluster.
 */
export function itemsToPrioritise(notes: BoardNote[], clusters: BoardCluster[]): { id: string; label: string }[] {
  const used = new Set(notes.map((n) => n.cluster).filter((c): c is string => c !== null));
  const live = clusters.filter((c) => used.has(c.id));
  const liveIds = new Set(live.map((c) => c.id));
  return [
    ...live.map((c) => ({ id: c.id, label: c.name })),
    ...notes.filter((n) => n.cluster === null || !liveIds.has(n.cluster)).map((n) => ({ id: n.id, label: n.text })),
  ];
}

export const priorityItems = (doc: Y.Doc) => itemsToPrioritise(readNotes(doc), readClusters(doc));

// Facilitators' edits, made directly in their writable copy of the document.

/** Moves a note to a column and/or cluster (`null` takes it out of the cluster). */
export function placeNote(doc: Y.Doc, id: string, place: { column?: string | null; cluster?: string | null }): void {
  const fields = notesOf(doc).get(id);
  if (!fields) return;
  doc.transact(() => {
    if (place.column !== undefined) fields.set('column', place.column);
    if (place.cluster !== undefined) fields.set('cluster', place.cluster);
  });
}

/** Makes a new cluster holding the given notes, in the column of the first; returns its id. */
export function clusterNotes(doc: Y.Doc, noteIds: string[], name: string, clusterId: string): string {
  const first = notesOf(doc).get(noteIds[0] ?? '');
  doc.transact(() => {
    const cluster = new Y.Map<unknown>();
    clustersOf(doc).set(clusterId, cluster);
    cluster.set('name', name);
    cluster.set('column', (first?.get('column') as string | null) ?? null);
    cluster.set('order', readClusters(doc).length);
    for (const id of noteIds) notesOf(doc).get(id)?.set('cluster', clusterId);
  });
  return clusterId;
}

export function renameCluster(doc: Y.Doc, clusterId: string, name: string): void {
  clustersOf(doc).get(clusterId)?.set('name', name);
}

/** Dissolves a cluster; its notes stay on the board, in no cluster. */
export function removeCluster(doc: Y.Doc, clusterId: string): void {
  doc.transact(() => {
    for (const fields of notesOf(doc).values()) if (fields.get('cluster') === clusterId) fields.set('cluster', null);
    clustersOf(doc).delete(clusterId);
  });
}

/** Merges duplicates: `keep` stays (its text can be edited), `drop` leaves the board. */
export function mergeNotes(doc: Y.Doc, keep: string, drop: string): void {
  if (keep === drop || !notesOf(doc).has(keep)) return;
  notesOf(doc).delete(drop);
}

export function setNoteText(doc: Y.Doc, id: string, text: string): void {
  notesOf(doc).get(id)?.set('text', text);
}

export function setAnswered(doc: Y.Doc, id: string, answered: boolean): void {
  notesOf(doc).get(id)?.set('answered', answered);
}

/** The question shown on the screen in Q&A mode. */
export const featuredOf = (doc: Y.Doc) => (metaOf(doc).get('featured') as string | null | undefined) ?? null;
export const setFeatured = (doc: Y.Doc, id: string | null) => metaOf(doc).set('featured', id);
