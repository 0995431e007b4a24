import { isFacilitator, PLAN_DOC, type Role } from '../../shared/protocol/index.js';

/**
 * Who may write a Yjs document: facilitators any; a participant only the plan, and only while a facilitator
 * lets them draft (asked last, and only then: it may need the store); screens never. Participants' notes go
 * through `board:addNote`, so that no Yjs item carries their client id. Checked when a ticket is issued and
 * again when it is redeemed (a withdrawal may have come in between).
 */
export async function mayWrite(who: { role: Role; docName: string }, isDrafter: () => boolean | Promise<boolean>): Promise<boolean> {
  if (isFacilitator(who.role)) return true;
  return who.role === 'participant' && who.docName === PLAN_DOC && (await isDrafter());
}
