/**
 * Keeps a Yjs document connected to the server with single-use tickets. Every (re)connection needs a fresh
 * ticket, asked for over the workshop's Socket.IO connection, so the secret that proves who we are never
 * goes into a URL: the provider's own retry is switched off on every close, and we reconnect once a new
 * ticket is in hand. Used by boards and the action plan.
 */
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { WorkshopConnection } from './WorkshopConnection.svelte';

const RETRY_MS = 2000;
/** Pause before reconnecting a dropped document connection (a restarting server needs a moment). */
const RECONNECT_MS = 500;

export class LiveDocConnection {
  provider: WebsocketProvider | null = null;
  #destroyed = false;

  constructor(
    private readonly connection: WorkshopConnection,
    private readonly docName: string,
    private readonly doc: Y.Doc,
    private readonly onSynced: (synced: boolean) => void,
    private readonly onProvider: (provider: WebsocketProvider) => void = () => undefined,
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
      provider.on('sync', (synced: boolean) => this.onSynced(synced));
      provider.on('connection-close', () => {
        provider.shouldConnect = false;
        if (!this.#destroyed) setTimeout(() => void this.#connect(), RECONNECT_MS);
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
    this.provider?.destroy();
  }
}
