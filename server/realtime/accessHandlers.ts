import { hashSecret, newSecret } from '../domain/secrets.js';
import { withKey, workshopUrls } from '../domain/workshop.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { TicketBook } from '../yjs/TicketBook.js';
import { ErrorCode } from '../../shared/protocol/index.js';
import { defineHandler, type HandlerContext } from './defineHandler.js';
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

  // Facilitators write; participants and screens read a board once it has started. Nobody else writes:
  // participants' notes go through board:addNote so that no Yjs item carries their client id.
  defineHandler(ctx, 'yjs:ticket', ['facilitator', 'cofacilitator', 'participant', 'screen'], ({ docName }, { room, socket }) => {
    const { role } = socket.data;
    const board = docName.startsWith('board-') ? room.board(docName.slice('board-'.length)) : undefined;
    const writer = role === 'facilitator' || role === 'cofacilitator';
    if (!writer && (!board || board.state === 'draft')) {
      return { ok: false, code: ErrorCode.forbidden, message: 'this document is not open to you' };
    }
    const ticket = tickets.issue({ workshopId: room.id, docName, access: writer ? 'write' : 'read', role });
    return { ok: true, ticket, path: `/yjs/${room.id}/${docName}` };
  });
}
