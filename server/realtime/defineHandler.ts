/**
 * The one way a client event reaches the server's state: check the role, validate the payload with the
 * shared schema, run the handler, answer with an ack. Bad input gets `{ok:false}` and changes nothing.
 */
import { refusalFor } from '../store/storageFault.js';
import type { z } from 'zod';
import { ErrorCode, type Ack, type ClientAckData, type ClientEventName, type Role } from '../../shared/protocol/index.js';
import { clientEventSchemas } from '../../shared/protocol/schemas.js';
import type { Logger } from '../log.js';
import type { WorkshopRoom } from '../rooms/WorkshopRoom.js';
import type { KeyedBuckets } from '../limits/KeyedBuckets.js';
import { RATE_LIMITS } from '../limits/rateLimits.js';
import { TokenBucket } from '../limits/TokenBucket.js';
import type { RoomClient } from '../rooms/ports.js';
import { describeIssues } from '../describeIssues.js';
import type { Metrics } from '../metrics/Metrics.js';

/**
 * A client's events, by name, each run with its arguments as they arrived (the ack last, if asked for):
 * bound to a socket's listeners here, or run for another node's connection by scale/.
 */
export type ClientEvents = Map<string, (args: unknown[]) => Promise<void>>;
export type HandlerContext = { client: RoomClient; room: WorkshopRoom; addressEvents: KeyedBuckets; events: ClientEvents; metrics: Metrics };
type Payload<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;
export type Handler<E extends ClientEventName> = (payload: Payload<E>, ctx: HandlerContext) => Promise<Ack<ClientAckData<E>>> | Ack<ClientAckData<E>>;

/** Every event a connection sends draws from one bucket (RATE_LIMITS.perConnection). */
const buckets = new WeakMap<RoomClient, TokenBucket>();
function limiterOf(client: RoomClient): TokenBucket {
  let bucket = buckets.get(client);
  if (!bucket) buckets.set(client, (bucket = new TokenBucket(RATE_LIMITS.perConnection.capacity, RATE_LIMITS.perConnection.perSecond)));
  return bucket;
}

/**
 * The end of each connection's line of events. A connection's events run one after another, as it sent them:
 * a handler that waits (a passphrase hash, a store write) must not let a later event overtake it, or "set a
 * passphrase, then clear it" could end with the passphrase set.
 */
const lines = new WeakMap<ClientEvents, { tail: Promise<void>; waiting: number }>();
/** Events one connection may have waiting in its line; the rate limit keeps honest clients far below it. */
const LINE_MAX = 32;
/** Puts `run` at the end of the connection's line (resolves once it ran); undefined when the line is full. */
function inOrder(events: ClientEvents, run: () => Promise<void>): Promise<void> | undefined {
  let line = lines.get(events);
  if (!line) lines.set(events, (line = { tail: Promise.resolve(), waiting: 0 }));
  if (line.waiting >= LINE_MAX) return undefined;
  line.waiting++;
  const done = () => void line.waiting--;
  line.tail = line.tail.then(run, run).then(done, done);
  return line.tail;
}

/**
 * Who may send each event, as the handlers registered it (filled in by the first connection). Read by the
 * tests that check every event refuses the roles it does not name.
 */
export const registeredRoles = new Map<ClientEventName, readonly Role[]>();

export function defineHandler<E extends ClientEventName>(ctx: HandlerContext & { log: Logger }, event: E, roles: readonly Role[], handler: Handler<E>): void {
  const { client, log } = ctx;
  registeredRoles.set(event, roles);
  ctx.events.set(event, async (args) => {
    // The ack is the last argument when the client asked for one; a payload forgotten or followed by
    // anything else is refused rather than left unanswered or half read.
    const ack = typeof args.at(-1) === 'function' ? args.pop() : undefined;
    const [payload] = args;
    const arrived = performance.now();
    const reply = (response: Ack<ClientAckData<E>>) => {
      ctx.metrics.event(event, response.ok ? 'ok' : response.code, (performance.now() - arrived) / 1000);
      // What happened, never what was sent: the payload may be a note, a ballot or a passphrase. And nothing a
      // participant did that was accepted, at any level: a timestamped line per ballot or note would give the
      // moment of each contribution, which the store and the release rule take care never to keep.
      const { workshopId, role } = client.data;
      if (!response.ok) log.info('event refused', { event, workshopId, role, code: response.code });
      else if (role !== 'participant') log.debug('event', { event, workshopId, role });
      if (typeof ack === 'function') ack(response);
    };
    if (!limiterOf(client).take() || !ctx.addressEvents.take(client.address)) {
      return reply({ ok: false, code: ErrorCode.rateLimited, message: 'too many requests; slow down a little' });
    }
    // The rate limit answers at once; everything else waits its turn in the connection's line.
    const queued = inOrder(ctx.events, async () => {
      // Gone while it waited: nobody hears the answer, and a reconnected client sends it again.
      if (!client.connected) return;
      if (!roles.includes(client.data.role)) {
        return reply({ ok: false, code: ErrorCode.forbidden, message: `${event} is not allowed for a ${client.data.role}` });
      }
      if (args.length !== 1) {
        return reply({ ok: false, code: ErrorCode.invalidInput, message: 'send one payload object, then the acknowledgement callback' });
      }
      const parsed = clientEventSchemas[event].safeParse(payload);
      if (!parsed.success) {
        return reply({ ok: false, code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
      }
      try {
        reply(await handler(parsed.data as Payload<E>, ctx));
      } catch (error) {
        log.error('handler failed', { event, workshopId: client.data.workshopId, error: String(error) });
        reply(refusalFor(error));
      }
    });
    if (!queued) return reply({ ok: false, code: ErrorCode.rateLimited, message: 'too many requests waiting; slow down a little' });
    return queued;
  });
}

export const FACILITATORS = ['facilitator', 'cofacilitator'] as const satisfies readonly Role[];
