/**
 * Short-lived, single-use tickets for the Yjs WebSocket. A client asks for one over its authenticated
 * Socket.IO connection and presents it in the upgrade request, so no long-lived secret ever appears in a
 * URL (where access logs and proxies would keep it).
 */
import type { Role } from '../../shared/protocol/index.js';
import { newSecret } from '../domain/secrets.js';

export type TicketGrant = { workshopId: string; docName: string; access: 'read' | 'write'; role: Role; participantId?: string };

/** Whose tickets or connections: everyone with a role, or one participant. */
export type Holder = { role: Role } | { participantId: string };
export const holds = (grant: { role: Role; participantId?: string }, holder: Holder) =>
  'role' in holder ? grant.role === holder.role : grant.participantId === holder.participantId;

export const TICKET_TTL_MS = 30_000;

/** Where tickets are kept: this process (TicketBook), or Redis when several nodes share them (RedisTickets). */
export interface Tickets {
  issue(grant: TicketGrant): string | Promise<string>;
  /** The grant for `ticket` if it is valid for this document; the ticket is spent either way. */
  redeem(ticket: string, workshopId: string, docName: string): TicketGrant | undefined | Promise<TicketGrant | undefined>;
  revoke(workshopId: string, holder: Holder): void;
  revokeWorkshop(workshopId: string): void;
}

export class TicketBook implements Tickets {
  readonly #tickets = new Map<string, TicketGrant & { expiresAt: number }>();

  issue(grant: TicketGrant, now = Date.now()): string {
    this.#sweep(now);
    const ticket = newSecret();
    this.#tickets.set(ticket, { ...grant, expiresAt: now + TICKET_TTL_MS });
    return ticket;
  }

  /** The grant for `ticket` if it is valid for this document; the ticket is spent either way. */
  redeem(ticket: string, workshopId: string, docName: string, now = Date.now()): TicketGrant | undefined {
    const grant = this.#tickets.get(ticket);
    this.#tickets.delete(ticket);
    if (!grant || grant.expiresAt < now || grant.workshopId !== workshopId || grant.docName !== docName) return undefined;
    const { expiresAt: _, ...valid } = grant;
    return valid;
  }

  /** Voids the unspent tickets of a holder in a workshop (a rotated co-facilitator link, a drafter withdrawn). */
  revoke(workshopId: string, holder: Holder): void {
    for (const [ticket, grant] of this.#tickets) if (grant.workshopId === workshopId && holds(grant, holder)) this.#tickets.delete(ticket);
  }

  /** Voids every unspent ticket of a workshop (it was deleted). */
  revokeWorkshop(workshopId: string): void {
    for (const [ticket, grant] of this.#tickets) if (grant.workshopId === workshopId) this.#tickets.delete(ticket);
  }

  #sweep(now: number): void {
    for (const [ticket, grant] of this.#tickets) if (grant.expiresAt < now) this.#tickets.delete(ticket);
  }
}
