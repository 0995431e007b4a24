/**
 * One WorkshopRoom per live workshop on this server. Concurrent loads of the same workshop share one promise;
 * a room is dropped when its last client leaves (its state is already in the store).
 */
import type { Logger } from '../log.js';
import type { ServerClock } from '../ServerClock.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import type { Audiences } from './ports.js';
import { WorkshopRoom } from './WorkshopRoom.js';

export class RoomRegistry {
  readonly #rooms = new Map<string, WorkshopRoom>();
  readonly #loading = new Map<string, Promise<WorkshopRoom | undefined>>();
  readonly #closedListeners = new Set<(workshopId: string) => void>();

  constructor(
    private readonly deps: {
      store: Store;
      /** Who is connected to each workshop (realtime/socketAudiences.ts). */
      audiences: Audiences;
      docs: DocRegistry;
      tickets: Tickets;
      log: Logger;
      baseUrl: string;
      clock: ServerClock;
    },
  ) {}

  /**
   * Calls `listener` whenever a room stops running here because it emptied or its workshop is gone (not when
   * it is dropped for another node to run). Several nodes: the room's lease can then go.
   */
  onClosed(listener: (workshopId: string) => void): void {
    this.#closedListeners.add(listener);
  }

  #closed(workshopId: string): void {
    for (const listener of this.#closedListeners) listener(workshopId);
  }

  getOrLoad(workshopId: string): Promise<WorkshopRoom | undefined> {
    const live = this.#rooms.get(workshopId);
    if (live) return Promise.resolve(live);
    let loading = this.#loading.get(workshopId);
    if (!loading) {
      loading = this.#load(workshopId).finally(() => this.#loading.delete(workshopId));
      this.#loading.set(workshopId, loading);
    }
    return loading;
  }

  async #load(workshopId: string): Promise<WorkshopRoom | undefined> {
    const record = await this.deps.store.getWorkshop(workshopId);
    if (!record) {
      this.#closed(workshopId);
      return undefined;
    }
    const { audiences, ...deps } = this.deps;
    const room: WorkshopRoom = new WorkshopRoom(record, {
      ...deps,
      audience: audiences(workshopId),
      onEmpty: () => {
        if (this.#rooms.get(workshopId) === room) {
          this.#rooms.delete(workshopId);
          this.#closed(workshopId);
        }
        room.dispose();
      },
    });
    await room.boards.repairSeals(record.agenda.activities.filter((a) => a.kind === 'board'));
    await room.polls.repairSeals(record.agenda.activities.filter((a) => a.kind === 'poll'));
    await room.statements.repairSeals(record.agenda.activities.filter((a) => a.kind === 'statements'));
    await room.drafting.load();
    await room.loadPresence();
    this.#rooms.set(workshopId, room);
    return room;
  }

  /** Closes the room of a deleted workshop, if it is live or loading, and forgets it. */
  async close(workshopId: string): Promise<void> {
    const room = this.#rooms.get(workshopId) ?? (await this.#loading.get(workshopId)?.catch(() => undefined));
    if (!room) return;
    if (this.#rooms.get(workshopId) === room) this.#rooms.delete(workshopId);
    room.close();
    this.#closed(workshopId);
  }

  /** Stops running a room here without telling its clients (several nodes: another node owns it now). */
  drop(workshopId: string): void {
    const room = this.#rooms.get(workshopId);
    if (!room) return;
    this.#rooms.delete(workshopId);
    room.dispose();
  }

  /** The room of a workshop if it is live on this server. */
  live(workshopId: string): WorkshopRoom | undefined {
    return this.#rooms.get(workshopId);
  }

  /** The workshops whose rooms run here. */
  liveIds(): string[] {
    return [...this.#rooms.keys()];
  }

  get size(): number {
    return this.#rooms.size;
  }
}
