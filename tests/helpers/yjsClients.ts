/** Real y-websocket providers for integration tests, with tickets obtained over Socket.IO. */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ok, send, type TestSocket } from './clients.js';

const providers = new Set<WebsocketProvider>();

/** Opens `docName` with a fresh ticket for whoever `socket` is, and resolves once synced. */
export async function openDoc(url: string, socket: TestSocket, docName: string): Promise<WebsocketProvider> {
  const ticket = await ok(send(socket, 'yjs:ticket', { docName }));
  const [, , workshopId] = ticket.path.split('/');
  const provider = new WebsocketProvider(`${url.replace('http', 'ws')}/yjs/${workshopId}`, docName, new Y.Doc(), {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { ticket: ticket.ticket },
  });
  // A provider reconnecting would need a fresh ticket; tests use one connection each.
  provider.shouldConnect = true;
  providers.add(provider);
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  return provider;
}

export function closeDocs(): void {
  for (const provider of providers) provider.destroy();
  providers.clear();
}

/** The client ids of every item in a document's state. */
export function itemClientIds(state: Uint8Array): Set<number> {
  return new Set(Y.decodeUpdate(state).structs.map((struct) => struct.id.client));
}
