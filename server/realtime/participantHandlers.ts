import { defineHandler, type HandlerContext } from './defineHandler.js';
import type { Logger } from '../log.js';

export function registerParticipantHandlers(ctx: HandlerContext & { log: Logger }): void {
  defineHandler(ctx, 'participant:setGroup', ['participant'], async ({ groupId }, { socket, room }) => {
    const result = await room.setParticipantGroup(socket.data.participantId!, groupId);
    if (!result.ok) return result;
    socket.data.groupId = groupId;
    return { ok: true };
  });
}
