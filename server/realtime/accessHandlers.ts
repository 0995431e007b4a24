import { hashSecret, newSecret } from '../domain/secrets.js';
import { screenLink, withKey, workshopUrls } from '../domain/workshop.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import { boardIdOf, ErrorCode, isFacilitator } from '../../shared/protocol/index.js';
import { mayWrite } from '../yjs/mayWrite.js';
import { defineHandler, FACILITATORS, type HandlerContext } from './defineHandler.js';
import { hashPassphrase } from '../domain/passphrase.js';
import type { Logger } from '../log.js';

/** Co-facilitator links and Yjs tickets. */
export function registerAccessHandlers(ctx: HandlerContext & { log: Logger; tickets: Tickets; docs: DocRegistry; baseUrl: string }): void {
  const { tickets, docs, baseUrl } = ctx;

  // Only the key holder from creation may rotate: a co-facilitator must not lock out the others.
  defineHandler(ctx, 'access:rotateCoFacilitatorLink', ['facilitator'], async (_, { room }) => {
    const key = newSecret();
    await room.setCoFacilitatorKeyHash(hashSecret(key));
    room.disconnectCoFacilitators();
    tickets.revoke(room.id, { role: 'cofacilitator' });
    docs.disconnect(room.id, { role: 'cofacilitator' });
    return { ok: true, url: withKey(workshopUrls(baseUrl, room.record).facilitate, key) };
  });

  // The projector's link with its key: asked for, so that it never travels in a broadcast.
  defineHandler(ctx, 'access:screenLink', FACILITATORS, async (_, { room }) => ({ ok: true, url: screenLink(baseUrl, room.record) }));

  // A screen link that went where it should not: the old one stops working, its screens are disconnected.
  defineHandler(ctx, 'access:rotateScreenLink', FACILITATORS, async (_, { room }) => {
    await room.setScreenKey(newSecret());
    tickets.revoke(room.id, { role: 'screen' });
    docs.disconnect(room.id, { role: 'screen' });
    return { ok: true, url: screenLink(baseUrl, room.record) };
  });

  // A closed-door session: no new participants, and/or a passphrase for new participants.
  defineHandler(ctx, 'access:setRoom', FACILITATORS, async ({ locked, passphrase }, { room }) => {
    const passphraseHash = passphrase === undefined ? room.record.passphraseHash : passphrase === null ? null : await hashPassphrase(passphrase);
    await room.setRoomAccess({ locked, passphraseHash });
    return { ok: true };
  });

  // Facilitators read and write any document; participants and screens read a board, or the plan, once it
  // has started; who writes is mayWrite's rule.
  defineHandler(ctx, 'yjs:ticket', ['facilitator', 'cofacilitator', 'participant', 'screen'], async ({ docName }, { room, client }) => {
    const { role, participantId } = client.data;
    const started = (activity: { state: string } | undefined) => activity !== undefined && activity.state !== 'draft';
    const boardId = boardIdOf(docName);
    const open =
      boardId === undefined ? started(room.record.agenda.activities.find((a) => a.kind === 'plan' && a.state !== 'draft')) : started(room.board(boardId));
    if (!isFacilitator(role) && !open) return { ok: false, code: ErrorCode.forbidden, message: 'this document is not open to you' };
    // Drafting is checked live, not from the handshake: a withdrawal may have come since this client connected.
    const writer = await mayWrite({ role, docName }, () => participantId !== undefined && room.drafting.isDrafter(participantId));
    const ticket = await tickets.issue({ workshopId: room.id, docName, access: writer ? 'write' : 'read', role, participantId });
    return { ok: true, ticket, path: `/yjs/${room.id}/${docName}` };
  });
}
