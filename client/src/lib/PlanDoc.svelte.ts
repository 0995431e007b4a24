/**
 * The workshop's action plan as reactive state, over its live Yjs document. Facilitators and drafters write
 * (their edits merge, offline ones on reconnect); everyone else reads it updating live. Who is editing what
 * travels in Yjs awareness, which the server relays from writers only.
 */
import * as Y from 'yjs';
import { actionsOf, readPlan, type PlanSnapshot } from '$shared/planDoc.js';
import { PLAN_DOC } from '$shared/protocol/index.js';
import { LiveDocConnection } from './LiveDocConnection';
import type { WorkshopConnection } from './WorkshopConnection.svelte';

export type Peer = { clientId: number; name: string; field: string | null };

export class PlanDoc {
  plan = $state<PlanSnapshot>({ title: '', sections: {} as PlanSnapshot['sections'], actions: [], glossary: {} });
  synced = $state(false);
  /** The server refused to store our edits (its disk): they wait here and go again on reconnecting. */
  unsaved = $state(false);
  peers = $state<Peer[]>([]);

  readonly doc = new Y.Doc();
  readonly #live: LiveDocConnection;

  /** @param name how others see us while we edit (read when we start editing a field) */
  constructor(
    connection: WorkshopConnection,
    private readonly name: () => string,
  ) {
    this.#read();
    this.doc.on('update', () => this.#read());
    this.#live = new LiveDocConnection(
      connection,
      PLAN_DOC,
      this.doc,
      (synced) => (this.synced = synced),
      (provider) => {
        provider.awareness.on('change', () => {
          this.peers = [...provider.awareness.getStates()]
            .filter(([id, state]) => id !== this.doc.clientID && state.editing)
            .map(([clientId, state]) => ({ clientId, name: String(state.editing.name), field: state.editing.field ?? null }));
        });
      },
      (unsaved) => (this.unsaved = unsaved),
    );
  }

  #read(): void {
    this.plan = readPlan(this.doc);
  }

  /** Tells the others which field we are in (or none). */
  editing(field: string | null): void {
    this.#live.provider?.awareness.setLocalStateField('editing', { name: this.name(), field });
  }

  action(id: string): Y.Map<unknown> | undefined {
    return actionsOf(this.doc)
      .toArray()
      .find((a) => a.get('id') === id);
  }

  /** Our access changed (we may now write): reconnect with a fresh ticket. */
  reconnect(): void {
    this.#live.reconnect();
  }

  destroy(): void {
    this.#live.destroy();
    this.doc.destroy();
  }
}
