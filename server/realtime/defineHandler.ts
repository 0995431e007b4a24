/**
 * The one way a client event reaches the server's state: check the role, validate the payload with the
 * shared schema, run the handler, answer with an ack. Bad input gets `{ok:false}` and changes nothing.
 */
import type { z } from 'zod';
import {
  ErrorCode,
  type Ack,
  type ClientAckData,
  type ClientEventName,
  type Role,
} from '../../shared/protocol/index.js';
import { clientEventSchemas } from '../../shared/protocol/schemas.js';
import type { Logger } from '../log.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import { TokenBucket } from './TokenBucket.js';
import type { RoundtableSocket } from './types.js';
import { describeIssues } from '../describeIssues.js';

export type HandlerContext = { socket: RoundtableSocket; room: WorkshopRoom };
type Payload<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;
export type Handler<E extends ClientEventName> = (
  payload: Payload<E>,
  ctx: HandlerContext,
) => Promise<Ack<ClientAckData<E>>> | Ack<ClientAckData<E>>;

/** Every event a connection sends draws from one bucket: 20 at once, 10 a second after that. */
const buckets = new WeakMap<RoundtableSocket, TokenBucket>();
function limiterOf(socket: RoundtableSocket): TokenBucket {
  let bucket = buckets.get(socket);
  if (!bucket) buckets.set(socket, (bucket = new TokenBucket(20, 10)));
  return bucket;
}

export function defineHandler<E extends ClientEventName>(
  ctx: HandlerContext & { log: Logger },
  event: E,
  roles: readonly Role[],
  handler: Handler<E>,
): void {
  const { socket, log } = ctx;
  // Socket.IO's typings cannot follow a generic event name; the listener's shape is fixed by ClientToServerEvents.
  (socket.on as (event: string, listener: (payload: unknown, ack: unknown) => void) => void)(event, async (payload, ack) => {
    const reply = (response: Ack<ClientAckData<E>>) => {
      if (typeof ack === 'function') ack(response);
    };
    if (!limiterOf(socket).take()) {
      return reply({ ok: false, code: ErrorCode.rateLimited, message: 'too many requests; slow down a little' });
    }
    if (!roles.includes(socket.data.role)) {
      return reply({ ok: false, code: ErrorCode.forbidden, message: `${event} is not allowed for a ${socket.data.role}` });
    }
    const parsed = clientEventSchemas[event].safeParse(payload);
    if (!parsed.success) {
      return reply({ ok: false, code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    }
    try {
      reply(await handler(parsed.data as Payload<E>, ctx));
    } catch (error) {
      log.error('handler failed', { event, workshopId: socket.data.workshopId, error: String(error) });
      reply({ ok: false, code: ErrorCode.internal, message: 'the server could not do that; please try again' });
    }
  });
}

export const FACILITATORS = ['facilitator', 'cofacilitator'] as const satisfies readonly Role[];
