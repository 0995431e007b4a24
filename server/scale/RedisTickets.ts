/**
 * Several nodes: Yjs tickets in Redis, so that a ticket issued by the node that owns a workshop can be redeemed
 * on whichever node the load balancer sends the WebSocket to. Redis holds only the ticket's hash (a stolen
 * copy of Redis cannot be redeemed) and its grant sealed with the cluster key, for TICKET_TTL_MS, and GETDEL
 * spends it exactly once.
 *
 * Revocation cannot list what is in Redis cheaply, so it bumps a counter (per workshop, per role, per
 * participant); a ticket remembers the counters at issue and is refused if any moved since.
 */
import { hashSecret, newSecret } from '../domain/secrets.js';
import { TICKET_TTL_MS, type Holder, type TicketGrant, type Tickets } from '../yjs/TicketBook.js';
import type { RedisLink } from './RedisLink.js';

/** Counters outlive every ticket that could have read them. */
const EPOCH_TTL_MS = 60 * 60 * 1000;

const ticketKey = (ticket: string) => `rt:ticket:${hashSecret(ticket)}`;

export class RedisTickets implements Tickets {
  constructor(private readonly redis: RedisLink) {}

  /** A participant appears in a key name only as a keyed hash of their id (Sealer.name). */
  #epochKey(workshopId: string, holder: Holder | 'workshop'): string {
    const who = holder === 'workshop' ? 'all' : 'role' in holder ? `role:${holder.role}` : `p:${this.redis.cipher.name(holder.participantId)}`;
    return `rt:ticket-epoch:${workshopId}:${who}`;
  }

  /**
   * A participant's own counter only for what their revocation must stop: a drafter's write access. Read by
   * every ticket of theirs, it would give Redis a stable name for each phone's document connections.
   */
  #epochKeys(grant: TicketGrant): string[] {
    return [
      this.#epochKey(grant.workshopId, 'workshop'),
      this.#epochKey(grant.workshopId, { role: grant.role }),
      ...(grant.participantId && grant.access === 'write' ? [this.#epochKey(grant.workshopId, { participantId: grant.participantId })] : []),
    ];
  }

  async issue(grant: TicketGrant): Promise<string> {
    const ticket = newSecret();
    const epochs = await this.redis.commandsNow().mGet(this.#epochKeys(grant));
    // Sealed: the grant names the participant and the document they open.
    const sealed = this.redis.cipher.seal(JSON.stringify({ grant, epochs })).toString('base64');
    await this.redis.commandsNow().set(ticketKey(ticket), sealed, { expiration: { type: 'PX', value: TICKET_TTL_MS } });
    return ticket;
  }

  async redeem(ticket: string, workshopId: string, docName: string): Promise<TicketGrant | undefined> {
    if (!ticket) return undefined;
    const stored = await this.redis.commandsNow().getDel(ticketKey(ticket));
    const opened = stored ? this.redis.cipher.open(Buffer.from(stored, 'base64')) : undefined;
    if (!opened) return undefined;
    const { grant, epochs } = JSON.parse(opened.toString()) as { grant: TicketGrant; epochs: (string | null)[] };
    if (grant.workshopId !== workshopId || grant.docName !== docName) return undefined;
    const now = await this.redis.commandsNow().mGet(this.#epochKeys(grant));
    return now.every((epoch, i) => epoch === epochs[i]) ? grant : undefined;
  }

  revoke(workshopId: string, holder: Holder): void {
    void this.#bump(this.#epochKey(workshopId, holder));
  }

  revokeWorkshop(workshopId: string): void {
    void this.#bump(this.#epochKey(workshopId, 'workshop'));
  }

  async #bump(key: string): Promise<void> {
    await this.redis.commands
      .multi()
      .incr(key)
      .pExpire(key, EPOCH_TTL_MS)
      .exec()
      .catch(() => undefined);
  }
}
