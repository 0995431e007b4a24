/**
 * Authenticates every Socket.IO connection once, in the handshake, and resolves it into
 * `{workshopId, role, participantId?}` on `socket.data`. Handlers trust only that.
 */
import { ErrorCode } from '../../shared/protocol/index.js';
import { handshakeSchema } from '../../shared/protocol/schemas.js';
import { hashSecret, randomId } from '../domain/secrets.js';
import { facilitatorRole } from '../domain/workshop.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/Store.js';
import { describeIssues } from '../describeIssues.js';
import type { FailureLimiter } from './FailureLimiter.js';
import type { RoundtableSocket } from './types.js';

/** Socket.IO passes `data` of a middleware error to the client's `connect_error`. */
class HandshakeError extends Error {
  constructor(
    readonly data: { code: ErrorCode; message: string },
  ) {
    super(data.message);
  }
}

export function createHandshake(deps: { store: Store; limiter: FailureLimiter; log: Logger }) {
  const { store, limiter, log } = deps;

  async function authenticate(socket: RoundtableSocket): Promise<void> {
    const parsed = handshakeSchema.safeParse(socket.handshake.auth);
    if (!parsed.success) throw new HandshakeError({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    const auth = parsed.data;

    if (auth.role === 'facilitator') {
      // Read the store, not a room: a wrong key must not load (and pin) a room in memory.
      const record = await store.getWorkshop(auth.workshopId);
      const role = record && facilitatorRole(record, auth.key);
      if (!role) throw new HandshakeError({ code: ErrorCode.unauthorized, message: 'this facilitator link is not valid' });
      socket.data = { workshopId: auth.workshopId, role };
      return;
    }

    const workshopId = await store.findWorkshopIdByJoinCode(auth.joinCode);
    if (!workshopId) throw new HandshakeError({ code: ErrorCode.notFound, message: 'no workshop has this code' });
    if (auth.role === 'screen') {
      socket.data = { workshopId, role: 'screen' };
      return;
    }
    const participant = await store.getOrCreateParticipant(workshopId, hashSecret(auth.token), randomId());
    socket.data = {
      workshopId,
      role: 'participant',
      participantId: participant.id,
      groupId: participant.groupId,
      token: auth.token,
      drafter: participant.drafter,
      drafterName: participant.drafterName,
    };
  }

  return async (socket: RoundtableSocket, next: (err?: Error) => void) => {
    const address = socket.handshake.address;
    if (limiter.isBlocked(address)) {
      return next(new HandshakeError({ code: ErrorCode.rateLimited, message: 'too many failed attempts; wait a minute' }));
    }
    try {
      await authenticate(socket);
      next();
    } catch (error) {
      if (!(error instanceof HandshakeError)) {
        log.error('handshake failed', { error: String(error) });
        return next(new HandshakeError({ code: ErrorCode.internal, message: 'the server could not check this link; try again' }));
      }
      if (error.data.code !== ErrorCode.invalidInput) limiter.recordFailure(address);
      next(error);
    }
  };
}
