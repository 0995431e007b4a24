/**
 * Reference: a bare Socket.IO server on PORT. Everyone joins one room; `advance` relays its payload to the
 * room as `activity:changed` — the agenda broadcast without authentication, validation, state or storage.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const server = createServer((req, res) => {
  if (!req.url?.startsWith('/socket.io')) res.end('{"status":"ok"}');
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  void socket.join('room');
  socket.on('advance', (payload: unknown, ack: (reply: { ok: true }) => void) => {
    io.to('room').emit('activity:changed', payload);
    ack({ ok: true });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
