/**
 * A board's live Yjs document as reactive state. Loaded only when a board is on screen (Yjs and
 * y-websocket stay out of the first download). Participants and screens hold a read-only copy: the server
 * drops anything they send, and their notes go through `board:addNote` instead. Facilitators write here
 * directly.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as board from '../../../shared/boardDoc.js';
import type { BoardCluster, BoardNote } from '../../../shared/protocol/index.js';
import { randomBase64Url } from './randomId';
import type { WorkshopConnection } from './WorkshopConnection.svelte';

const RETRY_MS = 2000;
/** Pause before reconnecting a dropped document connection (a restarting server needs a moment). */
const RECONNECT_MS = 500;

export class BoardDoc {
  notes = $state<BoardNote[]>([]);
  clusters = $state<BoardCluster[]>([]);
  featured = $state<string | null>(null);
  synced = $state(false);

  readonly doc = new Y.Doc();
  #provider: WebsocketProvider | null = null;
  #destroyed = false;

  constructor(
    private readonly connection: WorkshopConnection,
    readonly boardId: string,
  ) {
    this.doc.on('update', () => this.#read());
    void this.#connect();
  }

  #read(): void {
    this.notes = board.readNotes(this.doc);
    this.clusters = board.readClusters(this.doc);
    this.featured = board.featuredOf(this.doc);
  }

  /**
   * Every (re)connection needs a fresh single-use ticket, asked for over the workshop's Socket.IO
   * connection; the secret that proves who we are never goes into a URL. So the provider's own retry is
   * switched off on every close, and we reconnect once a new ticket is in hand.
   */
  async #connect(): Promise<void> {
    if (this.#destroyed) return;
    const docName = `board-${this.boardId}`;
    const ticket = await this.connection.request('yjs:ticket', { docName });
    if (this.#destroyed) return;
    if (!ticket.ok) {
      // Refused outright (access withdrawn): stop. Otherwise (offline, server restarting) try again.
      if (ticket.code !== 'forbidden') setTimeout(() => void this.#connect(), RETRY_MS);
      return;
    }
    if (!this.#provider) {
      const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ticket.path.slice(0, -docName.length - 1)}`;
      this.#provider = new WebsocketProvider(base, docName, this.doc, { params: { ticket: ticket.ticket }, disableBc: true });
      this.#provider.on('sync', (synced: boolean) => (this.synced = synced));
      this.#provider.on('connection-close', () => {
        this.#provider!.shouldConnect = false;
        if (!this.#destroyed) setTimeout(() => void this.#connect(), RECONNECT_MS);
      });
    } else {
      this.#provider.params = { ticket: ticket.ticket };
      this.#provider.connect();
    }
  }

  destroy(): void {
    this.#destroyed = true;
    this.#provider?.destroy();
    this.doc.destroy();
  }

  // Facilitators' edits (a participant's copy is read-only: these would change nothing for anyone).
  placeNote = (id: string, place: { column?: string | null; cluster?: string | null }) => board.placeNote(this.doc, id, place);
  clusterNotes = (noteIds: string[], name: string) => board.clusterNotes(this.doc, noteIds, name, randomBase64Url(16));
  renameCluster = (id: string, name: string) => board.renameCluster(this.doc, id, name);
  removeCluster = (id: string) => board.removeCluster(this.doc, id);
  mergeNotes = (keep: string, drop: string) => board.mergeNotes(this.doc, keep, drop);
  setNoteText = (id: string, text: string) => board.setNoteText(this.doc, id, text);
  setAnswered = (id: string, answered: boolean) => board.setAnswered(this.doc, id, answered);
  setFeatured = (id: string | null) => board.setFeatured(this.doc, id);
}
