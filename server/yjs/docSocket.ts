/**
 * The WebSocket side of a document's connection, apart from what its frames say: binary frames only, a
 * heartbeat, and sends that cannot throw.
 */
import type { WebSocket } from 'ws';

const PING_INTERVAL_MS = 30_000;

export type SocketHandlers = {
  message(data: Uint8Array): void;
  error(error: Error): void;
  close(): void;
};

/** Listens to `ws` for a document, and pings it so that a peer gone silent is noticed and terminated. */
export function serveSocket(ws: WebSocket, on: SocketHandlers): void {
  ws.binaryType = 'arraybuffer';
  // Yjs speaks binary; a text frame is some other client.
  ws.on('message', (data: ArrayBuffer, isBinary: boolean) => (isBinary ? on.message(new Uint8Array(data)) : ws.close(1003, 'binary messages only')));
  // ws closes the connection itself on a protocol error (a message over maxPayload, a broken frame); the
  // listener is what keeps that error from ending the whole process.
  ws.on('error', on.error);
  let alive = true;
  const ping = setInterval(() => {
    if (!alive) return void ws.terminate();
    alive = false;
    ws.ping();
  }, PING_INTERVAL_MS);
  ws.on('pong', () => (alive = true));
  ws.on('close', () => {
    clearInterval(ping);
    on.close();
  });
}

/** Sends to an open socket; one that fails to take the message is terminated. */
export function sendTo(ws: WebSocket, message: Uint8Array): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(message, (error) => error && ws.terminate());
}
