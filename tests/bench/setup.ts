/** The facilitator's side of a scenario (in the parent process): workshops, activities and a writable board. */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { notesOf } from '../../shared/boardDoc.js';
import { connect, createWorkshop, disconnectAll, facilitatorAuth, type TestSocket } from '../helpers/clients.js';
import { closeDocs, openDoc } from '../helpers/yjsClients.js';
import { waitUntil } from './stats.js';

export type Workshop = Awaited<ReturnType<typeof createWorkshop>> & { facilitator: TestSocket };

export async function openWorkshop(url: string, title = 'Bench'): Promise<Workshop> {
  const created = await createWorkshop(url, { title });
  const { socket } = await connect(url, facilitatorAuth(created));
  return { ...created, facilitator: socket };
}

const bareProviders = new Set<WebsocketProvider>();

/** Closes every document and socket the parent opened. */
export function closeAll(): void {
  for (const provider of bareProviders) provider.destroy();
  bareProviders.clear();
  closeDocs();
  disconnectAll();
}

/** A writable copy of a board: the facilitator's through a ticket, or anyone's on a bare server. */
export async function openWriter(url: string, docName: string, workshop?: Workshop): Promise<Y.Doc> {
  if (workshop) return (await openDoc(url, workshop.facilitator, docName)).doc;
  const provider = new WebsocketProvider(url.replace('http', 'ws'), docName, new Y.Doc(), { WebSocketPolyfill: WebSocket as never, disableBc: true });
  bareProviders.add(provider);
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return provider.doc;
}

let order = 0;
/** One note, in its own transaction (so its own update), laid out as shared/boardDoc.ts does. */
export function addNote(doc: Y.Doc, id: string, text: string): void {
  doc.transact(() => {
    const fields = new Y.Map<unknown>();
    notesOf(doc).set(id, fields);
    fields.set('text', text);
    fields.set('color', 'yellow');
    fields.set('column', null);
    fields.set('cluster', null);
    fields.set('order', ++order);
  });
}

/**
 * Writes `n` notes one update at a time, as they arrive in a live room, and waits until a second copy
 * (a fresh connection) holds them all: on Roundtable that means they are stored.
 */
export async function seedNotes(url: string, docName: string, n: number, workshop?: Workshop): Promise<Y.Doc> {
  const writer = await openWriter(url, docName, workshop);
  for (let i = 0; i < n; i++) addNote(writer, `note-${String(i).padStart(5, '0')}-seeded`, `Concern number ${i}: street lighting near the market`);
  const check = await openWriter(url, docName, workshop);
  await waitUntil(() => notesOf(check).size >= n, `${n} seeded notes`, 120_000, 50);
  return writer;
}
