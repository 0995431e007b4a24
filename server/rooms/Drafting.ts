/**
 * Who may write the action plan besides the facilitators. A participant asks (optionally with a name), a
 * facilitator allows; allowing or withdrawing takes effect at once on every tab the person has open, and
 * withdrawing also closes their plan connections. Requests live in memory; drafters are stored.
 */
import type { Drafting as DraftingView } from '../../shared/protocol/index.js';
import { notFound, type Result } from '../domain/result.js';
import { randomId } from '../domain/secrets.js';
import type { Audience, RoomClient } from './ports.js';
import type { ParticipantStore } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';

type Host = {
  readonly id: string;
  clientsOf(participantId: string): ReadonlySet<RoomClient>;
  serialise<T>(task: () => Promise<T>): Promise<T>;
};
type Deps = { store: ParticipantStore; audience: Audience; docs: DocRegistry; tickets: Tickets };

export class Drafting {
  /** ref (random, shown to facilitators) → the participant who asked. */
  readonly #requests = new Map<string, { participantId: string; name: string }>();
  #drafters = new Map<string, string>();

  constructor(
    private readonly host: Host,
    private readonly deps: Deps,
  ) {}

  async load(): Promise<void> {
    this.#drafters = new Map((await this.deps.store.drafters(this.host.id)).map((d) => [d.id, d.name]));
  }

  isDrafter(participantId: string): boolean {
    return this.#drafters.has(participantId);
  }

  current(): DraftingView {
    return {
      requests: [...this.#requests].map(([ref, r]) => ({ ref, name: r.name })),
      // A drafter's ref is their participant id: they chose to be known as a drafter.
      drafters: [...this.#drafters].map(([ref, name]) => ({ ref, name })),
    };
  }

  #broadcast(): void {
    this.deps.audience.facilitators('plan:drafters', this.current());
  }

  request(participantId: string, name: string): Promise<Result<null>> {
    return this.host.serialise(async () => {
      for (const [ref, r] of this.#requests) if (r.participantId === participantId) this.#requests.delete(ref);
      if (!this.#drafters.has(participantId)) this.#requests.set(randomId(), { participantId, name });
      this.#broadcast();
      return { ok: true, value: null };
    });
  }

  set(ref: string, allow: boolean): Promise<Result<null>> {
    return this.host.serialise(async () => {
      const request = this.#requests.get(ref);
      const participantId = request?.participantId ?? (this.#drafters.has(ref) ? ref : undefined);
      if (!participantId) return notFound('request or drafter');
      this.#requests.delete(ref);
      const name = request?.name ?? this.#drafters.get(participantId) ?? '';
      await this.deps.store.setDrafter(this.host.id, participantId, allow ? { name } : null);
      if (allow) this.#drafters.set(participantId, name);
      else this.#drafters.delete(participantId);
      for (const client of this.host.clientsOf(participantId)) {
        client.data.drafter = allow;
        client.data.drafterName = name;
        client.send('session:you', { groupId: client.data.groupId ?? null, drafter: allow, name });
      }
      if (!allow) {
        this.deps.tickets.revoke(this.host.id, { participantId });
        this.deps.docs.disconnect(this.host.id, { participantId });
      }
      this.#broadcast();
      return { ok: true, value: null };
    });
  }
}
