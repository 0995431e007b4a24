/**
 * Short-lived, single-use tickets for the Yjs WebSocket. A client asks for one over its authenticated
 * Socket.IO connection and presents it in the upgrade request, so no long-lived secret ever appears in a
 * URL (where access logs and proxies would keep it).
 */
import type { Role } from '../../shared/protocol/index.js';
import { newSecret } from '../domain/secrets.js';

export type TicketGrant = { workshopId: string; docName: string; access: 'read' | 'write'; role: Role };

export const TICKET_TTL_MS = 30_000;

export class TicketBook {
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
    return { workshopId: grant.workshopId, docName: grant.docName, access: grant.access, role: grant.role };
  }

  /** Voids every unspent ticket of `role` in a workshop (a rotated co-facilitator link). */
  revoke(workshopId: string, role: Role): void {
    for (const [ticket, grant] of this.#tickets) if (grant.workshopId === workshopId && grant.role === role) this.#tickets.delete(ticket);
  }

  #sweep(now: number): void {
    for (const [ticket, grant] of this.#tickets) if (grant.expiresAt < now) this.#tickets.delete(ticket);
  }
}
