/**
 * Yjs over the y-websocket protocol at `/yjs/<workshopId>/<docName>?ticket=…`, on the same HTTP port.
 * The ticket is checked in the HTTP upgrade, before a WebSocket exists: a request without a valid one is
 * answered `401` and never reaches the document.
 * The ticket also fixes the access: facilitators write; participants read, and write the plan only while a
 * facilitator lets them draft (mayWrite); screens only read.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LIMITS } from '../../shared/protocol/index.js';
import type { DocRegistry } from './DocRegistry.js';
import type { TicketGrant, Tickets } from './TicketBook.js';

const YJS_PATH = /^\/yjs\/([A-Za-z0-9_-]{16,64})\/([A-Za-z0-9_-]{1,80})$/;

function refuse(socket: Duplex, status: 400 | 401, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * @param stillAllowed checked again once the document is loaded, just before the socket joins it: access
 * withdrawn while the ticket was being redeemed must not slip through.
 */
export function attachYjsEndpoint(
  httpServer: HttpServer,
  tickets: Tickets,
  docs: DocRegistry,
  stillAllowed: (grant: TicketGrant) => boolean | Promise<boolean>,
  /** Told of every message received (the metrics count them). */
  received: () => void = () => undefined,
): { connections: () => number; close: () => void } {
  // A larger message closes that socket with 1009 (message too big) before it is buffered whole.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.yjsMessageMaxBytes });

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/socket.io/')) return; // Socket.IO answers its own upgrades.
    // With destroyUpgrade:false nobody else would answer, and the request would hang.
    if (!url.pathname.startsWith('/yjs/')) return refuse(socket, 400, 'Bad Request');
    const match = YJS_PATH.exec(url.pathname);
    if (!match) return refuse(socket, 400, 'Bad Request');
    const [, workshopId, docName] = match as unknown as [string, string, string];
    const ticket = url.searchParams.get('ticket') ?? '';
    const redeemed = tickets.redeem(ticket, workshopId, docName);
    // Tickets shared between nodes are in Redis; this process's own are answered at once, as before.
    if (redeemed instanceof Promise)
      redeemed.then(
        (grant) => open(grant),
        () => socket.destroy(),
      );
    else open(redeemed);

    function open(grant: TicketGrant | undefined): void {
      if (!grant) return refuse(socket, 401, 'Unauthorized');
      // Load before upgrading so a client never waits on an open socket for a document that fails to load.
      docs
        .get(workshopId, docName)
        .then(
          async (doc) =>
            (await stillAllowed(grant))
              ? wss.handleUpgrade(req, socket, head, (ws) => {
                  ws.on('message', received);
                  doc.attach(ws, grant);
                })
              : refuse(socket, 401, 'Unauthorized'),
          () => socket.destroy(),
        )
        .catch(() => socket.destroy());
    }
  });

  return {
    connections: () => wss.clients.size,
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
