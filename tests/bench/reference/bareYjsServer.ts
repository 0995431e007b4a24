/**
 * Reference: a bare @y/websocket-server (no tickets, no read-only rules, no persistence) on PORT. The big-board
 * relay scenario runs against it too, so that what Roundtable's features cost shows as a ratio.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const server = createServer((_req, res) => res.end('{"status":"ok"}'));
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const docName = new URL(req.url ?? '/', 'http://localhost').pathname.slice(1);
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
