import type { ErrorRequestHandler } from 'express';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../../shared/protocol/index.js';
import type { Logger } from '../log.js';
import { refusalFor, storageFault } from '../store/storageFault.js';

const CODES: Record<number, ErrorCode> = { 401: ErrorCode.unauthorized, 403: ErrorCode.forbidden, 404: ErrorCode.notFound, 429: ErrorCode.rateLimited };

/**
 * The last word on any error a route or Express itself raised — a path that is not valid percent-encoding, a
 * body that is not JSON, a handler that threw: `{code, message}` as JSON, never Express's HTML page (which
 * shows the stack trace outside production).
 */
export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: { status?: unknown; type?: unknown }, _req, res, next) => {
    if (res.headersSent) return next(error); // Express closes the connection
    const refused = storageFault(error) && refusalFor(error);
    if (refused) {
      log.error('request failed: the store refused a write', { error: String(error) });
      return void res.status(503).json({ code: refused.code, message: refused.message });
    }
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error('request failed', { error: String(error) });
    const message =
      status === 500
        ? 'internal error'
        : typeof error.type === 'string' && error.type.startsWith('entity.')
          ? `the request body is not valid JSON or too large (${error.type})`
          : status === 404
            ? 'not found'
            : 'the request is not valid (a malformed address or body)';
    res.status(status).json({ code: CODES[status] ?? (status === 500 ? ErrorCode.internal : ErrorCode.invalidInput), message });
  };
}

/**
 * Requests Node cannot parse never reach Express: a request line and headers over 16 KB, broken syntax. Node
 * would answer them with an empty body; answer `{code, message}` as JSON like every other refusal. As Node
 * does, only where no response is under way on the connection (writing then would corrupt it), and the
 * connection is closed either way.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own record of the response in flight on this connection (no public way to ask).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    const answer = REFUSALS[error.code ?? ''] ?? REFUSALS.default!;
    if (socket.writable && !inFlight?.headersSent && error.code !== 'ECONNRESET') {
      const body = JSON.stringify({ code: ErrorCode.invalidInput, message: answer.message });
      socket.write(
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  });
}

const REFUSALS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'the address or headers are too long' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request took too long to arrive' },
  default: { status: 400, message: 'the request is not valid HTTP' },
};
