import { hashSecret, newSecret } from '../domain/secrets.js';
import { withKey, workshopUrls } from '../domain/workshop.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { TicketBook } from '../yjs/TicketBook.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';
import type { Logger } from '../log.js';

/** Co-facilitator links and Yjs tickets. */
export function registerAccessHandlers(
  ctx: HandlerContext & { log: Logger; tickets: TicketBook; docs: DocRegistry; baseUrl: string },
): void {
  const { tickets, docs, baseUrl } = ctx;

  // Only the key holder from creation may rotate: a co-facilitator must not lock out the others.
  defineHandler(ctx, 'access:rotateCoFacilitatorLink', ['facilitator'], async (_, { room }) => {
    const key = newSecret();
    await room.setCoFacilitatorKeyHash(hashSecret(key));
    room.disconnectCoFacilitators();
    tickets.revoke(room.id, 'cofacilitator');
    docs.disconnectRole(room.id, 'cofacilitator');
    return { ok: true, url: withKey(workshopUrls(baseUrl, room.record).facilitate, key) };
  });

  defineHandler(ctx, 'yjs:ticket', FACILITATORS, ({ docName }, { room, socket }) => {
    const ticket = tickets.issue({ workshopId: room.id, docName, access: 'write', role: socket.data.role });
    return { ok: true, ticket, path: `/yjs/${room.id}/${docName}` };
  });
}
