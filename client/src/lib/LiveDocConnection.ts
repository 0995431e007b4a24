/**
 * Keeps a Yjs document connected to the server with single-use tickets. Every (re)connection needs a fresh
 * ticket, asked for over the workshop's Socket.IO connection, so the secret that proves who we are never
 * goes into a URL: the provider's own retry is switched off on every close, and we reconnect once a new
 * ticket is in hand. Used by boards and the action plan.
 */
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { YjsCloseCode } from '$shared/protocol/index.js';
import type { WorkshopConnection } from './WorkshopConnection.svelte';

const RETRY_MS = 2000;
/**
 * Pause before reconnecting a dropped document connection (a restarting server needs a moment), doubled on
 * every close until a sync succeeds: a server that keeps closing (its disk is full) is not hammered.
 */
const RECONNECT_MS = 500;
const RECONNECT_MAX_MS = 30_000;
/**
 * A connection counts as working once it has stayed open this long after syncing. Not at the sync itself: the
 * server answers at once, and only then refuses our edits (4507) if its disk is full.
 */
const SETTLED_MS = 5000;

/** Jittered, so that a room's phones dropped together do not come back together. */
function reconnectDelay(failures: number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MS * 2 ** failures);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export class LiveDocConnection {
  provider: WebsocketProvider | null = null;
  #destroyed = false;
  /** Closes since a connection last settled. */
  #failures = 0;
  #settling: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly connection: WorkshopConnection,
    private readonly docName: string,
    private readonly doc: Y.Doc,
    private readonly onSynced: (synced: boolean) => void,
    private readonly onProvider: (provider: WebsocketProvider) => void = () => undefined,
    /** The server could not store our changes (4507): they stay here and are sent again on reconnecting. */
    private readonly onUnsaved: (unsaved: boolean) => void = () => undefined,
  ) {
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#destroyed) return;
    const ticket = await this.connection.request('yjs:ticket', { docName: this.docName });
    if (this.#destroyed) return;
    if (!ticket.ok) {
      // Refused outright (access withdrawn): stop. Otherwise (offline, server restarting) try again.
      if (ticket.code !== 'forbidden') setTimeout(() => void this.#connect(), RETRY_MS);
      return;
    }
    if (!this.provider) {
      const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ticket.path.slice(0, -this.docName.length - 1)}`;
      const provider = new WebsocketProvider(base, this.docName, this.doc, { params: { ticket: ticket.ticket }, disableBc: true });
      this.provider = provider;
      provider.on('sync', (synced: boolean) => {
        clearTimeout(this.#settling);
        if (synced) {
          this.#settling = setTimeout(() => {
            this.#failures = 0;
            this.onUnsaved(false);
          }, SETTLED_MS);
        }
        this.onSynced(synced);
      });
      provider.on('connection-close', (event) => {
        provider.shouldConnect = false;
        clearTimeout(this.#settling);
        if (event?.code === YjsCloseCode.storageUnavailable) this.onUnsaved(true);
        // The workshop was deleted: the workshop connection says so; there is nothing to come back to.
        if (this.#destroyed || event?.code === YjsCloseCode.notFound) return;
        setTimeout(() => void this.#connect(), reconnectDelay(this.#failures++));
      });
      this.onProvider(provider);
    } else {
      this.provider.params = { ticket: ticket.ticket };
      this.provider.connect();
    }
  }

  /** Asks for a fresh ticket now (our access changed, e.g. we may write the plan). */
  reconnect(): void {
    this.provider?.disconnect();
  }

  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#settling);
    this.provider?.destroy();
  }
}
