/**
 * One WorkshopRoom per live workshop on this server. Concurrent loads of the same workshop share one promise;
 * a room is dropped when its last socket leaves (its state is already in the store).
 */
import type { Logger } from '../log.js';
import type { ServerClock } from '../ServerClock.js';
import type { Store } from '../store/Store.js';
import type { DocRegistry } from '../yjs/DocRegistry.js';
import type { Tickets } from '../yjs/TicketBook.js';
import type { RoundtableServer } from '../realtime/types.js';
import { WorkshopRoom } from './WorkshopRoom.js';

export class RoomRegistry {
  readonly #rooms = new Map<string, WorkshopRoom>();
  readonly #loading = new Map<string, Promise<WorkshopRoom | undefined>>();

  constructor(
    private readonly deps: {
      store: Store;
      io: RoundtableServer;
      docs: DocRegistry;
      tickets: Tickets;
      log: Logger;
      baseUrl: string;
      clock: ServerClock;
      /** Several nodes: a room stopped running here (emptied, deleted or dropped), so its lease can go. */
      onClosed?: (workshopId: string) => void;
    },
  ) {}

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
      this.deps.onClosed?.(workshopId);
      return undefined;
    }
    const room: WorkshopRoom = new WorkshopRoom(record, {
      ...this.deps,
      onEmpty: () => {
        if (this.#rooms.get(workshopId) === room) {
          this.#rooms.delete(workshopId);
          this.deps.onClosed?.(workshopId);
        }
        room.dispose();
      },
    });
    await room.boards.repairSeals(record.agenda.activities.filter((a) => a.kind === 'board'));
    await room.polls.repairSeals(record.agenda.activities.filter((a) => a.kind === 'poll'));
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
    this.deps.onClosed?.(workshopId);
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
