/**
 * Authenticates every Socket.IO connection once, in the handshake, and resolves it into
 * `{workshopId, role, participantId?}` on `socket.data`. Handlers trust only that.
 */
import { ErrorCode } from '../../shared/protocol/index.js';
import { handshakeSchema } from '../../shared/protocol/schemas.js';
import { hashSecret, randomId } from '../domain/secrets.js';
import { facilitatorRole, followUpLink, screenKeyMatches } from '../domain/workshop.js';
import type { Logger } from '../log.js';
import type { Store, WorkshopRecord } from '../store/Store.js';
import { passphraseMatches } from '../domain/passphrase.js';
import type { KeyedBuckets } from '../limits/KeyedBuckets.js';
import { describeIssues } from '../describeIssues.js';
import type { FailureLimiter } from '../limits/FailureLimiter.js';
import type { RoundtableSocket } from './types.js';

/** Socket.IO passes `data` of a middleware error to the client's `connect_error`. */
class HandshakeError extends Error {
  constructor(readonly data: { code: ErrorCode; message: string; followUpUrl?: string }) {
    super(data.message);
  }
}

/** A closed-door workshop's passphrase, when it has one. */
async function checkPassphrase(record: WorkshopRecord, passphrase: string | undefined): Promise<void> {
  if (record.passphraseHash === null) return;
  if (passphrase === undefined) throw new HandshakeError({ code: ErrorCode.passphraseRequired, message: 'this workshop asks for its passphrase' });
  if (!(await passphraseMatches(passphrase, record.passphraseHash))) {
    throw new HandshakeError({ code: ErrorCode.passphraseRequired, message: 'that is not the passphrase of this workshop' });
  }
}

export function createHandshake(deps: { store: Store; limiter: FailureLimiter; newParticipants: KeyedBuckets; log: Logger; baseUrl: string }) {
  const { store, limiter, newParticipants, log } = deps;

  /** An ended workshop takes nobody in, not even its facilitators (their console reads the follow-up over HTTP). */
  async function refuseEnded(record: WorkshopRecord): Promise<void> {
    if (record.endedAt === null) return;
    const followUp = await store.followUp(record.id);
    throw new HandshakeError({
      code: ErrorCode.workshopEnded,
      message: 'this workshop has ended',
      ...(followUp ? { followUpUrl: followUpLink(deps.baseUrl, followUp.publicCode) } : {}),
    });
  }

  async function authenticate(socket: RoundtableSocket, address: string): Promise<void> {
    const parsed = handshakeSchema.safeParse(socket.handshake.auth);
    if (!parsed.success) throw new HandshakeError({ code: ErrorCode.invalidInput, message: describeIssues(parsed.error) });
    const auth = parsed.data;

    if (auth.role === 'facilitator') {
      // Read the store, not a room: a wrong key must not load (and pin) a room in memory.
      const record = await store.getWorkshop(auth.workshopId);
      // Ids are 128 random bits, so saying that one does not exist (any more: deleted, expired) gives nothing away.
      if (!record) throw new HandshakeError({ code: ErrorCode.notFound, message: 'this workshop does not exist (any more)' });
      const role = facilitatorRole(record, auth.key);
      if (!role) throw new HandshakeError({ code: ErrorCode.unauthorized, message: 'this facilitator link is not valid' });
      await refuseEnded(record);
      socket.data = { workshopId: auth.workshopId, role };
      return;
    }

    const workshopId = await store.findWorkshopIdByJoinCode(auth.joinCode);
    const record = workshopId && (await store.getWorkshop(workshopId));
    if (!workshopId || !record) throw new HandshakeError({ code: ErrorCode.notFound, message: 'no workshop has this code' });
    if (auth.role === 'screen') {
      // The join code is public, so it alone must never open what the projector shows (every note, every
      // result), locked room or not: the screen link carries a key of its own.
      if (!screenKeyMatches(record, auth.key)) throw new HandshakeError({ code: ErrorCode.unauthorized, message: 'this screen link is not valid (any more)' });
      await refuseEnded(record);
      socket.data = { workshopId, role: 'screen', screenKeyHash: hashSecret(auth.key) };
      return;
    }
    // Ended, nobody is "someone who joined before" any more; a closed-door workshop's link is for those with its passphrase.
    if (record.endedAt !== null) {
      await checkPassphrase(record, auth.passphrase);
      await refuseEnded(record);
    }
    // Someone who joined before comes back as themselves, whatever changed since (a lock, a new passphrase).
    const tokenHash = hashSecret(auth.token);
    let participant = await store.findParticipant(workshopId, tokenHash);
    if (!participant) {
      if (record.locked) throw new HandshakeError({ code: ErrorCode.roomLocked, message: 'the facilitator has closed this workshop to new participants' });
      await checkPassphrase(record, auth.passphrase);
      // Each new participant is a row and a head in the room's counts: one address cannot conjure up hundreds.
      if (!newParticipants.take(address)) {
        throw new HandshakeError({ code: ErrorCode.rateLimited, message: 'too many people joined from this address; wait a minute' });
      }
      participant = await store.getOrCreateParticipant(workshopId, tokenHash, randomId());
    }
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
      await authenticate(socket, address);
      // Ids and roles only: no address (it could identify a participant) and nothing presented.
      log.debug('connected', { workshopId: socket.data.workshopId, role: socket.data.role });
      next();
    } catch (error) {
      if (!(error instanceof HandshakeError)) {
        log.error('handshake failed', { error: String(error) });
        return next(new HandshakeError({ code: ErrorCode.internal, message: 'the server could not check this link; try again' }));
      }
      // Coming back to an ended workshop is no guess at a key or a code.
      if (error.data.code !== ErrorCode.invalidInput && error.data.code !== ErrorCode.workshopEnded) limiter.recordFailure(address);
      log.info('connection refused', { code: error.data.code });
      next(error);
    }
  };
}
