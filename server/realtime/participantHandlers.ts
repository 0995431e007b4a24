import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';
import type { Logger } from '../log.js';

export function registerParticipantHandlers(ctx: HandlerContext & { log: Logger }): void {
  defineHandler(ctx, 'participant:setGroup', ['participant'], async ({ groupId }, { socket, room }) => {
    const result = await room.setParticipantGroup(socket.data.participantId!, groupId);
    if (!result.ok) return result;
    socket.data.groupId = groupId;
    return { ok: true };
  });

  defineHandler(ctx, 'plan:requestDrafting', ['participant'], async ({ name }, { socket, room }) => {
    const result = await room.drafting.request(socket.data.participantId!, name);
    return result.ok ? { ok: true } : result;
  });
  defineHandler(ctx, 'plan:setDrafter', FACILITATORS, async ({ ref, allow }, { room }) => {
    const result = await room.drafting.set(ref, allow);
    return result.ok ? { ok: true } : result;
  });
}
