import { defineHandler, type HandlerContext } from './defineHandler.js';
import type { Logger } from '../log.js';

export function registerParticipantHandlers(ctx: HandlerContext & { log: Logger }): void {
  defineHandler(ctx, 'participant:setGroup', ['participant'], async ({ groupId }, { client, room }) => {
    const result = await room.setParticipantGroup(client.data.participantId!, groupId);
    if (!result.ok) return result;
    client.data.groupId = groupId;
    return { ok: true };
  });
  // A reaction is a passing signal: counted in memory for one window, never stored (server/rooms/Reactions.ts).
  defineHandler(ctx, 'reaction:send', ['participant'], ({ reaction }, { client, room }) => {
    room.reactions.add(client.data.participantId!, reaction);
    return { ok: true };
  });
}
